//! Server functions of responsible purchasing. Each starts by asking who is asking: nobody for
//! the public lists, [`require_buyer`] to write a need or book a meeting, [`require_need_owner`]
//! for a need's buyer (or a site admin), the entry's stewardship to answer for a structure, the
//! event's organisers to open a fair's slots.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::PURCHASING_NOTICES;
use super::{
    Answer, BuyerForm, Fair, MyPurchasing, NeedForm, NeedFormData, NeedList, NeedPage, Report,
};
use crate::error::AppError;
use crate::ui::form::Many;
use crate::ui::notice::Done;

#[cfg(feature = "ssr")]
mod access {
    use super::super::{Buyer, NeedStatus, db};
    use crate::error::AppError;
    use crate::features::accounts::CurrentUser;
    use crate::state::AppState;

    /// The logged-in member and the organisation they buy for: `Unauthorized` for a visitor,
    /// `Forbidden` for a member who has not declared one.
    pub async fn require_buyer(state: &AppState) -> Result<(CurrentUser, Buyer), AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        match db::buyer_of(&state.db, user.id).await? {
            Some(buyer) => Ok((user, buyer)),
            None => Err(AppError::Forbidden),
        }
    }

    /// The need's buyer, or a site admin; the need's status.
    pub async fn require_need_owner(
        state: &AppState,
        need_id: i64,
    ) -> Result<(CurrentUser, NeedStatus), AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        let (owner, status) = db::need_owner(&state.db, need_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if owner == user.id || user.is_admin() {
            Ok((user, status))
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn now() -> crate::timestamp::Timestamp {
        crate::timestamp::Timestamp::now()
    }

    pub fn today() -> time::Date {
        now().in_paris().date()
    }

    pub fn iso(date: time::Date) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }

    /// A published entry named by its slug, by the address of its page, or by its name.
    pub async fn structure_named(state: &AppState, typed: &str) -> Result<Option<i64>, AppError> {
        let typed = typed.trim();
        let slug = typed
            .rsplit("/annuaire/")
            .next()
            .unwrap_or(typed)
            .trim_end_matches('/');
        if let Some(id) = db::published_structure(&state.db, slug).await? {
            return Ok(Some(id));
        }
        Ok(db::published_structure(&state.db, &crate::slug::slugify(typed)).await?)
    }
}
#[cfg(feature = "ssr")]
use access::{iso, now, structure_named, today};
#[cfg(feature = "ssr")]
pub use access::{require_buyer, require_need_owner};

/// `/achats`: the open public needs, filtered by sector and territory (slugs, empty for all).
#[server(endpoint = "achats/liste")]
pub async fn load_needs(
    #[server(default)] secteur: String,
    #[server(default)] territoire: String,
) -> Result<NeedList, AppError> {
    // Public data; who looks only changes the links offered.
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let buyer = match &user {
        Some(user) => super::db::buyer_of(&state.db, user.id).await?.is_some(),
        None => false,
    };
    let secteur: String = secteur.trim().chars().take(80).collect();
    let territoire: String = territoire.trim().chars().take(80).collect();
    Ok(NeedList {
        needs: super::db::open_public(&state.db, &secteur, &territoire, &iso(today())).await?,
        sectors: super::db::sectors(&state.db).await?,
        territories: super::db::territories(&state.db).await?,
        fairs: super::db::coming_fairs(&state.db, now()).await?,
        buyer,
        logged_in: user.is_some(),
    })
}

