//! Guests without an account: the mailed link that confirms a registration.

use super::db;
use crate::error::AppError;
use crate::features::events::registration::answer_seat;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An unconfirmed registration is deleted (with its link) this long after it was made.
pub const UNCONFIRMED_FOR: time::Duration = time::Duration::hours(48);

/// The hourly purge of unconfirmed registrations (and their links), run by one server per hour
/// ([`crate::jobs`]).
pub const PURGE_UNCONFIRMED: crate::jobs::Job = crate::jobs::Job {
    name: "unconfirmed-registrations",
    every: 3600,
    run: |state, now| {
        Box::pin(
            async move { Ok(db::purge_unconfirmed(&state.db, now.plus(-UNCONFIRMED_FOR)).await?) },
        )
    },
};

/// Registrations are anonymised this long after their event ends.
pub const KEPT_AFTER_EVENT: time::Duration = time::Duration::days(365);

/// The daily anonymisation of the registrations of events over for [`KEPT_AFTER_EVENT`]: name
/// and address replaced, account link and answers removed; seats, presence and the structure
/// stay, so the organisers' figures do.
pub const ANONYMISE_PAST_REGISTRATIONS: crate::jobs::Job = crate::jobs::Job {
    name: "past-registrations",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(
            async move { Ok(db::anonymise_past(&state.db, now.plus(-KEPT_AFTER_EVENT)).await?) },
        )
    },
};

/// What a mailed link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkTarget {
    pub title: String,
    pub slug: String,
    pub name: String,
}

/// What a guest's confirmation link is about (before they press the button).
#[server(endpoint = "evenements/confirmer/charger")]
pub async fn load_confirmation(token: String) -> Result<LinkTarget, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let (title, slug, name) = db::by_confirm_token(&state.db, &token)
        .await?
        .ok_or(AppError::InvalidLink)?;
    Ok(LinkTarget { title, slug, name })
}

/// A guest confirms their address: the registration takes its seat (or a waitlist place).
#[server(endpoint = "evenements/confirmer")]
pub async fn confirm_guest(token: String) -> Result<Done, AppError> {
    // Public: the token is the right.
    let state = crate::state::app_state()?;
    let (id, seat) = db::confirm_pending(&state.db, &token).await?;
    let (event_id, _, name, email, _) = db::registration(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = db::event_slug(&state.db, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let event = db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    answer_seat(&state, &event, id, seat, &name, &email).await
}

crate::form_path!(ConfirmGuest => "/evenements/confirmer");
