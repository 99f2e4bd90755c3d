//! Answering a rejected form post without JavaScript: the page the form lives on, rendered
//! again as for a GET, with the typed values and the messages (`FormOutcome`) and the error's
//! status. The router that assembles the application provides the renderer.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;

use crate::state::AppState;
use crate::ui::form::FormOutcome;

/// Renders the page at `path` (a local path with its query) as for a GET, with `outcome` for
/// its forms, under `status`. The post's extensions come along (CSP nonce, session, login).
pub async fn render_page(
    state: &AppState,
    parts: &Parts,
    path: &str,
    outcome: FormOutcome,
    status: StatusCode,
) -> Response {
    let mut request = Request::new(Body::empty());
    if let Ok(uri) = path.parse() {
        *request.uri_mut() = uri;
    }
    *request.headers_mut() = parts.headers.clone();
    request
        .headers_mut()
        .remove(axum::http::header::CONTENT_TYPE);
    request
        .headers_mut()
        .remove(axum::http::header::CONTENT_LENGTH);
    *request.extensions_mut() = parts.extensions.clone();
    request.extensions_mut().insert(outcome);
    let mut response = (state.render_page)(state.clone(), request).await;
    *response.status_mut() = status;
    response
}
