//! Which entries turned the form off, and where a message goes.

use crate::db::Db;
use crate::timestamp::Timestamp;

/// Turns the form off (`closed`) or on again.
pub async fn set_closed(
    db: &Db,
    structure_id: i64,
    closed: bool,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    if closed {
        sqlx::query(
            "INSERT INTO contact_opt_outs (structure_id, closed_at) VALUES ($1, $2) \
             ON CONFLICT (structure_id) DO NOTHING",
        )
        .bind(structure_id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    } else {
        sqlx::query("DELETE FROM contact_opt_outs WHERE structure_id = $1")
            .bind(structure_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// A published entry's contact box, read in one query (it is on every entry's page).
pub struct ContactState {
    pub structure: i64,
    pub name: String,
    pub open: bool,
    /// Managers, or a public address, to receive a message.
    pub reachable: bool,
}

pub async fn contact_state(db: &Db, slug: &str) -> Result<Option<ContactState>, sqlx::Error> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.name, \
         CAST(CASE WHEN EXISTS (SELECT 1 FROM contact_opt_outs o WHERE o.structure_id = s.id) \
             THEN 0 ELSE 1 END AS BIGINT), \
         CAST(CASE WHEN s.email <> '' OR EXISTS (SELECT 1 FROM structure_managers m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.structure_id = s.id AND u.disabled_at IS NULL) THEN 1 ELSE 0 END AS BIGINT) \
         FROM structures s WHERE s.slug = $1 AND s.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(structure, name, open, reachable)| ContactState {
        structure,
        name,
        open: open == 1,
        reachable: reachable == 1,
    }))
}

/// `(e-mail, name)` of whoever receives a message: the entry's managers, or else its public
/// contact address; nobody when it has neither.
pub async fn recipients(db: &Db, structure_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let managers = crate::features::accounts::db::manager_addresses(db, structure_id).await?;
    if !managers.is_empty() {
        return Ok(managers);
    }
    let contact: Option<(String, String)> = sqlx::query_as(
        "SELECT email, name FROM structures WHERE id = $1 AND status = 'published' AND email <> ''",
    )
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(contact.into_iter().collect())
}
