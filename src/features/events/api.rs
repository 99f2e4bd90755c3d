//! Server functions of events. Each starts by asking who is asking: nobody for public reads,
//! [`require_organiser`] for an event's organisers and the site admins, the registration's owner
//! for a cancellation, a mailed token for guests.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::*;
use crate::error::AppError;
use crate::ui::notice::Done;

/// What the event form page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFormData {
    /// "" for a new event.
    pub slug: String,
    pub edit: EventEdit,
    /// `(slug, name)` of every commune.
    pub communes: Vec<(String, String)>,
    /// `(id, name)` of the structures the person may name as organiser.
    pub organisers: Vec<(i64, String)>,
    pub sessions: Vec<SessionInfo>,
    pub questions: Vec<QuestionInfo>,
    /// `(slug, name)` of the clubs whose meetings the person may organise.
    pub clubs: Vec<(String, String)>,
}

/// What a mailed link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkTarget {
    pub title: String,
    pub slug: String,
    pub name: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::features::accounts::CurrentUser;
    use crate::state::AppState;

    /// The event by slug, as the viewer may see it: `NotFound` when it does not exist or is a
    /// club's meeting and the member is not in the club, `Unauthorized` for a visitor when it
    /// is for members only.
    pub async fn visible_event(
        state: &AppState,
        slug: &str,
        user: Option<&CurrentUser>,
    ) -> Result<EventDetail, AppError> {
        let event = db::find(&state.db, slug).await?.ok_or(AppError::NotFound)?;
        if event.visibility == Visibility::Members {
            if user.is_none() {
                return Err(AppError::Unauthorized);
            }
            if !db::may_see(&state.db, event.id, db::Audience::of(user)).await? {
                return Err(AppError::NotFound);
            }
        }
        Ok(event)
    }

    /// The logged-in member when they run the event (named organiser, manager of the organiser
    /// structure) or administer the site.
    pub async fn require_organiser(
        state: &AppState,
        event_id: i64,
    ) -> Result<CurrentUser, AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        if user.is_admin() || db::is_organiser(&state.db, user.id, event_id).await? {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn event_id(state: &AppState, slug: &str) -> Result<i64, AppError> {
        db::event_id(&state.db, slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The structures a member may name as organiser: theirs; every one for a site admin.
    pub async fn organiser_choices(
        state: &AppState,
        user: &CurrentUser,
    ) -> Result<Vec<(i64, String)>, AppError> {
        let rows: Vec<(i64, String)> = if user.is_admin() {
            sqlx::query_as(
                "SELECT id, name FROM structures WHERE status = 'published' ORDER BY sort_key LIMIT 500",
            )
            .fetch_all(&state.db.pool)
            .await?
        } else {
            sqlx::query_as(
                "SELECT s.id, s.name FROM structures s JOIN structure_managers m ON m.structure_id = s.id \
                 WHERE m.user_id = $1 ORDER BY s.sort_key",
            )
            .bind(user.id)
            .fetch_all(&state.db.pool)
            .await?
        };
        Ok(rows)
    }

    /// Site admins and members who manage a structure may create events.
    pub async fn require_event_creator(state: &AppState) -> Result<CurrentUser, AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        if user.is_admin() || !organiser_choices(state, &user).await?.is_empty() {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The organiser named in a form must be one the person may choose.
    pub async fn check_organiser(
        state: &AppState,
        user: &CurrentUser,
        event: &ValidEvent,
    ) -> Result<(), AppError> {
        let Some(id) = event.organiser else {
            return Ok(());
        };
        // A site admin may name any structure; a member, one they manage.
        let allowed = if user.is_admin() {
            sqlx::query_scalar::<_, i64>("SELECT id FROM structures WHERE id = $1")
                .bind(id)
                .fetch_optional(&state.db.pool)
                .await?
                .is_some()
        } else {
            crate::features::accounts::db::manages(&state.db, user.id, id).await?
        };
        if !allowed {
            return Err(AppError::validation(
                "organiser",
                "Choisissez une structure organisatrice parmi celles que vous gérez.",
            ));
        }
        Ok(())
    }

    /// A club meeting may be set up by the club's admins and the site admins.
    pub async fn check_club(
        state: &AppState,
        user: &CurrentUser,
        event: &ValidEvent,
    ) -> Result<(), AppError> {
        let Some(slug) = &event.club else {
            return Ok(());
        };
        if !club_choices(state, user)
            .await?
            .iter()
            .any(|(s, _)| s == slug)
        {
            return Err(AppError::validation(
                "visibility",
                "Choisissez un club que vous administrez.",
            ));
        }
        Ok(())
    }

    pub async fn club_choices(
        state: &AppState,
        user: &CurrentUser,
    ) -> Result<Vec<(String, String)>, AppError> {
        Ok(crate::features::clubs::db::administered(&state.db, user.id, user.is_admin()).await?)
    }

    pub fn unknown_commune() -> AppError {
        AppError::validation("commune", "Choisissez la commune dans la liste.")
    }

    /// Mails each promoted person: a seat (with the calendar file and a cancel link), or a
    /// workshop seat.
    pub async fn announce(
        state: &AppState,
        slug: &str,
        promotions: Vec<db::Promotion>,
    ) -> Result<(), AppError> {
        if promotions.is_empty() {
            return Ok(());
        }
        let Some(event) = db::find(&state.db, slug).await? else {
            return Ok(());
        };
        let event = &event;
        let base = state.config.base_url.clone();
        for promotion in promotions {
            let Some((_, _, name, email, _)) =
                db::registration(&state.db, promotion.registration_id).await?
            else {
                continue;
            };
            let mail = if promotion.to_event {
                let (token, hash) = crate::features::accounts::tokens::new_token();
                db::add_cancel_token(&state.db, promotion.registration_id, &hash).await?;
                let sessions = db::confirmed_sessions(&state.db, promotion.registration_id).await?;
                super::super::mails::confirmed(&base, event, &email, &name, &sessions, &token, true)
            } else {
                super::super::mails::workshop_seat(&base, event, &email, &name, &promotion.sessions)
            };
            state.send_mail(mail).await;
        }
        Ok(())
    }

    /// The answer to a registration that got a seat or a waitlist place: the mail, then back to
    /// the event's page with the matching notice.
    pub async fn answer_seat(
        state: &AppState,
        event: &EventDetail,
        registration_id: i64,
        seat: db::Seat,
        name: &str,
        email: &str,
    ) -> Result<Done, AppError> {
        let base = state.config.base_url.clone();
        let (token, hash) = crate::features::accounts::tokens::new_token();
        db::add_cancel_token(&state.db, registration_id, &hash).await?;
        let page = format!("/evenements/{}", event.slug);
        let (mail, code) = match seat {
            db::Seat::Confirmed => {
                let sessions = db::confirmed_sessions(&state.db, registration_id).await?;
                (
                    super::super::mails::confirmed(
                        &base, event, email, name, &sessions, &token, false,
                    ),
                    "inscrit",
                )
            }
            db::Seat::Waitlisted(position) => (
                super::super::mails::waitlisted(&base, event, email, name, position, &token),
                "liste-attente",
            ),
        };
        state.send_mail(mail).await;
        let mut done = Done::notice(&page, code, EVENT_NOTICES);
        if let db::Seat::Waitlisted(position) = seat {
            done.message = format!(
                "L'événement est complet : vous êtes sur la liste d'attente, en position {position}. Vous recevrez un e-mail si une place se libère."
            );
        }
        Ok(done)
    }

    pub fn register_error(error: db::RegisterError) -> AppError {
        match error {
            db::RegisterError::Duplicate => AppError::Conflict(
                "Vous êtes déjà inscrit·e à cet événement (ou sur sa liste d'attente).".to_owned(),
            ),
            db::RegisterError::StructureLimit(limit) => AppError::validation(
                "structure",
                format!(
                    "Cette structure a déjà inscrit {limit} personne{} : c'est le maximum pour cet événement.",
                    if limit > 1 { "s" } else { "" }
                ),
            ),
            db::RegisterError::Gone => AppError::InvalidLink,
            db::RegisterError::Db(error) => error.into(),
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{require_organiser, visible_event};

/// One page of events (upcoming or past) with the filters; members-only events for members.
#[server(endpoint = "evenements/liste")]
pub async fn list_events(params: ListParams) -> Result<EventList, AppError> {
    // Public list; members also see the members-only events.
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let now = crate::timestamp::Timestamp::now();
    let mut list = db::list(&state.db, &params, db::Audience::of(user.as_ref()), now).await?;
    if let Some(user) = &user {
        list.may_create =
            user.is_admin() || !server::organiser_choices(&state, user).await?.is_empty();
    }
    Ok(list)
}

/// The event's page: details, seats, and what the viewer may do.
#[server(endpoint = "evenements/fiche")]
pub async fn load_event(slug: String) -> Result<EventPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event = server::visible_event(&state, &slug, user.as_ref()).await?;
    let openness = event.openness(crate::timestamp::Timestamp::now());
    let (own, structures, may_manage) = match &user {
        Some(user) => (
            db::own_registration(&state.db, event.id, user.id).await?,
            crate::features::accounts::db::managed_structures(&state.db, user.id)
                .await?
                .into_iter()
                .map(|(id, _, name)| (id, name))
                .collect(),
            user.is_admin() || db::is_organiser(&state.db, user.id, event.id).await?,
        ),
        None => (None, Vec::new(), false),
    };
    Ok(EventPage {
        event,
        openness,
        member: user.map(|u| u.name),
        structures,
        own,
        may_manage,
    })
}

/// Registers for an event: a member (optionally for one of their structures) gets a seat or a
/// waitlist place at once; a guest gets a mail whose link confirms the address first.
#[server(endpoint = "evenements/inscription")]
pub async fn register_for_event(
    slug: String,
    #[server(flatten)] form: RegistrationForm,
) -> Result<Done, AppError> {
    use crate::error::FieldErrors;
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event = server::visible_event(&state, &slug, user.as_ref()).await?;
    match event.openness(crate::timestamp::Timestamp::now()) {
        Openness::Open => {}
        Openness::NotYet(at) => {
            return Err(AppError::Conflict(format!(
                "Les inscriptions ouvrent le {}.",
                at.french_date_time()
            )));
        }
        Openness::Closed | Openness::Over => {
            return Err(AppError::Conflict(
                "Les inscriptions à cet événement sont fermées.".to_owned(),
            ));
        }
    }
    let mut errors = FieldErrors::default();
    let mut sessions: Vec<i64> = Vec::new();
    for id in &form.sessions.0 {
        if !event.sessions.iter().any(|s| s.id == *id) {
            errors.add(
                "sessions",
                "Un des ateliers choisis n'existe plus : rechargez la page.",
            );
        } else if !sessions.contains(id) {
            sessions.push(*id);
        }
    }
    let answers = checked_answers(&event.questions, &form, &mut errors);
    if let Some(user) = &user {
        let structure = match form.structure.trim() {
            "" => None,
            id => {
                let id = id.parse::<i64>().ok();
                let managed =
                    crate::features::accounts::db::managed_structures(&state.db, user.id).await?;
                match id.filter(|id| managed.iter().any(|(m, _, _)| m == id)) {
                    Some(id) => Some(id),
                    None => {
                        errors.add("structure", "Choisissez une des structures que vous gérez.");
                        None
                    }
                }
            }
        };
        errors.finish(())?;
        let who = db::Registrant {
            user_id: Some(user.id),
            structure_id: structure,
            name: user.name.clone(),
            email: user.email.clone(),
        };
        let (id, seat) = db::register(&state.db, event.id, &who, &sessions, &answers)
            .await
            .map_err(server::register_error)?;
        return server::answer_seat(&state, &event, id, seat, &who.name, &who.email).await;
    }
    // A guest.
    if event.visibility == Visibility::Members {
        return Err(AppError::Unauthorized);
    }
    let name = errors.check(
        "name",
        crate::features::accounts::normalise_name(&form.name),
    );
    let email = errors.check(
        "email",
        crate::features::accounts::normalise_email(&form.email),
    );
    errors.finish(())?;
    let (Some(name), Some(email)) = (name, email) else {
        return Err(AppError::form("Le formulaire est incomplet."));
    };
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(crate::rate_limit::GUEST_REGISTRATION, &ip, &email)?;
    let base = state.config.base_url.clone();
    if db::is_registered(&state.db, event.id, &email).await? {
        // Same answer as a new registration: the page does not tell who is registered.
        state
            .send_mail(super::mails::already_registered(
                &base, &event, &email, &name,
            ))
            .await;
    } else {
        let (token, hash) = crate::features::accounts::tokens::new_token();
        let who = db::Registrant {
            user_id: None,
            structure_id: None,
            name: name.clone(),
            email: email.clone(),
        };
        db::register_pending(&state.db, event.id, &who, &sessions, &answers, &hash).await?;
        state
            .send_mail(super::mails::confirm_guest(
                &base, &event, &email, &name, &token,
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "verifiez-mail",
        EVENT_NOTICES,
    ))
}

/// What a guest's confirmation link is about (before they press the button).
#[server(endpoint = "evenements/confirmer/charger")]
pub async fn load_confirmation(token: String) -> Result<LinkTarget, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let hash = crate::features::accounts::tokens::hash_token(token.trim());
    let (title, slug, name) = db::by_confirm_token(&state.db, &hash)
        .await?
        .ok_or(AppError::InvalidLink)?;
    Ok(LinkTarget { title, slug, name })
}

/// A guest confirms their address: the registration takes its seat (or a waitlist place).
#[server(endpoint = "evenements/confirmer")]
pub async fn confirm_guest(token: String) -> Result<Done, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let hash = crate::features::accounts::tokens::hash_token(token.trim());
    let (id, seat) = db::confirm_pending(&state.db, &hash)
        .await
        .map_err(server::register_error)?;
    let (event_id, _, name, email, _) = db::registration(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = db::event_slug(&state.db, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let event = db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    server::answer_seat(&state, &event, id, seat, &name, &email).await
}

/// What a cancel link is about (before they press the button).
#[server(endpoint = "evenements/annuler/charger")]
pub async fn load_cancel_link(token: String) -> Result<LinkTarget, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let hash = crate::features::accounts::tokens::hash_token(token.trim());
    match db::by_cancel_token(&state.db, &hash).await? {
        Some((_, RegistrationStatus::Cancelled, ..)) => Err(already_cancelled()),
        Some((_, _, title, slug, name)) => Ok(LinkTarget { title, slug, name }),
        None => Err(AppError::InvalidLink),
    }
}

#[cfg(feature = "ssr")]
fn already_cancelled() -> AppError {
    AppError::Conflict("Cette inscription est déjà annulée.".to_owned())
}

/// Cancels a registration from the link of its mail; the first person waiting gets the seat.
#[server(endpoint = "evenements/annuler")]
pub async fn cancel_by_link(token: String) -> Result<Done, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let hash = crate::features::accounts::tokens::hash_token(token.trim());
    let (id, _, _, slug, _) = db::by_cancel_token(&state.db, &hash)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let promotions = db::cancel(&state.db, id)
        .await?
        .ok_or_else(already_cancelled)?;
    server::announce(&state, &slug, promotions).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "annulee",
        EVENT_NOTICES,
    ))
}

/// Cancels a registration: its owner (from « Mes inscriptions » or the event's page), the
/// event's organisers or a site admin. Then back to `retour`.
#[server(endpoint = "inscriptions/annuler")]
pub async fn cancel_registration(
    registration: i64,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let (event_id, owner, ..) = db::registration(&state.db, registration)
        .await?
        .ok_or(AppError::NotFound)?;
    if owner != Some(user.id) {
        server::require_organiser(&state, event_id).await?;
    }
    let promotions = db::cancel(&state.db, registration)
        .await?
        .ok_or_else(already_cancelled)?;
    let slug = db::event_slug(&state.db, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    server::announce(&state, &slug, promotions).await?;
    let back = crate::ui::href::local_path(&retour).unwrap_or_else(|| "/compte".to_owned());
    Ok(Done::notice(&back, "annulee", EVENT_NOTICES))
}

/// The organisers' page: the event and every registration.
#[server(endpoint = "evenements/gestion")]
pub async fn load_management(slug: String) -> Result<Management, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    let event = db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let attendees = db::attendees(&state.db, id).await?;
    Ok(Management { event, attendees })
}

/// Closes or reopens registration (organisers, site admins).
#[server(endpoint = "evenements/ouverture")]
pub async fn set_opening(slug: String, opening: Opening) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    db::set_closed(&state.db, id, opening == Opening::Close).await?;
    let code = match opening {
        Opening::Close => "fermees",
        Opening::Open => "ouvertes",
    };
    Ok(Done::notice(
        &format!("/evenements/{slug}/gestion"),
        code,
        EVENT_NOTICES,
    ))
}

/// Marks a person present (or not) at the door (organisers, site admins).
#[server(endpoint = "evenements/accueil")]
pub async fn check_in(
    slug: String,
    registration: i64,
    presence: Presence,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    if !db::check_in(&state.db, id, registration, presence == Presence::Present).await? {
        return Err(AppError::NotFound);
    }
    let code = match presence {
        Presence::Present => "present",
        Presence::Absent => "absent",
    };
    Ok(Done::notice(
        &format!("/evenements/{slug}/accueil#inscription-{registration}"),
        code,
        EVENT_NOTICES,
    ))
}

/// The event form: an existing event's values (its organisers) or an empty one (`slug` "",
/// members who manage a structure and site admins).
#[server(endpoint = "evenements/modifier/charger")]
pub async fn load_event_form(slug: String) -> Result<EventFormData, AppError> {
    let state = crate::state::app_state()?;
    let (user, edit, sessions, questions) = if slug.is_empty() {
        let user = server::require_event_creator(&state).await?;
        let edit = EventEdit {
            kind: "autre".to_owned(),
            visibility: "public".to_owned(),
            ..Default::default()
        };
        (user, edit, Vec::new(), Vec::new())
    } else {
        let id = server::event_id(&state, &slug).await?;
        let user = server::require_organiser(&state, id).await?;
        let edit = db::event_for_edit(&state.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = db::find(&state.db, &slug)
            .await?
            .ok_or(AppError::NotFound)?;
        (user, edit, event.sessions, event.questions)
    };
    let mut organisers = server::organiser_choices(&state, &user).await?;
    // The current organiser stays choosable, whoever edits.
    if let Ok(current) = edit.organiser.parse::<i64>()
        && !organisers.iter().any(|(id, _)| *id == current)
        && let Some(name) =
            sqlx::query_scalar::<_, String>("SELECT name FROM structures WHERE id = $1")
                .bind(current)
                .fetch_optional(&state.db.pool)
                .await?
    {
        organisers.insert(0, (current, name));
    }
    Ok(EventFormData {
        clubs: server::club_choices(&state, &user).await?,
        slug,
        edit,
        communes: db::communes(&state.db).await?,
        organisers,
        sessions,
        questions,
    })
}

/// Creates an event (members who manage a structure, site admins); its creator organises it.
#[server(endpoint = "evenements/nouveau")]
pub async fn create_event(#[server(flatten)] edit: EventEdit) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = server::require_event_creator(&state).await?;
    let event = edit.validated()?;
    server::check_organiser(&state, &user, &event).await?;
    server::check_club(&state, &user, &event).await?;
    let slug = db::create_event(&state.db, &event, user.id)
        .await?
        .ok_or_else(server::unknown_commune)?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "enregistre",
        EVENT_NOTICES,
    ))
}

