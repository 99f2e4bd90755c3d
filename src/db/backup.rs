//! `dessine backup FILE` and `dessine restore FILE` for SQLite. A backup is an online,
//! consistent copy (`VACUUM INTO`) taken while the server runs; a restore replaces the database
//! file with a checked copy while the server is stopped. PostgreSQL has its own tools:
//! `pg_dump` and `pg_restore` (see the README).

use std::path::{Path, PathBuf};

use super::{Backend, Db};
use crate::config::{Config, DatabaseKind};

const POSTGRES_ADVICE: &str = "DATABASE_URL : base PostgreSQL : utilisez pg_dump pour la sauvegarder \
     et pg_restore pour la restaurer (voir le README)";

/// Writes a consistent copy of the live SQLite database to `file`.
pub async fn backup(db: &Db, file: &Path) -> Result<(), String> {
    if *db.backend() == Backend::Postgres {
        return Err(POSTGRES_ADVICE.to_owned());
    }
    if file.exists() {
        return Err(format!(
            "{} existe déjà : choisissez un autre nom",
            file.display()
        ));
    }
    let target = file.to_str().ok_or("chemin de fichier illisible")?;
    sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .execute(&db.pool)
        .await
        .map_err(|e| format!("copie impossible : {e}"))?;
    Ok(())
}

/// The database file named by an `sqlite://` URL.
fn sqlite_path(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    PathBuf::from(rest.split('?').next().unwrap_or_default())
}

/// Replaces the SQLite database with `file`, after checking that it is a sound DESSINE
/// database. The server must be stopped.
pub async fn restore(config: &Config, file: &Path) -> Result<(), String> {
    if config.database_kind == DatabaseKind::Postgres {
        return Err(POSTGRES_ADVICE.to_owned());
    }
    check_copy(file).await?;
    let target = sqlite_path(&config.database_url);
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{} : {e}", parent.display()))?;
    }
    let staging = target.with_extension("restauration");
    std::fs::copy(file, &staging).map_err(|e| format!("{} : {e}", staging.display()))?;
    // The old journal files belong to the old database.
    for suffix in ["-wal", "-shm"] {
        let journal = PathBuf::from(format!("{}{suffix}", target.display()));
        if journal.exists() {
            std::fs::remove_file(&journal).map_err(|e| format!("{} : {e}", journal.display()))?;
        }
    }
    std::fs::rename(&staging, &target).map_err(|e| format!("{} : {e}", target.display()))?;
    println!("Base restaurée depuis {}.", file.display());
    Ok(())
}

/// The copy opens, passes SQLite's integrity check and has DESSINE's migrations table.
async fn check_copy(file: &Path) -> Result<(), String> {
    use sqlx::ConnectOptions;
    if !file.is_file() {
        return Err(format!("{} : fichier introuvable", file.display()));
    }
    let unusable =
        |e: sqlx::Error| format!("{} n'est pas une copie utilisable : {e}", file.display());
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(unusable)?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(unusable)?;
    if check != "ok" {
        return Err(format!("{} est endommagé : {check}", file.display()));
    }
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .map_err(unusable)?;
    if migrations == 0 {
        return Err(format!("{} n'est pas une base DESSINE", file.display()));
    }
    Ok(())
}
