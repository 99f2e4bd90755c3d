//! The one adapter between plain HTML forms and server functions.
//!
//! Every mutation is a `#[server]` function whose arguments are the form's fields and whose
//! answer is [`Done`]. With JavaScript, an island posts the form to the function's `/api/…`
//! address. Without it, the form posts to a page address that a feature declares with
//! [`Routes::form`]; this adapter reads the body (a repeated name fills a `Vec`, indexed names
//! such as `rows[0][amount]` fill a `Vec` of rows), calls the
//! *same* function in the request's context, and answers as a browser expects:
//!
//! - success: 303 to `Done::location` (the page, with a notice code);
//! - not logged in: 303 to the login page, back to the form's page afterwards;
//! - not found, forbidden, internal: the status with a short French page;
//! - anything else (bad input, refused login, used link, conflict, too many attempts): the form's
//!   page rendered again with the error's status, the typed values (never passwords) and a
//!   message tied to each field.

use axum::Router;
use axum::body::Body;
use axum::extract::{RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use leptos::prelude::{Owner, ScopedFuture, provide_context};
use serde::de::DeserializeOwned;
use server_fn::ServerFn;

use super::replay::render_page;
use super::respond::{login_first, see_other};
use crate::error::AppError;
use crate::state::AppState;
use crate::ui::form::{FormOutcome, FormPath};
use crate::ui::notice::Done;

/// Largest form body read; the body limit of the whole server is larger (uploads).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Where a rejected post shows its form again: from the post's path and its fields, a local
/// path with its query (for example `/connexion?suivant=…`).
pub type ReplayPath = fn(&str, &FormFields) -> String;

/// The fields of a posted form, in order.
#[derive(Debug, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// What may be shown again in the form: everything but passwords, each value cut to
    /// 10,000 characters (no field takes more; a hostile megabyte is not echoed back).
    pub fn replayable(self) -> Vec<(String, String)> {
        self.0
            .into_iter()
            .filter(|(name, _)| !name.contains("password"))
            .map(|(name, value)| {
                let value = if value.len() > 10_000 {
                    value.chars().take(10_000).collect()
                } else {
                    value
                };
                (name, value)
            })
            .collect()
    }
}

/// Replays the form on the page it was posted to.
pub fn same_page(path: &str, _: &FormFields) -> String {
    path.to_owned()
}

/// A POST route that reaches a server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormRoute {
    /// The page address the plain form posts to (axum syntax: `/annuaire/{slug}/modifier`).
    pub path: &'static str,
    /// The server function it calls (its `/api/…` address).
    pub server_fn: &'static str,
}

/// A feature's routes: form posts (listed, so that tests can cover each) and other handlers.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    forms: Vec<FormRoute>,
    others: Vec<&'static str>,
    posts: Vec<&'static str>,
}

impl Routes {
    pub fn new() -> Self {
        Routes::default()
    }

    /// `POST F::FORM_PATH` runs the server function `F` for a plain form; `replay` says where
    /// its form is shown again when the input is rejected.
    pub fn form<F>(mut self, replay: ReplayPath) -> Self
    where
        F: ServerFn<Output = Done, Error = AppError> + FormPath + DeserializeOwned + 'static,
    {
        let path = F::FORM_PATH;
        let handler =
            move |State(state): State<AppState>, path: RawPathParams, request: Request| {
                let path: Vec<(String, String)> = path
                    .iter()
                    .map(|(key, value)| (key.to_owned(), value.to_owned()))
                    .collect();
                run_form::<F>(state, path, request, replay)
            };
        self.router = self.router.route(path, post(handler));
        self.forms.push(FormRoute {
            path,
            server_fn: F::PATH,
        });
        self
    }

    /// `GET path` answered by `handler` (downloads, feeds, exports).
    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::get(handler));
        self.others.push(path);
        self
    }

    /// `POST path` answered by `handler` (uploads, previews): for posts that are not one
    /// server function's form.
    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.posts.push(path);
        self
    }

    /// Every `POST` route that is not a server function's form.
    pub fn other_posts(&self) -> &[&'static str] {
        &self.posts
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.forms.extend(other.forms);
        self.others.extend(other.others);
        self.posts.extend(other.posts);
        self
    }

    /// Every form post route, in declaration order.
    pub fn form_routes(&self) -> &[FormRoute] {
        &self.forms
    }

    /// Every other route's path.
    pub fn other_paths(&self) -> &[&'static str] {
        &self.others
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Runs `future` (a server function's body) in the request's reactive context, as the server
/// function handler does: the request parts (session, login, address), the response options
/// and the state are there to be asked for.
pub async fn in_request_context<T>(
    state: &AppState,
    parts: &Parts,
    future: impl Future<Output = T> + Send,
) -> T {
    let owner = Owner::new();
    let (state, parts) = (state.clone(), parts.clone());
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(leptos_axum::ResponseOptions::default());
                provide_context(state);
                future.await
            })
        })
        .await
}

/// Runs the server function `F` for a plain form post. The route's path parameters (the entry's
/// `slug`, a request's id) are fields too, and win over fields of the same name in the body.
async fn run_form<F>(
    state: AppState,
    path: Vec<(String, String)>,
    request: Request<Body>,
    replay: ReplayPath,
) -> Response
where
    F: ServerFn<Output = Done, Error = AppError> + DeserializeOwned + 'static,
{
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return AppError::form("Le formulaire envoyé est trop long.").into_response();
    };
    let posted: Vec<(String, String)> = serde_html_form::from_bytes(&bytes).unwrap_or_default();
    let mut pairs = path.clone();
    pairs.extend(
        posted
            .into_iter()
            .filter(|(name, _)| !path.iter().any(|(key, _)| key == name)),
    );
    let encoded = serde_html_form::to_string(&pairs).unwrap_or_default();
    let fields = FormFields(pairs);
    let page = replay(parts.uri.path(), &fields);
    // Rows of a table (`rows[0][amount]`) are read as the server function's own handler reads
    // them; repeated plain names (`sectors=a&sectors=b`) as a plain form sends them.
    let rows = fields.0.iter().any(|(name, _)| name.contains('['));
    let input = if rows {
        serde_qs::Config::new(5, false)
            .deserialize_str::<F>(&encoded)
            .map_err(|error| error.to_string())
    } else {
        serde_html_form::from_str::<F>(&encoded).map_err(|error| error.to_string())
    };
    let result = match input {
        Ok(input) => in_request_context(&state, &parts, input.run_body()).await,
        Err(error) => {
            tracing::info!(%error, path = parts.uri.path(), "malformed form post");
            Err(AppError::form(
                "Le formulaire envoyé est incomplet ou mal formé.",
            ))
        }
    };
    answer(&state, &parts, &page, fields.replayable(), result).await
}

/// How a plain form post is answered, from what its server function (or handler) returned:
/// see the module's documentation. `values` are shown again in the form on an error.
pub async fn answer(
    state: &AppState,
    parts: &Parts,
    page: &str,
    values: Vec<(String, String)>,
    result: Result<Done, AppError>,
) -> Response {
    match result {
        Ok(done) => see_other(&done.location),
        Err(AppError::Unauthorized) => login_first(page),
        Err(error @ (AppError::NotFound | AppError::Forbidden | AppError::Internal)) => {
            error.into_response()
        }
        Err(error) => {
            let outcome = FormOutcome {
                values,
                errors: error.field_errors(),
            };
            let mut response = render_page(state, parts, page, outcome, error.status_code()).await;
            if let AppError::TooManyRequests { retry_after } = error {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
            }
            response
        }
    }
}
