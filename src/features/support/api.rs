//! What people do with support requests: a holder asks (with or without an account), confirms
//! by the mailed link and follows the request; an advisor of a network it was sent to takes it,
//! writes to the holder and closes it; a network's managers (and site admins) set what it
//! covers. Each server function checks who asks before anything else.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::db::{MessageRow, QueueRow, RequestRow};
use super::model::{MessageForm, NetworkForm, RequestForm};
use super::networks::NetworkRow;
use crate::error::AppError;
use crate::ui::notice::Done;

/// The notices of the support pages.
pub const SUPPORT_NOTICES: crate::ui::notice::Notices = &[
    (
        "confirmez",
        "Votre demande est enregistrée. Ouvrez le lien que nous venons de vous envoyer par courriel pour confirmer votre adresse : la demande partira alors vers les réseaux d'accompagnement.",
    ),
    (
        "demande-envoyee",
        "Votre demande est envoyée aux réseaux d'accompagnement de votre territoire. Vous serez prévenu·e par courriel dès qu'un conseiller la prendra.",
    ),
    (
        "demande-confirmee",
        "Merci, votre adresse est confirmée : la demande est envoyée aux réseaux d'accompagnement de votre territoire.",
    ),
    (
        "demande-prise",
        "Vous suivez cette demande : la personne qui la porte est prévenue.",
    ),
    ("message-envoye", "Votre message est envoyé."),
    ("demande-close", "La demande est close."),
    (
        "reseau-enregistre",
        "Les réglages du réseau sont enregistrés.",
    ),
];

use crate::features::accounts::policy::require_user;

/// What `/accompagnement` offers to choose, and the member's name when logged in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupportFormData {
    pub member: Option<String>,
    pub sectors: Vec<(String, String)>,
    pub communes: Vec<(String, String)>,
}

#[server(endpoint = "accompagnement/formulaire")]
pub async fn load_support_form() -> Result<SupportFormData, AppError> {
    let state = crate::state::app_state()?;
    let sectors = crate::features::reference::db::list_sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.slug, s.name))
        .collect();
    Ok(SupportFormData {
        member: crate::features::accounts::auth::current_user().map(|u| u.name),
        sectors,
        communes: crate::features::reference::db::communes(&state.db).await?,
    })
}

/// A project holder asks for support. A member's request leaves at once; a visitor's waits for
/// the link mailed to the address typed.
#[server(endpoint = "accompagnement/demander")]
pub async fn ask_support(#[server(flatten)] form: RequestForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::features::accounts::auth::current_user();
    let request = form.validated(member.is_some())?;
    let (user_id, name, email) = match &member {
        Some(user) => (Some(user.id), user.name.clone(), user.email.clone()),
        None => (None, request.name.clone(), request.email.clone()),
    };
    let ip = crate::web::client::current_client_ip(&state);
    let account = user_id.map_or_else(|| email.clone(), |id| id.to_string());
    state
        .limiter
        .check(crate::rate_limit::SUPPORT_REQUEST, &ip, &account)
        .await?;
    let sender = match user_id {
        Some(id) => crate::rate_limit::Sender::Account(id),
        None => crate::rate_limit::Sender::Address(&email),
    };
    // The holder's letter, and (a member's request) the advisors' one.
    crate::web::client::spend_mails(&state, sender, if member.is_some() { 2 } else { 1 }).await?;
    let (token, hash) = crate::tokens::new_token();
    let holder = super::db::Holder {
        user_id,
        name: &name,
        email: &email,
    };
    let now = crate::timestamp::Timestamp::now();
    let id = super::db::create_request(&state.db, &request, &holder, &hash, now)
        .await?
        .map_err(|unknown| match unknown {
            super::db::Unknown::Sector => {
                AppError::validation("sector", "Choisissez le secteur dans la liste.")
            }
            _ => AppError::validation("commune", "Choisissez la commune dans la liste."),
        })?;
    let base = &state.config.base_url;
    let link = super::mails::follow_url(base, &token);
    let letter = super::mails::received(&request.title, member.is_some(), &link);
    state.send_mail(letter.to(&email, &name)).await;
    match member {
        Some(_) => {
            tell_advisors(&state, id).await?;
            Ok(Done::notice(
                &format!("/accompagnement/demandes/{id}"),
                "demande-envoyee",
                SUPPORT_NOTICES,
            ))
        }
        None => Ok(Done::notice(
            "/accompagnement",
            "confirmez",
            SUPPORT_NOTICES,
        )),
    }
}

