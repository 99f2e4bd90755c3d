//! The referent marks who attended each training day of a cohort.

use super::rights::now;
use crate::error::AppError;
use crate::features::label::AttendanceSheet;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::rights::require_referent;
use crate::ui::form::Many;
use crate::ui::notice::Done;
use leptos::prelude::*;

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

crate::form_path!(SaveAttendance => "/label/cohortes/{cohort}/journees/{day}");
