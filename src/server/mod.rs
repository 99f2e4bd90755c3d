//! The HTTP server: routes, middleware (security headers, compression, caching, logging, body
//! limit, panic page) and graceful shutdown.

pub mod headers;
pub mod html;
pub mod origin;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::app::{App, shell};
use crate::error::AppError;
use crate::features;
use crate::state::AppState;
use crate::web::forms::Routes;

/// Largest request body accepted: an image upload (at most 2 MB of image) with its form; forms
/// are far smaller and read at most 256 KiB. Larger bodies get a 413. The one exception is the
/// site admins' import upload (`/admin/import`), up to its own limit.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Refuses a body longer than the route's limit: announced too long, a 413 at once; sent
/// without a length, cut at the limit (the handler reading it gets an error).
async fn body_limit(request: Request, next: Next) -> Response {
    let limit = if request.uri().path() == features::moderation::imports::IMPORT_PATH {
        features::moderation::imports::MAX_UPLOAD_BYTES + 64 * 1024
    } else {
        MAX_BODY_BYTES
    };
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if announced.is_some_and(|length| length > limit) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            crate::error::short_page_html(
                "Envoi trop volumineux",
                "Ce que vous avez envoyé dépasse la taille permise : rien n'a été enregistré.",
            ),
        )
            .into_response();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Leptos context for every page and server function: the CSP nonce the middleware made for this
/// request, and the outcome of a rejected form post when the page is rendered again.
fn per_request_context() {
    headers::provide_request_nonce();
    crate::ui::form::provide_form_outcome();
}

/// Every feature's own routes (form posts, downloads, exports), assembled here and nowhere else.
pub fn feature_routes() -> Routes {
    features::accounts::routes()
        .merge(features::stewardship::routes())
        .merge(features::moderation::routes())
        .merge(features::admin::routes())
        .merge(features::directory::routes())
        .merge(features::events::routes())
        .merge(features::clubs::routes())
        .merge(features::news::routes())
        .merge(features::about::routes())
        .merge(features::label::routes())
        .merge(features::purchasing::routes())
        .merge(features::contact::routes())
        .merge(features::newsletter::routes())
        .merge(features::observatory::routes())
        .merge(features::opendata::routes())
        .merge(features::sharing::routes())
        .merge(features::support::routes())
        .merge(features::calls::routes())
}

/// Every periodic job that must run once per period whatever the number of servers, assembled
/// here and nowhere else (`dessine jobs run` runs them too).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::FORGET_OLD_RUNS,
    crate::tokens::EXPIRED_TOKENS,
    crate::jobs::OLD_MAIL_FILES,
    features::accounts::retention::UNCONFIRMED_ACCOUNTS,
    features::accounts::retention::INACTIVE_ACCOUNTS,
    features::events::guests::PURGE_UNCONFIRMED,
    features::events::guests::ANONYMISE_PAST_REGISTRATIONS,
    features::clubs::invitations::OLD_EMAIL_INVITATIONS,
    features::newsletter::digest::DIGESTS,
    features::newsletter::digest::UNCONFIRMED_SUBSCRIBERS,
    features::label::reminders::SWEEP,
    features::moderation::freshness::STILL_ACCURATE,
    features::opendata::db::SNAPSHOT,
    features::support::db::RETENTION,
    features::calls::db::REMINDERS,
];

/// The page renderer a form post uses to answer with its page again (see `web::replay`).
/// Rendered whole (every resource awaited), as the Async routes are: an out-of-order stream
/// would leave the form in a template that only JavaScript moves into place.
fn render_page(
    state: AppState,
    request: Request<Body>,
) -> Pin<Box<dyn Future<Output = Response> + Send>> {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            leptos::prelude::provide_context(state.clone());
            per_request_context();
        },
        move || shell(options.clone()),
    );
    Box::pin(async move { handler(request).await.into_response() })
}