/// `/achats/{id}`: a need, as much of it as the person may see. A draft is its buyer's only; a
/// private need is its buyer's and its recipients' only. Anyone else gets the answer a need that
/// does not exist gets, so that nobody learns a private need is there.
#[server(endpoint = "achats/besoin")]
pub async fn load_need(id: i64) -> Result<NeedPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let (owner_id, status) = super::db::need_owner(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = user
        .as_ref()
        .is_some_and(|u| u.id == owner_id || u.is_admin());
    let need = super::db::summary(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !owner {
        if status == super::NeedStatus::Draft {
            return Err(AppError::NotFound);
        }
        if !need.public {
            let Some(user) = &user else {
                return Err(AppError::NotFound);
            };
            if !super::db::is_recipient(&state.db, id, user.id).await? {
                return Err(AppError::NotFound);
            }
        }
    }
    let mine = match &user {
        Some(user) if status != super::NeedStatus::Draft => {
            super::db::suppliers(&state.db, id, Some(user.id)).await?
        }
        _ => Vec::new(),
    };
    let (suppliers, history) = if owner {
        (
            super::db::suppliers(&state.db, id, None).await?,
            super::db::history_lines(&state.db, id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(NeedPage {
        description: super::db::description(&state.db, id).await?,
        need,
        owner,
        mine,
        suppliers,
        history,
    })
}

/// `/achats/nouveau`: the member's buyer organisation (if declared) and the form's choices.
#[server(endpoint = "achats/nouveau/charger")]
pub async fn load_need_form() -> Result<NeedFormData, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    Ok(NeedFormData {
        buyer: super::db::buyer_of(&state.db, user.id).await?,
        communes: crate::features::reference::db::communes(&state.db).await?,
        sectors: super::db::sectors(&state.db).await?,
    })
}

/// `/achats/mes-demandes`: the member's needs as a buyer, and the needs sent to the structures
/// they manage.
#[server(endpoint = "achats/mes-demandes")]
pub async fn load_my_purchasing() -> Result<MyPurchasing, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let buyer = super::db::buyer_of(&state.db, user.id).await?;
    let needs = match &buyer {
        Some(buyer) => super::db::needs_of_buyer(&state.db, buyer.id).await?,
        None => Vec::new(),
    };
    Ok(MyPurchasing {
        buyer,
        needs,
        received: super::db::received_by(&state.db, user.id).await?,
    })
}

/// `/achats/bilan`: a year's figures (`annee` 0: the latest year with a need, or this year).
#[server(endpoint = "achats/bilan")]
pub async fn load_report(#[server(default)] annee: i32) -> Result<Report, AppError> {
    // Public: aggregates only, nothing that names a buyer or a structure.
    let state = crate::state::app_state()?;
    super::export::report(&state, annee).await
}

/// Declares (or corrects) the organisation the member buys for.
#[server(endpoint = "achats/acheteur")]
pub async fn declare_buyer(#[server(flatten)] form: BuyerForm) -> Result<Done, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let buyer = form.validated()?;
    super::db::declare_buyer(&state.db, user.id, &buyer, now()).await?;
    Ok(Done::notice(
        "/achats/nouveau",
        "acheteur",
        PURCHASING_NOTICES,
    ))
}

/// Writes a need as a draft, with the structures the matching proposes.
#[server(endpoint = "achats/besoins")]
pub async fn create_need(#[server(flatten)] form: NeedForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, buyer) = require_buyer(&state).await?;
    let need = form.validated(today())?;
    let id = super::db::create_need(&state.db, buyer.id, user.id, &need, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{id}"),
        "besoin-cree",
        PURCHASING_NOTICES,
    ))
}

/// Takes a proposed structure off a draft's list (`retirer`) or puts it back (`remettre`).
#[server(endpoint = "achats/fournisseurs")]
pub async fn change_supplier(need: i64, structure: i64, action: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let removed = match action.as_str() {
        "retirer" => true,
        "remettre" => false,
        _ => return Err(AppError::form("Action inconnue.")),
    };
    super::db::set_removed(&state.db, need, structure, removed, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        if removed { "retiree" } else { "remise" },
        PURCHASING_NOTICES,
    ))
}

/// Adds a structure of the directory to a draft's list (by its name or the address of its page).
#[server(endpoint = "achats/fournisseurs/ajouter")]
pub async fn add_supplier(need: i64, structure: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    if structure.trim().is_empty() || structure.chars().count() > 300 {
        return Err(AppError::validation(
            "structure",
            "Indiquez le nom d'une structure de l'annuaire, ou l'adresse de sa fiche.",
        ));
    }
    let id = structure_named(&state, &structure).await?.ok_or_else(|| {
        AppError::validation(
            "structure",
            "Aucune structure publiée de l'annuaire ne porte ce nom : copiez l'adresse de sa fiche.",
        )
    })?;
    super::db::add_supplier(&state.db, need, id, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "ajoutee",
        PURCHASING_NOTICES,
    ))
}

/// Sends a draft to the structures kept on its list: each of their managers gets a mail.
#[server(endpoint = "achats/envoyer")]
pub async fn send_need(need: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let recipients = super::db::send(&state.db, need, user.id, now()).await?;
    if let Some(summary) = super::db::summary(&state.db, need).await? {
        let url = format!("{}/achats/{need}", state.config.base_url);
        for (email, name, structure) in recipients {
            state
                .send_mail(super::mails::need_sent(
                    &email, &name, &structure, &summary, &url,
                ))
                .await;
        }
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "envoye",
        PURCHASING_NOTICES,
    ))
}

