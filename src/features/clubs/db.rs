//! Club queries. Every change of membership or admins is one write transaction that first
//! touches the club's row (a row lock on PostgreSQL; SQLite's write transactions are already one
//! at a time), reads the current state, refuses a change that no longer applies (a request
//! decided meanwhile), writes the new state and its history line, and checks before committing
//! that a club which had an admin still has one.

use sqlx::{Any, Transaction};

use super::*;
use crate::db::Db;
use crate::features::accounts::CurrentUser;

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// The state changed meanwhile, or the change makes no sense in it: the French sentence says
    /// what the state is and who made it so.
    Conflict(String),
    /// The change would leave the club without an admin.
    LastAdmin,
    /// The person acting as club admin no longer is one (taken away a moment before).
    NoLongerAdmin,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(error: sqlx::Error) -> Self {
        ChangeError::Db(error)
    }
}

pub async fn list(db: &Db) -> Result<Vec<ClubSummary>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT c.slug, c.name, t.name, c.description, \
         (SELECT COUNT(*) FROM club_members m WHERE m.club_id = c.id AND m.status = 'active') \
         FROM clubs c LEFT JOIN territories t ON t.id = c.territory_id ORDER BY c.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(slug, name, territory, description, members)| ClubSummary {
                slug,
                name,
                territory: territory.unwrap_or_default(),
                description,
                members,
            },
        )
        .collect())
}

pub async fn find(db: &Db, slug: &str) -> Result<Option<ClubInfo>, sqlx::Error> {
    type Row = (i64, String, String, Option<String>, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.id, c.slug, c.name, t.name, c.description, c.charter, c.meetings \
         FROM clubs c LEFT JOIN territories t ON t.id = c.territory_id WHERE c.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(
        |(id, slug, name, territory, description, charter, meetings)| ClubInfo {
            id,
            slug,
            name,
            territory: territory.unwrap_or_default(),
            description,
            charter,
            meetings,
        },
    ))
}

/// The active member structures, by name.
pub async fn members(db: &Db, club_id: i64) -> Result<Vec<MemberStructure>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, t.name, s.legal_form FROM club_members m \
         JOIN structures s ON s.id = m.structure_id JOIN territories t ON t.id = s.commune_id \
         WHERE m.club_id = $1 AND m.status = 'active' ORDER BY s.sort_key",
    )
    .bind(club_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, commune, form)| MemberStructure {
            id,
            slug,
            name,
            commune,
            legal_form: crate::features::directory::legal_form_label(&form).to_owned(),
        })
        .collect())
}

/// The club's coming meetings (events of the club); members-only ones when `members` is true.
pub async fn meetings(
    db: &Db,
    club_id: i64,
    members: bool,
    now: Timestamp,
) -> Result<Vec<Meeting>, sqlx::Error> {
    let rows: Vec<(String, String, Timestamp, String, Option<String>, String)> = sqlx::query_as(
        "SELECT e.slug, e.title, e.starts_at, e.place_name, c.name, e.visibility FROM events e \
         LEFT JOIN territories c ON c.id = e.commune_id \
         WHERE e.club_id = $1 AND e.ends_at >= $2 AND (e.visibility = 'public' OR $3 = 1) \
         ORDER BY e.starts_at LIMIT 10",
    )
    .bind(club_id)
    .bind(now)
    .bind(i64::from(members))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(slug, title, starts_at, place, commune, visibility)| Meeting {
                slug,
                title,
                starts_at,
                place: match commune {
                    Some(commune) if !place.is_empty() => format!("{place}, {commune}"),
                    Some(commune) => commune,
                    None => place,
                },
                members_only: visibility != "public",
            },
        )
        .collect())
}

/// True when the person administers the club (on the pool, or inside a transaction).
pub async fn is_admin<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    club_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM club_admins WHERE club_id = $1 AND user_id = $2")
            .bind(club_id)
            .bind(user_id)
            .fetch_optional(executor)
            .await?;
    Ok(found.is_some())
}

