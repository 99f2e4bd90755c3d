//! The purchasing queries, split by subject. The SQL is the same on SQLite and PostgreSQL.
//! Every change of a need is written with its `need_history` row in one transaction; a change
//! that depends on the need's status checks it in its own `UPDATE … WHERE status = …`, so that
//! two posts racing cannot both pass.

mod answers;
mod fair;
mod needs;
mod report;
mod suppliers;

use crate::db::Db;
pub use answers::*;
pub use fair::*;
pub use needs::*;
pub use report::*;
pub use suppliers::*;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// `(slug, name)` of every sector, in the directory's order.
pub async fn sectors(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, name FROM sectors ORDER BY position, name")
        .fetch_all(&db.pool)
        .await
}

/// Départements and intercommunalities, then communes, for the filters.
pub async fn territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories ORDER BY CASE kind WHEN 'departement' THEN 0 \
         WHEN 'intercommunalite' THEN 1 ELSE 2 END, name",
    )
    .fetch_all(&db.pool)
    .await
}

/// The e-mail addresses of a structure's managers: `(e-mail, name)`.
pub async fn structure_managers(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM structure_managers m JOIN users u ON u.id = m.user_id \
         WHERE m.structure_id = $1 AND u.disabled_at IS NULL ORDER BY u.email",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await
}

/// A published structure's id, from its slug.
pub async fn published_structure(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1 AND status = 'published'")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}
