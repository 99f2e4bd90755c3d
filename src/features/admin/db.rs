//! User administration queries.

use super::UserSummary;
use crate::db::Db;
use crate::seed::now;

/// Up to 100 users whose name or e-mail contains `q` (all when empty), by name.
pub async fn search_users(db: &Db, q: &str) -> Result<Vec<UserSummary>, sqlx::Error> {
    let pattern = format!(
        "%{}%",
        q.trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    type Row = (i64, String, String, i64, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, email, is_admin, disabled_at, email_verified_at FROM users \
         WHERE LOWER(name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\' ORDER BY LOWER(name), id LIMIT 100",
    )
    .bind(&pattern)
    .fetch_all(&db.pool)
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for (id, name, email, is_admin, disabled_at, verified_at) in rows {
        let structures = crate::features::accounts::db::managed_structures(db, id)
            .await?
            .into_iter()
            .map(|(_, _, name)| name)
            .collect();
        users.push(UserSummary {
            id,
            name,
            email,
            is_admin: is_admin != 0,
            disabled: disabled_at.is_some(),
            verified: verified_at.is_some(),
            structures,
        });
    }
    Ok(users)
}

pub async fn set_admin(db: &Db, user_id: i64, admin: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET is_admin = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(admin))
        .bind(now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Disables (or enables) an account; disabling also changes the security stamp, which ends the
/// user's sessions at their next request.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<(), sqlx::Error> {
    let now = now();
    sqlx::query(
        "UPDATE users SET disabled_at = $1, security_stamp = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(disabled.then(|| now.clone()))
    .bind(crate::features::accounts::tokens::new_stamp())
    .bind(&now)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