/// True when the person manages an active member structure of the club (on the pool, or inside
/// a transaction).
pub async fn represents_member<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    club_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT m.structure_id FROM club_members m JOIN structure_managers sm ON sm.structure_id = m.structure_id \
         WHERE m.club_id = $1 AND m.status = 'active' AND sm.user_id = $2 LIMIT 1",
    )
    .bind(club_id)
    .bind(user_id)
    .fetch_optional(executor)
    .await?;
    Ok(found.is_some())
}

/// What the person may do on the club's page, and where their structures stand.
pub async fn viewer(db: &Db, club_id: i64, user: &CurrentUser) -> Result<ClubViewer, sqlx::Error> {
    let own: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.name, m.status, m.message FROM structure_managers sm JOIN structures s ON s.id = sm.structure_id \
         LEFT JOIN club_members m ON m.structure_id = s.id AND m.club_id = $1 \
         WHERE sm.user_id = $2 ORDER BY s.sort_key",
    )
    .bind(club_id)
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let own: Vec<OwnStructure> = own
        .into_iter()
        .map(|(id, name, status, message)| {
            let status = status.as_deref().and_then(MemberStatus::from_stored);
            OwnStructure {
                id,
                name,
                message: message
                    .filter(|_| status == Some(MemberStatus::Invited))
                    .unwrap_or_default(),
                status,
            }
        })
        .collect();
    let member = own.iter().any(|s| s.status == Some(MemberStatus::Active));
    let admin = user.is_admin() || is_admin(&db.pool, club_id, user.id).await?;
    Ok(ClubViewer {
        logged_in: true,
        member: member || admin,
        admin,
        own,
    })
}

/// Published structures whose name matches `words` and that are neither members nor waiting
/// for an answer: those an active member may invite.
pub async fn candidates(db: &Db, club_id: i64, words: &str) -> Result<Vec<Candidate>, sqlx::Error> {
    let folded = crate::slug::slugify(words).replace('-', " ");
    if folded.trim().is_empty() {
        return Ok(Vec::new());
    }
    // Matched on the folded name (`sort_key`), so « economie » finds « Économie ».
    let pattern = format!(
        "%{}%",
        folded.split_whitespace().collect::<Vec<_>>().join("%")
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, t.name FROM structures s JOIN territories t ON t.id = s.commune_id \
         WHERE s.status = 'published' AND REPLACE(s.sort_key, '-', ' ') LIKE $1 \
         AND s.id NOT IN (SELECT structure_id FROM club_members WHERE club_id = $2 \
             AND status IN ('active', 'requested', 'invited')) \
         ORDER BY s.sort_key LIMIT 20",
    )
    .bind(pattern)
    .bind(club_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, commune)| Candidate { id, name, commune })
        .collect())
}

/// A published structure's name.
pub async fn structure_name(db: &Db, structure_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM structures WHERE id = $1 AND status = 'published'")
        .bind(structure_id)
        .fetch_optional(&db.pool)
        .await
}

