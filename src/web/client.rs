//! The client's address, for rate limits: the TCP peer, or behind a trusted reverse proxy
//! (`DESSINE_TRUST_PROXY=1`) the address that proxy appended to `X-Forwarded-For` (earlier
//! entries can be forged by clients).

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::state::AppState;

pub fn client_ip(state: &AppState, parts: &Parts) -> String {
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .filter(|v| state.config.trust_proxy && v.parse::<std::net::IpAddr>().is_ok());
    if let Some(ip) = forwarded {
        return ip.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "inconnue".to_owned(), |info| info.0.ip().to_string())
}

/// The client's address for the request being served (inside a server function).
pub fn current_client_ip(state: &AppState) -> String {
    leptos::prelude::use_context::<Parts>()
        .map_or_else(|| "inconnue".to_owned(), |parts| client_ip(state, &parts))
}
