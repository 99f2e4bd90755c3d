//! Server functions of the label. Each starts by asking who is asking: nobody for the public
//! pages, [`require_referent`] for the referents' desk, the entry's stewardship for applying.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::LABEL_NOTICES;
use super::{
    AttendanceSheet, CohortForm, Desk, JourneyAction, JourneyDetail, LabelBox, Overview,
    Verification,
};
use crate::error::AppError;
use crate::ui::form::Many;
use crate::ui::notice::Done;

/// The logged-in member when they are a label referent or a site admin: `Unauthorized` for a
/// visitor, `Forbidden` for anyone else.
#[cfg(feature = "ssr")]
pub async fn require_referent(
    state: &crate::state::AppState,
) -> Result<crate::features::accounts::CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin() || super::db::is_referent(&state.db, user.id).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
fn now() -> crate::timestamp::Timestamp {
    crate::timestamp::Timestamp::now()
}

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

/// `/label/verifier`: what an identifier is worth today. Says nothing about the structure but
/// its public entry.
#[server(endpoint = "label/verifier")]
pub async fn verify_label(identifiant: String) -> Result<Verification, AppError> {
    // Public, and limited per address so that identifiers cannot be found by trying.
    let state = crate::state::app_state()?;
    let typed: String = identifiant.trim().chars().take(40).collect();
    if typed.is_empty() {
        return Ok(Verification::Nothing);
    }
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(crate::rate_limit::LABEL_VERIFICATION, &ip, &ip)?;
    match super::normalise_identifier(&typed) {
        Some(identifier) => Ok(super::db::verify(&state.db, &identifier, now()).await?),
        None => Ok(Verification::Unknown { typed }),
    }
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

/// The referents' desk: cohorts, applications, every journey.
#[server(endpoint = "label/gestion")]
pub async fn load_label_desk() -> Result<Desk, AppError> {
    let state = crate::state::app_state()?;
    require_referent(&state).await?;
    Ok(Desk {
        scheme: super::db::scheme(&state.db).await?,
        cohorts: super::db::cohorts(&state.db).await?,
        journeys: super::db::journeys(&state.db).await?,
        referents: super::db::referents(&state.db).await?,
        territories: super::db::territories(&state.db).await?,
        communes: crate::features::reference::db::communes(&state.db).await?,
    })
}

/// Creates a cohort and its training days (events organised by its referent).
#[server(endpoint = "label/cohortes")]
pub async fn create_cohort(#[server(flatten)] form: CohortForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    let scheme = super::db::scheme(&state.db).await?;
    let cohort = form.validated(scheme.training_days)?;
    let referent = match cohort.referent {
        None => user.id,
        Some(id) if super::db::is_referent(&state.db, id).await? => id,
        Some(_) => {
            return Err(AppError::validation(
                "referent",
                "Choisissez un référent du label dans la liste.",
            ));
        }
    };
    super::db::create_cohort(&state.db, &scheme, &cohort, referent).await?;
    Ok(Done::notice(
        "/label/gestion",
        "cohorte-creee",
        LABEL_NOTICES,
    ))
}

/// Admits an application into a cohort.
#[server(endpoint = "label/admission")]
pub async fn admit_to_cohort(
    journey: i64,
    cohort: i64,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    if super::db::cohort(&state.db, cohort).await?.is_none() {
        return Err(AppError::validation(
            "cohort",
            "Choisissez une cohorte dans la liste.",
        ));
    }
    let scheme = super::db::scheme(&state.db).await?;
    let step = super::Step {
        cohort_id: Some(cohort),
        ..super::Step::new(super::StepKind::Admitted, now())
    };
    super::db::append(&state.db, &scheme, journey, step, Some(user.id)).await?;
    Ok(Done::notice(&back(&retour), "admise", LABEL_NOTICES))
}

#[cfg(feature = "ssr")]
fn back(retour: &str) -> String {
    crate::ui::href::local_path(retour).unwrap_or_else(|| "/label/gestion".to_owned())
}

/// One training day's attendance screen.
#[server(endpoint = "label/presences/charger")]
pub async fn load_attendance(cohort: i64, day: u32) -> Result<AttendanceSheet, AppError> {
    let state = crate::state::app_state()?;
    require_referent(&state).await?;
    let scheme = super::db::scheme(&state.db).await?;
    let found = super::db::cohort(&state.db, cohort)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(1..=scheme.training_days).contains(&day) {
        return Err(AppError::NotFound);
    }
    Ok(AttendanceSheet {
        rows: super::db::attendance(&state.db, &scheme, cohort, day).await?,
        cohort: found,
        day,
    })
}

/// Saves a training day's attendance: `present` are the ticked journeys among `listed` (the
/// rows of the screen the referent saw). Each change is a new step; a row that did not change
/// writes nothing, so that saving twice, or from two screens, records each tick once.
#[server(endpoint = "label/presences")]
pub async fn save_attendance(
    cohort: i64,
    day: u32,
    #[server(default)] listed: Many<i64>,
    #[server(default)] present: Many<i64>,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    let scheme = super::db::scheme(&state.db).await?;
    if !(1..=scheme.training_days).contains(&day) {
        return Err(AppError::NotFound);
    }
    let sheet = super::db::attendance(&state.db, &scheme, cohort, day).await?;
    let at = now();
    for (journey, _, was_present) in sheet {
        if !listed.0.contains(&journey) {
            continue;
        }
        let now_present = present.0.contains(&journey);
        if now_present == was_present {
            continue;
        }
        let kind = if now_present {
            super::StepKind::Attended
        } else {
            super::StepKind::AttendanceRemoved
        };
        let step = super::Step {
            day: Some(day),
            ..super::Step::new(kind, at)
        };
        match super::db::append(&state.db, &scheme, journey, step, Some(user.id)).await {
            // Someone else saved the same tick meanwhile: what they saved is what we want.
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(Done::notice(
        &format!("/label/cohortes/{cohort}/journees/{day}"),
        "presences",
        LABEL_NOTICES,
    ))
}

/// Records a referent's step on a journey: issue the identifier, a follow-up, a review
/// interview, a renewal, a suspension and its end, a withdrawal. `note` is kept with the step.
#[server(endpoint = "label/parcours")]
pub async fn record_step(
    journey: i64,
    action: JourneyAction,
    #[server(default)] note: String,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    let note = note.trim().to_owned();
    if note.chars().count() > 1000 {
        return Err(AppError::validation(
            "note",
            "La note ne doit pas dépasser 1 000 caractères.",
        ));
    }
    let scheme = super::db::scheme(&state.db).await?;
    let step = super::Step {
        note,
        ..super::Step::new(action.kind(), now())
    };
    super::db::append(&state.db, &scheme, journey, step, Some(user.id)).await?;
    // The badge and the directory's label facet show the change on the next page.
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(&back(&retour), "etape", LABEL_NOTICES))
}
