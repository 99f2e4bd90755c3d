//! Events, seats and registrations.
//!
//! Every change to who holds a seat happens in one write transaction whose first statement
//! updates the event's row: PostgreSQL then holds that row's lock until the commit, and SQLite
//! holds its write lock from `BEGIN IMMEDIATE`. Registrations to one event are therefore counted
//! and written one after the other, so the seats taken never exceed the capacity, and each
//! registration that asks for a seat takes the next arrival number (`queue`), which orders the
//! waitlist.

use sqlx::{Any, Row, Transaction};

use super::*;
use crate::db::Db;
use crate::db::sql::{Arg, Sql};
use crate::timestamp::Timestamp;

type Tx = Transaction<'static, Any>;

const EVENT_COLUMNS: &str = "e.id, e.slug, e.title, e.kind, e.description, e.starts_at, e.ends_at, \
    e.place_name, e.address, COALESCE(c.name, ''), e.latitude, e.longitude, \
    e.online_url, s.slug, s.name, e.capacity, e.per_structure_limit, e.registration_opens_at, \
    e.registration_closes_at, e.registration_closed, e.visibility, e.sequence, e.updated_at";

fn kind_of(slug: &str) -> EventKind {
    EventKind::from_slug(slug).unwrap_or(EventKind::Other)
}

/// The list's filters (kind, territory, month) as ` AND …` conditions on `e` (the event) and
/// `c` (its commune).
fn push_filters(sql: &mut Sql, params: &ListParams) {
    if let Some(kind) = &params.kind {
        sql.push(" AND e.kind = ").bind_text(kind);
    }
    if let Some(territory) = &params.territory {
        // The commune itself, its intercommunality or its département.
        sql.push(" AND (c.slug = ")
            .bind_text(territory)
            .push(" OR c.parent_id IN (SELECT id FROM territories WHERE slug = ")
            .bind_text(territory)
            .push(") OR c.parent_id IN (SELECT t.id FROM territories t JOIN territories p ON p.id = t.parent_id WHERE p.slug = ")
            .bind_text(territory)
            .push("))");
    }
    if let Some((from, to)) = params.month_range() {
        // Events that overlap the month.
        sql.push(" AND e.starts_at < ")
            .bind(Arg::Text(to.to_string()))
            .push(" AND e.ends_at >= ")
            .bind(Arg::Text(from.to_string()));
    }
}

/// Who is looking, for events reserved to members. A members-only event of a club is for the
/// club's members (managers of its active member structures, its admins), its organisers and
/// the site admins; one without a club, for every logged-in member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Visitor,
    Member(i64),
    Admin,
}

impl Audience {
    pub fn of(user: Option<&crate::features::accounts::CurrentUser>) -> Audience {
        match user {
            None => Audience::Visitor,
            Some(user) if user.is_admin() => Audience::Admin,
            Some(user) => Audience::Member(user.id),
        }
    }
}

/// ` AND (…)`: the events `audience` may see (the events table is `e`). Club membership is read
/// from the clubs' tables here, in SQL, so that the events engine needs no knowledge of clubs
/// beyond `events.club_id`.
fn push_audience(sql: &mut Sql, audience: Audience) {
    match audience {
        Audience::Visitor => {
            sql.push(" AND e.visibility = 'public'");
        }
        Audience::Admin => {}
        Audience::Member(user) => {
            sql.push(
                " AND (e.visibility = 'public' OR e.club_id IS NULL \
                 OR e.club_id IN (SELECT m.club_id FROM club_members m JOIN structure_managers sm \
                     ON sm.structure_id = m.structure_id WHERE m.status = 'active' AND sm.user_id = ",
            )
            .bind(Arg::Int(user))
            .push(") OR e.club_id IN (SELECT a.club_id FROM club_admins a WHERE a.user_id = ")
            .bind(Arg::Int(user))
            .push(") OR e.id IN (SELECT o.event_id FROM event_organisers o WHERE o.user_id = ")
            .bind(Arg::Int(user))
            .push(") OR e.organiser_id IN (SELECT om.structure_id FROM structure_managers om WHERE om.user_id = ")
            .bind(Arg::Int(user))
            .push("))");
        }
    }
}