crate::form_path!(AskSupport => "/accompagnement");

/// Tells the advisors of the networks a request was just sent to.
async fn tell_advisors(state: &crate::state::AppState, id: i64) -> Result<(), AppError> {
    let Some(request) = super::db::request(&state.db, id).await? else {
        return Ok(());
    };
    let needs = super::db::needs(&state.db, id)
        .await?
        .iter()
        .map(|n| super::model::label_of(super::model::NEEDS, n).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ");
    let letter = super::mails::new_request(
        &request.title,
        &request.commune,
        &needs,
        &super::mails::request_url(&state.config.base_url, id),
    );
    let advisors = super::db::advisor_addresses(&state.db, id).await?;
    state.send_letter(advisors, &letter).await;
    Ok(())
}

/// The request a private link leads to, or `InvalidLink`.
async fn linked_request(state: &crate::state::AppState, jeton: &str) -> Result<i64, AppError> {
    let hash = crate::tokens::hash_token(jeton);
    super::db::request_of_link(&state.db, &hash)
        .await?
        .ok_or(AppError::InvalidLink)
}

/// The holder confirms their address by the mailed link (a button, so that a mail scanner
/// opening the link confirms nothing); the request leaves for the networks, once.
#[server(endpoint = "accompagnement/confirmer")]
pub async fn confirm_support(jeton: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = linked_request(&state, &jeton).await?;
    let Some((email, _)) = super::db::holder_address(&state.db, id).await? else {
        return Err(AppError::InvalidLink);
    };
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Address(&email), 1).await?;
    let page = crate::ui::href::with_query("/accompagnement/suivi", "jeton", jeton.trim());
    if super::db::confirm(&state.db, id, crate::timestamp::Timestamp::now()).await? {
        tell_advisors(&state, id).await?;
    }
    Ok(Done::notice(&page, "demande-confirmee", SUPPORT_NOTICES))
}

crate::form_path!(ConfirmSupport => "/accompagnement/confirmer");

/// Who looks at a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    /// The person who asked (logged in, or by their private link).
    Holder,
    /// An advisor of a network the request was sent to.
    Advisor { network: i64, user: i64 },
    /// A site admin who advises no network of it: reads, and may close.
    Admin,
}

/// Who is looking at request `id` (with the private link's `jeton` when given), and the request.
async fn viewer(
    state: &crate::state::AppState,
    id: i64,
    jeton: &str,
) -> Result<(Viewer, RequestRow), AppError> {
    if !jeton.trim().is_empty() {
        let linked = linked_request(state, jeton).await?;
        if linked != id {
            return Err(AppError::InvalidLink);
        }
        let request = super::db::request(&state.db, id)
            .await?
            .ok_or(AppError::InvalidLink)?;
        return Ok((Viewer::Holder, request));
    }
    let user = require_user()?;
    let request = super::db::request(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if request.user_id == Some(user.id) {
        return Ok((Viewer::Holder, request));
    }
    if request.status() != super::model::Status::Unconfirmed
        && let Some(network) = super::db::advisor_network(&state.db, id, user.id).await?
    {
        return Ok((
            Viewer::Advisor {
                network,
                user: user.id,
            },
            request,
        ));
    }
    if user.is_admin() {
        return Ok((Viewer::Admin, request));
    }
    Err(AppError::Forbidden)
}

/// A request's page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestPage {
    pub request: RequestRow,
    pub needs: Vec<String>,
    pub networks: Vec<String>,
    pub messages: Vec<MessageRow>,
    pub viewer: Viewer,
    /// The private link's token when the holder came by it: the forms send it back.
    pub jeton: String,
}

