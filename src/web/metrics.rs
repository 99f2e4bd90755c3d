//! `/metrics`, in Prometheus' text format ([`crate::metrics`]), for the addresses named in
//! `DESSINE_METRICS_FROM` (loopback by default); a scraper reads each server.

use axum::extract::State;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// `GET /metrics`: the exposition for the configured addresses, a 404 for anyone else (the
/// page is not announced).
pub async fn metrics(State(state): State<AppState>, parts: Parts) -> Response {
    let ip = super::client::client_ip(&state, &parts);
    if !state.config.metrics_from.contains(&ip) {
        return crate::error::AppError::NotFound.into_response();
    }
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        state.metrics.render(&crate::metrics::Moment {
            pool_in_use: state
                .db
                .pool
                .size()
                .saturating_sub(state.db.pool.num_idle() as u32),
            pool_idle: state.db.pool.num_idle() as u32,
            pool_max: state.db.pool.options().get_max_connections(),
            pool_waiting: state.db.pool.waiting(),
            pool_opened: state.db.pool.opened(),
            index_ready: state.search.is_ready(),
            index_age: state.search.age().map(|age| age.as_secs_f64()),
        }),
    )
        .into_response()
}