/// Whether `audience` may see the event.
pub async fn may_see(db: &Db, event_id: i64, audience: Audience) -> Result<bool, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT e.id FROM events e WHERE e.id = ")
        .bind(Arg::Int(event_id));
    push_audience(&mut sql, audience);
    let found: Option<i64> = sqlx::query_scalar_with(&sql.text, sql.arguments())
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

/// One page of events: upcoming (by start) or past (latest first), with the filters, as
/// `audience` may see them.
pub async fn list(
    db: &Db,
    params: &ListParams,
    audience: Audience,
    now: Timestamp,
) -> Result<EventList, sqlx::Error> {
    let mut filter = Sql::default();
    filter.push(" FROM events e LEFT JOIN territories c ON c.id = e.commune_id WHERE ");
    if params.past {
        filter.push("e.ends_at < ").bind(Arg::Text(now.to_string()));
    } else {
        filter
            .push("e.ends_at >= ")
            .bind(Arg::Text(now.to_string()));
    }
    push_audience(&mut filter, audience);
    push_filters(&mut filter, params);
    let mut count = Sql::default();
    count.push("SELECT COUNT(*)").push(&filter.text);
    let total: i64 = sqlx::query_scalar_with(&count.text, filter.arguments())
        .fetch_one(&db.pool)
        .await?;
    let order = if params.past {
        " ORDER BY e.starts_at DESC, e.id DESC"
    } else {
        " ORDER BY e.starts_at, e.id"
    };
    let offset = i64::from(params.page.saturating_sub(1)) * i64::from(PER_PAGE);
    let mut select = Sql::default();
    select
        .push(
            "SELECT e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.place_name, COALESCE(c.name, ''), \
             e.online_url, e.visibility, e.capacity, \
             (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')",
        )
        .push(&filter.text)
        .push(order)
        .push(&format!(" LIMIT {PER_PAGE} OFFSET {offset}"));
    type Row = (
        String,
        String,
        String,
        Timestamp,
        Timestamp,
        String,
        String,
        String,
        String,
        Option<i64>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as_with(&select.text, filter.arguments())
        .fetch_all(&db.pool)
        .await?;
    let items = rows
        .into_iter()
        .map(
            |(
                slug,
                title,
                kind,
                starts_at,
                ends_at,
                place,
                commune,
                online,
                visibility,
                capacity,
                taken,
            )| {
                EventSummary {
                    slug,
                    title,
                    kind: kind_of(&kind),
                    starts_at,
                    ends_at,
                    place,
                    commune,
                    online: !online.is_empty(),
                    members_only: Visibility::from_stored(&visibility) == Visibility::Members,
                    seats_left: capacity.map(|c| (c - taken).max(0)),
                }
            },
        )
        .collect();
    // Territories where events take place: their communes' intercommunalities and départements.
    let territories: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT t.slug, t.name, t.kind FROM events e \
         JOIN territories c ON c.id = e.commune_id \
         JOIN territories t ON t.id = c.parent_id OR t.id IN (SELECT parent_id FROM territories WHERE id = c.parent_id) \
         ORDER BY t.kind, t.name",
    )
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(slug, name, _kind): (String, String, String)| (slug, name))
    .collect();
    Ok(EventList {
        items,
        total,
        page: params.page,
        territories,
        may_create: false,
    })
}

/// The event by slug, with its workshops, questions and seat counts.
pub async fn find(db: &Db, slug: &str) -> Result<Option<EventDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN territories c ON c.id = e.commune_id \
         LEFT JOIN structures s ON s.id = e.organiser_id WHERE e.slug = $1"
    );
    let row: Option<sqlx::any::AnyRow> = sqlx::query(&sql)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut event = detail_from_row(&row)?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM registrations WHERE event_id = $1 GROUP BY status",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    for (status, n) in counts {
        match RegistrationStatus::from_stored(&status) {
            RegistrationStatus::Confirmed => event.confirmed = n,
            RegistrationStatus::Waitlisted => event.waiting = n,
            _ => {}
        }
    }
    event.sessions = sessions(db, event.id).await?;
    event.questions = questions(db, event.id).await?;
    Ok(Some(event))
}

