//! The seat engine.
//!
//! Every change to who holds a seat happens in one write transaction whose first statement
//! updates the event's row: PostgreSQL then holds that row's lock until the commit, and SQLite
//! holds its write lock from `BEGIN IMMEDIATE`. Registrations to one event are therefore counted
//! and written one after the other, so the seats taken never exceed the capacity, and each
//! registration that asks for a seat takes the next arrival number (`queue`), which orders the
//! waitlist.

use crate::db::Db;
use crate::error::AppError;
use crate::features::events::RegistrationStatus;
use crate::features::events::db::Tx;
use crate::timestamp::Timestamp;
use crate::tokens::Purpose;
use sqlx::Any;

pub(super) async fn waitlist_position<'e, E>(
    executor: E,
    event_id: i64,
    queue: i64,
) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'waitlisted' AND queue <= $2",
    )
    .bind(event_id)
    .bind(queue)
    .fetch_one(executor)
    .await
}

/// Who registers.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub user_id: Option<i64>,
    pub structure_id: Option<i64>,
    pub name: String,
    pub email: String,
}

/// What a registration that asked for a seat got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Confirmed,
    /// With the position on the waitlist (1 = next).
    Waitlisted(i64),
}

/// A second registration of the same person.
fn already_registered() -> AppError {
    AppError::Conflict(
        "Vous êtes déjà inscrit·e à cet événement (ou sur sa liste d'attente).".to_owned(),
    )
}

/// A registration above the number of people a structure may register.
fn structure_limit(limit: i64) -> AppError {
    AppError::validation(
        "structure",
        format!(
            "Cette structure a déjà inscrit {limit} personne{} : c'est le maximum pour cet événement.",
            if limit > 1 { "s" } else { "" }
        ),
    )
}

/// Locks the event's row for the rest of the transaction and takes the next arrival number;
/// answers `(queue, capacity, per-structure limit)`.
pub(super) async fn lock_event(
    tx: &mut Tx,
    event_id: i64,
) -> Result<(i64, Option<i64>, Option<i64>), sqlx::Error> {
    sqlx::query_as(
        "UPDATE events SET next_queue = next_queue + 1 WHERE id = $1 \
         RETURNING next_queue, capacity, per_structure_limit",
    )
    .bind(event_id)
    .fetch_one(&mut **tx)
    .await
}

async fn count(tx: &mut Tx, sql: &str, a: i64, b: Option<i64>) -> Result<i64, sqlx::Error> {
    let mut query = sqlx::query_scalar(sql).bind(a);
    if let Some(b) = b {
        query = query.bind(b);
    }
    query.fetch_one(&mut **tx).await
}

/// Registers a member (or a guest whose address is confirmed) and gives them a seat or a place
/// on the waitlist, in one transaction; `sessions` are workshop ids of this event.
pub async fn register(
    db: &Db,
    event_id: i64,
    who: &Registrant,
    sessions: &[i64],
    answers: &[(i64, String)],
) -> Result<(i64, Seat), AppError> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    let (queue, capacity, limit) = lock_event(&mut tx, event_id).await?;
    check_free(&mut tx, event_id, who, limit).await?;
    let status = seat_status(&mut tx, event_id, capacity).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO registrations (event_id, user_id, structure_id, name, email, status, queue, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(event_id)
    .bind(who.user_id)
    .bind(who.structure_id)
    .bind(&who.name)
    .bind(&who.email)
    .bind(status.as_str())
    .bind(queue)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    save_answers(&mut tx, id, answers).await?;
    for session in sessions {
        sqlx::query(
            "INSERT INTO registration_sessions (registration_id, session_id, status, queue) VALUES ($1, $2, 'waitlisted', $3)",
        )
        .bind(id)
        .bind(session)
        .bind(queue)
        .execute(&mut *tx)
        .await?;
    }
    let seat = settle(&mut tx, event_id, status, queue).await?;
    tx.commit().await?;
    Ok((id, seat))
}

