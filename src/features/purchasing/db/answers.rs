//! Answers, contacts and the need's outcome.

use super::needs::history;
use super::suppliers::managers_of;
use crate::db::Db;
use crate::error::AppError;
use crate::features::purchasing::Answer;
use crate::features::purchasing::Outcome;
use crate::features::purchasing::db::Recipient;
use crate::timestamp::Timestamp;

/// A kept supplier's answer to an open need. Answering again replaces the answer (and says so
/// in the history).
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    db: &Db,
    need_id: i64,
    structure_id: i64,
    answer: Answer,
    message: &str,
    attachment_url: &str,
    by: i64,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE need_suppliers SET answer = $1, message = $2, attachment_url = $3, answered_at = $4 \
         WHERE need_id = $5 AND structure_id = $6 AND removed = 0 \
         AND EXISTS (SELECT 1 FROM needs WHERE id = $5 AND status = 'open')",
    )
    .bind(answer.as_str())
    .bind(message)
    .bind(attachment_url)
    .bind(now)
    .bind(need_id)
    .bind(structure_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Ce besoin n'attend plus de réponse de cette structure.".to_owned(),
        ));
    }
    history(
        &mut tx,
        need_id,
        Some(structure_id),
        "answered",
        answer.label(),
        Some(by),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that the buyer wrote to a kept supplier; its managers, to write to.
pub async fn contacted(
    db: &Db,
    need_id: i64,
    structure_id: i64,
    by: i64,
    now: Timestamp,
) -> Result<Vec<Recipient>, AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE need_suppliers SET contacted_at = $1 WHERE need_id = $2 AND structure_id = $3 AND removed = 0 \
         AND EXISTS (SELECT 1 FROM needs WHERE id = $2 AND status <> 'draft')",
    )
    .bind(now)
    .bind(need_id)
    .bind(structure_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    history(
        &mut tx,
        need_id,
        Some(structure_id),
        "contacted",
        "",
        Some(by),
        now,
    )
    .await?;
    let recipients = managers_of(&mut tx, need_id, Some(structure_id)).await?;
    tx.commit().await?;
    Ok(recipients)
}

/// Closes an open need with an outcome (and an amount) for each listed supplier.
pub async fn close(
    db: &Db,
    need_id: i64,
    outcomes: &[(i64, Outcome, Option<i64>)],
    by: i64,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE needs SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'",
    )
    .bind(now)
    .bind(need_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Seul un besoin envoyé et pas encore clos peut être clos.".to_owned(),
        ));
    }
    for (structure, outcome, amount) in outcomes {
        let set = sqlx::query(
            "UPDATE need_suppliers SET outcome = $1, amount = $2 \
             WHERE need_id = $3 AND structure_id = $4 AND removed = 0",
        )
        .bind(outcome.as_str())
        .bind(*amount)
        .bind(need_id)
        .bind(*structure)
        .execute(&mut *tx)
        .await?;
        if set.rows_affected() == 0 {
            return Err(AppError::form(
                "Une des structures du formulaire ne fait pas partie de ce besoin.",
            ));
        }
        let note = match amount {
            Some(euros) => format!(
                "{}, {}",
                outcome.label(),
                crate::features::purchasing::model::euros(*euros)
            ),
            None => outcome.label().to_owned(),
        };
        history(
            &mut tx,
            need_id,
            Some(*structure),
            "outcome",
            &note,
            Some(by),
            now,
        )
        .await?;
    }
    history(&mut tx, need_id, None, "closed", "", Some(by), now).await?;
    tx.commit().await?;
    Ok(())
}
