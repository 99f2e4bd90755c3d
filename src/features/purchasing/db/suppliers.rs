//! The suppliers of a need before it is sent, and sending it.

use super::needs::history;
use crate::db::Db;
use crate::error::AppError;
use crate::features::purchasing::db::Tx;
use crate::timestamp::Timestamp;

/// Removes a supplier from a draft's list, or puts it back.
pub async fn set_removed(
    db: &Db,
    need_id: i64,
    structure_id: i64,
    removed: bool,
    by: i64,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE need_suppliers SET removed = $1 WHERE need_id = $2 AND structure_id = $3 AND removed <> $1 \
         AND EXISTS (SELECT 1 FROM needs WHERE id = $2 AND status = 'draft')",
    )
    .bind(i64::from(removed))
    .bind(need_id)
    .bind(structure_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "La liste ne peut plus changer : le besoin est déjà envoyé, ou la structure est déjà ainsi."
                .to_owned(),
        ));
    }
    let change = if removed {
        "supplier_removed"
    } else {
        "supplier_restored"
    };
    history(
        &mut tx,
        need_id,
        Some(structure_id),
        change,
        "",
        Some(by),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a published structure to a draft's list (or puts it back if it was removed).
pub async fn add_supplier(
    db: &Db,
    need_id: i64,
    structure_id: i64,
    by: i64,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let draft: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM needs WHERE id = $1 AND status = 'draft'")
            .bind(need_id)
            .fetch_optional(&mut *tx)
            .await?;
    if draft.is_none() {
        return Err(AppError::Conflict(
            "La liste ne peut plus changer : le besoin est déjà envoyé.".to_owned(),
        ));
    }
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT removed FROM need_suppliers WHERE need_id = $1 AND structure_id = $2",
    )
    .bind(need_id)
    .bind(structure_id)
    .fetch_optional(&mut *tx)
    .await?;
    match existing {
        Some(0) => {
            return Err(AppError::validation(
                "structure",
                "Cette structure est déjà dans la liste.",
            ));
        }
        Some(_) => {
            sqlx::query(
                "UPDATE need_suppliers SET removed = 0 WHERE need_id = $1 AND structure_id = $2",
            )
            .bind(need_id)
            .bind(structure_id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO need_suppliers (need_id, structure_id, position, reasons, added) \
                 SELECT $1, $2, COALESCE(MAX(position), 0) + 1, 'ajoutée par l''acheteur', 1 \
                 FROM need_suppliers WHERE need_id = $1",
            )
            .bind(need_id)
            .bind(structure_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    history(
        &mut tx,
        need_id,
        Some(structure_id),
        "supplier_added",
        "",
        Some(by),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A manager to write to: `(e-mail, name, structure name)`.
pub type Recipient = (String, String, String);

pub(super) async fn managers_of(
    tx: &mut Tx,
    need_id: i64,
    structure: Option<i64>,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name, s.name FROM need_suppliers ns \
         JOIN structure_managers m ON m.structure_id = ns.structure_id \
         JOIN users u ON u.id = m.user_id JOIN structures s ON s.id = ns.structure_id \
         WHERE ns.need_id = $1 AND ns.removed = 0 AND u.disabled_at IS NULL \
         AND ($2 = 0 OR ns.structure_id = $2) ORDER BY s.sort_key, u.email",
    )
    .bind(need_id)
    .bind(structure.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await
}

/// Sends a draft: it opens to answers. The managers of the kept structures, to write to.
pub async fn send(
    db: &Db,
    need_id: i64,
    reach: Option<i64>,
    by: i64,
    now: Timestamp,
) -> Result<Vec<Recipient>, AppError> {
    let mut tx = db.begin_write().await?;
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM need_suppliers WHERE need_id = $1 AND removed = 0",
    )
    .bind(need_id)
    .fetch_one(&mut *tx)
    .await?;
    if kept == 0 {
        return Err(AppError::form(
            "Gardez ou ajoutez au moins une structure avant d'envoyer le besoin.",
        ));
    }
    if reach.is_some_and(|reach| kept > reach) {
        return Err(AppError::form(
            "La liste a changé : retirez des structures avant d'envoyer le besoin.",
        ));
    }
    let done = sqlx::query(
        "UPDATE needs SET status = 'open', published_at = $1 WHERE id = $2 AND status = 'draft'",
    )
    .bind(now)
    .bind(need_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("Ce besoin est déjà envoyé.".to_owned()));
    }
    history(
        &mut tx,
        need_id,
        None,
        "sent",
        &format!("{kept} structure(s)"),
        Some(by),
        now,
    )
    .await?;
    let recipients = managers_of(&mut tx, need_id, None).await?;
    tx.commit().await?;
    Ok(recipients)
}

/// How many structures a draft would be sent to.
pub async fn kept_count(db: &Db, need_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM need_suppliers WHERE need_id = $1 AND removed = 0")
        .bind(need_id)
        .fetch_one(&db.pool)
        .await
}

/// A merge of two entries: `from`'s place in needs (answers included), its history, its stands
/// and its meetings become `into`'s, where `into` has none of its own.
pub async fn move_supplier(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE need_suppliers SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM need_suppliers o WHERE o.structure_id = $1 AND o.need_id = need_suppliers.need_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE need_history SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE fair_stands SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM fair_stands o WHERE o.structure_id = $1 AND o.event_id = fair_stands.event_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE meetings SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM meetings o WHERE o.structure_id = $1 AND o.starts_at = meetings.starts_at)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