/// A structure's answer to a need sent to it: interested (a message, a link to a document) or
/// not (a reason). The buyer gets a mail.
#[server(endpoint = "achats/repondre")]
pub async fn answer_need(
    need: i64,
    structure: String,
    answer: Answer,
    #[server(default)] message: String,
    #[server(default)] attachment_url: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &structure)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    let message = message.trim().to_owned();
    let attachment_url = attachment_url.trim().to_owned();
    let mut errors = crate::error::FieldErrors::default();
    match answer {
        Answer::Interested if message.chars().count() < 10 => errors.add(
            "message",
            "Présentez en quelques mots ce que vous proposez (10 caractères au moins).",
        ),
        Answer::Declined if message.is_empty() => errors.add(
            "message",
            "Indiquez la raison, en quelques mots : elle aide l'acheteur.",
        ),
        _ if message.chars().count() > 3000 => errors.add(
            "message",
            "Le message ne doit pas dépasser 3 000 caractères.",
        ),
        _ => {}
    }
    if !attachment_url.is_empty()
        && (attachment_url.chars().count() > 500
            || !(attachment_url.starts_with("https://") || attachment_url.starts_with("http://"))
            || attachment_url.chars().any(char::is_whitespace))
    {
        errors.add(
            "attachment_url",
            "Le lien doit être une adresse web complète (https://…), ou laissez le champ vide.",
        );
    }
    errors.finish(())?;
    super::db::answer(
        &state.db,
        need,
        structure_id,
        answer,
        &message,
        &attachment_url,
        user.id,
        now(),
    )
    .await?;
    if let Some(summary) = super::db::summary(&state.db, need).await?
        && let Some((owner, _)) = super::db::need_owner(&state.db, need).await?
        && let Some(buyer) = crate::features::accounts::db::find_by_id(&state.db, owner).await?
    {
        let (email, name) = (buyer.email, buyer.name);
        let structure = super::db::suppliers(&state.db, need, None)
            .await?
            .into_iter()
            .find(|s| s.structure_id == structure_id)
            .map_or(structure, |s| s.name);
        let url = format!("{}/achats/{need}", state.config.base_url);
        state
            .send_mail(super::mails::answer_received(
                &email, &name, &summary, &structure, answer, &url,
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "reponse",
        PURCHASING_NOTICES,
    ))
}

/// The buyer writes to a structure of the need: its managers get the message by mail, with the
/// buyer's address to answer.
#[server(endpoint = "achats/contacter")]
pub async fn contact_supplier(
    need: i64,
    structure: i64,
    message: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let message = message.trim().to_owned();
    if message.chars().count() < 10 || message.chars().count() > 3000 {
        return Err(AppError::validation(
            "message",
            "Écrivez votre message (de 10 à 3 000 caractères).",
        ));
    }
    let recipients = super::db::contacted(&state.db, need, structure, user.id, now()).await?;
    if let Some(summary) = super::db::summary(&state.db, need).await? {
        let url = format!("{}/achats/{need}", state.config.base_url);
        for (email, name, structure) in recipients {
            state
                .send_mail(super::mails::buyer_message(
                    &email,
                    &name,
                    &structure,
                    &summary,
                    &user.name,
                    &user.email,
                    &message,
                    &url,
                ))
                .await;
        }
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "contact",
        PURCHASING_NOTICES,
    ))
}

/// Closes a need with an outcome per structure (`structure[i]`, `outcome[i]`, `amount[i]`: the
/// form's rows, in order) and, for a contract won, its amount in euros.
#[server(endpoint = "achats/cloturer")]
pub async fn close_need(
    need: i64,
    #[server(default)] structure: Many<i64>,
    #[server(default)] outcome: Many<String>,
    #[server(default)] amount: Many<String>,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    if structure.0.len() != outcome.0.len() || structure.0.len() != amount.0.len() {
        return Err(AppError::form(
            "Le formulaire envoyé est incomplet : rechargez la page.",
        ));
    }
    let mut rows = Vec::new();
    let mut errors = crate::error::FieldErrors::default();
    for ((structure, outcome), amount) in structure.0.iter().zip(&outcome.0).zip(&amount.0) {
        let Some(outcome) = super::Outcome::parse(outcome.trim()) else {
            errors.add(
                "outcome",
                "Choisissez un résultat dans la liste pour chaque structure.",
            );
            continue;
        };
        let digits: String = amount
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '€')
            .collect();
        let amount = if digits.is_empty() {
            None
        } else {
            match digits.parse::<i64>() {
                Ok(euros) if (0..=1_000_000_000).contains(&euros) => Some(euros),
                _ => {
                    errors.add(
                        "amount",
                        "Le montant s'écrit en euros, en chiffres (exemple : 12500).",
                    );
                    None
                }
            }
        };
        // An amount is that of a contract won.
        let amount = amount.filter(|_| outcome == super::Outcome::Won);
        rows.push((*structure, outcome, amount));
    }
    errors.finish(())?;
    super::db::close(&state.db, need, &rows, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "clos",
        PURCHASING_NOTICES,
    ))
}

