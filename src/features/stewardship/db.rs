//! Manager requests and entry edits.

use super::{EntryEdit, ManagerRequest};
use crate::db::Db;
use crate::seed::now;

/// The published entry's id by slug.
pub async fn structure_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1 AND status = 'published'")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

/// Files a request; `false` when one is already pending (the database keeps one per member).
pub async fn request_management(
    db: &Db,
    user_id: i64,
    structure_id: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO manager_requests (user_id, structure_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(structure_id)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(result.rows_affected() > 0)
}

pub async fn has_pending_request(
    db: &Db,
    user_id: i64,
    structure_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM manager_requests WHERE user_id = $1 AND structure_id = $2 AND status = 'pending'",
    )
    .bind(user_id)
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// Pending requests for an entry, oldest first.
pub async fn pending_requests(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<ManagerRequest>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT r.id, u.name, u.email, r.created_at FROM manager_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.structure_id = $1 AND r.status = 'pending' ORDER BY r.created_at, r.id",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, created_at)| ManagerRequest {
            id,
            name,
            email,
            created_at,
        })
        .collect())
}

/// Every pending request, for the admin page: (request, entry slug, entry name).
pub async fn all_pending_requests(
    db: &Db,
) -> Result<Vec<(ManagerRequest, String, String)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT r.id, u.name, u.email, r.created_at, s.slug, s.name FROM manager_requests r \
         JOIN users u ON u.id = r.user_id JOIN structures s ON s.id = r.structure_id \
         WHERE r.status = 'pending' ORDER BY r.created_at, r.id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, created_at, slug, structure)| {
            (
                ManagerRequest {
                    id,
                    name,
                    email,
                    created_at,
                },
                slug,
                structure,
            )
        })
        .collect())
}

/// The entry a pending request is about, with its requester: (structure id, user id).
pub async fn pending_request(db: &Db, request_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT structure_id, user_id FROM manager_requests WHERE id = $1 AND status = 'pending'",
    )
    .bind(request_id)
    .fetch_optional(&db.pool)
    .await
}

/// Approves or rejects a pending request, in one transaction with the manager row.
pub async fn decide(
    db: &Db,
    request_id: i64,
    approve: bool,
    decided_by: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let now = now();
    let decided: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE manager_requests SET status = $1, decided_at = $2, decided_by = $3 \
         WHERE id = $4 AND status = 'pending' RETURNING user_id, structure_id",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(&now)
    .bind(decided_by)
    .bind(request_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, structure_id)) = decided else {
        return Ok(false);
    };
    if approve {
        sqlx::query(
            "INSERT INTO structure_managers (user_id, structure_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, structure_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(structure_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The current values of the editable fields.
pub async fn entry_for_edit(db: &Db, structure_id: i64) -> Result<Option<EntryEdit>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, description, offer, address, postal_code, email, phone, website FROM structures WHERE id = $1",
    )
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await
}

/// Saves an edit (the full-text index follows through its trigger). The slug stays: links to
/// the entry keep working after a rename.
pub async fn save_entry(db: &Db, structure_id: i64, edit: &EntryEdit) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE structures SET name = $1, sort_key = $2, description = $3, offer = $4, address = $5, \
         postal_code = $6, email = $7, phone = $8, website = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(&edit.name)
    .bind(crate::slug::slugify(&edit.name))
    .bind(&edit.description)
    .bind(&edit.offer)
    .bind(&edit.address)
    .bind(&edit.postal_code)
    .bind(&edit.email)
    .bind(&edit.phone)
    .bind(&edit.website)
    .bind(now())
    .bind(structure_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