async fn request_page(id: i64, jeton: String) -> Result<RequestPage, AppError> {
    let state = crate::state::app_state()?;
    let (viewer, request) = viewer(&state, id, &jeton).await?;
    Ok(RequestPage {
        needs: super::db::needs(&state.db, id).await?,
        networks: super::db::routed_networks(&state.db, id).await?,
        messages: super::db::messages(&state.db, id).await?,
        request,
        viewer,
        jeton: jeton.trim().to_owned(),
    })
}

/// `/accompagnement/demandes/{id}`: for its holder, the advisors of the networks it was sent
/// to, and the site admins.
#[server(endpoint = "accompagnement/demande")]
pub async fn load_request(id: i64) -> Result<RequestPage, AppError> {
    request_page(id, String::new()).await
}

/// `/accompagnement/suivi?jeton=…`: the holder's private link.
#[server(endpoint = "accompagnement/suivi")]
pub async fn load_follow(jeton: String) -> Result<RequestPage, AppError> {
    let state = crate::state::app_state()?;
    let id = linked_request(&state, &jeton).await?;
    request_page(id, jeton).await
}

/// Where a form of a request's page leads back to: the private link's page for a holder who
/// came by it, the request's page otherwise.
fn back_to(id: i64, jeton: &str) -> String {
    if jeton.trim().is_empty() {
        format!("/accompagnement/demandes/{id}")
    } else {
        crate::ui::href::with_query("/accompagnement/suivi", "jeton", jeton.trim())
    }
}

/// An advisor of a network the request was sent to takes it: of two who take it at once,
/// exactly one does; the holder is told.
#[server(endpoint = "accompagnement/prendre")]
pub async fn take_request(request: i64) -> Result<Done, AppError> {
    let user = require_user()?;
    let state = crate::state::app_state()?;
    let row = super::db::request(&state.db, request)
        .await?
        .ok_or(AppError::NotFound)?;
    let network = match row.status() {
        super::model::Status::Unconfirmed => None,
        _ => super::db::advisor_network(&state.db, request, user.id).await?,
    }
    .ok_or(AppError::Forbidden)?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let now = crate::timestamp::Timestamp::now();
    if !super::db::take(&state.db, request, user.id, network, now).await? {
        return Err(AppError::Conflict(
            "Cette demande est déjà suivie par un conseiller (ou close) : rechargez la page."
                .to_owned(),
        ));
    }
    let network_name: String = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(network)
        .fetch_one(&state.db.pool)
        .await?;
    let letter = super::mails::taken(&row.title, &user.name, &network_name, "");
    write_to_holder(&state, request, letter, now).await?;
    Ok(Done::notice(
        &format!("/accompagnement/demandes/{request}"),
        "demande-prise",
        SUPPORT_NOTICES,
    ))
}

crate::form_path!(TakeRequest => "/accompagnement/demandes/{id}/prendre");

/// Mails `letter` to the holder with a fresh private link in place of its link.
async fn write_to_holder(
    state: &crate::state::AppState,
    request: i64,
    mut letter: crate::mail::Letter,
    now: crate::timestamp::Timestamp,
) -> Result<(), AppError> {
    let Some((email, name)) = super::db::holder_address(&state.db, request).await? else {
        return Ok(());
    };
    if email.is_empty() {
        return Ok(());
    }
    let (token, hash) = crate::tokens::new_token();
    super::db::add_link(&state.db, request, &hash, now).await?;
    let url = super::mails::follow_url(&state.config.base_url, &token);
    if let Some((_, link)) = letter.link.as_mut() {
        *link = url;
    }
    state.send_mail(letter.to(&email, &name)).await;
    Ok(())
}

