//! Cross-origin refusal: a state-changing request (anything but GET, HEAD, OPTIONS) that a browser
//! says comes from another site is answered 403. Browsers send `Sec-Fetch-Site` (modern ones) and
//! `Origin` on every POST; requests without either (curl, older browsers on same-origin forms)
//! carry no cross-site ambient risk and pass. Session cookies are SameSite=Lax besides.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_origin(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_origin(&request)
    {
        return next.run(request).await;
    }
    tracing::warn!(path = request.uri().path(), "cross-origin request refused");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::error::short_page_html(
            "Accès refusé",
            "Ce formulaire a été envoyé depuis un autre site : pour votre sécurité, il n'a pas été pris en compte.",
        ),
    )
        .into_response()
}

fn is_same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // `Origin: null` (sandboxed frames, some redirects) is never same-origin.
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| !host.is_empty() && authority.eq_ignore_ascii_case(host))
}