fn detail_from_row(row: &sqlx::any::AnyRow) -> Result<EventDetail, sqlx::Error> {
    let organiser_slug: Option<String> = row.try_get(13)?;
    let organiser_name: Option<String> = row.try_get(14)?;
    let kind: String = row.try_get(3)?;
    let visibility: String = row.try_get(20)?;
    let closed: i64 = row.try_get(19)?;
    Ok(EventDetail {
        id: row.try_get(0)?,
        slug: row.try_get(1)?,
        title: row.try_get(2)?,
        kind: kind_of(&kind),
        description: row.try_get(4)?,
        starts_at: row.try_get(5)?,
        ends_at: row.try_get(6)?,
        place_name: row.try_get(7)?,
        address: row.try_get(8)?,
        commune: row.try_get(9)?,
        latitude: row.try_get(10)?,
        longitude: row.try_get(11)?,
        online_url: row.try_get(12)?,
        organiser: organiser_slug.zip(organiser_name),
        capacity: row.try_get(15)?,
        confirmed: 0,
        waiting: 0,
        per_structure_limit: row.try_get(16)?,
        registration_opens_at: row.try_get(17)?,
        registration_closes_at: row.try_get(18)?,
        registration_closed: closed != 0,
        visibility: Visibility::from_stored(&visibility),
        sequence: row.try_get(21)?,
        updated_at: row.try_get(22)?,
        sessions: Vec::new(),
        questions: Vec::new(),
    })
}

async fn sessions(db: &Db, event_id: i64) -> Result<Vec<SessionInfo>, sqlx::Error> {
    type Row = (i64, String, Timestamp, Timestamp, String, Option<i64>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.title, s.starts_at, s.ends_at, s.room, s.capacity, \
         (SELECT COUNT(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id \
          WHERE rs.session_id = s.id AND rs.status = 'confirmed' AND r.status = 'confirmed') \
         FROM event_sessions s WHERE s.event_id = $1 ORDER BY s.starts_at, s.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, starts_at, ends_at, room, capacity, taken)| SessionInfo {
                id,
                title,
                starts_at,
                ends_at,
                room,
                capacity,
                taken,
            },
        )
        .collect())
}

async fn questions(db: &Db, event_id: i64) -> Result<Vec<QuestionInfo>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, label, kind, choices, required FROM event_questions WHERE event_id = $1 ORDER BY position, id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label, kind, choices, required)| QuestionInfo {
            id,
            label,
            kind: QuestionKind::from_stored(&kind),
            choices: choices
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            required: required != 0,
        })
        .collect())
}

