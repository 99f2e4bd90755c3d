//! A structure's managers apply for the label and follow their journey; the label's page lists
//! the labelled structures.

use super::rights::now;
use crate::error::AppError;
use crate::features::label::JourneyDetail;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::LabelBox;
use crate::features::label::Overview;
use crate::features::label::rights::require_referent;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// `/label`: the scheme and the structures whose label is valid today.
#[server(endpoint = "label/apercu")]
pub async fn load_label_overview() -> Result<Overview, AppError> {
    // Public data.
    let state = crate::state::app_state()?;
    Ok(Overview {
        scheme: super::db::scheme(&state.db).await?,
        labelled: super::db::labelled(&state.db, now()).await?,
    })
}

/// The label box of `/annuaire/{slug}`: the journey for the entry's
/// managers, the referents and the site admins; whether the managers may apply.
#[server(endpoint = "label/fiche")]
pub async fn load_label_box(slug: String) -> Result<LabelBox, AppError> {
    let state = crate::state::app_state()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut label_box = LabelBox {
        journey: None,
        may_apply: false,
        referent: false,
    };
    // Who looks decides what more they see.
    if crate::features::accounts::auth::current_user().is_none() {
        return Ok(label_box);
    }
    let steward = crate::features::stewardship::api::require_steward(&state, structure_id)
        .await
        .is_ok();
    label_box.referent = require_referent(&state).await.is_ok();
    if !steward && !label_box.referent {
        return Ok(label_box);
    }
    match super::db::journey_of(&state.db, structure_id).await? {
        Some(journey) => {
            let scheme = super::db::scheme(&state.db).await?;
            label_box.journey = super::db::journey_detail(&state.db, &scheme, journey).await?;
        }
        None => label_box.may_apply = steward,
    }
    Ok(label_box)
}

/// The journeys of the structures the member manages (« Mon compte »).
#[server(endpoint = "label/mes-parcours")]
pub async fn load_my_journeys() -> Result<Vec<JourneyDetail>, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let scheme = super::db::scheme(&state.db).await?;
    let mut details = Vec::new();
    for journey in super::db::journeys_managed_by(&state.db, user.id).await? {
        if let Some(detail) = super::db::journey_detail(&state.db, &scheme, journey.id).await? {
            details.push(detail);
        }
    }
    Ok(details)
}

/// A structure's manager applies for the label from its entry's page.
#[server(endpoint = "label/candidater")]
pub async fn apply_for_label(slug: String) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    let scheme = super::db::scheme(&state.db).await?;
    super::db::apply(&state.db, &scheme, structure_id, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/annuaire/{slug}"),
        "candidature",
        LABEL_NOTICES,
    ))
}

crate::form_path!(ApplyForLabel => "/annuaire/{slug}/label");
