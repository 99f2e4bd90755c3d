//! Registrations as people and organisers see them: one's own, by mailed token, the list of
//! attendees, presence at the door, « Mes inscriptions ».

use super::seats::waitlist_position;
use crate::db::Db;
use crate::features::events::Attendee;
use crate::features::events::MyRegistration;
use crate::features::events::OwnRegistration;
use crate::features::events::RegistrationStatus;
use crate::timestamp::Timestamp;
use crate::tokens::Purpose;

/// The member's live registration to the event (not cancelled), with their waitlist position.
pub async fn own_registration(
    db: &Db,
    event_id: i64,
    user_id: i64,
) -> Result<Option<OwnRegistration>, sqlx::Error> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, status, queue FROM registrations WHERE event_id = $1 AND user_id = $2 \
         AND status IN ('confirmed', 'waitlisted') ORDER BY id DESC LIMIT 1",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, status, queue)) = row else {
        return Ok(None);
    };
    let status = RegistrationStatus::from_stored(&status);
    let waitlist_position = match (status, queue) {
        (RegistrationStatus::Waitlisted, Some(queue)) => {
            Some(waitlist_position(&db.pool, event_id, queue).await?)
        }
        _ => None,
    };
    let sessions: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.title, rs.status FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id \
         WHERE rs.registration_id = $1 AND rs.status <> 'cancelled' ORDER BY s.starts_at, s.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(OwnRegistration {
        id,
        status,
        waitlist_position,
        sessions: sessions
            .into_iter()
            .map(|(title, status)| (title, RegistrationStatus::from_stored(&status)))
            .collect(),
    }))
}

/// A cancel link for a registration: the token for the mail.
pub async fn add_cancel_token(db: &Db, registration_id: i64) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let token = crate::tokens::issue(
        &mut tx,
        Purpose::CancelRegistration,
        registration_id,
        None,
        false,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The registration a live link of `purpose` leads to.
async fn linked_registration(
    db: &Db,
    purpose: Purpose,
    token: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    Ok(crate::tokens::find(&mut conn, purpose, token)
        .await?
        .map(|link| link.subject))
}

/// The registration a cancel link leads to: `(id, status, event title, event slug, name)`.
pub async fn by_cancel_token(
    db: &Db,
    token: &str,
) -> Result<Option<(i64, RegistrationStatus, String, String, String)>, sqlx::Error> {
    let Some(id) = linked_registration(db, Purpose::CancelRegistration, token).await? else {
        return Ok(None);
    };
    let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.status, e.title, e.slug, r.name FROM registrations r \
         JOIN events e ON e.id = r.event_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, status, title, slug, name)| {
        (
            id,
            RegistrationStatus::from_stored(&status),
            title,
            slug,
            name,
        )
    }))
}

/// The registration a confirm link leads to: `(event title, event slug, name)`.
pub async fn by_confirm_token(
    db: &Db,
    token: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    let Some(id) = linked_registration(db, Purpose::ConfirmRegistration, token).await? else {
        return Ok(None);
    };
    sqlx::query_as(
        "SELECT e.title, e.slug, r.name FROM registrations r JOIN events e ON e.id = r.event_id \
         WHERE r.id = $1 AND r.status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// `(event id, user id, name, email, status)` of a registration.
pub async fn registration(
    db: &Db,
    registration_id: i64,
) -> Result<Option<(i64, Option<i64>, String, String, RegistrationStatus)>, sqlx::Error> {
    let row: Option<(i64, Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT event_id, user_id, name, email, status FROM registrations WHERE id = $1",
    )
    .bind(registration_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(event, user, name, email, status)| {
        (
            event,
            user,
            name,
            email,
            RegistrationStatus::from_stored(&status),
        )
    }))
}

/// Titles of the registration's workshops with a seat.
pub async fn confirmed_sessions(db: &Db, registration_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.title FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id \
         WHERE rs.registration_id = $1 AND rs.status = 'confirmed' ORDER BY s.starts_at, s.id",
    )
    .bind(registration_id)
    .fetch_all(&db.pool)
    .await
}

