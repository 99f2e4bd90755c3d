//! Manager requests and entry edits.

use super::{Decision, EntryEdit, ManagerRequest, RequestStatus};
use crate::db::Db;
use crate::timestamp::Timestamp;
use crate::ui::form::Many;

/// The published entry's id by slug.
pub async fn structure_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1 AND status = $2")
        .bind(slug)
        .bind(crate::features::directory::PublicationStatus::Published.as_str())
        .fetch_optional(&db.pool)
        .await
}

/// Files a request: its id, or `None` when one is already pending (the database keeps one per
/// member).
pub async fn request_management(
    db: &Db,
    user_id: i64,
    structure_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO manager_requests (user_id, structure_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(user_id)
    .bind(structure_id)
    .bind(Timestamp::now())
    .fetch_optional(&db.pool)
    .await
}

/// A link that lets whoever reads the entry's public address approve request `request_id`.
pub async fn claim_link(db: &Db, request_id: i64) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let token = crate::tokens::issue(
        &mut tx,
        crate::tokens::Purpose::ClaimEntry,
        request_id,
        None,
        false,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Uses a claim link: approves its request (the link is the decision); the entry's slug, or
/// `None` for a link unknown, expired or used, or a request decided meanwhile.
pub async fn claim(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let Some(link) =
        crate::tokens::consume(&mut conn, crate::tokens::Purpose::ClaimEntry, token).await?
    else {
        return Ok(None);
    };
    drop(conn);
    if !decide(db, link.subject, Decision::Approve, None).await? {
        return Ok(None);
    }
    sqlx::query_scalar(
        "SELECT s.slug FROM manager_requests r JOIN structures s ON s.id = r.structure_id WHERE r.id = $1",
    )
    .bind(link.subject)
    .fetch_optional(&db.pool)
    .await
}

/// The entry's public address when nobody manages it yet (a claim can be confirmed there).
pub async fn unmanaged_address(
    db: &Db,
    structure_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, name FROM structures s WHERE id = $1 AND email <> '' \
         AND NOT EXISTS (SELECT 1 FROM structure_managers m WHERE m.structure_id = s.id)",
    )
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn has_pending_request(
    db: &Db,
    user_id: i64,
    structure_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM manager_requests WHERE user_id = $1 AND structure_id = $2 AND status = $3",
    )
    .bind(user_id)
    .bind(structure_id)
    .bind(RequestStatus::Pending.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// Pending requests for an entry, oldest first.
pub async fn pending_requests(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<ManagerRequest>, sqlx::Error> {
    let rows: Vec<(i64, String, String, Timestamp)> = sqlx::query_as(
        "SELECT r.id, u.name, u.email, r.created_at FROM manager_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.structure_id = $1 AND r.status = $2 ORDER BY r.created_at, r.id",
    )
    .bind(structure_id)
    .bind(RequestStatus::Pending.as_str())
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
    let rows: Vec<(i64, String, String, Timestamp, String, String)> = sqlx::query_as(
        "SELECT r.id, u.name, u.email, r.created_at, s.slug, s.name FROM manager_requests r \
         JOIN users u ON u.id = r.user_id JOIN structures s ON s.id = r.structure_id \
         WHERE r.status = $1 ORDER BY r.created_at, r.id",
    )
    .bind(RequestStatus::Pending.as_str())
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

/// The entry a request is about, whatever its state.
pub async fn request_structure(db: &Db, request_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT structure_id FROM manager_requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(&db.pool)
        .await
}

/// Approves or rejects a pending request, in one transaction with the manager row. `false`
/// when the request was no longer pending (decided by someone else meanwhile).
pub async fn decide(
    db: &Db,
    request_id: i64,
    decision: Decision,
    decided_by: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    let status = match decision {
        Decision::Approve => RequestStatus::Approved,
        Decision::Refuse => RequestStatus::Rejected,
    };
    let decided: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE manager_requests SET status = $1, decided_at = $2, decided_by = $3 \
         WHERE id = $4 AND status = $5 RETURNING user_id, structure_id",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(decided_by)
    .bind(request_id)
    .bind(RequestStatus::Pending.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, structure_id)) = decided else {
        return Ok(false);
    };
    if decision == Decision::Approve {
        crate::features::accounts::db::add_manager_in(&mut *tx, user_id, structure_id, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The current values of the editable fields, with the entry's sector slugs.
pub async fn entry_for_edit(db: &Db, structure_id: i64) -> Result<Option<EntryEdit>, sqlx::Error> {
    let edit: Option<EntryEdit> = sqlx::query_as(
        "SELECT name, description, offer, address, postal_code, email, phone, website, staff_band \
         FROM structures WHERE id = $1",
    )
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(mut edit) = edit else {
        return Ok(None);
    };
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT se.slug FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         WHERE ss.structure_id = $1 ORDER BY se.position",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await?;
    edit.sectors = Many(sectors);
    Ok(Some(edit))
}

/// Saves an edit through the directory, which owns the entries.
pub async fn save_entry(
    db: &Db,
    structure_id: i64,
    edit: &EntryEdit,
    author: &crate::features::accounts::CurrentUser,
) -> Result<(), sqlx::Error> {
    let fields = crate::features::directory::db::EntryFields {
        name: &edit.name,
        description: &edit.description,
        offer: &edit.offer,
        address: &edit.address,
        postal_code: &edit.postal_code,
        email: &edit.email,
        phone: &edit.phone,
        website: &edit.website,
        staff_band: &edit.staff_band,
        sectors: &edit.sectors.0,
    };
    let author = crate::features::directory::db::Author {
        id: Some(author.id),
        name: &author.name,
    };
    crate::features::directory::db::save_entry(db, structure_id, &fields, author).await
}
