//! Shared means and their bookings in the database. An accepted booking holds its days in
//! `mean_booked_days`, whose key refuses a second booking on the same day: two acceptances that
//! race cannot both hold a day.

use super::model::{BookingStatus, ValidMean, days};
use crate::db::Db;
use crate::timestamp::Timestamp;
use crate::timestamp::iso_day as iso;

/// A mean as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct MeanRow {
    pub id: i64,
    pub direction: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub terms: String,
    pub structure_id: i64,
    pub structure_slug: String,
    pub structure_name: String,
    pub commune: String,
    pub created_at: Timestamp,
}

const MEAN_COLUMNS: &str = "m.id, m.direction, m.kind, m.title, m.description, m.terms, \
     s.id AS structure_id, s.slug AS structure_slug, s.name AS structure_name, \
     COALESCE(c.name, sc.name) AS commune, m.created_at \
     FROM shared_means m JOIN structures s ON s.id = m.structure_id \
     JOIN territories sc ON sc.id = s.commune_id \
     LEFT JOIN territories c ON c.id = m.commune_id";

/// Adds a mean for `structure_id`; its id. An unknown commune is a `RowNotFound`.
pub async fn create_mean(
    db: &Db,
    mean: &ValidMean,
    structure_id: i64,
    author: Option<i64>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let commune: Option<i64> = if mean.commune.is_empty() {
        None
    } else {
        Some(
            sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
                .bind(&mean.commune)
                .fetch_one(&db.pool)
                .await?,
        )
    };
    sqlx::query_scalar(
        "INSERT INTO shared_means (structure_id, kind, direction, title, description, commune_id, \
         terms, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(structure_id)
    .bind(&mean.kind)
    .bind(&mean.direction)
    .bind(&mean.title)
    .bind(&mean.description)
    .bind(commune)
    .bind(&mean.terms)
    .bind(author)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// The means of published structures, newest first, of one kind and direction when given.
pub async fn means(db: &Db, kind: &str, direction: &str) -> Result<Vec<MeanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEAN_COLUMNS} WHERE s.status = 'published' AND ($1 = '' OR m.kind = $1) \
         AND ($2 = '' OR m.direction = $2) ORDER BY m.created_at DESC, m.id DESC LIMIT 200"
    ))
    .bind(kind)
    .bind(direction)
    .fetch_all(&db.pool)
    .await
}

pub async fn mean(db: &Db, id: i64) -> Result<Option<MeanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEAN_COLUMNS} WHERE m.id = $1 AND s.status = 'published'"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// A booking as the mean's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub structure_id: i64,
    pub structure_name: String,
    pub first_day: String,
    pub last_day: String,
    pub message: String,
    pub status: String,
}

/// A mean's bookings that end today or later, in date order.
pub async fn bookings(db: &Db, mean_id: i64, today: &str) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, b.structure_id, s.name AS structure_name, b.first_day, b.last_day, b.message, \
         b.status FROM mean_bookings b JOIN structures s ON s.id = b.structure_id \
         WHERE b.mean_id = $1 AND b.last_day >= $2 ORDER BY b.first_day, b.id",
    )
    .bind(mean_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await
}

/// Records a request to book `mean_id` for `structure_id`; its id.
pub async fn request_booking(
    db: &Db,
    mean_id: i64,
    structure_id: i64,
    author: Option<i64>,
    (first, last): (time::Date, time::Date),
    message: &str,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mean_bookings (mean_id, structure_id, requested_by, first_day, last_day, message, \
         status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(mean_id)
    .bind(structure_id)
    .bind(author)
    .bind(iso(first))
    .bind(iso(last))
    .bind(message)
    .bind(BookingStatus::Pending.as_str())
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// A booking's mean, the structure that owns the mean, and the structure that asks.
pub async fn booking_parties(
    db: &Db,
    booking_id: i64,
) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.mean_id, m.structure_id, b.structure_id FROM mean_bookings b \
         JOIN shared_means m ON m.id = b.mean_id WHERE b.id = $1",
    )
    .bind(booking_id)
    .fetch_optional(&db.pool)
    .await
}