/// The membership page's lists.
pub async fn membership(db: &Db, club: ClubInfo) -> Result<MembershipPage, sqlx::Error> {
    type PendingDbRow = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Timestamp,
    );
    let pending: Vec<PendingDbRow> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, m.status, m.message, u.name, m.since FROM club_members m \
         JOIN structures s ON s.id = m.structure_id LEFT JOIN users u ON u.id = m.proposed_by \
         WHERE m.club_id = $1 AND m.status IN ('requested', 'invited') ORDER BY m.since, s.sort_key",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let active: Vec<(i64, String, String, Timestamp)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, m.since FROM club_members m JOIN structures s ON s.id = m.structure_id \
         WHERE m.club_id = $1 AND m.status = 'active' ORDER BY s.sort_key",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let representatives: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT sm.structure_id, u.id, u.name, \
         CASE WHEN a.user_id IS NULL THEN 0 ELSE 1 END FROM club_members m \
         JOIN structure_managers sm ON sm.structure_id = m.structure_id JOIN users u ON u.id = sm.user_id \
         LEFT JOIN club_admins a ON a.club_id = m.club_id AND a.user_id = u.id \
         WHERE m.club_id = $1 AND m.status = 'active' AND u.disabled_at IS NULL ORDER BY u.name, u.id",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let history: Vec<(Timestamp, String, String, String, String, String)> = sqlx::query_as(
        "SELECT at, actor_name, action, structure_name, subject_name, reason FROM club_history \
         WHERE club_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(MembershipPage {
        club,
        pending: pending
            .into_iter()
            .filter_map(
                |(structure_id, slug, name, status, message, proposed_by, since)| {
                    Some(PendingRow {
                        structure_id,
                        slug,
                        name,
                        status: MemberStatus::from_stored(&status)?,
                        message,
                        proposed_by: proposed_by.unwrap_or_default(),
                        since,
                    })
                },
            )
            .collect(),
        active: active
            .into_iter()
            .map(|(structure_id, slug, name, since)| ActiveRow {
                representatives: representatives
                    .iter()
                    .filter(|(of, ..)| *of == structure_id)
                    .map(|(_, user_id, name, admin)| Representative {
                        user_id: *user_id,
                        name: name.clone(),
                        admin: *admin == 1,
                    })
                    .collect(),
                structure_id,
                slug,
                name,
                since,
            })
            .collect(),
        history: history
            .into_iter()
            .filter_map(|(at, actor, action, structure, subject, reason)| {
                Some(HistoryRow {
                    at,
                    actor,
                    action: HistoryAction::from_stored(&action)?,
                    target: if subject.is_empty() {
                        structure
                    } else {
                        subject
                    },
                    reason,
                })
            })
            .collect(),
    })
}

/// `(e-mail, name)` of the club's admins.
pub async fn admin_addresses(db: &Db, club_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM club_admins a JOIN users u ON u.id = a.user_id \
         WHERE a.club_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(club_id)
    .fetch_all(&db.pool)
    .await
}

/// `(e-mail, name)` of a structure's managers.
pub async fn manager_addresses(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM structure_managers sm JOIN users u ON u.id = sm.user_id \
         WHERE sm.structure_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await
}

/// What a membership change did: the status before (none for a first step) and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    pub from: Option<MemberStatus>,
    pub to: MemberStatus,
}

/// A change of a structure's membership.
#[derive(Debug, Clone)]
pub enum Change {
    /// Its manager asks to join (or accepts, when the structure was invited).
    Request { message: String },
    /// An active member invites it.
    Invite { message: String },
    /// An admin answers a request or withdraws an invitation.
    Decide { decision: Decision, reason: String },
    /// Its manager answers an invitation.
    Answer(Answer),
    /// An admin removes it.
    Remove { reason: String },
    /// Its manager takes it out.
    Leave,
}

/// Takes the club's row for the rest of the transaction: concurrent changes of one club queue
/// here on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already runs writers one at a time).
async fn lock_club(tx: &mut Transaction<'_, Any>, club_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE clubs SET updated_at = updated_at WHERE id = $1")
        .bind(club_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Who acts: a club admin's decisions are checked again under the club's lock, so that an admin
/// whose role was taken away a moment before cannot act on the old right.
pub struct Actor<'a> {
    pub user: &'a CurrentUser,
    pub as_admin: bool,
}

async fn still_admin(
    tx: &mut Transaction<'_, Any>,
    club_id: i64,
    actor: &Actor<'_>,
) -> Result<(), ChangeError> {
    if !actor.as_admin
        || actor.user.is_admin()
        || is_admin(&mut **tx, club_id, actor.user.id).await?
    {
        Ok(())
    } else {
        Err(ChangeError::NoLongerAdmin)
    }
}

async fn admin_count(tx: &mut Transaction<'_, Any>, club_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_admins a JOIN users u ON u.id = a.user_id \
         WHERE a.club_id = $1 AND u.disabled_at IS NULL",
    )
    .bind(club_id)
    .fetch_one(&mut **tx)
    .await
}