/// The registrations of the event that hold a seat or a waitlist place, waitlist in order after
/// the seats: neither cancelled ones nor guests who have not confirmed their address (whose
/// name and address nobody vouched for).
pub async fn attendees(db: &Db, event_id: i64) -> Result<Vec<Attendee>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<Timestamp>,
        Timestamp,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.name, r.email, s.name, r.status, r.queue, r.checked_in_at, r.created_at \
             FROM registrations r LEFT JOIN structures s ON s.id = r.structure_id \
             WHERE r.event_id = $1 AND r.status IN ('confirmed', 'waitlisted') \
             ORDER BY CASE r.status WHEN 'confirmed' THEN 0 ELSE 1 END, r.queue, r.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let sessions: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT rs.registration_id, s.title, rs.status FROM registration_sessions rs \
         JOIN event_sessions s ON s.id = rs.session_id JOIN registrations r ON r.id = rs.registration_id \
         WHERE r.event_id = $1 AND rs.status <> 'cancelled' ORDER BY s.starts_at, s.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let answers: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.registration_id, q.label, a.answer FROM registration_answers a \
         JOIN event_questions q ON q.id = a.question_id JOIN registrations r ON r.id = a.registration_id \
         WHERE r.event_id = $1 ORDER BY q.position, q.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, email, structure, status, queue, checked_in, created_at)| Attendee {
                id,
                name,
                email,
                structure: structure.unwrap_or_default(),
                status: RegistrationStatus::from_stored(&status),
                queue,
                checked_in: checked_in.is_some(),
                sessions: sessions
                    .iter()
                    .filter(|(r, _, _)| *r == id)
                    .map(|(_, title, status)| {
                        if status == "waitlisted" {
                            format!("{title} (liste d'attente)")
                        } else {
                            title.clone()
                        }
                    })
                    .collect(),
                answers: answers
                    .iter()
                    .filter(|(r, _, _)| *r == id)
                    .map(|(_, label, answer)| (label.clone(), answer.clone()))
                    .collect(),
                created_at,
            },
        )
        .collect())
}

pub async fn set_closed(db: &Db, event_id: i64, closed: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET registration_closed = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(closed))
        .bind(Timestamp::now())
        .bind(event_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Marks a confirmed registration present (or not); `false` when it is not a confirmed
/// registration of this event.
pub async fn check_in(
    db: &Db,
    event_id: i64,
    registration_id: i64,
    present: bool,
) -> Result<bool, sqlx::Error> {
    let at = present.then(Timestamp::now);
    let done = sqlx::query(
        "UPDATE registrations SET checked_in_at = $1 WHERE id = $2 AND event_id = $3 AND status = 'confirmed'",
    )
    .bind(at)
    .bind(registration_id)
    .bind(event_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// « Mes inscriptions »: the member's registrations, upcoming first, then past.
pub async fn my_registrations(
    db: &Db,
    user_id: i64,
    now: Timestamp,
) -> Result<Vec<MyRegistration>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        String,
        Timestamp,
        Timestamp,
        String,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, e.id, e.slug, e.title, e.starts_at, e.ends_at, r.status, r.queue FROM registrations r \
         JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 AND r.status IN ('confirmed', 'waitlisted') \
         ORDER BY e.starts_at",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for (id, event_id, slug, title, starts_at, ends_at, status, queue) in rows {
        let status = RegistrationStatus::from_stored(&status);
        let waitlist_position = match (status, queue) {
            (RegistrationStatus::Waitlisted, Some(queue)) => {
                Some(waitlist_position(&db.pool, event_id, queue).await?)
            }
            _ => None,
        };
        list.push(MyRegistration {
            id,
            slug,
            title,
            starts_at,
            status,
            waitlist_position,
            past: ends_at < now,
        });
    }
    // Upcoming (soonest first), then past (latest first).
    list.sort_by(|a, b| match (a.past, b.past) {
        (false, false) => a.starts_at.cmp(&b.starts_at),
        (true, true) => b.starts_at.cmp(&a.starts_at),
        (past_a, _) => past_a.cmp(&b.past),
    });
    Ok(list)
}

/// A merge of two entries: registrations made for `from` count for `into`.
pub async fn move_registrations(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE registrations SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