/// The holder, or the advisor who follows the request, writes to the other; the other is mailed
/// the message (never the writer's address).
#[server(endpoint = "accompagnement/ecrire")]
pub async fn write_message(
    request: i64,
    #[server(default)] jeton: String,
    #[server(flatten)] form: MessageForm,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (viewer, row) = viewer(&state, request, &jeton).await?;
    let author = match viewer {
        Viewer::Holder => super::db::Author::Holder,
        Viewer::Advisor { user, .. } if row.advisor_id == Some(user) => {
            super::db::Author::Advisor(user)
        }
        _ => return Err(AppError::Forbidden),
    };
    let body = form.validated()?;
    match row.status() {
        super::model::Status::Taken => {}
        super::model::Status::Closed => {
            return Err(AppError::Conflict(
                "La demande est close : l'échange est terminé.".to_owned(),
            ));
        }
        _ => {
            return Err(AppError::Conflict(
                "Aucun conseiller ne suit encore cette demande : vous pourrez échanger dès qu'il l'aura prise.".to_owned(),
            ));
        }
    }
    let holder_email = super::db::holder_address(&state.db, request)
        .await?
        .map(|(email, _)| email)
        .unwrap_or_default();
    let sender = match author {
        super::db::Author::Advisor(user) => crate::rate_limit::Sender::Account(user),
        super::db::Author::Holder => crate::rate_limit::Sender::Address(&holder_email),
    };
    crate::web::client::spend_mails(&state, sender, 1).await?;
    let now = crate::timestamp::Timestamp::now();
    if !super::db::add_message(&state.db, request, author, &body, now).await? {
        return Err(AppError::Conflict(
            "La demande vient d'être close : votre message n'est pas parti.".to_owned(),
        ));
    }
    match author {
        super::db::Author::Holder => {
            if let Some((email, name)) = super::db::advisor_address(&state.db, request).await? {
                let url = super::mails::request_url(&state.config.base_url, request);
                let letter = super::mails::message(&row.title, &row.holder_name, &body, &url);
                state.send_mail(letter.to(&email, &name)).await;
            }
        }
        super::db::Author::Advisor(_) => {
            let from = format!(
                "{}, de {}",
                row.advisor_name.clone().unwrap_or_default(),
                row.network_name.clone().unwrap_or_default()
            );
            let letter = super::mails::message(&row.title, &from, &body, "");
            write_to_holder(&state, request, letter, now).await?;
        }
    }
    Ok(Done::notice(
        &back_to(request, &jeton),
        "message-envoye",
        SUPPORT_NOTICES,
    ))
}

crate::form_path!(WriteMessage => "/accompagnement/demandes/{id}/messages");

/// The advisor who follows a request (or a site admin) closes it with an outcome; the holder is
/// told.
#[server(endpoint = "accompagnement/clore")]
pub async fn close_request(
    request: i64,
    #[server(default)] outcome: String,
) -> Result<Done, AppError> {
    let user = require_user()?;
    let state = crate::state::app_state()?;
    let row = super::db::request(&state.db, request)
        .await?
        .ok_or(AppError::NotFound)?;
    let advisor = if row.advisor_id == Some(user.id) {
        Some(user.id)
    } else if user.is_admin() {
        None
    } else {
        return Err(AppError::Forbidden);
    };
    let outcome = outcome.trim();
    if !crate::text::choices::is_choice(super::model::OUTCOMES, outcome) {
        return Err(AppError::validation(
            "outcome",
            "Choisissez l'issue de la demande dans la liste.",
        ));
    }
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let now = crate::timestamp::Timestamp::now();
    if !super::db::close(&state.db, request, advisor, outcome, now).await? {
        return Err(AppError::Conflict(
            "Cette demande n'est pas suivie par vous, ou elle est déjà close : rechargez la page."
                .to_owned(),
        ));
    }
    let said = super::model::label_of(super::model::OUTCOMES, outcome).to_lowercase();
    let letter = super::mails::closed(&row.title, &said, "");
    write_to_holder(&state, request, letter, now).await?;
    Ok(Done::notice(
        &format!("/accompagnement/demandes/{request}"),
        "demande-close",
        SUPPORT_NOTICES,
    ))
}

crate::form_path!(CloseRequest => "/accompagnement/demandes/{id}/cloture");

/// `/accompagnement/file`: the advisor's queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Queue {
    pub requests: Vec<QueueRow>,
    pub me: i64,
    /// The networks the person manages, to set what they cover: `(slug, name)`.
    pub networks: Vec<(String, String)>,
}

