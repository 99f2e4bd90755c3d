//! The client's address, for rate limits: the TCP peer, or behind a trusted reverse proxy
//! (`DESSINE_TRUST_PROXY=1`) the address that proxy appended to `X-Forwarded-For` (earlier
//! entries can be forged by clients).

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::state::AppState;

/// An IPv6 client is counted by its /64 network: one subscriber line holds a whole /64 and can
/// change address within it at will.
pub fn client_ip(state: &AppState, parts: &Parts) -> String {
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .filter(|_| state.config.trust_proxy)
        .and_then(|v| v.parse::<IpAddr>().ok());
    let ip = forwarded.or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
    });
    ip.map_or_else(|| "inconnue".to_owned(), rate_key)
}

pub use crate::ip::rate_key;

/// The client's address for the request being served (inside a server function).
pub fn current_client_ip(state: &AppState) -> String {
    crate::state::request_context::<Parts>()
        .map_or_else(|| "inconnue".to_owned(), |parts| client_ip(state, &parts))
}

/// Spends `mails` from the mail budget of `sender` and of the current request's address
/// ([`crate::rate_limit::MAIL_BUDGET`]): 429 with the wait past either allowance.
pub async fn spend_mails(
    state: &AppState,
    sender: crate::rate_limit::Sender<'_>,
    mails: u32,
) -> Result<(), crate::error::AppError> {
    let spent = state
        .limiter
        .spend_mails(
            crate::rate_limit::MAIL_BUDGET,
            sender,
            &current_client_ip(state),
            mails,
        )
        .await;
    if spent.is_err() {
        state
            .metrics
            .mails_refused
            .fetch_add(u64::from(mails), std::sync::atomic::Ordering::Relaxed);
    }
    spent
}

#[cfg(test)]
mod tests {
    use super::rate_key;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_prefix() {
        let a = rate_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = rate_key("2001:db8:1:2:ffff:1:2:3".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_ne!(a, rate_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(rate_key("203.0.113.9".parse().unwrap()), "203.0.113.9");
        assert_eq!(
            rate_key("::ffff:203.0.113.9".parse().unwrap()),
            "203.0.113.9"
        );
    }
}
