//! Downloads: `/evenements/{slug}.ics` (served at `/evenements/{slug}/calendrier.ics` too),
//! the feed `/evenements.ics` with the list's filters, and the attendees' CSV for organisers.

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{EventDetail, ListParams, RegistrationStatus, Visibility, db, ics};
use crate::error::AppError;
use crate::spreadsheet::formula_safe;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// `/evenements/{slug}.ics` is answered by the route `/evenements/{slug}/calendrier.ics`: the
/// router cannot match a suffix inside a segment, so the address is rewritten before routing.
pub fn calendar_alias(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/evenements/")?;
    let slug = rest.strip_suffix(".ics")?;
    (!slug.is_empty() && !slug.contains('/')).then(|| format!("/evenements/{slug}/calendrier.ics"))
}

fn calendar_response(body: String, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, ics::CONTENT_TYPE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The logged-in member of a plain handler's request.
async fn viewer(state: &AppState, parts: &axum::http::request::Parts) -> db::Audience {
    let user = crate::web::forms::in_request_context(state, parts, async {
        crate::features::accounts::auth::current_user()
    })
    .await;
    db::Audience::of(user.as_ref())
}

/// One event as a calendar file: public events for everyone, members-only ones for those who
/// may see them.
pub async fn event_ics(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let (parts, _) = request.into_parts();
    let event = db::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if event.visibility != Visibility::Public
        && !db::may_see(&state.db, event.id, viewer(&state, &parts).await).await?
    {
        return Err(AppError::NotFound);
    }
    let body = ics::calendar(
        std::slice::from_ref(&event),
        &state.config.base_url,
        &event.title,
    );
    Ok(calendar_response(body, &format!("{}.ics", event.slug)))
}

/// The public events matching the list's filters (upcoming, and those of the last year).
pub async fn feed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    request: Request,
) -> Result<Response, AppError> {
    let (parts, _) = request.into_parts();
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let params = ListParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // A calendar application sends no cookie and gets the public events; a member who opens
    // the feed in the browser gets the events they may see.
    let audience = viewer(&state, &parts).await;
    let mut events: Vec<EventDetail> =
        db::feed(&state.db, &params, audience, Timestamp::now()).await?;
    for event in &mut events {
        event.sessions = Vec::new();
    }
    let body = ics::calendar(
        &events,
        &state.config.base_url,
        "Événements de l'ESS · DESSINE",
    );
    Ok(calendar_response(body, "evenements-dessine.ics"))
}

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
        super::api::require_organiser(&state, id),
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

#[cfg(test)]
mod tests {
    #[test]
    fn only_one_segment_before_ics_is_an_alias() {
        assert_eq!(
            super::calendar_alias("/evenements/salon.ics").as_deref(),
            Some("/evenements/salon/calendrier.ics")
        );
        assert_eq!(super::calendar_alias("/evenements.ics"), None);
        assert_eq!(super::calendar_alias("/evenements/a/b.ics"), None);
        assert_eq!(super::calendar_alias("/evenements/.ics"), None);
    }
}
