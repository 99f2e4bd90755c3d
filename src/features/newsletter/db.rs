//! Subscribers, digests and deliveries.

use crate::db::Db;
use crate::timestamp::Timestamp;

/// How a subscription request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// A confirmation link is to be mailed (a new or still unconfirmed address).
    MailLink,
    /// The address is already confirmed: its choices are left as they are, nothing is sent.
    AlreadyConfirmed,
}

/// Records a request to subscribe `email`, with the hash of a fresh confirmation link.
#[allow(clippy::too_many_arguments)]
pub async fn request(
    db: &Db,
    email: &str,
    frequency: &str,
    territory: Option<i64>,
    confirm_hash: &str,
    expires_at: Timestamp,
    unsubscribe_token: &str,
    now: Timestamp,
) -> Result<Requested, sqlx::Error> {
    let confirmed: Option<Option<String>> =
        sqlx::query_scalar("SELECT confirmed_at FROM subscribers WHERE email = $1")
            .bind(email)
            .fetch_optional(&db.pool)
            .await?;
    if let Some(Some(_)) = confirmed {
        return Ok(Requested::AlreadyConfirmed);
    }
    sqlx::query(
        "INSERT INTO subscribers (email, frequency, territory_id, confirm_hash, confirm_expires_at, \
         unsubscribe_token, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (email) DO UPDATE SET frequency = excluded.frequency, \
         territory_id = excluded.territory_id, confirm_hash = excluded.confirm_hash, \
         confirm_expires_at = excluded.confirm_expires_at WHERE subscribers.confirmed_at IS NULL",
    )
    .bind(email)
    .bind(frequency)
    .bind(territory)
    .bind(confirm_hash)
    .bind(expires_at)
    .bind(unsubscribe_token)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(Requested::MailLink)
}

/// The address a live confirmation link confirms, without using it.
pub async fn pending(
    db: &Db,
    confirm_hash: &str,
    now: Timestamp,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email FROM subscribers WHERE confirm_hash = $1 AND confirmed_at IS NULL \
         AND confirm_expires_at > $2",
    )
    .bind(confirm_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Confirms the subscription of a live link: false for a link unknown, used or expired.
pub async fn confirm(db: &Db, confirm_hash: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE subscribers SET confirmed_at = $1, confirm_hash = NULL, confirm_expires_at = NULL \
         WHERE confirm_hash = $2 AND confirmed_at IS NULL AND confirm_expires_at > $1",
    )
    .bind(now)
    .bind(confirm_hash)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The subscribed address of an unsubscription link.
pub async fn by_unsubscribe_token(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM subscribers WHERE unsubscribe_token = $1")
        .bind(token)
        .fetch_optional(&db.pool)
        .await
}

/// Deletes the subscription of an unsubscription link: false when there is none (any more).
pub async fn unsubscribe(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM subscribers WHERE unsubscribe_token = $1")
        .bind(token)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the addresses never confirmed, requested before `before`.
pub async fn forget_unconfirmed(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM subscribers WHERE confirmed_at IS NULL AND created_at < $1")
            .bind(before)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected())
}

/// Confirmed subscribers per territory (`None`: the whole portal), for the editors.
pub async fn counts(db: &Db) -> Result<Vec<(Option<String>, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.name, s.frequency, COUNT(*) FROM subscribers s \
         LEFT JOIN territories t ON t.id = s.territory_id WHERE s.confirmed_at IS NOT NULL \
         GROUP BY t.name, s.frequency ORDER BY t.name, s.frequency",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn territory_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM territories WHERE slug = $1 AND kind IN ('departement', 'intercommunalite')",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await
}

/// The digest of `frequency` for `period`, written once: its id and the time it covers from.
pub async fn digest_for(
    db: &Db,
    frequency: &str,
    period: &str,
    since: Timestamp,
    now: Timestamp,
) -> Result<(i64, Timestamp, bool), sqlx::Error> {
    sqlx::query(
        "INSERT INTO digests (frequency, period, since, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (frequency, period) DO NOTHING",
    )
    .bind(frequency)
    .bind(period)
    .bind(since)
    .bind(now)
    .execute(&db.pool)
    .await?;
    let (id, since, finished): (i64, Timestamp, Option<String>) = sqlx::query_as(
        "SELECT id, since, finished_at FROM digests WHERE frequency = $1 AND period = $2",
    )
    .bind(frequency)
    .bind(period)
    .fetch_one(&db.pool)
    .await?;
    Ok((id, since, finished.is_some()))
}

/// A confirmed subscriber the digest has not reached: id, address, territory slug, link.
pub type Recipient = (i64, String, Option<String>, String);

/// The next `limit` confirmed subscribers of `frequency` that digest `digest` has not reached.
pub async fn undelivered(
    db: &Db,
    digest: i64,
    frequency: &str,
    limit: i64,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.email, t.slug, s.unsubscribe_token FROM subscribers s \
         LEFT JOIN territories t ON t.id = s.territory_id \
         WHERE s.confirmed_at IS NOT NULL AND s.frequency = $1 AND NOT EXISTS \
         (SELECT 1 FROM digest_deliveries d WHERE d.digest_id = $2 AND d.subscriber_id = s.id) \
         ORDER BY s.id LIMIT $3",
    )
    .bind(frequency)
    .bind(digest)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Records that the digest goes to the subscriber, before the mail leaves: true for the one
/// caller that recorded it.
pub async fn claim_delivery(
    db: &Db,
    digest: i64,
    subscriber: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO digest_deliveries (digest_id, subscriber_id, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (digest_id, subscriber_id) DO NOTHING",
    )
    .bind(digest)
    .bind(subscriber)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn finish(db: &Db, digest: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE digests SET finished_at = $1 WHERE id = $2")
        .bind(now)
        .bind(digest)
        .execute(&db.pool)
        .await?;
    Ok(())
}
