//! Who moderates, and where.

use crate::db::Db;
use crate::features::moderation::Moderator;
use crate::timestamp::Timestamp;

/// `Some(None)`: moderates everywhere; `Some(Some(id))`: département `id`; `None`: does not
/// moderate.
pub async fn moderator_scope(db: &Db, user_id: i64) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar("SELECT departement_id FROM moderators WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn moderators(db: &Db) -> Result<Vec<Moderator>, sqlx::Error> {
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.name, u.email, t.name FROM moderators m JOIN users u ON u.id = m.user_id \
         LEFT JOIN territories t ON t.id = m.departement_id ORDER BY u.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, email, territory)| Moderator {
            user_id,
            name,
            email,
            territory,
        })
        .collect())
}

/// Makes the person a moderator (of `departement`, or everywhere), or changes where.
pub async fn add_moderator(
    db: &Db,
    user_id: i64,
    departement: Option<i64>,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moderators (user_id, departement_id, granted_by, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET departement_id = $2, granted_by = $3, granted_at = $4",
    )
    .bind(user_id)
    .bind(departement)
    .bind(by)
    .bind(Timestamp::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn remove_moderator(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM moderators WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The moderators of an entry's département (and those of every territory), `(address, name)`,
/// to tell them a proposal waits.
pub async fn moderator_addresses(
    db: &Db,
    departement: Option<i64>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM moderators m JOIN users u ON u.id = m.user_id \
         WHERE u.disabled_at IS NULL AND (m.departement_id IS NULL OR m.departement_id = $1)",
    )
    .bind(departement)
    .fetch_all(&db.pool)
    .await
}
