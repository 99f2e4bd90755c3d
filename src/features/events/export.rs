//! The organisers' spreadsheet of registrations (CSV).

use super::db;
use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::features::events::RegistrationStatus;
use crate::spreadsheet::formula_safe;
use crate::state::AppState;
const COLUMNS: &[&str] = &[
    "numero",
    "nom",
    "courriel",
    "structure",
    "statut",
    "position_attente",
    "present",
    "ateliers",
    "reponses",
    "inscrit_le",
];

/// The event's registrations as CSV for its organisers: one row per registration, workshops and
/// answers in their cells, every cell safe from spreadsheet formulas, UTF-8 with a byte-order
/// mark for Excel.
pub async fn attendees_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let (parts, _) = request.into_parts();
    let id = db::event_id(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = crate::web::forms::in_request_context(
        &state,
        &parts,
        super::rights::require_organiser(&state, id),
    )
    .await;
    match allowed {
        Ok(_) => {}
        Err(AppError::Unauthorized) => {
            return Ok(crate::web::respond::login_first(&format!(
                "/evenements/{slug}/gestion"
            )));
        }
        Err(error) => return Err(error),
    }
    let attendees = db::attendees(&state.db, id).await?;
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| {
        tracing::error!(error = %e, "attendee export");
        AppError::Internal
    };
    writer.write_record(COLUMNS).map_err(internal)?;
    let mut waiting = 0;
    for (n, attendee) in attendees.iter().enumerate() {
        let position = if attendee.status == RegistrationStatus::Waitlisted {
            waiting += 1;
            waiting.to_string()
        } else {
            String::new()
        };
        let answers = attendee
            .answers
            .iter()
            .map(|(q, a)| format!("{q} : {a}"))
            .collect::<Vec<_>>()
            .join(" | ");
        let record = [
            (n + 1).to_string(),
            attendee.name.clone(),
            attendee.email.clone(),
            attendee.structure.clone(),
            attendee.status.label().to_owned(),
            position,
            if attendee.checked_in { "oui" } else { "non" }.to_owned(),
            attendee.sessions.join(" | "),
            answers,
            attendee.created_at.french_date_time(),
        ];
        writer
            .write_record(record.iter().map(|cell| formula_safe(cell).into_owned()))
            .map_err(internal)?;
    }
    let body = writer.into_inner().map_err(|e| {
        tracing::error!(error = %e, "attendee export");
        AppError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"inscrits-{slug}.csv\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
