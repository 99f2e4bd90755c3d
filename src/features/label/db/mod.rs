//! The label's queries, split by subject: journeys (steps are only appended), cohorts and
//! attendance, verification.

mod cohorts;
mod journeys;
mod verification;

use crate::db::Db;
use crate::features::label::Scheme;
pub use cohorts::*;
pub use journeys::*;
use sqlx::Row;
pub use verification::*;

/// The scheme (there is one: « Démarche progrès »).
pub async fn scheme(db: &Db) -> Result<Scheme, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, training_days, renewal_months, code_prefix FROM label_schemes \
         WHERE slug = 'demarche-progres'",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(Scheme {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        training_days: row.try_get::<i64, _>("training_days")? as u32,
        renewal_months: row.try_get::<i64, _>("renewal_months")? as u32,
        code_prefix: row.try_get("code_prefix")?,
    })
}

pub async fn is_referent(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar("SELECT label_referent FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(flag == Some(1))
}

/// Gives or takes the referent role; `false` when there is no such account.
pub async fn set_referent(db: &Db, user_id: i64, on: bool) -> Result<bool, sqlx::Error> {
    crate::features::accounts::db::set_label_referent(db, user_id, on).await
}

pub async fn referents(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM users WHERE label_referent = 1 AND disabled_at IS NULL ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
}
