//! Invitations by mail: the token, and joining with it (creating the structure's entry when
//! it is new).

use super::changes::{Line, lock_club, record};
use crate::db::Db;
use crate::features::accounts::CurrentUser;
use crate::features::clubs::HistoryAction;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::NewEntry;
use crate::features::clubs::db::ChangeError;
use crate::timestamp::Timestamp;
use sqlx::{Any, Transaction};

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
    crate::features::accounts::db::add_manager_in(&mut **tx, actor.id, id, now).await?;
    Ok(id)
}
