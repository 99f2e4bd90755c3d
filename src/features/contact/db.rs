//! Which entries turned the form off, and where a message goes.

use crate::db::Db;
use crate::timestamp::Timestamp;

/// Whether the entry's managers turned the form off.
pub async fn is_closed(db: &Db, structure_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT structure_id FROM contact_opt_outs WHERE structure_id = $1")
            .bind(structure_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

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
