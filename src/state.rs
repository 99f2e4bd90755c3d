//! What every request handler and server function can reach: `expect_context::<AppState>()`.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::config::Config;
use crate::db::Db;
use crate::features::accounts::auth::SessionStore;
use crate::features::directory::cache::DirectoryCache;
use crate::mail::{Mail, Mailer};
use crate::server::rate_limit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub directory_cache: Arc<DirectoryCache>,
    pub sessions: SessionStore,
    pub mailer: Mailer,
    pub limiter: Arc<RateLimiter>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Connects the session store and the mailer; an error names the variable to fix.
    pub async fn build(db: Db, config: Config) -> Result<Self, String> {
        let leptos_options = config.leptos_options();
        let sessions = SessionStore::connect(&config)
            .await
            .map_err(|e| format!("DATABASE_URL : sessions indisponibles : {e}"))?;
        let mailer = Mailer::from_config(&config)?;
        Ok(AppState {
            db,
            leptos_options,
            config: Arc::new(config),
            directory_cache: Arc::default(),
            sessions,
            mailer,
            limiter: Arc::default(),
        })
    }

    pub async fn send_mail(&self, mail: Mail) {
        self.mailer.send(&self.config.mail_from, mail).await;
    }
}

/// The application state from inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        crate::error::AppError::Internal
    })
}
