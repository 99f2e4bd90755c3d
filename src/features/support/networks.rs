//! Support networks in the database: which structures accompany projects, the territories and
//! needs each covers, who advises for them, and the requests' figures per network and territory.

use super::db::Unknown;
use super::model::{Status, ValidNetwork};
use crate::db::Db;
use crate::timestamp::Timestamp;

/// The networks `user` manages (they advise for them): `(slug, name)`.
pub async fn managed_networks(db: &Db, user: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, s.name FROM support_networks n JOIN structure_managers m \
         ON m.structure_id = n.structure_id JOIN structures s ON s.id = n.structure_id \
         WHERE m.user_id = $1 ORDER BY s.sort_key",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

/// A support network, what it covers and what it did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetworkRow {
    pub slug: String,
    pub name: String,
    pub territories: Vec<String>,
    pub needs: Vec<String>,
    /// Requests sent to it, taken by its advisors, closed with an accompaniment.
    pub received: i64,
    pub taken: i64,
    pub accompanied: i64,
}

pub async fn networks(db: &Db) -> Result<Vec<NetworkRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, \
         (SELECT COUNT(*) FROM support_routes r WHERE r.network_id = s.id), \
         (SELECT COUNT(*) FROM support_requests q WHERE q.network_id = s.id), \
         (SELECT COUNT(*) FROM support_requests q WHERE q.network_id = s.id AND q.outcome = 'accompagnement') \
         FROM support_networks n JOIN structures s ON s.id = n.structure_id \
         WHERE s.status = 'published' ORDER BY s.sort_key",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, slug, name, received, taken, accompanied) in rows {
        let territories = sqlx::query_scalar(
            "SELECT t.name FROM support_network_territories nt JOIN territories t \
             ON t.id = nt.territory_id WHERE nt.network_id = $1 ORDER BY t.kind, t.name",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT need FROM support_network_needs WHERE network_id = $1")
                .bind(id)
                .fetch_all(&db.pool)
                .await?;
        let needs = super::model::in_needs_order(&stored);
        out.push(NetworkRow {
            slug,
            name,
            territories,
            needs,
            received,
            taken,
            accompanied,
        });
    }
    Ok(out)
}

/// The requests per intercommunality (or département when a commune has none): `(territory,
/// received, taken, accompanied)`, confirmed requests only.
pub async fn figures_by_territory(db: &Db) -> Result<Vec<(String, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(p.name, c.name) AS territory, COUNT(*), \
         SUM(CASE WHEN q.advisor_id IS NOT NULL OR q.status = 'close' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN q.outcome = 'accompagnement' THEN 1 ELSE 0 END) \
         FROM support_requests q JOIN territories c ON c.id = q.commune_id \
         LEFT JOIN territories p ON p.id = c.parent_id WHERE q.status <> $1 \
         GROUP BY COALESCE(p.name, c.name) ORDER BY COUNT(*) DESC, territory",
    )
    .bind(Status::Unconfirmed.as_str())
    .fetch_all(&db.pool)
    .await
}

/// Whether a structure is a support network, and the slugs of the territories and the needs it
/// covers.
pub async fn network_settings(
    db: &Db,
    structure: i64,
) -> Result<(bool, Vec<String>, Vec<String>), sqlx::Error> {
    let flagged: Option<i64> =
        sqlx::query_scalar("SELECT structure_id FROM support_networks WHERE structure_id = $1")
            .bind(structure)
            .fetch_optional(&db.pool)
            .await?;
    let territories = sqlx::query_scalar(
        "SELECT t.slug FROM support_network_territories nt JOIN territories t \
         ON t.id = nt.territory_id WHERE nt.network_id = $1",
    )
    .bind(structure)
    .fetch_all(&db.pool)
    .await?;
    let needs = sqlx::query_scalar("SELECT need FROM support_network_needs WHERE network_id = $1")
        .bind(structure)
        .fetch_all(&db.pool)
        .await?;
    Ok((flagged.is_some(), territories, needs))
}

/// Makes `structure` a support network covering exactly these territories and needs, in one
/// transaction; an unknown territory writes nothing.
pub async fn save_network(
    db: &Db,
    structure: i64,
    network: &ValidNetwork,
    now: Timestamp,
) -> Result<Result<(), Unknown>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO support_networks (structure_id, created_at) VALUES ($1, $2) \
         ON CONFLICT (structure_id) DO NOTHING",
    )
    .bind(structure)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM support_network_territories WHERE network_id = $1")
        .bind(structure)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM support_network_needs WHERE network_id = $1")
        .bind(structure)
        .execute(&mut *tx)
        .await?;
    for slug in &network.territories {
        let done = sqlx::query(
            "INSERT INTO support_network_territories (network_id, territory_id) \
             SELECT $1, id FROM territories WHERE slug = $2 AND kind IN ('departement', 'intercommunalite')",
        )
        .bind(structure)
        .bind(slug)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Err(Unknown::Territory));
        }
    }
    for need in &network.needs {
        sqlx::query("INSERT INTO support_network_needs (network_id, need) VALUES ($1, $2)")
            .bind(structure)
            .bind(need)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}
