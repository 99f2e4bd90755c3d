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

/// Sessions last 14 days of inactivity, and 30 days at most whatever the activity.
const SESSION_DAYS: i64 = 14;
const SESSION_MAX_DAYS: i64 = 30;
/// When the session's login happened (Unix seconds), for the absolute lifetime.
const LOGGED_IN_AT: &str = "connecte_le";
pub const SESSION_COOKIE: &str = "dessine_session";
/// On https the cookie carries the `__Host-` prefix: browsers then accept it only when it is
/// Secure, for the whole site, and set by this very host (no subdomain can plant one).
pub const SECURE_SESSION_COOKIE: &str = "__Host-dessine_session";

/// The layers that give every request its session and login state.
pub fn auth_layer<S>(store: S, db: Db, secure: bool) -> AuthManagerLayer<Backend, S>
where
    S: tower_sessions::SessionStore + Clone,
{
    let sessions = SessionManagerLayer::new(store)
        .with_name(if secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        })
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(SESSION_DAYS)));
    AuthManagerLayerBuilder::new(Backend { db }, sessions).build()
}

/// The logged-in member of this request (pages and server functions).
pub fn current_user() -> Option<CurrentUser> {
    crate::state::request_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<AuthSession>().cloned())
        .and_then(|session| session.user)
        .map(|user| user.current)
}

/// This request's login state, to log in or out (inside a server function).
pub fn auth_session() -> Result<AuthSession, crate::error::AppError> {
    crate::state::request_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<AuthSession>().cloned())
        .ok_or_else(|| {
            tracing::error!("no session layer in front of this request");
            crate::error::AppError::Internal
        })
}

/// A login-layer failure: logged with its cause, shown as the generic message.
pub fn internal(error: impl std::fmt::Display) -> crate::error::AppError {
    tracing::error!(%error, "session failure");
    crate::error::AppError::Internal
}

/// Logs `user` in on this session under a new session id, whatever the session held before
/// (axum-login keeps the id when the session already had a user: after a password change, or a
/// login over another login, a copied cookie would live on). Records when, for the 30-day limit.
pub async fn log_in_fresh(
    auth: &mut AuthSession,
    user: &SessionUser,
) -> Result<(), crate::error::AppError> {
    auth.login(user).await.map_err(internal)?;
    auth.session.cycle_id().await.map_err(internal)?;
    auth.session
        .insert(LOGGED_IN_AT, crate::timestamp::Timestamp::now().unix())
        .await
        .map_err(internal)?;
    Ok(())
}

/// Whether a login made at `logged_in_at` (Unix seconds; unknown for sessions older than this
/// rule) is past the absolute lifetime at `now`.
fn login_too_old(logged_in_at: Option<i64>, now: i64) -> bool {
    logged_in_at.is_none_or(|at| now - at > SESSION_MAX_DAYS * 24 * 3600)
}

/// Ends a session whose login is older than 30 days, however active it has been since.
pub async fn enforce_absolute_lifetime(
    mut auth: AuthSession,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if auth.user.is_some() {
        let logged_in_at: Option<i64> = auth.session.get(LOGGED_IN_AT).await.ok().flatten();
        if login_too_old(logged_in_at, crate::timestamp::Timestamp::now().unix()) {
            if let Err(error) = auth.logout().await {
                tracing::error!(%error, "could not end an expired session");
            }
            // The request goes on as a visitor's.
            let mut request = request;
            request.extensions_mut().insert(auth);
            return next.run(request).await;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::login_too_old;

    #[test]
    fn sessions_end_thirty_days_after_their_login() {
        let day = 24 * 3600;
        let now = 2_000_000_000;
        assert!(!login_too_old(Some(now - day), now));
        assert!(!login_too_old(Some(now - 30 * day), now));
        assert!(login_too_old(Some(now - 30 * day - 1), now));
        assert!(
            login_too_old(None, now),
            "a session with no login time is not trusted"
        );
    }
}
