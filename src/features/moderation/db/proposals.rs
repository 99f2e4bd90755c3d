//! Proposals: filed (a visitor's wait for their address), confirmed, listed for moderators,
//! accepted field by field or refused, each decision once.

use crate::db::Db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::directory::db::{Author, Snapshot};
use crate::features::directory::{RevisionOrigin, field_label};
use crate::features::moderation::{ProposalKind, ProposalStatus, QueueItem};
use crate::timestamp::Timestamp;
use crate::tokens::Purpose;

/// A proposal to file.
pub struct NewProposal<'a> {
    pub kind: ProposalKind,
    pub structure_id: Option<i64>,
    pub departement: Option<i64>,
    pub fields: &'a Snapshot,
    pub proposer_id: Option<i64>,
    pub proposer_name: &'a str,
    pub proposer_email: &'a str,
}

/// Files a proposal: waiting for moderation (`confirmed`), or for the visitor to confirm their
/// address, in which case the answer holds the link's token.
pub async fn file(
    db: &Db,
    proposal: &NewProposal<'_>,
    confirmed: bool,
) -> Result<(i64, Option<String>), sqlx::Error> {
    let status = if confirmed {
        ProposalStatus::Pending
    } else {
        ProposalStatus::Unconfirmed
    };
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO proposals (kind, structure_id, departement_id, fields, proposer_id, proposer_name, \
         proposer_email, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(proposal.kind.as_str())
    .bind(proposal.structure_id)
    .bind(proposal.departement)
    .bind(serde_json::to_string(proposal.fields).unwrap_or_default())
    .bind(proposal.proposer_id)
    .bind(proposal.proposer_name)
    .bind(proposal.proposer_email)
    .bind(status.as_str())
    .bind(Timestamp::now())
    .fetch_one(&mut *tx)
    .await?;
    let token = if confirmed {
        None
    } else {
        Some(crate::tokens::issue(&mut tx, Purpose::ConfirmProposal, id, None, false).await?)
    };
    tx.commit().await?;
    Ok((id, token))
}

/// A visitor confirms their address with the mailed link: the proposal goes to moderation.
/// `None` for a link that is unknown, expired or used.
pub async fn confirm(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(link) = crate::tokens::consume(&mut tx, Purpose::ConfirmProposal, token).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE proposals SET status = 'pending' WHERE id = $1 AND status = 'unconfirmed'")
        .bind(link.subject)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(link.subject))
}

/// A proposal as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub kind: ProposalKind,
    pub status: ProposalStatus,
    pub structure_id: Option<i64>,
    pub departement: Option<i64>,
    pub fields: Snapshot,
    pub proposer_id: Option<i64>,
    pub proposer_name: String,
    pub proposer_email: String,
    pub decided: Option<(String, Timestamp, String)>,
    pub created_at: Timestamp,
}

type StoredRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<Timestamp>,
    String,
    Timestamp,
);

const STORED: &str = "SELECT id, kind, status, structure_id, departement_id, fields, proposer_id, \
     proposer_name, proposer_email, decided_by_name, decided_at, reason, created_at FROM proposals";

