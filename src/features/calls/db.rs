//! Calls for projects and consortia in the database. Every change that two people could make at
//! once is one conditional statement: an edit only while the deadline has not passed, an answer
//! only to a pending invitation, a reminder only once per consortium.

use super::model::{MemberStatus, ValidCall};
use crate::db::Db;
use crate::timestamp::Timestamp;

/// A call as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub title: String,
    pub funder: String,
    pub deadline: String,
    pub themes: String,
    pub territory: String,
    pub territory_slug: String,
    pub url: String,
    pub description: String,
    pub structure_id: Option<i64>,
    pub structure_slug: Option<String>,
    pub structure_name: Option<String>,
    pub created_by: Option<i64>,
    /// Consortia formed to answer it.
    pub consortia: i64,
}

const CALL_COLUMNS: &str = "c.id, c.title, c.funder, c.deadline, c.themes, \
     COALESCE(t.name, '') AS territory, COALESCE(t.slug, '') AS territory_slug, c.url, \
     c.description, c.structure_id, s.slug AS structure_slug, s.name AS structure_name, c.created_by, \
     (SELECT COUNT(*) FROM consortia k WHERE k.call_id = c.id) AS consortia \
     FROM calls c LEFT JOIN territories t ON t.id = c.territory_id \
     LEFT JOIN structures s ON s.id = c.structure_id";

/// The territory's id for a slug ("" for the whole portal); `Err` for an unknown one.
async fn territory_id(db: &Db, slug: &str) -> Result<Result<Option<i64>, ()>, sqlx::Error> {
    if slug.is_empty() {
        return Ok(Ok(None));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM territories WHERE slug = $1 AND kind IN ('departement', 'intercommunalite')",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.map(Some).ok_or(()))
}

/// Publishes a call; its id, or `Err` for an unknown territory.
pub async fn create_call(
    db: &Db,
    call: &ValidCall,
    publisher: Option<i64>,
    author: i64,
    now: Timestamp,
) -> Result<Result<i64, ()>, sqlx::Error> {
    let Ok(territory) = territory_id(db, &call.territory).await? else {
        return Ok(Err(()));
    };
    let id = sqlx::query_scalar(
        "INSERT INTO calls (title, funder, deadline, themes, territory_id, url, description, \
         structure_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&call.title)
    .bind(&call.funder)
    .bind(crate::timestamp::iso_day(call.deadline))
    .bind(&call.themes)
    .bind(territory)
    .bind(&call.url)
    .bind(&call.description)
    .bind(publisher)
    .bind(author)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(Ok(id))
}

/// What editing a call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    Done,
    /// Its deadline had passed (checked in the update itself): nothing written.
    Closed,
    UnknownTerritory,
}

/// Changes a call whose deadline is `today` or later.
pub async fn update_call(
    db: &Db,
    id: i64,
    call: &ValidCall,
    today: &str,
    now: Timestamp,
) -> Result<Edited, sqlx::Error> {
    let Ok(territory) = territory_id(db, &call.territory).await? else {
        return Ok(Edited::UnknownTerritory);
    };
    let done = sqlx::query(
        "UPDATE calls SET title = $1, funder = $2, deadline = $3, themes = $4, territory_id = $5, \
         url = $6, description = $7, updated_at = $8 WHERE id = $9 AND deadline >= $10",
    )
    .bind(&call.title)
    .bind(&call.funder)
    .bind(crate::timestamp::iso_day(call.deadline))
    .bind(&call.themes)
    .bind(territory)
    .bind(&call.url)
    .bind(&call.description)
    .bind(now)
    .bind(id)
    .bind(today)
    .execute(&db.pool)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Edited::Done
    } else {
        Edited::Closed
    })
}