#[server(endpoint = "accompagnement/file")]
pub async fn load_queue() -> Result<Queue, AppError> {
    let user = require_user()?;
    let state = crate::state::app_state()?;
    let networks = super::networks::managed_networks(&state.db, user.id).await?;
    if !user.is_admin() && networks.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Queue {
        requests: super::db::queue(&state.db, user.id, user.is_admin()).await?,
        me: user.id,
        networks,
    })
}

/// `/accompagnement/reseaux`: the networks, what they cover, and the figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Networks {
    pub networks: Vec<NetworkRow>,
    /// `(territory, received, taken, accompanied)`.
    pub territories: Vec<(String, i64, i64, i64)>,
    pub admin: bool,
}

#[server(endpoint = "accompagnement/reseaux")]
pub async fn load_networks() -> Result<Networks, AppError> {
    let state = crate::state::app_state()?;
    Ok(Networks {
        networks: super::networks::networks(&state.db).await?,
        territories: super::networks::figures_by_territory(&state.db).await?,
        admin: crate::features::accounts::auth::current_user().is_some_and(|u| u.is_admin()),
    })
}

/// The form of `/accompagnement/reglages?structure=…`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkSettings {
    pub slug: String,
    pub name: String,
    pub network: bool,
    pub territories: Vec<String>,
    pub needs: Vec<String>,
    /// The départements and intercommunalities to choose from.
    pub choices: Vec<(String, String)>,
}

/// Who may set what `structure` covers: a site admin (which makes it a network), or a manager
/// of a structure that is one already. The structure's id and its current settings.
async fn require_network_steward(
    state: &crate::state::AppState,
    slug: &str,
) -> Result<(i64, (bool, Vec<String>, Vec<String>)), AppError> {
    let user = require_user()?;
    let id = crate::features::stewardship::db::structure_id(&state.db, slug.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = super::networks::network_settings(&state.db, id).await?;
    let steward = crate::features::accounts::db::manages(&state.db, user.id, id).await?;
    if !(user.is_admin() || (settings.0 && steward)) {
        return Err(AppError::Forbidden);
    }
    Ok((id, settings))
}

#[server(endpoint = "accompagnement/reglages")]
pub async fn load_network_settings(structure: String) -> Result<NetworkSettings, AppError> {
    let state = crate::state::app_state()?;
    let (id, (network, territories, needs)) = require_network_steward(&state, &structure).await?;
    let name: String = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(NetworkSettings {
        slug: structure.trim().to_owned(),
        name,
        network,
        territories,
        needs,
        choices: crate::features::reference::db::wide_territories(&state.db).await?,
    })
}

/// Sets the territories and needs a network covers (a site admin makes a structure a network
/// this way).
#[server(endpoint = "accompagnement/regler")]
pub async fn save_network_settings(#[server(flatten)] form: NetworkForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (id, _) = require_network_steward(&state, &form.structure).await?;
    let network = form.validated()?;
    super::networks::save_network(&state.db, id, &network, crate::timestamp::Timestamp::now())
        .await?
        .map_err(|_| AppError::validation("territories", "Cochez des territoires de la liste."))?;
    Ok(Done::notice(
        &crate::ui::href::with_query("/accompagnement/reglages", "structure", &network.structure),
        "reseau-enregistre",
        SUPPORT_NOTICES,
    ))
}

crate::form_path!(SaveNetworkSettings => "/accompagnement/reglages");

/// « Mon compte »: the member's requests, and whether they advise for a network.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MySupport {
    /// `(id, title, status)`.
    pub requests: Vec<(i64, String, String)>,
    pub advisor: bool,
}

#[server(endpoint = "accompagnement/mes-demandes")]
pub async fn load_my_support() -> Result<MySupport, AppError> {
    let user = require_user()?;
    let state = crate::state::app_state()?;
    Ok(MySupport {
        requests: super::db::holder_requests(&state.db, user.id).await?,
        advisor: !super::networks::managed_networks(&state.db, user.id)
            .await?
            .is_empty(),
    })
}