/// Saves an event's fields (organisers, site admins). A larger capacity gives seats to the
/// people waiting, who are told by mail.
#[server(endpoint = "evenements/modifier")]
pub async fn save_event(
    slug: String,
    #[server(flatten)] edit: EventEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    let user = server::require_organiser(&state, id).await?;
    let event = edit.validated()?;
    let current = db::event_for_edit(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if event.organiser.map(|o| o.to_string()).unwrap_or_default() != current.organiser {
        server::check_organiser(&state, &user, &event).await?;
    }
    // An organiser who does not run the club keeps the club the event already had.
    if event.club.as_ref().map(|c| format!("club:{c}")) != Some(current.visibility.clone()) {
        server::check_club(&state, &user, &event).await?;
    }
    let promotions = db::update_event(&state.db, id, &event)
        .await?
        .ok_or_else(server::unknown_commune)?;
    server::announce(&state, &slug, promotions).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "enregistre",
        EVENT_NOTICES,
    ))
}

/// Adds a workshop to an event (organisers, site admins).
#[server(endpoint = "evenements/ateliers")]
pub async fn add_session(
    slug: String,
    #[server(flatten)] session: SessionEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    let session = session.validated()?;
    db::add_session(&state.db, id, &session).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "atelier-ajoute",
        EVENT_NOTICES,
    ))
}

