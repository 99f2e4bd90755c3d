//! Calendar files: one event's .ics and the feed of upcoming public events.

use super::db;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::features::events::EventDetail;
use crate::features::events::ListParams;
use crate::features::events::Visibility;
use crate::features::events::ics;
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
