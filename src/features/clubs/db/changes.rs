//! Membership changes, one locked transaction each: the status machine decides, the history
//! records, the last admin is kept.

use super::super::membership::next_status;
use crate::db::Db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::clubs::AdminChange;
use crate::features::clubs::HistoryAction;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::db::is_admin;
use crate::features::clubs::db::represents_member;
use crate::features::clubs::membership::Change;
use crate::timestamp::Timestamp;
use sqlx::{Any, Transaction};

/// What a membership change did: the status before (none for a first step) and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    pub from: Option<MemberStatus>,
    pub to: MemberStatus,
}

/// Takes the club's row for the rest of the transaction: concurrent changes of one club queue
/// here on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already runs writers one at a time).
pub(super) async fn lock_club(
    tx: &mut Transaction<'_, Any>,
    club_id: i64,
) -> Result<bool, sqlx::Error> {
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
) -> Result<(), AppError> {
    if !actor.as_admin
        || actor.user.is_admin()
        || is_admin(&mut **tx, club_id, actor.user.id).await?
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
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
pub(super) struct Line<'a> {
    pub(super) club_id: i64,
    pub(super) structure: Option<(i64, &'a str)>,
    /// The person concerned: a user, or an address with no account yet.
    pub(super) subject: Option<(Option<i64>, &'a str)>,
    pub(super) actor: &'a CurrentUser,
    pub(super) action: HistoryAction,
    pub(super) reason: &'a str,
}

pub(super) async fn record(
    tx: &mut Transaction<'_, Any>,
    line: Line<'_>,
) -> Result<(), sqlx::Error> {
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

/// Applies `change` to the structure's membership, with its history line, in one transaction.
/// Returns the status it found (read under the club's lock) and the new one.
pub async fn change(
    db: &Db,
    club_id: i64,
    structure_id: i64,
    actor: Actor<'_>,
    change: Change,
) -> Result<Changed, AppError> {
    let mut tx = db.begin_write().await?;
    if !lock_club(&mut tx, club_id).await? {
        return Err(AppError::NotFound);
    }
    still_admin(&mut tx, club_id, &actor).await?;
    let actor = actor.user;
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(structure_id)
        .fetch_optional(&mut *tx)
        .await?;
    let name = name.ok_or(AppError::NotFound)?;
    let current: Option<String> = sqlx::query_scalar(
        "SELECT status FROM club_members WHERE club_id = $1 AND structure_id = $2",
    )
    .bind(club_id)
    .bind(structure_id)
    .fetch_optional(&mut *tx)
    .await?;
    let current = current.as_deref().and_then(MemberStatus::from_stored);
    let by_admin = super::reading::may_decide(&mut tx, club_id, actor.id).await?;
    let (status, action) = match next_status(&change, current, &name, by_admin) {
        Ok(next) => next,
        Err(sentence) => {
            let last = last_change(&mut tx, club_id, structure_id).await?;
            return Err(AppError::Conflict(match (sentence.is_empty(), last) {
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
            return Err(AppError::Conflict(super::LAST_ADMIN.to_owned()));
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
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if !lock_club(&mut tx, club_id).await? {
        return Err(AppError::NotFound);
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
    let name = name.ok_or(AppError::NotFound)?;
    let represents = represents_member(&mut *tx, club_id, user_id).await?;
    let already = is_admin(&mut *tx, club_id, user_id).await?;
    let action = match (change, already) {
        (AdminChange::Appoint, true) => {
            return Err(AppError::Conflict(format!(
                "{name} est déjà administrateur ou administratrice du club."
            )));
        }
        (AdminChange::Revoke, false) => {
            return Err(AppError::Conflict(format!(
                "{name} n'est pas ou plus administrateur ou administratrice du club."
            )));
        }
        (AdminChange::Appoint, false) if !represents => {
            return Err(AppError::Conflict(format!(
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
                return Err(AppError::Conflict(super::LAST_ADMIN.to_owned()));
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

/// A merge of two entries: `from`'s club memberships and history become `into`'s (a club both
/// belong to keeps `into`'s membership).
pub async fn move_memberships(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE club_members SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM club_members o WHERE o.structure_id = $1 AND o.club_id = club_members.club_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE club_history SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