/// One line of history.
struct Line<'a> {
    club_id: i64,
    structure: Option<(i64, &'a str)>,
    /// The person concerned: a user, or an address with no account yet.
    subject: Option<(Option<i64>, &'a str)>,
    actor: &'a CurrentUser,
    action: HistoryAction,
    reason: &'a str,
}

async fn record(tx: &mut Transaction<'_, Any>, line: Line<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO club_history (club_id, structure_id, structure_name, subject_user_id, subject_name, \
         actor_id, actor_name, action, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(line.club_id)
    .bind(line.structure.map(|(id, _)| id))
    .bind(line.structure.map_or("", |(_, name)| name))
    .bind(line.subject.and_then(|(id, _)| id))
    .bind(line.subject.map_or("", |(_, name)| name))
    .bind(line.actor.id)
    .bind(&line.actor.name)
    .bind(line.action.as_str())
    .bind(line.reason)
    .bind(Timestamp::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// « Sophie Martin a approuvé l'adhésion de Work&Co le lundi 23 novembre 2026 à 14 h 05 »: the
/// last thing that happened to the structure in this club.
async fn last_change(
    tx: &mut Transaction<'_, Any>,
    club_id: i64,
    structure_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String, String, String, Timestamp)> = sqlx::query_as(
        "SELECT actor_name, action, structure_name, at FROM club_history \
         WHERE club_id = $1 AND structure_id = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(club_id)
    .bind(structure_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(actor, action, structure, at)| {
        let action = HistoryAction::from_stored(&action)?;
        Some(format!(
            "{actor} {} {structure} le {}",
            action.phrase(),
            at.french_date_time()
        ))
    }))
}

/// The status a change leads to from `current`, the history action, or the sentence that says
/// why it does not apply.
fn next_status(
    change: &Change,
    current: Option<MemberStatus>,
    name: &str,
) -> Result<(MemberStatus, HistoryAction), String> {
    use MemberStatus::*;
    let fresh = current.is_none_or(MemberStatus::may_start_over);
    match (change, current) {
        (Change::Request { .. }, Some(Invited)) => Ok((Active, HistoryAction::Accepted)),
        (Change::Request { .. }, _) if fresh => Ok((Requested, HistoryAction::Requested)),
        (Change::Request { .. }, Some(Requested)) => Err(format!(
            "Une demande d'adhésion de {name} attend déjà la réponse des administrateurs du club."
        )),
        (Change::Invite { .. }, _) if fresh => Ok((Invited, HistoryAction::Invited)),
        (Change::Invite { .. }, Some(Requested)) => Err(format!(
            "{name} a déjà demandé à rejoindre le club : les administrateurs vont répondre."
        )),
        (Change::Invite { .. }, Some(Invited)) => Err(format!(
            "{name} a déjà été invitée : l'invitation attend la réponse de ses gérants."
        )),
        (Change::Request { .. } | Change::Invite { .. }, _) => {
            Err(format!("{name} est déjà membre du club."))
        }
        (Change::Decide { decision, .. }, Some(status)) if status.is_pending() => {
            Ok(match decision {
                Decision::Approve if status == Requested => (Active, HistoryAction::Approved),
                // An admin cannot accept an invitation in the invited side's place.
                Decision::Approve => {
                    return Err(format!(
                        "L'invitation de {name} attend la réponse de ses gérants : vous pouvez seulement la retirer."
                    ));
                }
                Decision::Decline => (Declined, HistoryAction::Declined),
            })
        }
        (Change::Answer(answer), Some(Invited)) => Ok(match answer {
            Answer::Accept => (Active, HistoryAction::Accepted),
            Answer::Decline => (Declined, HistoryAction::Refused),
        }),
        (Change::Remove { .. }, Some(Active)) => Ok((Removed, HistoryAction::Removed)),
        (Change::Leave, Some(Active)) => Ok((Left, HistoryAction::Left)),
        (Change::Decide { .. } | Change::Answer(_), _) => Err(String::new()),
        (Change::Remove { .. } | Change::Leave, _) => {
            Err(format!("{name} n'est pas membre du club."))
        }
    }
}

/// Applies `change` to the structure's membership, with its history line, in one transaction.
/// Returns the status it found (read under the club's lock) and the new one.
pub async fn change(
    db: &Db,
    club_id: i64,
    structure_id: i64,
    actor: Actor<'_>,
    change: Change,
) -> Result<Changed, ChangeError> {
    let mut tx = db.begin_write().await?;
    if !lock_club(&mut tx, club_id).await? {
        return Err(ChangeError::Db(sqlx::Error::RowNotFound));
    }
    still_admin(&mut tx, club_id, &actor).await?;
    let actor = actor.user;
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(structure_id)
        .fetch_optional(&mut *tx)
        .await?;
    let name = name.ok_or(ChangeError::Db(sqlx::Error::RowNotFound))?;
    let current: Option<String> = sqlx::query_scalar(
        "SELECT status FROM club_members WHERE club_id = $1 AND structure_id = $2",
    )
    .bind(club_id)
    .bind(structure_id)
    .fetch_optional(&mut *tx)
    .await?;
    let current = current.as_deref().and_then(MemberStatus::from_stored);
    let (status, action) = match next_status(&change, current, &name) {
        Ok(next) => next,
        Err(sentence) => {
            let last = last_change(&mut tx, club_id, structure_id).await?;
            return Err(ChangeError::Conflict(match (sentence.is_empty(), last) {
                (true, Some(last)) => {
                    format!("Cette demande a déjà été traitée : {last}.")
                }
                (true, None) => "Cette demande a déjà été traitée.".to_owned(),
                (false, Some(last)) if current.is_some() => {
                    format!("{sentence} (Dernier changement : {last}.)")
                }
                (false, _) => sentence,
            }));
        }
    };
    let admins_before = admin_count(&mut tx, club_id).await?;
    let now = Timestamp::now();
    let (message, reason) = match &change {
        Change::Request { message } | Change::Invite { message } => (message.as_str(), ""),
        Change::Decide { reason, .. } | Change::Remove { reason } => ("", reason.as_str()),
        Change::Answer(_) | Change::Leave => ("", ""),
    };
    let proposed = matches!(status, MemberStatus::Requested | MemberStatus::Invited);
    sqlx::query(
        "INSERT INTO club_members (club_id, structure_id, status, message, proposed_by, since, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (club_id, structure_id) DO UPDATE SET \
         status = excluded.status, message = excluded.message, proposed_by = excluded.proposed_by, \
         since = excluded.since, updated_at = excluded.updated_at",
    )
    .bind(club_id)
    .bind(structure_id)
    .bind(status.as_str())
    .bind(message)
    .bind(proposed.then_some(actor.id))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        Line {
            club_id,
            structure: Some((structure_id, &name)),
            subject: None,
            actor,
            action,
            reason,
        },
    )
    .await?;
    if matches!(status, MemberStatus::Left | MemberStatus::Removed) {
        drop_orphan_admins(&mut tx, club_id, actor).await?;
        if admins_before > 0 && admin_count(&mut tx, club_id).await? == 0 {
            return Err(ChangeError::LastAdmin);
        }
    }
    tx.commit().await?;
    Ok(Changed {
        from: current,
        to: status,
    })
}

/// Admins who no longer manage any active member structure lose the role (with a history line).
async fn drop_orphan_admins(
    tx: &mut Transaction<'_, Any>,
    club_id: i64,
    actor: &CurrentUser,
) -> Result<(), sqlx::Error> {
    let orphans: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.user_id, u.name FROM club_admins a JOIN users u ON u.id = a.user_id WHERE a.club_id = $1 \
         AND a.user_id NOT IN (SELECT sm.user_id FROM structure_managers sm JOIN club_members m \
             ON m.structure_id = sm.structure_id WHERE m.club_id = $1 AND m.status = 'active')",
    )
    .bind(club_id)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id, name) in orphans {
        sqlx::query("DELETE FROM club_admins WHERE club_id = $1 AND user_id = $2")
            .bind(club_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        record(
            tx,
            Line {
                club_id,
                structure: None,
                subject: Some((Some(user_id), &name)),
                actor,
                action: HistoryAction::AdminRemoved,
                reason: "Sa structure n'est plus membre du club.",
            },
        )
        .await?;
    }
    Ok(())
}

