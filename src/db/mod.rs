//! Database access: one pool whose backend (SQLite or PostgreSQL) is chosen at run time from
//! `DATABASE_URL`, and the migrations of both.
//!
//! One binary serves both databases through sqlx's `Any` driver, so a deployment switches by
//! configuration, not by rebuilding. Queries are written once with `$1` placeholders where the
//! SQL is the same on both; where it differs (full-text search), the feature's `db.rs` keeps the
//! two versions side by side and asks [`Db::backend`].

pub mod backup;
pub mod pool;
pub mod sessions;
pub mod sql;
pub mod to_postgres;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Executor;
use sqlx::any::{AnyPoolOptions, install_default_drivers};

pub use pool::Pool;
use pool::PoolStats;

use crate::config::{Config, DatabaseKind};

pub type Backend = DatabaseKind;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: Pool,
    backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("impossible de créer le dossier de la base {path} : {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("connexion à la base impossible : {0}")]
    Connect(#[source] sqlx::Error),
    #[error("échec des migrations : {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens a pool on `config.database_url`, creating the SQLite file and its folder if needed.
    pub async fn connect(config: &Config) -> Result<Db, DbSetupError> {
        install_default_drivers();
        let backend = config.database_kind.clone();
        let url = match backend {
            DatabaseKind::Sqlite => prepare_sqlite_url(&config.database_url)?,
            DatabaseKind::Postgres => config.database_url.clone(),
        };
        let stats = Arc::new(PoolStats::default());
        let counted = Arc::clone(&stats);
        let sqlite = backend == DatabaseKind::Sqlite;
        let pool = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(5))
            .max_connections(if sqlite { 8 } else { 16 })
            .after_connect(move |conn, _meta| {
                let counted = Arc::clone(&counted);
                Box::pin(async move {
                    counted.connection_opened();
                    if sqlite {
                        // WAL lets readers run while one writer writes; the busy timeout makes a
                        // second writer wait instead of failing at once. The search reads its
                        // own index, not the database: a page cache of up to 2 MiB per
                        // connection and no memory map keep the process small (a mapped file
                        // counts in its resident memory); the OS caches the file anyway. At
                        // 8 MiB the eight connections' caches filled under a mixed load and
                        // held about 50 MiB more than PostgreSQL's server at 200,000 entries.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                             PRAGMA cache_size = -2048;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(DbSetupError::Connect)?;
        Ok(Db {
            pool: Pool::new(pool, stats),
            backend,
        })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so concurrent writers wait their turn under the busy timeout: a deferred transaction that
    /// read first fails at once (`database is locked`, SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT) when
    /// another writer committed in between, which the soak run showed under mixed traffic.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            DatabaseKind::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            DatabaseKind::Postgres => self.pool.begin().await,
        }
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), DbSetupError> {
        let migrator = match self.backend {
            DatabaseKind::Sqlite => &SQLITE_MIGRATIONS,
            DatabaseKind::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&*self.pool)
            .await
            .map_err(DbSetupError::Migrate)
    }

    /// Whether every migration this build carries is applied (successfully) to the database.
    pub async fn migrations_applied(&self) -> Result<bool, sqlx::Error> {
        let migrator = match self.backend {
            DatabaseKind::Sqlite => &SQLITE_MIGRATIONS,
            DatabaseKind::Postgres => &POSTGRES_MIGRATIONS,
        };
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied >= migrator.iter().count() as i64)
    }

    /// Refreshes the planner's statistics after a bulk load, so that a selective filter (one
    /// commune) uses its index rather than a scan in name order.
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers a trivial query within two seconds.
    pub async fn is_healthy(&self) -> bool {
        let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(2), ping).await,
            Ok(Ok(1))
        )
    }
}

/// Creates the folder of an SQLite file and asks sqlx to create the file itself.
fn prepare_sqlite_url(url: &str) -> Result<String, DbSetupError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    let parent = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent.filter(|_| path != ":memory:") {
        std::fs::create_dir_all(parent).map_err(|source| DbSetupError::Folder {
            path: parent.display().to_string(),
            source,
        })?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::prepare_sqlite_url;

    #[test]
    fn sqlite_url_gets_create_mode_and_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nested/deeper/app.db");
        let url = format!("sqlite://{}", file.display());
        let prepared = prepare_sqlite_url(&url).unwrap();
        assert_eq!(prepared, format!("{url}?mode=rwc"));
        assert!(file.parent().unwrap().is_dir());
    }

    #[test]
    fn explicit_mode_is_kept() {
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:?mode=memory").unwrap(),
            "sqlite::memory:?mode=memory"
        );
    }
}

/// Tables whose rows are reached by a slug in their address.
#[derive(Debug, Clone, Copy)]
pub enum SlugTable {
    Structures,
    Clubs,
    Articles,
}

/// `base`, or `base-2`, `base-3`, … : the first slug no row of `table` holds and that is not one
/// of `reserved` (pages of their own, such as `nouveau`). Read in the caller's transaction, so
/// the unique index decides between two writers at the same moment.
pub async fn unique_slug(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: SlugTable,
    base: &str,
    reserved: &[&str],
) -> Result<String, sqlx::Error> {
    let query = match table {
        SlugTable::Structures => "SELECT id FROM structures WHERE slug = $1",
        SlugTable::Clubs => "SELECT id FROM clubs WHERE slug = $1",
        SlugTable::Articles => "SELECT id FROM articles WHERE slug = $1",
    };
    let mut slug = base.to_owned();
    for n in 2.. {
        let taken: Option<i64> = sqlx::query_scalar(query)
            .bind(&slug)
            .fetch_optional(&mut **tx)
            .await?;
        if taken.is_none() && !reserved.contains(&slug.as_str()) {
            break;
        }
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}
