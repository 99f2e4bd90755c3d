//! The fair: stands, slots and meetings (a slot is booked once, by the database).

use crate::db::Db;
use crate::error::AppError;
use crate::features::purchasing::Meeting;
use crate::timestamp::Timestamp;

/// Coming public events that offer meeting slots: `(slug, title)`.
pub async fn coming_fairs(db: &Db, now: Timestamp) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.slug, e.title FROM events e WHERE e.visibility = 'public' AND e.ends_at >= $1 \
         AND EXISTS (SELECT 1 FROM meeting_slots s WHERE s.event_id = e.id) ORDER BY e.starts_at LIMIT 5",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// The fair's slots with the number of meetings booked in each.
pub async fn slots(
    db: &Db,
    event_id: i64,
) -> Result<Vec<(i64, Timestamp, Timestamp, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sl.id, sl.starts_at, sl.ends_at, (SELECT COUNT(*) FROM meetings m WHERE m.slot_id = sl.id) \
         FROM meeting_slots sl WHERE sl.event_id = $1 ORDER BY sl.starts_at",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn stands(db: &Db, event_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.slug, s.name FROM fair_stands f JOIN structures s ON s.id = f.structure_id \
         WHERE f.event_id = $1 ORDER BY s.sort_key",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await
}

/// Opens the slots `(starts, ends)` of a fair; a slot that already exists is kept as it is.
pub async fn open_slots(
    db: &Db,
    event_id: i64,
    slots: &[(Timestamp, Timestamp)],
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut opened = 0;
    for (starts, ends) in slots {
        opened += sqlx::query(
            "INSERT INTO meeting_slots (event_id, starts_at, ends_at) VALUES ($1, $2, $3) \
             ON CONFLICT (event_id, starts_at) DO NOTHING",
        )
        .bind(event_id)
        .bind(*starts)
        .bind(*ends)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(opened)
}

pub async fn add_stand(db: &Db, event_id: i64, structure_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fair_stands (event_id, structure_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(structure_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Books a meeting. The unique keys of `meetings` refuse a buyer or a structure twice at the
/// same time, whichever of two racing bookings commits second.
pub async fn book(
    db: &Db,
    event_id: i64,
    slot_id: i64,
    buyer_id: i64,
    structure_id: i64,
    by: i64,
    now: Timestamp,
) -> Result<Meeting, AppError> {
    let slot: Option<(Timestamp, Timestamp)> = sqlx::query_as(
        "SELECT starts_at, ends_at FROM meeting_slots WHERE id = $1 AND event_id = $2",
    )
    .bind(slot_id)
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    let (starts_at, ends_at) =
        slot.ok_or_else(|| AppError::validation("slot", "Choisissez un créneau de la liste."))?;
    let stand: Option<String> = sqlx::query_scalar(
        "SELECT s.name FROM fair_stands f JOIN structures s ON s.id = f.structure_id \
         WHERE f.event_id = $1 AND f.structure_id = $2",
    )
    .bind(event_id)
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    let structure = stand.ok_or_else(|| {
        AppError::validation("structure", "Choisissez une structure qui tient un stand.")
    })?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO meetings (slot_id, starts_at, buyer_id, structure_id, booked_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(slot_id)
    .bind(starts_at)
    .bind(buyer_id)
    .bind(structure_id)
    .bind(by)
    .bind(now)
    .fetch_one(&db.pool)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AppError::Conflict(
                "Ce créneau n'est plus libre : vous ou la structure avez déjà un rendez-vous à cette heure-là. Choisissez un autre créneau."
                    .to_owned(),
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let buyer: String = sqlx::query_scalar("SELECT organisation FROM buyers WHERE id = $1")
        .bind(buyer_id)
        .fetch_one(&db.pool)
        .await?;
    let slug: String = sqlx::query_scalar("SELECT slug FROM structures WHERE id = $1")
        .bind(structure_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(Meeting {
        id,
        starts_at,
        ends_at,
        buyer,
        structure,
        structure_slug: slug,
    })
}

/// The meetings of a fair that concern `user_id`: booked by their buyer organisation, or with a
/// structure they manage.
pub async fn schedule(db: &Db, event_id: i64, user_id: i64) -> Result<Vec<Meeting>, sqlx::Error> {
    let rows: Vec<(i64, Timestamp, Timestamp, String, String, String)> = sqlx::query_as(
        "SELECT m.id, sl.starts_at, sl.ends_at, b.organisation, s.name, s.slug FROM meetings m \
         JOIN meeting_slots sl ON sl.id = m.slot_id JOIN buyers b ON b.id = m.buyer_id \
         JOIN structures s ON s.id = m.structure_id \
         WHERE sl.event_id = $1 AND (b.user_id = $2 OR EXISTS (SELECT 1 FROM structure_managers sm \
              WHERE sm.structure_id = m.structure_id AND sm.user_id = $2)) \
         ORDER BY sl.starts_at, s.sort_key",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, starts_at, ends_at, buyer, structure, structure_slug)| Meeting {
                id,
                starts_at,
                ends_at,
                buyer,
                structure,
                structure_slug,
            },
        )
        .collect())
}

/// `(slot, structure)` pairs taken at a fair, and the slots where `buyer_id` is busy.
pub async fn taken(
    db: &Db,
    event_id: i64,
    buyer_id: i64,
) -> Result<(Vec<(i64, i64)>, Vec<i64>), sqlx::Error> {
    let pairs: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT m.slot_id, m.structure_id, m.buyer_id FROM meetings m JOIN meeting_slots sl ON sl.id = m.slot_id \
         WHERE sl.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let busy = pairs
        .iter()
        .filter(|(_, _, buyer)| *buyer == buyer_id)
        .map(|(slot, _, _)| *slot)
        .collect();
    Ok((
        pairs
            .into_iter()
            .map(|(slot, structure, _)| (slot, structure))
            .collect(),
        busy,
    ))
}