/// What deciding on a booking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Done,
    /// Someone decided it already.
    AlreadyDecided,
    /// Accepting it would overlap a booking accepted before: nothing was written.
    Overlaps,
}

/// Accepts or refuses a pending booking, in one transaction: an acceptance holds each of its
/// days, and a day another accepted booking holds makes the whole acceptance fail.
pub async fn decide(
    db: &Db,
    booking_id: i64,
    accept: bool,
    now: Timestamp,
) -> Result<Decided, sqlx::Error> {
    let status = if accept {
        BookingStatus::Accepted
    } else {
        BookingStatus::Refused
    };
    let mut tx = db.begin_write().await?;
    let decided: Option<(i64, String, String)> = sqlx::query_as(
        "UPDATE mean_bookings SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4 \
         RETURNING mean_id, first_day, last_day",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(booking_id)
    .bind(BookingStatus::Pending.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((mean_id, first, last)) = decided else {
        return Ok(Decided::AlreadyDecided);
    };
    if accept {
        let (Some(first), Some(last)) = (
            crate::timestamp::parse_date(&first),
            crate::timestamp::parse_date(&last),
        ) else {
            return Err(sqlx::Error::RowNotFound);
        };
        for day in days(first, last) {
            let held = sqlx::query(
                "INSERT INTO mean_booked_days (mean_id, day, booking_id) VALUES ($1, $2, $3)",
            )
            .bind(mean_id)
            .bind(day)
            .bind(booking_id)
            .execute(&mut *tx)
            .await;
            match held {
                Ok(_) => {}
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                    tx.rollback().await?;
                    return Ok(Decided::Overlaps);
                }
                Err(error) => return Err(error),
            }
        }
    }
    tx.commit().await?;
    Ok(Decided::Done)
}

/// What a calendar file needs of an accepted booking: the mean's title, the two structures,
/// the days.
pub async fn accepted_booking(
    db: &Db,
    booking_id: i64,
) -> Result<Option<(String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.title, o.name, s.name, b.first_day, b.last_day FROM mean_bookings b \
         JOIN shared_means m ON m.id = b.mean_id JOIN structures o ON o.id = m.structure_id \
         JOIN structures s ON s.id = b.structure_id WHERE b.id = $1 AND b.status = $2",
    )
    .bind(booking_id)
    .bind(BookingStatus::Accepted.as_str())
    .fetch_optional(&db.pool)
    .await
}

/// What the answer's letter and its calendar file name, whatever the booking's state: the
/// mean's title, the two structures, the days.
pub async fn booking_summary(
    db: &Db,
    booking_id: i64,
) -> Result<Option<(String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.title, o.name, s.name, b.first_day, b.last_day FROM mean_bookings b \
         JOIN shared_means m ON m.id = b.mean_id JOIN structures o ON o.id = m.structure_id \
         JOIN structures s ON s.id = b.structure_id WHERE b.id = $1",
    )
    .bind(booking_id)
    .fetch_optional(&db.pool)
    .await
}

/// The other side of `mean`: offers of the same kind when it is a search (« nous cherchons »),
/// searches of the same kind when it is an offer; other structures' only, newest first, a few,
/// those of the same commune first.
pub async fn matches(db: &Db, mean: &MeanRow) -> Result<Vec<MeanRow>, sqlx::Error> {
    let other = if mean.direction == "offre" {
        "recherche"
    } else {
        "offre"
    };
    sqlx::query_as(&format!(
        "SELECT {MEAN_COLUMNS} WHERE s.status = 'published' AND m.kind = $1 AND m.direction = $2 \
         AND m.structure_id <> $3 \
         ORDER BY CASE WHEN COALESCE(c.name, sc.name) = $4 THEN 0 ELSE 1 END, m.created_at DESC, m.id DESC \
         LIMIT 5"
    ))
    .bind(&mean.kind)
    .bind(other)
    .bind(mean.structure_id)
    .bind(&mean.commune)
    .fetch_all(&db.pool)
    .await
}
