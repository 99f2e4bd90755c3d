//! Invitations by mail: the token, and joining with it (creating the structure's entry when
//! it is new).

use super::changes::{Line, lock_club, record};
use crate::db::Db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::clubs::HistoryAction;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::NewEntry;
use crate::timestamp::Timestamp;
use crate::tokens::Purpose;
use sqlx::{Any, Transaction};

/// Records an invitation sent to an address (its token's hash), valid 30 days.
pub async fn invite_by_email(
    db: &Db,
    club_id: i64,
    email: &str,
    message: &str,
    actor: &CurrentUser,
) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = Timestamp::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO club_email_invitations (club_id, email, message, invited_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(club_id)
    .bind(email)
    .bind(message)
    .bind(actor.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let token = crate::tokens::issue(&mut tx, Purpose::ClubInvitation, id, None, false).await?;
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
    Ok(token)
}

/// An unused, unexpired e-mail invitation: `(id, club slug, club name, message)`.
pub async fn email_invitation(
    db: &Db,
    token: &str,
) -> Result<Option<(i64, i64, String, String, String)>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let Some(link) = crate::tokens::find(&mut conn, Purpose::ClubInvitation, token).await? else {
        return Ok(None);
    };
    sqlx::query_as(
        "SELECT i.id, c.id, c.slug, c.name, i.message FROM club_email_invitations i JOIN clubs c ON c.id = i.club_id \
         WHERE i.id = $1",
    )
    .bind(link.subject)
    .fetch_optional(&mut *conn)
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
    token: &str,
    club_id: i64,
    actor: &CurrentUser,
    joining: Joining,
) -> Result<Option<i64>, AppError> {
    let mut tx = db.begin_write().await?;
    lock_club(&mut tx, club_id).await?;
    let now = Timestamp::now();
    // Used meanwhile (a second click): the link no longer answers.
    let Some(link) = crate::tokens::consume(&mut tx, Purpose::ClubInvitation, token).await? else {
        return Ok(None);
    };
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
            row.ok_or(AppError::Conflict(
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
        return Err(AppError::Conflict(format!(
            "{name} est déjà membre du club."
        )));
    }
    // A structure the club's admins removed comes back by their decision only: an invitation
    // by mail from an ordinary member does not bring it back (the link stays usable).
    if current.as_deref() == Some(MemberStatus::Removed.as_str()) {
        let inviter: Option<i64> =
            sqlx::query_scalar("SELECT invited_by FROM club_email_invitations WHERE id = $1")
                .bind(link.subject)
                .fetch_optional(&mut *tx)
                .await?
                .flatten();
        let by_admin = match inviter {
            Some(inviter) => super::reading::may_decide(&mut tx, club_id, inviter).await?,
            None => false,
        };
        if !by_admin {
            return Err(AppError::Conflict(
                super::super::membership::removed_sentence(&name),
            ));
        }
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

/// A new entry managed by `actor`, unpublished until a moderator publishes it, with a slug
/// not yet taken.
async fn create_entry(
    tx: &mut Transaction<'_, Any>,
    db: &Db,
    entry: &NewEntry,
    actor: &CurrentUser,
    now: Timestamp,
) -> Result<i64, AppError> {
    use crate::features::directory::db::insert::{NewStructure, insert_context, insert_structures};
    let context = insert_context(db).await?;
    let slug = crate::db::unique_slug(
        tx,
        crate::db::SlugTable::Structures,
        &crate::slug::slugify(&entry.name),
        crate::features::directory::RESERVED_SLUGS,
    )
    .await?;
    let structure = NewStructure {
        slug: slug.clone(),
        name: entry.name.clone(),
        legal_form: entry.legal_form.clone(),
        commune_slug: entry.commune.clone(),
        // Unpublished until a moderator has looked at it: an invitation is no way around the
        // directory's moderation (see moderation::entries).
        status: crate::features::directory::PublicationStatus::Draft
            .as_str()
            .to_owned(),
        timestamp: now.to_string(),
        ..Default::default()
    };
    insert_structures(tx, &context, std::slice::from_ref(&structure))
        .await
        .map_err(|error| match error {
            sqlx::Error::Protocol(_) => {
                AppError::Conflict("Choisissez la commune dans la liste.".to_owned())
            }
            error => error.into(),
        })?;
    let id: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&mut **tx)
        .await?;
    crate::features::accounts::db::add_manager_in(&mut **tx, actor.id, id, now).await?;
    Ok(id)
}