/// The pages' routes, generated once per process. Generating them runs the app with resource
/// loading suppressed by a process-wide flag (leptos_router's `SuppressResourceLoad`): a page
/// rendered by another router at that moment waited forever (leptos-rs/leptos#4773), which the
/// tests, building one router per test in parallel, hit as a rare 503.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application router. Static files and the health check are served before
/// the session layer: they never read or write a session.
pub fn router(state: AppState) -> Router {
    let state = state.with(|parts| parts.render_page = render_page);
    // Builds the directory's search index, then keeps it current (a background task).
    crate::features::directory::index::start(&state);
    if state.config.jobs {
        crate::jobs::start(&state, JOBS);
    }
    let routes = route_list();
    let options = state.leptos_options.clone();
    let pages = feature_routes()
        .into_router()
        .leptos_routes_with_context(&state, routes, per_request_context, move || {
            shell(options.clone())
        })
        .route_layer(middleware::from_fn(remember_route))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            per_request_context,
            shell,
        ))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(handler_time_limit))
        .layer(middleware::from_fn(
            crate::features::accounts::auth::enforce_absolute_lifetime,
        ));
    let pages = {
        use crate::db::sessions::SessionStore;
        use crate::features::accounts::auth::auth_layer;
        let secure = state.config.is_https();
        match state.sessions.clone() {
            SessionStore::Sqlite(store) => pages.layer(auth_layer(store, state.db.clone(), secure)),
            SessionStore::Postgres(store) => {
                pages.layer(auth_layer(store, state.db.clone(), secure))
            }
        }
    };
    let hsts = state.config.is_https();
    // The map's tiles come from their server: the pages' policy lets those images in.
    let images: std::sync::Arc<str> = state
        .config
        .tiles
        .as_ref()
        .map(|tiles| format!(" {}", tiles.origin()))
        .unwrap_or_default()
        .into();
    let assets = ServeDir::new(&*state.leptos_options.site_root)
        .precompressed_br()
        .precompressed_gzip();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::web::metrics::metrics))
        .route_service("/pkg/{*path}", assets.clone())
        .route_service("/favicon.svg", assets.clone())
        .route_service("/manifest.webmanifest", assets.clone())
        .route_service("/icone-192.png", assets.clone())
        .route_service("/icone-512.png", assets.clone())
        .route_service("/partage.png", assets)
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.config.base_url.clone(),
            html::valid_html,
        ))
        .layer(middleware::from_fn(origin::refuse_cross_origin))
        .layer(middleware::from_fn(body_limit))
        .layer(middleware::from_fn(headers::cache_control))
        .layer(middleware::from_fn(headers::validators))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(CatchPanicLayer::custom(internal_error_page))
        .layer(middleware::from_fn(move |request, next| {
            headers::security_headers(hsts, images.clone(), request, next)
        }))
        .layer(middleware::from_fn_with_state(
            (state.pages.clone(), state.metrics.clone()),
            crate::page_cache::serve,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state);
    // Addresses the router cannot match (a suffix inside a segment) are rewritten first.
    Router::new().fallback_service(tower::ServiceBuilder::new().map_request(alias).service(app))
}

/// `/evenements/{slug}.ics` → the event's calendar route.
fn alias(mut request: Request) -> Request {
    if let Some(path) = features::events::calendar::calendar_alias(request.uri().path())
        && let Ok(uri) = path.parse()
    {
        *request.uri_mut() = uri;
    }
    request
}

/// Longest a page or server function may take to answer; exports answer at once and stream.
pub const HANDLER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A handler still running after [`HANDLER_TIMEOUT`] is dropped (its database work rolls back)
/// and the visitor gets a French 503 that says to try again.
async fn handler_time_limit(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(HANDLER_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, "handler ran past its time limit");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::RETRY_AFTER, "10"),
                ],
                crate::error::short_page_html(
                    "Service momentanément indisponible",
                    "Le serveur a mis trop de temps à répondre. Réessayez dans un instant.",
                ),
            )
                .into_response()
        }
    }
}

/// A server function that failed answers with its error's status (401, 403, 422, 429, …)
/// instead of the generic 500, read from the error it returned.
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response
        .headers()
        .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    #[derive(serde::Deserialize)]
    struct Wire {
        error: AppError,
    }
    if let Ok(Wire { error }) = serde_json::from_slice::<Wire>(&bytes) {
        parts.status = error.status_code();
        if let AppError::TooManyRequests { retry_after } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    let (status, body) = if state.db.is_healthy().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "indisponible")
    };
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// `GET /readyz`: 200 `prêt` when this server can take visitors (the database answers, every
/// migration of this build is applied, the search index is built), else 503 with the reason.
/// `/healthz` says the process is alive; a proxy or an orchestrator sends traffic on this one.
async fn readyz(State(state): State<AppState>) -> Response {
    let reason = match state.db.migrations_applied().await {
        Err(_) => Some("base de données injoignable"),
        Ok(false) => Some("migrations pas encore appliquées"),
        Ok(true) if !state.search.is_ready() => Some("index de recherche en construction"),
        Ok(true) => None,
    };
    let (status, body) = match reason {
        None => (StatusCode::OK, "prêt"),
        Some(reason) => (StatusCode::SERVICE_UNAVAILABLE, reason),
    };
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        body,
    )
        .into_response()
}