/// The calls still open (deadline today or later, soonest first), then the last twenty closed.
pub async fn calls(db: &Db, today: &str) -> Result<Vec<CallRow>, sqlx::Error> {
    let mut open: Vec<CallRow> = sqlx::query_as(&format!(
        "SELECT {CALL_COLUMNS} WHERE c.deadline >= $1 ORDER BY c.deadline, c.id LIMIT 200"
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    let closed: Vec<CallRow> = sqlx::query_as(&format!(
        "SELECT {CALL_COLUMNS} WHERE c.deadline < $1 ORDER BY c.deadline DESC, c.id DESC LIMIT 20"
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    open.extend(closed);
    Ok(open)
}

pub async fn call(db: &Db, id: i64) -> Result<Option<CallRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CALL_COLUMNS} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A consortium named on its call's page: `(name, lead, members)`.
pub async fn public_consortia(
    db: &Db,
    call: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.name, s.name, (SELECT COUNT(*) FROM consortium_members m \
         WHERE m.consortium_id = k.id AND m.status = 'membre') \
         FROM consortia k JOIN structures s ON s.id = k.lead_id \
         WHERE k.call_id = $1 AND k.visibility = 'publique' ORDER BY k.created_at, k.id",
    )
    .bind(call)
    .fetch_all(&db.pool)
    .await
}

/// The consortia of a call that `user` takes part in (a structure they manage is a member or
/// invited): `(id, name, status)`.
pub async fn consortia_of_user(
    db: &Db,
    call: i64,
    user: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT k.id, k.name, m.status FROM consortia k \
         JOIN consortium_members m ON m.consortium_id = k.id \
         JOIN structure_managers sm ON sm.structure_id = m.structure_id AND sm.user_id = $2 \
         WHERE k.call_id = $1 AND m.status <> 'declinee' ORDER BY k.id",
    )
    .bind(call)
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

/// Forms a consortium led by `lead`, which is its first member; `None` when that structure
/// already leads one for this call.
pub async fn create_consortium(
    db: &Db,
    call: i64,
    lead: i64,
    (name, visibility): (&str, &str),
    author: i64,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let created = sqlx::query_scalar(
        "INSERT INTO consortia (call_id, lead_id, name, visibility, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (call_id, lead_id) DO NOTHING RETURNING id",
    )
    .bind(call)
    .bind(lead)
    .bind(name)
    .bind(visibility)
    .bind(author)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = created else {
        return Ok(None);
    };
    sqlx::query(
        "INSERT INTO consortium_members (consortium_id, structure_id, role, status, invited_by, \
         invited_at, answered_at) VALUES ($1, $2, 'Chef de file', $3, $4, $5, $5)",
    )
    .bind(id)
    .bind(lead)
    .bind(MemberStatus::Member.as_str())
    .bind(author)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A consortium and its call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct ConsortiumRow {
    pub id: i64,
    pub name: String,
    pub visibility: String,
    pub lead_id: i64,
    pub lead_name: String,
    pub call_id: i64,
    pub call_title: String,
    pub deadline: String,
}

pub async fn consortium(db: &Db, id: i64) -> Result<Option<ConsortiumRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.id, k.name, k.visibility, k.lead_id, s.name AS lead_name, c.id AS call_id, \
         c.title AS call_title, c.deadline FROM consortia k JOIN structures s ON s.id = k.lead_id \
         JOIN calls c ON c.id = k.call_id WHERE k.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// A structure of a consortium, with its public contacts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct MemberRow {
    pub structure_id: i64,
    pub slug: String,
    pub name: String,
    pub role: String,
    pub status: String,
    pub email: String,
    pub phone: String,
}

pub async fn members(db: &Db, consortium: i64) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id AS structure_id, s.slug, s.name, m.role, m.status, \
         COALESCE(s.email, '') AS email, COALESCE(s.phone, '') AS phone \
         FROM consortium_members m JOIN structures s ON s.id = m.structure_id \
         JOIN consortia k ON k.id = m.consortium_id WHERE m.consortium_id = $1 \
         ORDER BY CASE WHEN m.structure_id = k.lead_id THEN 0 WHEN m.status = 'membre' THEN 1 \
         WHEN m.status = 'invitee' THEN 2 ELSE 3 END, m.invited_at, s.sort_key",
    )
    .bind(consortium)
    .fetch_all(&db.pool)
    .await
}

/// The managers of the member structures (names and addresses), for the other members.
pub async fn member_contacts(
    db: &Db,
    consortium: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.structure_id, u.name, u.email FROM consortium_members m \
         JOIN structure_managers sm ON sm.structure_id = m.structure_id \
         JOIN users u ON u.id = sm.user_id \
         WHERE m.consortium_id = $1 AND m.status = 'membre' AND u.disabled_at IS NULL \
         ORDER BY u.name",
    )
    .bind(consortium)
    .fetch_all(&db.pool)
    .await
}

/// The structures of a consortium that `user` manages, with their status there.
pub async fn own_places(
    db: &Db,
    consortium: i64,
    user: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.structure_id, m.status FROM consortium_members m \
         JOIN structure_managers sm ON sm.structure_id = m.structure_id AND sm.user_id = $2 \
         WHERE m.consortium_id = $1",
    )
    .bind(consortium)
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

/// What inviting a structure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    Done,
    /// Already a member, or already invited and not answered yet.
    AlreadyThere,
}

/// Invites `structure` into the consortium (again, if it declined before).
pub async fn invite(
    db: &Db,
    consortium: i64,
    structure: i64,
    role: &str,
    author: i64,
    now: Timestamp,
) -> Result<Invited, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO consortium_members (consortium_id, structure_id, role, status, invited_by, invited_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (consortium_id, structure_id) DO UPDATE \
         SET status = excluded.status, role = excluded.role, invited_by = excluded.invited_by, \
         invited_at = excluded.invited_at, answered_at = NULL \
         WHERE consortium_members.status = $7",
    )
    .bind(consortium)
    .bind(structure)
    .bind(role)
    .bind(MemberStatus::Invited.as_str())
    .bind(author)
    .bind(now)
    .bind(MemberStatus::Declined.as_str())
    .execute(&db.pool)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Invited::Done
    } else {
        Invited::AlreadyThere
    })
}

