//! User administration queries.

use super::UserSummary;
use crate::db::Db;
use crate::features::accounts::SiteRole;
use crate::timestamp::Timestamp;

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
    type Row = (
        i64,
        String,
        String,
        i64,
        Option<Timestamp>,
        Option<Timestamp>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, email, site_role, disabled_at, email_verified_at, label_referent FROM users \
         WHERE LOWER(name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\' ORDER BY LOWER(name), id LIMIT 100",
    )
    .bind(&pattern)
    .fetch_all(&db.pool)
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for (id, name, email, role_flag, disabled_at, verified_at, referent) in rows {
        let role = SiteRole::try_from(role_flag).map_err(|e| sqlx::Error::Decode(e.into()))?;
        let structures = crate::features::accounts::db::managed_structures(db, id)
            .await?
            .into_iter()
            .map(|(_, _, name)| name)
            .collect();
        users.push(UserSummary {
            id,
            name,
            email,
            role,
            disabled: disabled_at.is_some(),
            verified: verified_at.is_some(),
            label_referent: referent == 1,
            structures,
        });
    }
    Ok(users)
}
