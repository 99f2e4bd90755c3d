//! `dessine seed demo`: the demonstration data, drawn from the world of the ESS networks of the
//! territory. Each feature adds its rows here. Running it again changes nothing.

use crate::db::Db;

/// What the demo data is made of, counted before and after a run to say what it added.
const COUNTED: &[(&str, &str)] = &[
    ("structures", "structures"),
    ("users", "comptes"),
    ("events", "événements"),
    ("clubs", "clubs"),
    ("articles", "articles"),
    ("label_journeys", "parcours du label"),
    ("needs", "besoins d'achat"),
    ("proposals", "propositions à modérer"),
];

async fn counts(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    let mut counts = Vec::with_capacity(COUNTED.len());
    for (table, _) in COUNTED {
        counts.push(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&db.pool)
                .await?,
        );
    }
    Ok(counts)
}

/// Loads the demo data, or completes it: what exists is left as it is, so running it again
/// (or on a database that already holds other structures) adds nothing twice. Answers what was
/// added, in French (« 60 structures, 9 comptes, … ajoutés »), or that everything was there.
pub async fn demo(db: &Db) -> Result<String, sqlx::Error> {
    let before = counts(db).await?;
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
    crate::features::moderation::demo::seed(db)
        .await
        .map_err(|error| sqlx::Error::Protocol(format!("moderation demo: {error}")))?;
    crate::features::sharing::demo::seed(db).await?;
    crate::features::support::demo::seed(db).await?;
    crate::features::calls::demo::seed(db).await?;
    db.analyze().await?;
    let after = counts(db).await?;
    let added: Vec<String> = COUNTED
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (before, after))| after > before)
        .map(|((_, what), (before, after))| format!("{} {what}", after - before))
        .collect();
    Ok(if added.is_empty() {
        "Les données de démonstration étaient déjà là : rien d'ajouté.".to_owned()
    } else {
        format!("Données de démonstration ajoutées : {}.", added.join(", "))
    })
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
