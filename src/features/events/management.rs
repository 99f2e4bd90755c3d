//! The organisers' page: every registration, opening and closing registration, the export.

use super::db;
use crate::error::AppError;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::Management;
use crate::features::events::Opening;
use crate::features::events::rights::organiser_of;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// The organisers' page: the event and every registration.
#[server(endpoint = "evenements/gestion")]
pub async fn load_management(slug: String) -> Result<Management, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
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
    let (_, id) = organiser_of(&state, &slug).await?;
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

crate::form_path!(SetOpening => "/evenements/{slug}/ouverture");
