//! What every request handler and server function can reach: `expect_context::<AppState>()`.
//!
//! Only pieces from below the features live here (database, configuration, mail, rate limits,
//! caches, the page renderer), so that features depend on the state and never the reverse.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::cache::AnswerCache;
use crate::config::Config;
use crate::db::Db;
use crate::db::sessions::SessionStore;
use crate::mail::{Mail, Mailer};
use crate::web::rate_limit::RateLimiter;
use crate::web::replay::PageRenderer;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    /// Short-lived answers (the directory's search results).
    pub cache: Arc<AnswerCache>,
    pub sessions: SessionStore,
    pub mailer: Mailer,
    pub limiter: Arc<RateLimiter>,
    /// Renders a page of the application; set by the router that assembles it, so that a form
    /// post can answer with its page again (see `web::replay`).
    pub render_page: PageRenderer,
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
            cache: Arc::default(),
            sessions,
            mailer,
            limiter: Arc::default(),
            render_page: crate::web::replay::not_assembled,
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
