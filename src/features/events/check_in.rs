//! Welcoming people at the door: marking each one present or not.

use super::db;
use crate::error::AppError;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::Presence;
use crate::features::events::rights::organiser_of;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// Marks a person present (or not) at the door (organisers, site admins).
#[server(endpoint = "evenements/accueil")]
pub async fn check_in(
    slug: String,
    registration: i64,
    presence: Presence,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
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

crate::form_path!(CheckIn => "/evenements/{slug}/accueil/{registration}");