/// How many registrations of the event are in `status`.
async fn with_status(
    tx: &mut Tx,
    event_id: i64,
    status: RegistrationStatus,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = $2")
        .bind(event_id)
        .bind(status.as_str())
        .fetch_one(&mut **tx)
        .await
}

/// Refuses a second registration of the same person, or one above the structure's limit.
async fn check_free(
    tx: &mut Tx,
    event_id: i64,
    who: &Registrant,
    limit: Option<i64>,
) -> Result<(), AppError> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND email = $2 AND status IN ('confirmed', 'waitlisted')",
    )
    .bind(event_id)
    .bind(&who.email)
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Err(already_registered());
    }
    if let (Some(limit), Some(structure)) = (limit, who.structure_id) {
        let used = count(
            tx,
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND structure_id = $2 \
             AND status IN ('confirmed', 'waitlisted')",
            event_id,
            Some(structure),
        )
        .await?;
        if used >= limit {
            return Err(structure_limit(limit));
        }
    }
    Ok(())
}

/// Confirmed when a seat is free and nobody waits before; waitlisted otherwise.
async fn seat_status(
    tx: &mut Tx,
    event_id: i64,
    capacity: Option<i64>,
) -> Result<RegistrationStatus, sqlx::Error> {
    let Some(capacity) = capacity else {
        return Ok(RegistrationStatus::Confirmed);
    };
    let confirmed = with_status(tx, event_id, RegistrationStatus::Confirmed).await?;
    let waiting = with_status(tx, event_id, RegistrationStatus::Waitlisted).await?;
    Ok(if confirmed < capacity && waiting == 0 {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waitlisted
    })
}

/// After a registration got its status: its workshops take their seats (or wait), and the
/// answer says what the person got.
async fn settle(
    tx: &mut Tx,
    event_id: i64,
    status: RegistrationStatus,
    queue: i64,
) -> Result<Seat, sqlx::Error> {
    if status == RegistrationStatus::Confirmed {
        promote_sessions(tx, event_id).await?;
        Ok(Seat::Confirmed)
    } else {
        Ok(Seat::Waitlisted(
            waitlist_position(&mut **tx, event_id, queue).await?,
        ))
    }
}