/// Makes or unmakes `user_id` an admin of the club. Only a manager of an active member
/// structure may be made admin; the last admin stays.
pub async fn set_admin(
    db: &Db,
    club_id: i64,
    user_id: i64,
    actor: &CurrentUser,
    change: AdminChange,
) -> Result<(), ChangeError> {
    let mut tx = db.begin_write().await?;
    if !lock_club(&mut tx, club_id).await? {
        return Err(ChangeError::Db(sqlx::Error::RowNotFound));
    }
    still_admin(
        &mut tx,
        club_id,
        &Actor {
            user: actor,
            as_admin: true,
        },
    )
    .await?;
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let name = name.ok_or(ChangeError::Db(sqlx::Error::RowNotFound))?;
    let represents = represents_member(&mut *tx, club_id, user_id).await?;
    let already = is_admin(&mut *tx, club_id, user_id).await?;
    let action = match (change, already) {
        (AdminChange::Appoint, true) => {
            return Err(ChangeError::Conflict(format!(
                "{name} est déjà administrateur ou administratrice du club."
            )));
        }
        (AdminChange::Revoke, false) => {
            return Err(ChangeError::Conflict(format!(
                "{name} n'est pas ou plus administrateur ou administratrice du club."
            )));
        }
        (AdminChange::Appoint, false) if !represents => {
            return Err(ChangeError::Conflict(format!(
                "{name} ne gère aucune structure membre du club : seuls leurs représentants peuvent l'administrer."
            )));
        }
        (AdminChange::Appoint, false) => {
            sqlx::query(
                "INSERT INTO club_admins (club_id, user_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(club_id)
            .bind(user_id)
            .bind(Timestamp::now())
            .execute(&mut *tx)
            .await?;
            HistoryAction::AdminAdded
        }
        (AdminChange::Revoke, true) => {
            sqlx::query("DELETE FROM club_admins WHERE club_id = $1 AND user_id = $2")
                .bind(club_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if admin_count(&mut tx, club_id).await? == 0 {
                return Err(ChangeError::LastAdmin);
            }
            HistoryAction::AdminRemoved
        }
    };
    record(
        &mut tx,
        Line {
            club_id,
            structure: None,
            subject: Some((Some(user_id), &name)),
            actor,
            action,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records an invitation sent to an address (its token's hash), valid 30 days.
pub async fn invite_by_email(
    db: &Db,
    club_id: i64,
    email: &str,
    message: &str,
    token_hash: &str,
    actor: &CurrentUser,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO club_email_invitations (club_id, email, message, token_hash, invited_by, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(club_id)
    .bind(email)
    .bind(message)
    .bind(token_hash)
    .bind(actor.id)
    .bind(now.plus(time::Duration::days(30)))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        Line {
            club_id,
            structure: None,
            subject: Some((None, email)),
            actor,
            action: HistoryAction::InvitedByEmail,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An unused, unexpired e-mail invitation: `(id, club slug, club name, message)`.
pub async fn email_invitation(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(i64, i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, c.id, c.slug, c.name, i.message FROM club_email_invitations i JOIN clubs c ON c.id = i.club_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
    )
    .bind(token_hash)
    .bind(Timestamp::now())
    .fetch_optional(&db.pool)
    .await
}

/// The structure that joins through an e-mail invitation.
pub enum Joining {
    /// One the person already manages.
    Existing(i64),
    /// A new directory entry, which the person will manage.
    New(NewEntry),
}

/// Uses the invitation (once), creates the entry if asked, and makes the structure an active
/// member, in one transaction. `None` when the link was used meanwhile.
pub async fn join_by_email(
    db: &Db,
    invitation_id: i64,
    club_id: i64,
    actor: &CurrentUser,
    joining: Joining,
) -> Result<Option<i64>, ChangeError> {
    let mut tx = db.begin_write().await?;
    lock_club(&mut tx, club_id).await?;
    let now = Timestamp::now();
    let used = sqlx::query(
        "UPDATE club_email_invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(invitation_id)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() == 0 {
        return Ok(None);
    }
    let (structure_id, name) = match joining {
        Joining::Existing(id) => {
            let row: Option<(i64, String)> = sqlx::query_as(
                "SELECT s.id, s.name FROM structures s JOIN structure_managers sm ON sm.structure_id = s.id \
                 WHERE s.id = $1 AND sm.user_id = $2",
            )
            .bind(id)
            .bind(actor.id)
            .fetch_optional(&mut *tx)
            .await?;
            row.ok_or(ChangeError::Conflict(
                "Choisissez une structure que vous gérez.".to_owned(),
            ))?
        }
        Joining::New(entry) => {
            let id = create_entry(&mut tx, db, &entry, actor, now).await?;
            record(
                &mut tx,
                Line {
                    club_id,
                    structure: Some((id, &entry.name)),
                    subject: None,
                    actor,
                    action: HistoryAction::Created,
                    reason: "",
                },
            )
            .await?;
            (id, entry.name)
        }
    };
    let current: Option<String> = sqlx::query_scalar(
        "SELECT status FROM club_members WHERE club_id = $1 AND structure_id = $2",
    )
    .bind(club_id)
    .bind(structure_id)
    .fetch_optional(&mut *tx)
    .await?;
    if current.as_deref() == Some(MemberStatus::Active.as_str()) {
        return Err(ChangeError::Conflict(format!(
            "{name} est déjà membre du club."
        )));
    }
    sqlx::query(
        "INSERT INTO club_members (club_id, structure_id, status, message, proposed_by, since, updated_at) \
         VALUES ($1, $2, 'active', '', NULL, $3, $3) ON CONFLICT (club_id, structure_id) DO UPDATE SET \
         status = 'active', message = '', proposed_by = NULL, since = excluded.since, updated_at = excluded.updated_at",
    )
    .bind(club_id)
    .bind(structure_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        Line {
            club_id,
            structure: Some((structure_id, &name)),
            subject: None,
            actor,
            action: HistoryAction::Accepted,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(structure_id))
}

/// A new published entry managed by `actor`, with a slug not yet taken.
async fn create_entry(
    tx: &mut Transaction<'_, Any>,
    db: &Db,
    entry: &NewEntry,
    actor: &CurrentUser,
    now: Timestamp,
) -> Result<i64, ChangeError> {
    use crate::features::directory::db::insert::{NewStructure, insert_context, insert_structures};
    let context = insert_context(db).await?;
    let slug = crate::db::unique_slug(
        tx,
        crate::db::SlugTable::Structures,
        &crate::slug::slugify(&entry.name),
        &[],
    )
    .await?;
    let structure = NewStructure {
        slug: slug.clone(),
        name: entry.name.clone(),
        legal_form: entry.legal_form.clone(),
        commune_slug: entry.commune.clone(),
        status: "published".to_owned(),
        timestamp: now.to_string(),
        ..Default::default()
    };
    insert_structures(tx, &context, std::slice::from_ref(&structure))
        .await
        .map_err(|error| match error {
            sqlx::Error::Protocol(_) => {
                ChangeError::Conflict("Choisissez la commune dans la liste.".to_owned())
            }
            error => ChangeError::Db(error),
        })?;
    let id: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO structure_managers (user_id, structure_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(actor.id)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// `(slug, name)` of the territories a club may cover: intercommunalities and départements.
pub async fn club_territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories WHERE kind IN ('intercommunalite', 'departement') ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
}

/// A club's fields as the form shows them.
pub async fn club_edit(db: &Db, club_id: i64) -> Result<Option<ClubEdit>, sqlx::Error> {
    let row: Option<(String, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT c.name, t.slug, c.description, c.charter, c.meetings FROM clubs c \
         LEFT JOIN territories t ON t.id = c.territory_id WHERE c.id = $1",
    )
    .bind(club_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(
        |(name, territory, description, charter, meetings)| ClubEdit {
            name,
            territory: territory.unwrap_or_default(),
            description,
            charter,
            meetings,
        },
    ))
}

/// The territory's id, `Err(())` when the slug names none.
async fn territory_id(db: &Db, slug: &str) -> Result<Result<Option<i64>, ()>, sqlx::Error> {
    if slug.is_empty() {
        return Ok(Ok(None));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM territories WHERE slug = $1 AND kind IN ('intercommunalite', 'departement')",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.map(Some).ok_or(()))
}

/// Creates a club; its slug (from its name, made unique). `None` when the territory is unknown.
pub async fn create_club(db: &Db, club: &ClubEdit) -> Result<Option<String>, sqlx::Error> {
    let Ok(territory) = territory_id(db, &club.territory).await? else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    // `nouveau` and `invitation` are pages of their own.
    let slug = crate::db::unique_slug(
        &mut tx,
        crate::db::SlugTable::Clubs,
        &crate::slug::slugify(&club.name),
        &["nouveau", "invitation"],
    )
    .await?;
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO clubs (slug, name, territory_id, description, charter, meetings, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&slug)
    .bind(&club.name)
    .bind(territory)
    .bind(&club.description)
    .bind(&club.charter)
    .bind(&club.meetings)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(slug))
}

/// Saves a club's fields (its slug stays). `false` when the territory is unknown.
pub async fn save_club(db: &Db, club_id: i64, club: &ClubEdit) -> Result<bool, sqlx::Error> {
    let Ok(territory) = territory_id(db, &club.territory).await? else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE clubs SET name = $1, territory_id = $2, description = $3, charter = $4, meetings = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&club.name)
    .bind(territory)
    .bind(&club.description)
    .bind(&club.charter)
    .bind(&club.meetings)
    .bind(Timestamp::now())
    .bind(club_id)
    .execute(&db.pool)
    .await?;
    Ok(true)
}

/// `(slug, name)` of the clubs the person administers (every club for a site admin).
pub async fn administered(
    db: &Db,
    user_id: i64,
    site_admin: bool,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.name FROM clubs c WHERE $2 = 1 \
         OR c.id IN (SELECT a.club_id FROM club_admins a WHERE a.user_id = $1) ORDER BY c.name",
    )
    .bind(user_id)
    .bind(i64::from(site_admin))
    .fetch_all(&db.pool)
    .await
}

/// The structures a person manages, `(id, name)`.
pub async fn managed_structures(db: &Db, user_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name FROM structure_managers sm JOIN structures s ON s.id = sm.structure_id \
         WHERE sm.user_id = $1 ORDER BY s.sort_key",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Change {
        Change::Request {
            message: String::new(),
        }
    }

    #[test]
    fn every_transition_goes_where_it_should() {
        use MemberStatus::*;
        let next = |change: Change, from: Option<MemberStatus>| {
            next_status(&change, from, "Work&Co").map(|(status, _)| status)
        };
        assert_eq!(next(request(), None), Ok(Requested));
        assert_eq!(next(request(), Some(Left)), Ok(Requested));
        assert_eq!(next(request(), Some(Invited)), Ok(Active));
        assert!(next(request(), Some(Requested)).is_err());
        assert!(next(request(), Some(Active)).is_err());
        let invite = || Change::Invite {
            message: String::new(),
        };
        assert_eq!(next(invite(), Some(Removed)), Ok(Invited));
        assert!(next(invite(), Some(Requested)).is_err());
        assert!(next(invite(), Some(Invited)).is_err());
        assert!(next(invite(), Some(Active)).is_err());
        let decide = |decision| Change::Decide {
            decision,
            reason: String::new(),
        };
        assert_eq!(next(decide(Decision::Approve), Some(Requested)), Ok(Active));
        assert!(next(decide(Decision::Approve), Some(Invited)).is_err());
        assert_eq!(next(decide(Decision::Decline), Some(Invited)), Ok(Declined));
        assert_eq!(
            next(decide(Decision::Decline), Some(Requested)),
            Ok(Declined)
        );
        // Decided meanwhile: an empty sentence, which the caller completes from the history.
        assert_eq!(
            next_status(&decide(Decision::Approve), Some(Active), "Work&Co"),
            Err(String::new())
        );
        assert_eq!(
            next(Change::Answer(Answer::Accept), Some(Invited)),
            Ok(Active)
        );
        assert_eq!(
            next(Change::Answer(Answer::Decline), Some(Invited)),
            Ok(Declined)
        );
        assert!(next(Change::Answer(Answer::Accept), Some(Requested)).is_err());
        let remove = || Change::Remove { reason: "x".into() };
        assert_eq!(next(remove(), Some(Active)), Ok(Removed));
        assert!(next(remove(), Some(Left)).is_err());
        assert_eq!(next(Change::Leave, Some(Active)), Ok(Left));
        assert!(next(Change::Leave, None).is_err());
    }
}