/// Accepts or declines a pending invitation: true for the one answer that counted.
pub async fn answer(
    db: &Db,
    consortium: i64,
    structure: i64,
    accept: bool,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let status = if accept {
        MemberStatus::Member
    } else {
        MemberStatus::Declined
    };
    let done = sqlx::query(
        "UPDATE consortium_members SET status = $1, answered_at = $2 \
         WHERE consortium_id = $3 AND structure_id = $4 AND status = $5",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(consortium)
    .bind(structure)
    .bind(MemberStatus::Invited.as_str())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a member's (or an invited structure's) role: false when it is not in the consortium.
pub async fn set_role(
    db: &Db,
    consortium: i64,
    structure: i64,
    role: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consortium_members SET role = $1 WHERE consortium_id = $2 AND structure_id = $3 \
         AND status <> $4",
    )
    .bind(role)
    .bind(consortium)
    .bind(structure)
    .bind(MemberStatus::Declined.as_str())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_visibility(db: &Db, consortium: i64, visibility: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consortia SET visibility = $1 WHERE id = $2")
        .bind(visibility)
        .bind(consortium)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub label: String,
    pub done_at: Option<Timestamp>,
    pub done_by: Option<String>,
}

pub async fn tasks(db: &Db, consortium: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.label, t.done_at, u.name AS done_by FROM consortium_tasks t \
         LEFT JOIN users u ON u.id = t.done_by WHERE t.consortium_id = $1 ORDER BY t.id",
    )
    .bind(consortium)
    .fetch_all(&db.pool)
    .await
}

/// Most items a checklist holds.
pub const MAX_TASKS: i64 = 100;

/// Adds an item (false past [`MAX_TASKS`]).
pub async fn add_task(
    db: &Db,
    consortium: i64,
    label: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO consortium_tasks (consortium_id, label, created_at) SELECT $1, $2, $3 \
         WHERE (SELECT COUNT(*) FROM consortium_tasks WHERE consortium_id = $1) < $4",
    )
    .bind(consortium)
    .bind(label)
    .bind(now)
    .bind(MAX_TASKS)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ticks or unticks an item of this consortium: false when it is not one of its items.
pub async fn tick(
    db: &Db,
    consortium: i64,
    task: i64,
    done: bool,
    user: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE consortium_tasks SET done_at = $1, done_by = $2 WHERE id = $3 AND consortium_id = $4",
    )
    .bind(done.then_some(now))
    .bind(done.then_some(user))
    .bind(task)
    .bind(consortium)
    .execute(&db.pool)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Published structures whose name matches `words` and that are not in the consortium (or
/// declined): those its lead may invite. `(id, name, commune)`.
pub async fn candidates(
    db: &Db,
    consortium: i64,
    words: &str,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let Some(pattern) = crate::slug::name_pattern(words) else {
        return Ok(Vec::new());
    };
    sqlx::query_as(
        "SELECT s.id, s.name, t.name FROM structures s JOIN territories t ON t.id = s.commune_id \
         WHERE s.status = 'published' AND REPLACE(s.sort_key, '-', ' ') LIKE $1 \
         AND s.id NOT IN (SELECT structure_id FROM consortium_members WHERE consortium_id = $2 \
             AND status <> 'declinee') \
         ORDER BY s.sort_key LIMIT 20",
    )
    .bind(pattern)
    .bind(consortium)
    .fetch_all(&db.pool)
    .await
}

/// How many days before the deadline the members are reminded.
pub const REMIND_DAYS: i64 = 7;

/// Once a day: the members of each consortium whose call closes within [`REMIND_DAYS`] days are
/// reminded, once per consortium (the row is claimed by one conditional update, so two servers
/// running the job never both send).
pub const REMINDERS: crate::jobs::Job = crate::jobs::Job {
    name: "call-reminders",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(async move {
            let today = crate::timestamp::iso_day(now.in_paris().date());
            let until = crate::timestamp::iso_day(
                now.plus(time::Duration::days(REMIND_DAYS))
                    .in_paris()
                    .date(),
            );
            let due: Vec<i64> = sqlx::query_scalar(
                "SELECT k.id FROM consortia k JOIN calls c ON c.id = k.call_id \
                 WHERE k.reminded_at IS NULL AND c.deadline >= $1 AND c.deadline <= $2",
            )
            .bind(&today)
            .bind(&until)
            .fetch_all(&state.db.pool)
            .await?;
            let mut sent = 0;
            for id in due {
                let claimed = sqlx::query(
                    "UPDATE consortia SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&state.db.pool)
                .await?;
                if claimed.rows_affected() == 1 {
                    sent += super::mails::remind(state, id).await?;
                }
            }
            Ok(sent)
        })
    },
};
