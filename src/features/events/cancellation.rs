//! Cancelling a registration, from the mailed link or from the page (its owner, the organisers);
//! the people waiting are promoted and told by mail.

use super::db;
use crate::error::AppError;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::RegistrationStatus;
use crate::features::events::guests::LinkTarget;
use crate::features::events::rights::require_organiser;
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;

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
            let token = db::add_cancel_token(&state.db, promotion.registration_id).await?;
            let sessions = db::confirmed_sessions(&state.db, promotion.registration_id).await?;
            super::mails::confirmed(&base, event, &email, &name, &sessions, &token, true)
        } else {
            super::mails::workshop_seat(&base, event, &email, &name, &promotion.sessions)
        };
        state.send_mail(mail).await;
    }
    Ok(())
}

/// What a cancel link is about (before they press the button).
#[server(endpoint = "evenements/annuler/charger")]
pub async fn load_cancel_link(token: String) -> Result<LinkTarget, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    match db::by_cancel_token(&state.db, &token).await? {
        Some((_, RegistrationStatus::Cancelled, ..)) => Err(already_cancelled()),
        Some((_, _, title, slug, name)) => Ok(LinkTarget { title, slug, name }),
        None => Err(AppError::InvalidLink),
    }
}

fn already_cancelled() -> AppError {
    AppError::Conflict("Cette inscription est déjà annulée.".to_owned())
}

/// Cancels a registration from the link of its mail; the first person waiting gets the seat.
#[server(endpoint = "evenements/annuler")]
pub async fn cancel_by_link(token: String) -> Result<Done, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let (id, _, _, slug, _) = db::by_cancel_token(&state.db, &token)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let promotions = db::cancel(&state.db, id)
        .await?
        .ok_or_else(already_cancelled)?;
    announce(&state, &slug, promotions).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "annulee",
        EVENT_NOTICES,
    ))
}

crate::form_path!(CancelByLink => "/evenements/annuler");

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
        require_organiser(&state, event_id).await?;
    }
    let promotions = db::cancel(&state.db, registration)
        .await?
        .ok_or_else(already_cancelled)?;
    let slug = db::event_slug(&state.db, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    announce(&state, &slug, promotions).await?;
    let back = crate::ui::href::local_path(&retour).unwrap_or_else(|| "/compte".to_owned());
    Ok(Done::notice(&back, "annulee", EVENT_NOTICES))
}

crate::form_path!(CancelRegistration => "/inscriptions/{registration}/annuler");
