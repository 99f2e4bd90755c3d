//! What every request handler and server function can reach: `expect_context::<AppState>()`.
//!
//! Only pieces from below the features live here (database, configuration, mail, rate limits,
//! the search index, the page renderer), so that features and `web` depend on the state and never the
//! reverse.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::config::Config;
use crate::db::Db;
use crate::db::sessions::SessionStore;
use crate::mail::{Mail, Mailer};
use crate::rate_limit::RateLimiter;

/// Renders one page of the application for a request (the router's Leptos handler).
pub type PageRenderer = fn(
    AppState,
    axum::extract::Request,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = axum::response::Response> + Send>,
>;

/// What every request handler and server function reaches, behind one reference count: a clone
/// (several per request) is one atomic increment, where a clone field by field took a dozen and
/// showed, with the drops, at 1.2 % of a search page's time under load.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    /// The directory's search index, built and kept current by `features::directory::index`.
    pub search: Arc<crate::search::SearchIndex>,
    pub sessions: SessionStore,
    pub mailer: Mailer,
    pub limiter: Arc<RateLimiter>,
    /// The site map, rendered at most once every few minutes whatever the requests.
    pub sitemap: Arc<Rendered>,
    /// What `/metrics` exposes, counted by this server.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Pages of visitors without a session, shared for up to a second (see `page_cache`).
    pub pages: Arc<crate::page_cache::PageCache>,
    /// Renders a page of the application; set by the router that assembles it, so that a form
    /// post can answer with its page again (see `web::replay`).
    pub render_page: PageRenderer,
}

/// Documents rendered once and served for a while (the site map): concurrent requests wait for
/// the one rendering instead of each running their own.
#[derive(Default)]
pub struct Rendered(tokio::sync::Mutex<Option<(std::time::Instant, Arc<Vec<String>>)>>);

impl Rendered {
    /// The documents rendered less than `fresh_for` ago, else `render`'s (kept for next time).
    pub async fn get_or_render<F, Fut, E>(
        &self,
        fresh_for: std::time::Duration,
        render: F,
    ) -> Result<Arc<Vec<String>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Vec<String>, E>>,
    {
        let mut cached = self.0.lock().await;
        if let Some((at, documents)) = cached.as_ref()
            && at.elapsed() < fresh_for
        {
            return Ok(Arc::clone(documents));
        }
        let documents = Arc::new(render().await?);
        *cached = Some((std::time::Instant::now(), Arc::clone(&documents)));
        Ok(documents)
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }

    /// A state with the same parts but those `change` sets (the page renderer once the router
    /// is assembled; a second server's own database connections in the tests).
    pub fn with(&self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Shared::clone(&self.0);
        change(&mut shared);
        AppState::new(shared)
    }

    /// Connects the session store and the mailer; an error names the variable to fix.
    pub async fn build(db: Db, config: Config) -> Result<Self, String> {
        let leptos_options = config.leptos_options();
        let sessions = SessionStore::connect(&config)
            .await
            .map_err(|e| format!("DATABASE_URL : sessions indisponibles : {e}"))?;
        let mailer = Mailer::from_config(&config)?;
        let config_page_cache = config.page_cache;
        // Several servers share a PostgreSQL database, and with it their counts.
        let limiter = match config.database_kind {
            crate::config::DatabaseKind::Postgres => RateLimiter::shared(db.clone()),
            crate::config::DatabaseKind::Sqlite => RateLimiter::default(),
        };
        Ok(AppState::new(Shared {
            db,
            leptos_options,
            config: Arc::new(config),
            search: Arc::default(),
            sessions,
            mailer,
            limiter: Arc::new(limiter),
            sitemap: Arc::default(),
            metrics: Arc::default(),
            pages: Arc::new(crate::page_cache::PageCache::new(config_page_cache)),
            render_page: not_assembled,
        }))
    }