fn stored(row: StoredRow) -> Stored {
    let (
        id,
        kind,
        status,
        structure_id,
        departement,
        fields,
        proposer_id,
        proposer_name,
        proposer_email,
        decided_by,
        decided_at,
        reason,
        created_at,
    ) = row;
    Stored {
        id,
        kind: ProposalKind::from_stored(&kind),
        status: ProposalStatus::from_stored(&status),
        structure_id,
        departement,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        proposer_id,
        proposer_name,
        proposer_email,
        decided: decided_at.map(|at| (decided_by, at, reason)),
        created_at,
    }
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Stored>, sqlx::Error> {
    let row: Option<StoredRow> = sqlx::query_as(&format!("{STORED} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(stored))
}

/// The proposals waiting for a decision, oldest first, in `departement` (`None`: everywhere).
pub async fn queue(db: &Db, departement: Option<i64>) -> Result<Vec<QueueItem>, sqlx::Error> {
    let rows: Vec<StoredRow> = sqlx::query_as(&format!(
        "{STORED} WHERE status = 'pending' AND ($1 IS NULL OR departement_id = $1) \
         ORDER BY created_at, id LIMIT 200"
    ))
    .bind(departement)
    .fetch_all(&db.pool)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for proposal in rows.into_iter().map(stored) {
        let entry: Option<String> = match proposal.structure_id {
            Some(id) => {
                sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&db.pool)
                    .await?
            }
            None => None,
        };
        let territory: Option<String> =
            sqlx::query_scalar("SELECT name FROM territories WHERE id = $1")
                .bind(proposal.departement)
                .fetch_optional(&db.pool)
                .await?;
        items.push(QueueItem {
            id: proposal.id,
            kind: proposal.kind,
            name: entry
                .or_else(|| proposal.fields.get("name").cloned())
                .unwrap_or_default(),
            territory: territory.unwrap_or_default(),
            proposer: proposal.proposer_name,
            fields: proposal.fields.len(),
            created_at: proposal.created_at,
        });
    }
    Ok(items)
}

/// The fields a new entry cannot do without.
pub const REQUIRED_FIELDS: [&str; 4] = ["name", "legal_form", "commune", "sectors"];

/// Claims a pending proposal for a decision, in the caller's transaction: the first moderator
/// wins; the others learn who decided, and when.
async fn claim(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    status: ProposalStatus,
    accepted: &str,
    reason: &str,
    moderator: &CurrentUser,
) -> Result<(), AppError> {
    let claimed = sqlx::query(
        "UPDATE proposals SET status = $1, accepted_fields = $2, reason = $3, decided_by = $4, \
         decided_by_name = $5, decided_at = $6 WHERE id = $7 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(accepted)
    .bind(reason)
    .bind(moderator.id)
    .bind(&moderator.name)
    .bind(Timestamp::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() == 1 {
        return Ok(());
    }
    let now: Option<(String, String, Option<Timestamp>)> =
        sqlx::query_as("SELECT status, decided_by_name, decided_at FROM proposals WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Err(match now {
        None => AppError::NotFound,
        Some((status, by, Some(at))) => AppError::Conflict(format!(
            "Cette proposition a déjà été {} par {by} le {}.",
            ProposalStatus::from_stored(&status).label(),
            at.french_date_time()
        )),
        Some(_) => AppError::Conflict(
            "Cette proposition attend encore que son auteur confirme son adresse.".to_owned(),
        ),
    })
}

/// What an accepted proposal did: the entry's id, slug and name.
pub struct Accepted {
    pub structure_id: i64,
    pub slug: String,
    pub name: String,
    pub proposal: Stored,
    /// A new entry's manager: its proposer's account (a visitor's, when an account with their
    /// confirmed address exists).
    pub manager: Option<i64>,
}

/// Accepts the fields `accepted` of proposal `id` in one transaction: a new entry is created
/// (its proposer, when they have an account, becomes its manager), a correction changes the
/// entry; either way a revision records it.
pub async fn accept(
    db: &Db,
    id: i64,
    accepted: &[String],
    moderator: &CurrentUser,
) -> Result<Accepted, AppError> {
    let proposal = find(db, id).await?.ok_or(AppError::NotFound)?;
    let kept: Snapshot = proposal
        .fields
        .iter()
        .filter(|(field, _)| accepted.contains(field))
        .map(|(field, value)| (field.clone(), value.clone()))
        .collect();
    if kept.is_empty() {
        return Err(AppError::validation(
            "accepted",
            "Cochez au moins un champ à accepter, ou refusez la proposition.",
        ));
    }
    // A visitor confirmed their address when proposing: an account with that address, itself
    // confirmed, is theirs.
    let manager = match proposal.proposer_id {
        Some(id) => Some(id),
        None if proposal.kind == ProposalKind::New && !proposal.proposer_email.is_empty() => {
            crate::features::accounts::db::find_by_email(db, &proposal.proposer_email)
                .await?
                .filter(|user| user.email_verified_at.is_some() && user.disabled_at.is_none())
                .map(|user| user.id)
        }
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let names: Vec<&str> = kept.keys().map(String::as_str).collect();
    claim(
        &mut tx,
        id,
        ProposalStatus::Accepted,
        &names.join(","),
        "",
        moderator,
    )
    .await?;
    let author = Author {
        id: Some(moderator.id),
        name: &moderator.name,
    };
    let structure_id = match proposal.kind {
        ProposalKind::New => {
            if let Some(missing) = REQUIRED_FIELDS.iter().find(|f| !kept.contains_key(**f)) {
                return Err(AppError::validation(
                    "accepted",
                    format!(
                        "Une nouvelle fiche ne peut pas se passer du champ « {} » : acceptez-le, ou refusez la proposition.",
                        field_label(missing)
                    ),
                ));
            }
            let (structure_id, _) = crate::features::directory::db::entry::create_entry(
                &mut tx,
                &kept,
                RevisionOrigin::Proposal,
                author,
            )
            .await?;
            if let Some(proposer) = manager {
                crate::features::accounts::db::add_manager_in(
                    &mut *tx,
                    proposer,
                    structure_id,
                    Timestamp::now(),
                )
                .await?;
            }
            sqlx::query("UPDATE proposals SET structure_id = $1 WHERE id = $2")
                .bind(structure_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            structure_id
        }
        ProposalKind::Correction => {
            let Some(structure_id) = proposal.structure_id else {
                return Err(AppError::Conflict(
                    "La fiche a été supprimée entre-temps : la proposition ne peut plus s'appliquer.".to_owned(),
                ));
            };
            crate::features::directory::db::revisions::change(
                &mut tx,
                structure_id,
                &kept,
                RevisionOrigin::Proposal,
                author,
            )
            .await?;
            structure_id
        }
    };
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM structures WHERE id = $1")
            .bind(structure_id)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    let new = proposal.kind == ProposalKind::New;
    Ok(Accepted {
        structure_id,
        slug,
        name,
        proposal,
        manager: manager.filter(|_| new),
    })
}

/// Refuses proposal `id` with `reason`.
pub async fn refuse(
    db: &Db,
    id: i64,
    reason: &str,
    moderator: &CurrentUser,
) -> Result<Stored, AppError> {
    let proposal = find(db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    claim(&mut tx, id, ProposalStatus::Refused, "", reason, moderator).await?;
    tx.commit().await?;
    Ok(proposal)
}

/// The pending corrections of an entry, for its managers: `(proposer, fields, date)`.
pub async fn pending_for(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(String, Snapshot, Timestamp)>, sqlx::Error> {
    let rows: Vec<(String, String, Timestamp)> = sqlx::query_as(
        "SELECT proposer_name, fields, created_at FROM proposals WHERE structure_id = $1 \
         AND kind = 'correction' AND status = 'pending' ORDER BY id",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(who, fields, at)| (who, serde_json::from_str(&fields).unwrap_or_default(), at))
        .collect())
}

/// A merge of two entries: proposals about `from` are about `into`.
pub async fn move_proposals(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposals SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