/// Removes a workshop (organisers, site admins); its registrations keep their event seat.
#[server(endpoint = "evenements/ateliers/retirer")]
pub async fn remove_session(slug: String, session: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    if !db::remove_session(&state.db, id, session).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "atelier-retire",
        EVENT_NOTICES,
    ))
}

/// Adds a question asked at registration (organisers, site admins).
#[server(endpoint = "evenements/questions")]
pub async fn add_question(
    slug: String,
    #[server(flatten)] question: QuestionEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    let question = question.validated()?;
    db::add_question(&state.db, id, &question).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "question-ajoutee",
        EVENT_NOTICES,
    ))
}

/// Removes a question and its answers (organisers, site admins).
#[server(endpoint = "evenements/questions/retirer")]
pub async fn remove_question(slug: String, question: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let id = server::event_id(&state, &slug).await?;
    server::require_organiser(&state, id).await?;
    if !db::remove_question(&state.db, id, question).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "question-retiree",
        EVENT_NOTICES,
    ))
}

/// « Mes inscriptions »: the member's registrations.
#[server(endpoint = "evenements/mes-inscriptions")]
pub async fn load_my_registrations() -> Result<Vec<MyRegistration>, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    Ok(db::my_registrations(&state.db, user.id, crate::timestamp::Timestamp::now()).await?)
}