    pub async fn send_mail(&self, mail: Mail) {
        let counter = if self.mailer.send(&self.config.mail_from, mail).await {
            &self.metrics.mails_sent
        } else {
            &self.metrics.mails_failed
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sends `letter` to each of `recipients`, `(address, name)`, greeted by name.
    pub async fn send_letter(
        &self,
        recipients: Vec<(String, String)>,
        letter: &crate::mail::Letter,
    ) {
        for (email, name) in recipients {
            self.send_mail(letter.to(&email, &name)).await;
        }
    }
}

/// A value of the request's reactive context, as `use_context`, without the deadlock of
/// reactive_graph 0.2.16 when the request is abandoned at that moment: `use_context` walks up
/// the owners holding its own owner's read lock; if the request's root owner is dropped on
/// another thread meanwhile, the walk holds the root's last reference, dropping it cleans the
/// root's children, and cleaning ours needs the write lock this thread holds: a worker thread
/// of the runtime stuck for ever (seen: a server that no longer answered nor stopped, stuck in
/// `current_user` → `use_context` → `OwnerInner::drop` → `write_contended`). Holding every
/// ancestor first makes sure none is dropped inside the walk; ours are dropped after it, with
/// no lock held.
pub fn request_context<T: Clone + 'static>() -> Option<T> {
    let mut ancestors = Vec::new();
    let mut next = leptos::prelude::Owner::current().and_then(|owner| owner.parent());
    while let Some(owner) = next {
        next = owner.parent();
        ancestors.push(owner);
    }
    let value = leptos::prelude::use_context::<T>();
    drop(ancestors);
    value
}

/// The application state from inside a server function or a server-rendered component.
///
/// A page's data is loaded by a task of its own, which outlives the page when its visitor goes
/// away before it is sent (a closed tab, a client's time limit): the request's context is gone
/// by the time the task runs. That is not a fault: the task stops there, before any database
/// work, and a debug line says so. Anywhere else (no reactive owner at all) a missing state is
/// a wiring error, logged as such.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    use leptos::prelude::Owner;
    if let Some(state) = request_context::<AppState>() {
        return Ok(state);
    }
    if Owner::current().is_some() {
        tracing::debug!("request abandoned by its client before its data was loaded");
    } else {
        tracing::error!("AppState used outside any request");
    }
    Err(crate::error::AppError::Internal)
}

/// The renderer of a state that no router assembled yet: a 500, logged.
fn not_assembled(
    _: AppState,
    _: axum::extract::Request,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>> {
    use axum::response::IntoResponse;
    tracing::error!("page renderer used before the router was assembled");
    Box::pin(async { crate::error::AppError::Internal.into_response() })
}

#[cfg(test)]
mod tests {
    use super::request_context;
    use leptos::prelude::{Owner, provide_context};
    use std::sync::{Arc, Barrier, mpsc};
    use std::time::Duration;

    /// The race [`request_context`] is written against: a request's root owner dropped on one
    /// thread while another reads a value of its context from inside it. Every read must come
    /// back, with the value or without it; a stuck read is a stuck worker thread. With
    /// `use_context` in place of `request_context`, this test hung (stopped by nextest at 120 s;
    /// with it, 20,000 rounds take under a second, and about 1 % of the reads still find the
    /// value: the drop and the walk do overlap).
    #[test]
    fn a_context_read_comes_back_while_its_request_is_dropped_elsewhere() {
        const ROUNDS: u32 = 20_000;
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            for _ in 0..ROUNDS {
                let root = Owner::new();
                root.with(|| provide_context(7u32));
                let child = root.child();
                let barrier = Arc::new(Barrier::new(2));
                let dropping = std::thread::spawn({
                    let barrier = Arc::clone(&barrier);
                    move || {
                        barrier.wait();
                        drop(root);
                    }
                });
                barrier.wait();
                // The value when the walk ran first, none when the drop did: either is right.
                let value = child.with(request_context::<u32>);
                assert!(matches!(value, None | Some(7)), "{value:?}");
                dropping.join().unwrap();
            }
            done.send(()).unwrap();
        });
        finished
            .recv_timeout(Duration::from_secs(60))
            .expect("every context read comes back, with a value or without");
    }
}
