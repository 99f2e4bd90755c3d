//! Sessions and login state: tower-sessions with its sqlx store (a table `sessions`, on SQLite or
//! PostgreSQL), and axum-login on top of it.

use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::CurrentUser;
use crate::db::Db;

/// A session's view of its user: the security stamp is what ends sessions after a password
/// reset or when the account is disabled.
#[derive(Clone)]
pub struct SessionUser {
    pub current: CurrentUser,
    stamp: String,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.current.id)
            .finish_non_exhaustive()
    }
}

impl AuthUser for SessionUser {
    type Id = i64;
    fn id(&self) -> i64 {
        self.current.id
    }
    fn session_auth_hash(&self) -> &[u8] {
        self.stamp.as_bytes()
    }
}

/// Looks users up for axum-login. Passwords are checked by the login form handler itself (see
/// `forms`), which needs to tell « wrong password » from « address not verified yet ».
#[derive(Clone)]
pub struct Backend {
    pub db: Db,
}

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BackendError(#[from] sqlx::Error);

impl Backend {
    /// The session user for an active account.
    pub async fn load(&self, id: i64) -> Result<Option<SessionUser>, sqlx::Error> {
        let Some(row) = super::db::find_by_id(&self.db, id).await? else {
            return Ok(None);
        };
        if row.disabled_at.is_some() || row.email_verified_at.is_none() {
            return Ok(None);
        }
        Ok(Some(SessionUser {
            current: CurrentUser {
                id: row.id,
                name: row.name,
                email: row.email,
                role: row.role,
            },
            stamp: row.security_stamp,
        }))
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    /// The id of a user whose password was already checked.
    type Credentials = i64;
    type Error = BackendError;

    async fn authenticate(&self, id: i64) -> Result<Option<SessionUser>, BackendError> {
        Ok(self.load(id).await?)
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, BackendError> {
        Ok(self.load(*id).await?)
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Sessions last 14 days of inactivity.
const SESSION_DAYS: i64 = 14;
pub const SESSION_COOKIE: &str = "dessine_session";

/// The layers that give every request its session and login state.
pub fn auth_layer<S>(store: S, db: Db, secure: bool) -> AuthManagerLayer<Backend, S>
where
    S: tower_sessions::SessionStore + Clone,
{
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(SESSION_DAYS)));
    AuthManagerLayerBuilder::new(Backend { db }, sessions).build()
}

/// The logged-in member of this request (pages and server functions).
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<AuthSession>().cloned())
        .and_then(|session| session.user)
        .map(|user| user.current)
}

/// This request's login state, to log in or out (inside a server function).
pub fn auth_session() -> Result<AuthSession, crate::error::AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<AuthSession>().cloned())
        .ok_or_else(|| {
            tracing::error!("no session layer in front of this request");
            crate::error::AppError::Internal
        })
}