async fn save_answers(
    tx: &mut Tx,
    registration_id: i64,
    answers: &[(i64, String)],
) -> Result<(), sqlx::Error> {
    for (question, answer) in answers {
        sqlx::query(
            "INSERT INTO registration_answers (registration_id, question_id, answer) VALUES ($1, $2, $3)",
        )
        .bind(registration_id)
        .bind(question)
        .bind(answer)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Deletes the registrations still unconfirmed that were made before `before` (their links go
/// with them); how many.
pub async fn purge_unconfirmed(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM registrations WHERE status = 'pending' AND created_at < $1")
            .bind(before)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

/// A guest's registration, waiting for their address to be confirmed (no seat yet). An earlier
/// unconfirmed one from the same address stays, with its link: registering someone's address
/// again does not cancel the link they were sent (the first confirmed wins; the purge takes the
/// rest).
pub async fn register_pending(
    db: &Db,
    event_id: i64,
    who: &Registrant,
    sessions: &[i64],
    answers: &[(i64, String)],
) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO registrations (event_id, name, email, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'pending', $4, $4) RETURNING id",
    )
    .bind(event_id)
    .bind(&who.name)
    .bind(&who.email)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    save_answers(&mut tx, id, answers).await?;
    for session in sessions {
        sqlx::query(
            "INSERT INTO registration_sessions (registration_id, session_id, status, queue) VALUES ($1, $2, 'waitlisted', 0)",
        )
        .bind(id)
        .bind(session)
        .execute(&mut *tx)
        .await?;
    }
    let token =
        crate::tokens::issue(&mut tx, Purpose::ConfirmRegistration, id, None, false).await?;
    tx.commit().await?;
    Ok(token)
}

/// Whether the address already holds a seat or a waitlist place at the event.
pub async fn is_registered(db: &Db, event_id: i64, email: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND email = $2 AND status IN ('confirmed', 'waitlisted')",
    )
    .bind(event_id)
    .bind(email)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// A guest confirms their address with the mailed link: their registration asks for its seat
/// now (arrival order is the order of confirmation). The link works once.
pub async fn confirm_pending(db: &Db, token: &str) -> Result<(i64, Seat), AppError> {
    let now = Timestamp::now();
    let mut conn = db.pool.acquire().await?;
    let Some(id) = crate::tokens::find(&mut conn, Purpose::ConfirmRegistration, token)
        .await?
        .map(|link| link.subject)
    else {
        return Err(AppError::InvalidLink);
    };
    drop(conn);
    let event_id: Option<i64> = sqlx::query_scalar(
        "SELECT event_id FROM registrations WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(event_id) = event_id else {
        return Err(AppError::InvalidLink);
    };
    // The event as it is now, not as it was when the guest registered: closed, over, or no
    // longer open to the public, the link no longer gives a seat.
    let event = match super::event_slug(db, event_id).await? {
        Some(slug) => super::find(db, &slug).await?,
        None => None,
    };
    let Some(event) = event else {
        return Err(AppError::InvalidLink);
    };
    if event.visibility != crate::features::events::Visibility::Public
        || event.openness(now) != crate::features::events::Openness::Open
    {
        return Err(AppError::Conflict(
            "Les inscriptions à cet événement sont fermées : votre inscription n'a pas pu être confirmée.".to_owned(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let (queue, capacity, limit) = lock_event(&mut tx, event_id).await?;
    // Used meanwhile by a second click: the link no longer answers.
    if crate::tokens::consume(&mut tx, Purpose::ConfirmRegistration, token)
        .await?
        .is_none()
    {
        return Err(AppError::InvalidLink);
    }
    let (name, email): (String, String) =
        sqlx::query_as("SELECT name, email FROM registrations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let who = Registrant {
        user_id: None,
        structure_id: None,
        name,
        email,
    };
    check_free(&mut tx, event_id, &who, limit).await?;
    let status = seat_status(&mut tx, event_id, capacity).await?;
    sqlx::query("UPDATE registrations SET status = $1, queue = $2, updated_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(queue)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE registration_sessions SET queue = $1 WHERE registration_id = $2")
        .bind(queue)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let seat = settle(&mut tx, event_id, status, queue).await?;
    tx.commit().await?;
    Ok((id, seat))
}

/// A person who got a seat (or a workshop seat) because someone left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub registration_id: i64,
    /// Promoted from the event's waitlist (else only to workshops).
    pub to_event: bool,
    pub sessions: Vec<String>,
}

/// Gives free seats to the first people waiting: the event's, then each workshop's (among
/// people who hold an event seat), in arrival order.
pub(super) async fn promote(
    tx: &mut Tx,
    event_id: i64,
    capacity: Option<i64>,
) -> Result<Vec<Promotion>, sqlx::Error> {
    let mut promotions: Vec<Promotion> = Vec::new();
    let free = match capacity {
        None => i64::MAX,
        Some(capacity) => {
            let confirmed = with_status(tx, event_id, RegistrationStatus::Confirmed).await?;
            capacity - confirmed
        }
    };
    if free > 0 {
        let waiting: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY queue, id LIMIT $2",
        )
        .bind(event_id)
        .bind(free.min(100_000))
        .fetch_all(&mut **tx)
        .await?;
        for id in waiting {
            sqlx::query(
                "UPDATE registrations SET status = 'confirmed', updated_at = $1 WHERE id = $2",
            )
            .bind(Timestamp::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            promotions.push(Promotion {
                registration_id: id,
                to_event: true,
                sessions: Vec::new(),
            });
        }
    }
    for (registration_id, title) in promote_sessions(tx, event_id).await? {
        match promotions
            .iter_mut()
            .find(|p| p.registration_id == registration_id)
        {
            Some(promotion) => promotion.sessions.push(title),
            None => promotions.push(Promotion {
                registration_id,
                to_event: false,
                sessions: vec![title],
            }),
        }
    }
    Ok(promotions)
}

/// Each workshop's free seats go to the people with an event seat who wait for it, in arrival
/// order; answers `(registration, workshop title)` for each seat given.
async fn promote_sessions(tx: &mut Tx, event_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let sessions: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, title, capacity FROM event_sessions WHERE event_id = $1 ORDER BY id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut given = Vec::new();
    for (session, title, capacity) in sessions {
        let free = match capacity {
            None => i64::MAX,
            Some(capacity) => {
                let taken = count(
                    tx,
                    "SELECT COUNT(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id \
                     WHERE rs.session_id = $1 AND rs.status = 'confirmed' AND r.status = 'confirmed'",
                    session,
                    None,
                )
                .await?;
                capacity - taken
            }
        };
        if free <= 0 {
            continue;
        }
        let waiting: Vec<i64> = sqlx::query_scalar(
            "SELECT rs.registration_id FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id \
             WHERE rs.session_id = $1 AND rs.status = 'waitlisted' AND r.status = 'confirmed' \
             ORDER BY rs.queue, rs.registration_id LIMIT $2",
        )
        .bind(session)
        .bind(free.min(100_000))
        .fetch_all(&mut **tx)
        .await?;
        for registration in waiting {
            sqlx::query(
                "UPDATE registration_sessions SET status = 'confirmed' WHERE registration_id = $1 AND session_id = $2",
            )
            .bind(registration)
            .bind(session)
            .execute(&mut **tx)
            .await?;
            given.push((registration, title.clone()));
        }
    }
    Ok(given)
}

/// Cancels a live registration, frees its seats and promotes the people waiting. `None` when it
/// was no longer live (cancelled before, or never confirmed).
pub async fn cancel(db: &Db, registration_id: i64) -> Result<Option<Vec<Promotion>>, sqlx::Error> {
    let event_id: Option<i64> =
        sqlx::query_scalar("SELECT event_id FROM registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some(event_id) = event_id else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    let (_, capacity, _) = lock_event(&mut tx, event_id).await?;
    let now = Timestamp::now();
    let changed = sqlx::query(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = $1, updated_at = $1 \
         WHERE id = $2 AND status IN ('confirmed', 'waitlisted', 'pending')",
    )
    .bind(now)
    .bind(registration_id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Ok(None);
    }
    sqlx::query("UPDATE registration_sessions SET status = 'cancelled' WHERE registration_id = $1")
        .bind(registration_id)
        .execute(&mut *tx)
        .await?;
    // Cancel links stay, so that a second click says the registration is already cancelled.
    crate::tokens::revoke(&mut tx, Purpose::ConfirmRegistration, registration_id).await?;
    let promotions = promote(&mut tx, event_id, capacity).await?;
    tx.commit().await?;
    Ok(Some(promotions))
}

/// After an organiser changed capacities: the people waiting take the new seats.
pub async fn promote_after_change(db: &Db, event_id: i64) -> Result<Vec<Promotion>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let (_, capacity, _) = lock_event(&mut tx, event_id).await?;
    let promotions = promote(&mut tx, event_id, capacity).await?;
    tx.commit().await?;
    Ok(promotions)
}

/// The name anonymised registrations carry.
pub const ANONYMOUS_NAME: &str = "Participant·e (données effacées)";

/// Anonymises the registrations of the events that ended before `ended_before`: how many.
pub async fn anonymise_past(db: &Db, ended_before: Timestamp) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let past = "SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id \
                WHERE e.ends_at < $1 AND r.email NOT LIKE 'efface-%@invalid'";
    sqlx::query(&format!(
        "DELETE FROM registration_answers WHERE registration_id IN ({past})"
    ))
    .bind(ended_before)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(&format!(
        "UPDATE registrations SET name = $2, email = 'efface-' || CAST(id AS TEXT) || '@invalid', \
         user_id = NULL WHERE id IN ({past})"
    ))
    .bind(ended_before)
    .bind(ANONYMOUS_NAME)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
