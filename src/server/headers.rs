//! Response headers: security policy on every response, cache lifetimes by kind of resource.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::*;

/// Policy for responses that are not pages (assets, health check, errors): nothing may run.
const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The policy of a page: scripts only from this site or inline with this response's nonce,
/// WebAssembly allowed to compile, no framing, forms only to this site; images also from
/// `images` (the map's tile server, or nothing).
pub fn page_policy(nonce: &str, images: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:{images}; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The CSP nonce of one request: made by [`security_headers`], put in the request's extensions,
/// handed to Leptos by [`provide_request_nonce`] (so its inline scripts carry it) and written into
/// the response's policy by the same middleware. The header never depends on rendering order.
#[derive(Clone)]
pub struct RequestNonce(pub leptos::nonce::Nonce);

/// Leptos context for each page and server function: this request's nonce.
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestNonce>().cloned());
    match nonce {
        Some(RequestNonce(nonce)) => provide_context(nonce),
        // Not behind the middleware (should not happen): a fresh nonce still keeps scripts valid
        // for this render, and the middleware's fallback policy then blocks them safely.
        None => leptos::nonce::provide_nonce(),
    }
}

/// Security headers on every response; `hsts` (an https deployment) adds
/// `Strict-Transport-Security`.
/// `images`: more origins images may come from, each after a space (see [`page_policy`]).
pub async fn security_headers(
    hsts: bool,
    images: std::sync::Arc<str>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(RequestNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let revalidated = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    let policy = if is_html {
        HeaderValue::from_str(&page_policy(&nonce, &images)).ok()
    } else {
        None
    };
    // A 304 updates the headers of the page the browser holds: that page keeps the policy (and
    // the nonce) it came with.
    if !revalidated {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            policy.unwrap_or_else(|| HeaderValue::from_static(NON_PAGE_POLICY)),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    response
}

/// Largest answer given a validator (larger ones are sent as they are).
const MAX_VALIDATED_BYTES: usize = 4 * 1024 * 1024;

/// Pages and feeds carry an `ETag`; a visitor who holds the same gets a 304 (see
/// `revalidation`). Private pages get theirs too: only the browser that asked keeps them.
pub async fn validators(request: Request, next: Next) -> Response {
    use axum::http::{Method, StatusCode};
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let nonce = request
        .extensions()
        .get::<RequestNonce>()
        .map(|RequestNonce(nonce)| nonce.to_string())
        .unwrap_or_default();
    let mut condition = axum::http::HeaderMap::new();
    if let Some(value) = request.headers().get(header::IF_NONE_MATCH) {
        condition.insert(header::IF_NONE_MATCH, value.clone());
    }
    let response = next.run(request).await;
    let validated = crate::revalidation::is_page(response.headers());
    if response.status() != StatusCode::OK
        || !validated
        || response.headers().contains_key(header::ETAG)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match crate::revalidation::read_at_most(body, MAX_VALIDATED_BYTES).await {
        Ok(bytes) => bytes,
        Err(body) => return Response::from_parts(parts, body),
    };
    let tag = crate::revalidation::validator(
        &bytes,
        &[&nonce],
        &[crate::features::contact::writing::OPENED_FIELD],
    );
    if crate::revalidation::matches(&condition, &tag) {
        parts.headers.insert(header::ETAG, tag);
        return crate::revalidation::not_modified(&parts.headers);
    }
    parts.headers.insert(header::ETAG, tag);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Files of `public/` served under a stable name: shared caches may keep them for a day.
const PUBLIC_FILES: &[&str] = &["/favicon.svg"];

/// Cache lifetimes. Public caching is the opt-in: `/pkg/` holds hashed file names (cargo-leptos
/// `hash-files`), cached for a year; the files of `public/` for a day. Pages can show who is
/// logged in: browsers revalidate them and shared caches keep none. Anything else (server
/// function answers, downloads, exports, errors) may depend on the session: stored nowhere,
/// unless its handler set its own `Cache-Control`.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let success = response.status().is_success();
    let value = if success && path.starts_with("/pkg/") {
        "public, max-age=31536000, immutable"
    } else if success && PUBLIC_FILES.contains(&path.as_str()) {
        "public, max-age=86400"
    } else if is_html {
        "private, no-cache"
    } else {
        "private, no-store"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn page_policy_carries_the_nonce_and_forbids_framing() {
        let policy = page_policy("abc123", "");
        assert!(policy.contains("img-src 'self' data:;"));
        assert!(policy.contains("'nonce-abc123'"));
        let with_tiles = page_policy("abc123", " https://tile.openstreetmap.org");
        assert!(with_tiles.contains("img-src 'self' data: https://tile.openstreetmap.org;"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
