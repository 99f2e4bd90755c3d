//! `dessine seed demo`: the demonstration data, drawn from the world of the ESS networks of the
//! territory. Each feature adds its rows here. Running it again changes nothing.

use crate::db::Db;

/// Loads (or refreshes) the demo data.
pub async fn demo(db: &Db) -> Result<(), sqlx::Error> {
    crate::features::reference::db::seed(db).await?;
    crate::features::directory::demo::seed_demo(
        db,
        &crate::timestamp::Timestamp::now().to_string(),
    )
    .await?;
    crate::features::accounts::demo::seed(db).await?;
    crate::features::events::demo::seed(db).await?;
    crate::features::clubs::demo::seed(db).await?;
    crate::features::news::demo::seed(db).await?;
    crate::features::label::demo::seed(db)
        .await
        .map_err(|error| sqlx::Error::Protocol(format!("label demo: {error}")))?;
    crate::features::purchasing::demo::seed(db)
        .await
        .map_err(|error| sqlx::Error::Protocol(format!("purchasing demo: {error}")))?;
    db.analyze().await
}

/// `count` synthetic structures across France, for load tests. Returns how many were new.
pub async fn synthetic(db: &Db, count: u64) -> Result<usize, sqlx::Error> {
    crate::features::reference::db::seed(db).await?;
    let added = crate::features::directory::demo::seed_synthetic(
        db,
        count,
        &crate::timestamp::Timestamp::now().to_string(),
    )
    .await?;
    db.analyze().await?;
    Ok(added)
}

/// True when no reference data was loaded yet (a brand-new database).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let sectors: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sectors")
        .fetch_one(&db.pool)
        .await?;
    Ok(sectors == 0)
}