/// Whether `user_id` runs the event: named organiser, or manager of the organiser structure.
pub async fn is_organiser(db: &Db, user_id: i64, event_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM event_organisers WHERE event_id = $1 AND user_id = $2 \
         UNION SELECT m.user_id FROM events e JOIN structure_managers m ON m.structure_id = e.organiser_id \
         WHERE e.id = $1 AND m.user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The event's id and slug by slug.
pub async fn event_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

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

async fn waitlist_position<'e, E>(
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

#[derive(Debug)]
pub enum RegisterError {
    /// The person already holds a seat or a waitlist place.
    Duplicate,
    /// The structure already registered as many people as the event allows.
    StructureLimit(i64),
    /// A link that does not (or no longer) lead to a registration waiting for it.
    Gone,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for RegisterError {
    fn from(error: sqlx::Error) -> Self {
        RegisterError::Db(error)
    }
}

/// Locks the event's row for the rest of the transaction and takes the next arrival number;
/// answers `(queue, capacity, per-structure limit)`.
async fn lock_event(
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
) -> Result<(i64, Seat), RegisterError> {
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
) -> Result<(), RegisterError> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND email = $2 AND status IN ('confirmed', 'waitlisted')",
    )
    .bind(event_id)
    .bind(&who.email)
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Err(RegisterError::Duplicate);
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
            return Err(RegisterError::StructureLimit(limit));
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

/// A guest's registration, waiting for their address to be confirmed (no seat yet). An earlier
/// unconfirmed one from the same address for this event is replaced.
pub async fn register_pending(
    db: &Db,
    event_id: i64,
    who: &Registrant,
    sessions: &[i64],
    answers: &[(i64, String)],
    token_hash: &str,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    sqlx::query(
        "DELETE FROM registrations WHERE event_id = $1 AND email = $2 AND status = 'pending'",
    )
    .bind(event_id)
    .bind(&who.email)
    .execute(&mut *tx)
    .await?;
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
    insert_token_in(
        &mut tx,
        id,
        "confirm",
        token_hash,
        now.plus(time::Duration::hours(48)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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
pub async fn confirm_pending(db: &Db, token_hash: &str) -> Result<(i64, Seat), RegisterError> {
    let now = Timestamp::now();
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.event_id FROM registration_tokens t JOIN registrations r ON r.id = t.registration_id \
         WHERE t.token_hash = $1 AND t.purpose = 'confirm' AND t.expires_at > $2 AND r.status = 'pending'",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, event_id)) = found else {
        return Err(RegisterError::Gone);
    };
    let mut tx = db.begin_write().await?;
    let (queue, capacity, limit) = lock_event(&mut tx, event_id).await?;
    // Used meanwhile by a second click: the token is gone.
    let deleted = sqlx::query(
        "DELETE FROM registration_tokens WHERE token_hash = $1 AND purpose = 'confirm'",
    )
    .bind(token_hash)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(RegisterError::Gone);
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
async fn promote(
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
    sqlx::query(
        "DELETE FROM registration_tokens WHERE registration_id = $1 AND purpose = 'confirm'",
    )
    .bind(registration_id)
    .execute(&mut *tx)
    .await?;
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

async fn insert_token_in(
    tx: &mut Tx,
    registration_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registration_tokens (token_hash, registration_id, purpose, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(registration_id)
    .bind(purpose)
    .bind(expires_at)
    .bind(Timestamp::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A cancel link for a registration, valid until a year after the event.
pub async fn add_cancel_token(
    db: &Db,
    registration_id: i64,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    insert_token_in(
        &mut tx,
        registration_id,
        "cancel",
        token_hash,
        Timestamp::now().plus(time::Duration::days(730)),
    )
    .await?;
    tx.commit().await
}

/// The registration a cancel link leads to: `(id, status, event title, event slug, name)`.
pub async fn by_cancel_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(i64, RegistrationStatus, String, String, String)>, sqlx::Error> {
    let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.status, e.title, e.slug, r.name FROM registration_tokens t \
         JOIN registrations r ON r.id = t.registration_id JOIN events e ON e.id = r.event_id \
         WHERE t.token_hash = $1 AND t.purpose = 'cancel' AND t.expires_at > $2",
    )
    .bind(token_hash)
    .bind(Timestamp::now())
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
    token_hash: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.title, e.slug, r.name FROM registration_tokens t \
         JOIN registrations r ON r.id = t.registration_id JOIN events e ON e.id = r.event_id \
         WHERE t.token_hash = $1 AND t.purpose = 'confirm' AND t.expires_at > $2 AND r.status = 'pending'",
    )
    .bind(token_hash)
    .bind(Timestamp::now())
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

/// The slug of an event by id.
pub async fn event_slug(db: &Db, event_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&db.pool)
        .await
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

/// Every registration of the event but cancelled ones, waitlist in order after the seats.
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
    let rows: Vec<Row> =
        sqlx::query_as(
            "SELECT r.id, r.name, r.email, s.name, r.status, r.queue, r.checked_in_at, r.created_at \
             FROM registrations r LEFT JOIN structures s ON s.id = r.structure_id \
             WHERE r.event_id = $1 AND r.status <> 'cancelled' \
             ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, r.queue, r.id",
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

/// A free slug from the title (`salon-de-l-achat-responsable`, then `-2`, …).
async fn free_slug(db: &Db, title: &str) -> Result<String, sqlx::Error> {
    let base = match crate::slug::slugify(title) {
        s if s.is_empty() => "evenement".to_owned(),
        // The addresses of pages under /evenements/ that are not events.
        s if ["nouveau", "confirmer", "annuler"].contains(&s.as_str()) => format!("{s}-evenement"),
        s => s
            .chars()
            .take(80)
            .collect::<String>()
            .trim_end_matches('-')
            .to_owned(),
    };
    let mut slug = base.clone();
    let mut n = 2;
    while event_id(db, &slug).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

async fn commune_id(db: &Db, slug: Option<&str>) -> Result<Option<i64>, sqlx::Error> {
    match slug {
        None => Ok(None),
        Some(slug) => {
            sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await
        }
    }
}

/// Every commune `(slug, name)`, for the event form.
pub use crate::features::reference::db::communes;

type Query<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds an event's fields as `$1` … `$16`, in the order of the insert and the update (`$16`
/// is the club's slug, read as `(SELECT id FROM clubs WHERE slug = $16)`).
fn bind_fields<'q>(query: Query<'q>, event: &'q ValidEvent, commune: Option<i64>) -> Query<'q> {
    query
        .bind(&event.title)
        .bind(event.kind.slug())
        .bind(&event.description)
        .bind(event.starts_at)
        .bind(event.ends_at)
        .bind(&event.place_name)
        .bind(&event.address)
        .bind(commune)
        .bind(&event.online_url)
        .bind(event.organiser)
        .bind(event.capacity)
        .bind(event.per_structure_limit)
        .bind(event.opens_at)
        .bind(event.closes_at)
        .bind(event.visibility.as_str())
        .bind(event.club.clone())
}

/// Creates an event; its creator becomes one of its organisers. Answers its slug. `None` when
/// the commune is unknown.
pub async fn create_event(
    db: &Db,
    event: &ValidEvent,
    creator: i64,
) -> Result<Option<String>, sqlx::Error> {
    let Some(mut prepared) = prepare_events(db, std::slice::from_ref(event)).await? else {
        return Ok(None);
    };
    let (commune, slug) = prepared.remove(0);
    let mut tx = db.begin_write().await?;
    insert_event(&mut tx, event, commune, &slug, creator).await?;
    tx.commit().await?;
    Ok(Some(slug))
}

/// The commune id and a free slug of each event, before inserting them; `None` when a commune
/// is unknown. Slugs are distinct among `events` as long as their titles are.
pub async fn prepare_events(
    db: &Db,
    events: &[ValidEvent],
) -> Result<Option<Vec<(Option<i64>, String)>>, sqlx::Error> {
    let mut prepared = Vec::with_capacity(events.len());
    for event in events {
        let commune = commune_id(db, event.commune.as_deref()).await?;
        if event.commune.is_some() && commune.is_none() {
            return Ok(None);
        }
        prepared.push((commune, free_slug(db, &event.title).await?));
    }
    Ok(Some(prepared))
}

/// Inserts an event prepared by [`prepare_events`] in the caller's transaction; `creator`
/// becomes one of its organisers. Answers its id.
pub async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event: &ValidEvent,
    commune: Option<i64>,
    slug: &str,
    creator: i64,
) -> Result<i64, sqlx::Error> {
    let now = Timestamp::now();
    let id: i64 = bind_fields(
        sqlx::query(
            "INSERT INTO events (title, kind, description, starts_at, ends_at, place_name, address, commune_id, \
             online_url, organiser_id, capacity, per_structure_limit, registration_opens_at, registration_closes_at, \
             visibility, club_id, slug, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             (SELECT id FROM clubs WHERE slug = $16), $17, $18, $18) RETURNING id",
        ),
        event,
        commune,
    )
    .bind(slug)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("INSERT INTO event_organisers (event_id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(creator)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Saves an event's fields (its slug stays) and bumps its calendar SEQUENCE; people waiting take
/// any seats a larger capacity opened. `None` when the commune is unknown.
pub async fn update_event(
    db: &Db,
    event_id: i64,
    event: &ValidEvent,
) -> Result<Option<Vec<Promotion>>, sqlx::Error> {
    let commune = commune_id(db, event.commune.as_deref()).await?;
    if event.commune.is_some() && commune.is_none() {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    bind_fields(
        sqlx::query(
            "UPDATE events SET title = $1, kind = $2, description = $3, starts_at = $4, ends_at = $5, place_name = $6, \
             address = $7, commune_id = $8, online_url = $9, organiser_id = $10, capacity = $11, per_structure_limit = $12, \
             registration_opens_at = $13, registration_closes_at = $14, visibility = $15, \
             club_id = (SELECT id FROM clubs WHERE slug = $16), sequence = sequence + 1, \
             updated_at = $17 WHERE id = $18",
        ),
        event,
        commune,
    )
    .bind(Timestamp::now())
    .bind(event_id)
    .execute(&mut *tx)
    .await?;
    let (_, capacity, _) = lock_event(&mut tx, event_id).await?;
    let promotions = promote(&mut tx, event_id, capacity).await?;
    tx.commit().await?;
    Ok(Some(promotions))
}

/// The event's form values, as typed (dates and times in Europe/Paris).
pub async fn event_for_edit(db: &Db, event_id: i64) -> Result<Option<EventEdit>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        Timestamp,
        Timestamp,
        String,
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<Timestamp>,
        Option<Timestamp>,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT e.title, e.kind, e.description, e.starts_at, e.ends_at, e.place_name, e.address, c.slug, \
         e.online_url, e.organiser_id, e.capacity, e.per_structure_limit, e.registration_opens_at, \
         e.registration_closes_at, e.visibility, (SELECT cl.slug FROM clubs cl WHERE cl.id = e.club_id) \
         FROM events e LEFT JOIN territories c ON c.id = e.commune_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    let hm = |t: Timestamp| {
        let local = t.in_paris();
        format!("{:02}:{:02}", local.hour(), local.minute())
    };
    Ok(row.map(
        |(
            title,
            kind,
            description,
            starts,
            ends,
            place_name,
            address,
            commune,
            online_url,
            organiser,
            capacity,
            limit,
            opens,
            closes,
            visibility,
            club,
        )| {
            EventEdit {
                title,
                kind,
                description,
                start_date: starts.iso_date(),
                start_time: hm(starts),
                end_date: ends.iso_date(),
                end_time: hm(ends),
                place_name,
                address,
                commune: commune.unwrap_or_default(),
                online_url,
                organiser: organiser.map(|id| id.to_string()).unwrap_or_default(),
                capacity: capacity.map(|c| c.to_string()).unwrap_or_default(),
                per_structure_limit: limit.map(|c| c.to_string()).unwrap_or_default(),
                opens_date: opens.map(|t| t.iso_date()).unwrap_or_default(),
                // Stored as the midnight after the closing day.
                closes_date: closes
                    .map(|t| t.plus(time::Duration::hours(-12)).iso_date())
                    .unwrap_or_default(),
                visibility: match (Visibility::from_stored(&visibility), club) {
                    (Visibility::Members, Some(club)) => format!("club:{club}"),
                    (visibility, _) => visibility.form_value().to_owned(),
                },
            }
        },
    ))
}

pub async fn add_session(
    db: &Db,
    event_id: i64,
    session: &ValidSession,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_sessions (event_id, title, starts_at, ends_at, room, capacity) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event_id)
    .bind(&session.title)
    .bind(session.starts_at)
    .bind(session.ends_at)
    .bind(&session.room)
    .bind(session.capacity)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Removes a workshop of the event; `false` when it is not one of its workshops.
pub async fn remove_session(db: &Db, event_id: i64, session_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM event_sessions WHERE id = $1 AND event_id = $2")
        .bind(session_id)
        .bind(event_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn add_question(
    db: &Db,
    event_id: i64,
    question: &QuestionInfo,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_questions (event_id, position, label, kind, choices, required) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM event_questions WHERE event_id = $1), $2, $3, $4, $5)",
    )
    .bind(event_id)
    .bind(&question.label)
    .bind(question.kind.as_str())
    .bind(question.choices.join("\n"))
    .bind(i64::from(question.required))
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn remove_question(
    db: &Db,
    event_id: i64,
    question_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM event_questions WHERE id = $1 AND event_id = $2")
        .bind(question_id)
        .bind(event_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Events for a calendar feed: those `audience` may see matching the filters, upcoming and of
/// the last year.
pub async fn feed(
    db: &Db,
    params: &ListParams,
    audience: Audience,
    now: Timestamp,
) -> Result<Vec<EventDetail>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN territories c ON c.id = e.commune_id \
         LEFT JOIN structures s ON s.id = e.organiser_id WHERE e.ends_at >= "
    ))
    .bind(Arg::Text(now.plus(time::Duration::days(-365)).to_string()));
    push_audience(&mut sql, audience);
    push_filters(&mut sql, params);
    sql.push(" ORDER BY e.starts_at LIMIT 500");
    let rows = sqlx::query_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(detail_from_row).collect()
}
