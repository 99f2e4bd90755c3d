//! `dessine seed demo`: the demonstration data, drawn from the world of the ESS networks of the
//! territory. Each feature adds its rows here. Running it again changes nothing.

use crate::db::Db;

/// Loads (or refreshes) the demo data.
pub async fn demo(db: &Db) -> Result<(), sqlx::Error> {
    crate::features::reference::db::seed(db).await?;
    Ok(())
}

/// True when no reference data was loaded yet (a brand-new database).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let sectors: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sectors")
        .fetch_one(&db.pool)
        .await?;
    Ok(sectors == 0)
}