/// `/evenements/{slug}/rendez-vous`: the fair's slots and stands, and the person's schedule.
#[server(endpoint = "achats/salon")]
pub async fn load_fair(slug: String) -> Result<Fair, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event =
        crate::features::events::listing::visible_event(&state, &slug, user.as_ref()).await?;
    let organiser = match &user {
        Some(_) => crate::features::events::rights::require_organiser(&state, event.id)
            .await
            .is_ok(),
        None => false,
    };
    let buyer = match &user {
        Some(user) => super::db::buyer_of(&state.db, user.id).await?,
        None => None,
    };
    let schedule = match &user {
        Some(user) => super::db::schedule(&state.db, event.id, user.id).await?,
        None => Vec::new(),
    };
    let (taken, busy) = match &buyer {
        Some(buyer) => super::db::taken(&state.db, event.id, buyer.id).await?,
        None => (Vec::new(), Vec::new()),
    };
    Ok(Fair {
        slots: super::db::slots(&state.db, event.id).await?,
        stands: super::db::stands(&state.db, event.id).await?,
        slug: event.slug,
        title: event.title,
        starts_at: event.starts_at,
        organiser,
        buyer,
        logged_in: user.is_some(),
        schedule,
        taken,
        busy,
    })
}

/// Opens meeting slots on the fair's day: from `start_time` to `end_time`, every `minutes`.
#[server(endpoint = "achats/salon/creneaux")]
pub async fn open_slots(
    slug: String,
    start_time: String,
    end_time: String,
    minutes: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let event = crate::features::events::db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::features::events::rights::require_organiser(&state, event.id).await?;
    let slots = super::slot_times(event.starts_at, &start_time, &end_time, &minutes)?;
    super::db::open_slots(&state.db, event.id, &slots).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "creneaux",
        PURCHASING_NOTICES,
    ))
}

/// Records a structure of the directory as holding a stand at the fair.
#[server(endpoint = "achats/salon/stands")]
pub async fn add_stand(slug: String, exposant: String) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let event_id = crate::features::events::db::event_id(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::features::events::rights::require_organiser(&state, event_id).await?;
    if exposant.trim().is_empty() || exposant.chars().count() > 300 {
        return Err(AppError::validation(
            "exposant",
            "Indiquez le nom d'une structure de l'annuaire, ou l'adresse de sa fiche.",
        ));
    }
    let id = structure_named(&state, &exposant).await?.ok_or_else(|| {
        AppError::validation(
            "exposant",
            "Aucune structure publiée de l'annuaire ne porte ce nom : copiez l'adresse de sa fiche.",
        )
    })?;
    super::db::add_stand(&state.db, event_id, id).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "stand",
        PURCHASING_NOTICES,
    ))
}

/// A buyer books a slot with a structure that holds a stand. Both get a mail with the calendar
/// file.
#[server(endpoint = "achats/salon/reserver")]
pub async fn book_meeting(slug: String, slot: i64, structure: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, buyer) = require_buyer(&state).await?;
    let event = crate::features::events::db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let meeting = super::db::book(
        &state.db,
        event.id,
        slot,
        buyer.id,
        structure,
        user.id,
        now(),
    )
    .await?;
    let base = &state.config.base_url;
    let url = format!("{base}/evenements/{slug}/rendez-vous");
    let calendar = super::mails::meeting_calendar(&meeting, &event, base);
    state
        .send_mail(super::mails::meeting_booked(
            &user.email,
            &user.name,
            &meeting,
            &event.title,
            &meeting.structure,
            &url,
            calendar.clone(),
        ))
        .await;
    for (email, name) in super::db::structure_managers(&state.db, structure).await? {
        state
            .send_mail(super::mails::meeting_booked(
                &email,
                &name,
                &meeting,
                &event.title,
                &meeting.buyer,
                &url,
                calendar.clone(),
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "rendez-vous",
        PURCHASING_NOTICES,
    ))
}