/// The route a request matched (`/annuaire/{slug}`), left on its answer: the request log runs
/// before the routing and reads it there.
#[derive(Clone)]
struct RouteTemplate(axum::extract::MatchedPath);

async fn remember_route(
    matched: axum::extract::MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(RouteTemplate(matched));
    response
}

/// One log line per request: method, path, status, duration; counted for `/metrics` under the
/// route it matched.
async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let route = response
        .extensions()
        .get::<RouteTemplate>()
        .map(|route| route.0.as_str());
    state.metrics.record_request(&path, route, status, seconds);
    tracing::info!(
        target: "dessine::http",
        "{method} {path} {status} {:.1}ms",
        seconds * 1000.0
    );
    response
}

/// The last-resort page when a handler panicked: French, and nothing about the cause.
fn internal_error_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INTERNAL_ERROR_HTML,
    )
        .into_response()
}

pub const INTERNAL_ERROR_HTML: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Erreur · DESSINE</title></head>\
<body><main><h1>Une erreur est survenue</h1><p>Une erreur est survenue de notre côté. Réessayez dans un \
instant.</p><p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>";

/// How long a client may take to send a request's headers: a half-sent request (slowloris) is
/// dropped after that.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves `app` on `listener` until SIGTERM or Ctrl-C; requests in flight are allowed to finish.
/// Each connection must send its request headers within [`HEADER_READ_TIMEOUT`].
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("DESSINE écoute sur http://{addr}");
    }
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(std::time::Duration::from_secs(30)));
    let graceful = GracefulShutdown::new();
    let serve_connection = |stream: tokio::net::TcpStream, peer: SocketAddr| {
        // Without TCP_NODELAY a response written in two parts (headers, then a file body) waits
        // for the client's delayed ACK: about 40 ms per request on a kept-alive connection.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY");
        }
        let service =
            app.clone()
                .map_request(move |mut request: Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(peer));
                    request.map(Body::new)
                });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    };
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        serve_connection(stream, peer);
    }
    // The connections the kernel has already completed (the listener's backlog) are served too:
    // closed with the listener they would be reset after a reverse proxy had sent them a request
    // it may not send elsewhere (a form). Asked of the kernel directly, without waiting.
    for (stream, peer) in backlog(listener) {
        serve_connection(stream, peer);
    }
    graceful.shutdown().await;
    Ok(())
}

/// The connections waiting in `listener`'s backlog, taken without blocking; the listener is
/// closed after.
fn backlog(listener: tokio::net::TcpListener) -> Vec<(tokio::net::TcpStream, SocketAddr)> {
    let mut waiting = Vec::new();
    let Ok(listener) = listener.into_std() else {
        return waiting;
    };
    if listener.set_nonblocking(true).is_err() {
        return waiting;
    }
    while let Ok((stream, peer)) = listener.accept() {
        match stream
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpStream::from_std(stream))
        {
            Ok(stream) => waiting.push((stream, peer)),
            Err(error) => tracing::warn!(%error, "a waiting connection could not be served"),
        }
    }
    if !waiting.is_empty() {
        tracing::info!(
            connections = waiting.len(),
            "stopping: serving the connections already waiting"
        );
    }
    waiting
}

/// Registers the SIGTERM and Ctrl-C handlers now (not when first polled), so that a signal that
/// arrives right after start-up already triggers a graceful shutdown.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutdown signal received: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::middleware;
    use axum::routing::get;
    use tower::ServiceExt;

    #[tokio::test(start_paused = true)]
    async fn a_handler_past_its_time_limit_answers_503() {
        let app = Router::new()
            .route(
                "/lent",
                get(|| async {
                    tokio::time::sleep(super::HANDLER_TIMEOUT * 2).await;
                    "trop tard"
                }),
            )
            .route("/vite", get(|| async { "à temps" }))
            .layer(middleware::from_fn(super::handler_time_limit));
        let slow = app
            .clone()
            .oneshot(Request::get("/lent").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(slow.headers()["retry-after"], "10");
        let fast = app
            .oneshot(Request::get("/vite").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(fast.status(), StatusCode::OK);
    }
}
