//! The session store, in the application's database (a table `sessions` on SQLite or
//! PostgreSQL). tower-sessions' sqlx store speaks to a native pool, so it gets a small pool of
//! its own on the same database. The accounts feature puts its login layer on top of it.

use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::config::{Config, DatabaseKind};

/// The session store, in the application's database. tower-sessions' sqlx store speaks to a
/// native pool, so it gets a small pool of its own on the same database.
#[derive(Clone, Debug)]
pub enum SessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionStore {
    pub async fn connect(config: &Config) -> Result<Self, sqlx::Error> {
        use sqlx::pool::PoolOptions;
        let store = match config.database_kind {
            DatabaseKind::Sqlite => {
                let options: sqlx::sqlite::SqliteConnectOptions = config.database_url.parse()?;
                let options = options
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(std::time::Duration::from_secs(5));
                let pool = PoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await?;
                let store = SqliteStore::new(pool)
                    .with_table_name("sessions")
                    .map_err(|error| sqlx::Error::Configuration(error.into()))?;
                store.migrate().await?;
                SessionStore::Sqlite(store)
            }
            DatabaseKind::Postgres => {
                let pool = PoolOptions::new()
                    .max_connections(4)
                    .connect(&config.database_url)
                    .await?;
                let store = PostgresStore::new(pool);
                store.migrate().await?;
                SessionStore::Postgres(store)
            }
        };
        Ok(store)
    }

    /// Deletes expired sessions every hour, in the background.
    pub fn spawn_cleanup(&self) {
        use tower_sessions::ExpiredDeletion;
        let period = std::time::Duration::from_secs(3600);
        match self.clone() {
            SessionStore::Sqlite(store) => {
                tokio::spawn(store.continuously_delete_expired(period));
            }
            SessionStore::Postgres(store) => {
                tokio::spawn(store.continuously_delete_expired(period));
            }
        }
    }
}
