//! Queries of responsible purchasing. The SQL is the same on SQLite and PostgreSQL. Every
//! change of a need is written with its `need_history` row in one transaction; a change that
//! depends on the need's status checks it in its own `UPDATE … WHERE status = …`, so that two
//! posts racing cannot both pass.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::matching::{Candidate, MatchNeed};
use super::*;
use crate::db::Db;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub async fn buyer_of(db: &Db, user_id: i64) -> Result<Option<Buyer>, sqlx::Error> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, organisation, kind FROM buyers WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id, organisation, kind)| Buyer {
        id,
        organisation,
        kind,
    }))
}

/// Records (or updates) the organisation `user_id` buys for.
pub async fn declare_buyer(
    db: &Db,
    user_id: i64,
    buyer: &ValidBuyer,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO buyers (user_id, organisation, kind, siret, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET organisation = excluded.organisation, kind = excluded.kind, \
         siret = excluded.siret",
    )
    .bind(user_id)
    .bind(&buyer.organisation)
    .bind(&buyer.kind)
    .bind(&buyer.siret)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// `(slug, name)` of every sector, in the directory's order.
pub async fn sectors(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, name FROM sectors ORDER BY position, name")
        .fetch_all(&db.pool)
        .await
}

/// Départements and intercommunalities, then communes, for the filters.
pub async fn territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories ORDER BY CASE kind WHEN 'departement' THEN 0 \
         WHEN 'intercommunalite' THEN 1 ELSE 2 END, name",
    )
    .fetch_all(&db.pool)
    .await
}

async fn history(
    tx: &mut Tx,
    need_id: i64,
    structure_id: Option<i64>,
    change: &str,
    note: &str,
    by: Option<i64>,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO need_history (need_id, structure_id, change, note, by_user, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(need_id)
    .bind(structure_id)
    .bind(change)
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates a draft need and the suppliers the matching proposes for it. Unknown commune or
/// sectors are field errors.
pub async fn create_need(
    db: &Db,
    buyer_id: i64,
    by: i64,
    need: &ValidNeed,
    now: Timestamp,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let commune: Option<i64> =
        sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
            .bind(&need.commune)
            .fetch_optional(&mut *tx)
            .await?;
    let commune = commune
        .ok_or_else(|| AppError::validation("commune", "Choisissez la commune dans la liste."))?;
    let mut sector_ids = Vec::new();
    for slug in &need.sectors {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
        sector_ids.push(
            id.ok_or_else(|| AppError::validation("sectors", "Cochez des secteurs de la liste."))?,
        );
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO needs (buyer_id, title, description, commune_id, kind, amount_band, deadline, clause, \
         visibility, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10) RETURNING id",
    )
    .bind(buyer_id)
    .bind(&need.title)
    .bind(&need.description)
    .bind(commune)
    .bind(&need.kind)
    .bind(&need.amount_band)
    .bind(&need.deadline)
    .bind(&need.clause)
    .bind(if need.public { "public" } else { "private" })
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for sector in sector_ids {
        sqlx::query("INSERT INTO need_sectors (need_id, sector_id) VALUES ($1, $2)")
            .bind(id)
            .bind(sector)
            .execute(&mut *tx)
            .await?;
    }
    let to_match = match_need(&mut tx, id).await?;
    let candidates = candidates(&mut tx, &to_match).await?;
    for (position, found) in super::matching::rank(&to_match, &candidates)
        .into_iter()
        .enumerate()
    {
        sqlx::query(
            "INSERT INTO need_suppliers (need_id, structure_id, position, reasons) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(found.structure_id)
        .bind(position as i64)
        .bind(&found.reasons)
        .execute(&mut *tx)
        .await?;
    }
    history(&mut tx, id, None, "created", "", Some(by), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// What the matching reads of a stored need.
async fn match_need(tx: &mut Tx, need_id: i64) -> Result<MatchNeed, sqlx::Error> {
    let row = sqlx::query(
        "SELECT n.title, n.description, n.clause, c.id AS commune_id, p.id AS parent_id, p.kind AS parent_kind, \
         p.parent_id AS grandparent_id FROM needs n JOIN territories c ON c.id = n.commune_id \
         LEFT JOIN territories p ON p.id = c.parent_id WHERE n.id = $1",
    )
    .bind(need_id)
    .fetch_one(&mut **tx)
    .await?;
    let parent: Option<i64> = row.try_get("parent_id")?;
    let parent_kind: Option<String> = row.try_get("parent_kind")?;
    let grandparent: Option<i64> = row.try_get("grandparent_id")?;
    let (intercommunality_id, departement_id) = match parent_kind.as_deref() {
        Some("intercommunalite") => (parent, grandparent.unwrap_or_default()),
        _ => (None, parent.unwrap_or_default()),
    };
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT s.slug FROM need_sectors ns JOIN sectors s ON s.id = ns.sector_id WHERE ns.need_id = $1",
    )
    .bind(need_id)
    .fetch_all(&mut **tx)
    .await?;
    let clause: String = row.try_get("clause")?;
    let title: String = row.try_get("title")?;
    let description: String = row.try_get("description")?;
    Ok(MatchNeed {
        sectors,
        commune_id: row.try_get("commune_id")?,
        intercommunality_id,
        departement_id,
        reserved_form: reserved_form(&clause).map(str::to_owned),
        text: format!("{title} {description}"),
    })
}

/// The published structures of the need's département (of its reserved form, if any).
async fn candidates(tx: &mut Tx, need: &MatchNeed) -> Result<Vec<Candidate>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, sort_key, legal_form, commune_id, intercommunality_id, departement_id, offer \
         FROM structures WHERE status = 'published' AND departement_id = $1 \
         AND ($2 = '' OR legal_form = $2) ORDER BY id",
    )
    .bind(need.departement_id)
    .bind(need.reserved_form.clone().unwrap_or_default())
    .fetch_all(&mut **tx)
    .await?;
    let sector_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT ss.structure_id, se.slug, se.name FROM structure_sectors ss \
         JOIN sectors se ON se.id = ss.sector_id JOIN structures s ON s.id = ss.structure_id \
         WHERE s.status = 'published' AND s.departement_id = $1 ORDER BY ss.structure_id, se.position",
    )
    .bind(need.departement_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut by_structure: std::collections::HashMap<i64, Vec<(String, String)>> =
        std::collections::HashMap::new();
    for (structure, slug, name) in sector_rows {
        by_structure
            .entry(structure)
            .or_default()
            .push((slug, name));
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            Ok(Candidate {
                id,
                sort_key: row.try_get("sort_key")?,
                legal_form: row.try_get("legal_form")?,
                commune_id: row.try_get("commune_id")?,
                intercommunality_id: row.try_get("intercommunality_id")?,
                departement_id: row.try_get("departement_id")?,
                sectors: by_structure.remove(&id).unwrap_or_default(),
                offer: row.try_get("offer")?,
            })
        })
        .collect()
}

const SUMMARY: &str = "SELECT n.id, n.title, b.organisation, b.kind AS buyer_kind, c.name AS commune, n.kind, \
     n.amount_band, n.deadline, n.clause, n.visibility, n.status, n.published_at \
     FROM needs n JOIN buyers b ON b.id = n.buyer_id JOIN territories c ON c.id = n.commune_id";

async fn summaries(db: &Db, rows: Vec<AnyRow>) -> Result<Vec<NeedSummary>, sqlx::Error> {
    let mut needs = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let status: String = row.try_get("status")?;
        let visibility: String = row.try_get("visibility")?;
        needs.push(NeedSummary {
            id,
            title: row.try_get("title")?,
            organisation: row.try_get("organisation")?,
            buyer_kind: row.try_get("buyer_kind")?,
            commune: row.try_get("commune")?,
            kind: row.try_get("kind")?,
            amount_band: row.try_get("amount_band")?,
            deadline: row.try_get("deadline")?,
            clause: row.try_get("clause")?,
            public: visibility == "public",
            status: NeedStatus::parse(&status),
            sectors: sqlx::query_scalar(
                "SELECT s.name FROM need_sectors ns JOIN sectors s ON s.id = ns.sector_id \
                 WHERE ns.need_id = $1 ORDER BY s.position",
            )
            .bind(id)
            .fetch_all(&db.pool)
            .await?,
            published_at: row.try_get("published_at")?,
        });
    }
    Ok(needs)
}

/// The open public needs whose deadline has not passed, filtered by a sector slug and a
/// territory slug (a commune, or a territory that holds the need's commune); soonest deadline
/// first.
pub async fn open_public(
    db: &Db,
    sector: &str,
    territory: &str,
    today: &str,
) -> Result<Vec<NeedSummary>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SUMMARY} LEFT JOIN territories p ON p.id = c.parent_id \
         WHERE n.status = 'open' AND n.visibility = 'public' AND n.deadline >= $1 \
         AND ($2 = '' OR EXISTS (SELECT 1 FROM need_sectors ns JOIN sectors s ON s.id = ns.sector_id \
              WHERE ns.need_id = n.id AND s.slug = $2)) \
         AND ($3 = '' OR c.slug = $3 OR p.slug = $3 \
              OR p.parent_id = (SELECT id FROM territories WHERE slug = $3)) \
         ORDER BY n.deadline, n.id LIMIT 200"
    ))
    .bind(today)
    .bind(sector)
    .bind(territory)
    .fetch_all(&db.pool)
    .await?;
    summaries(db, rows).await
}

pub async fn summary(db: &Db, need_id: i64) -> Result<Option<NeedSummary>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SUMMARY} WHERE n.id = $1"))
        .bind(need_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(summaries(db, rows).await?.into_iter().next())
}

pub async fn needs_of_buyer(db: &Db, buyer_id: i64) -> Result<Vec<NeedSummary>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SUMMARY} WHERE n.buyer_id = $1 ORDER BY CASE n.status WHEN 'closed' THEN 1 ELSE 0 END, n.id DESC"
    ))
    .bind(buyer_id)
    .fetch_all(&db.pool)
    .await?;
    summaries(db, rows).await
}

/// The sent needs that reached a structure `user_id` manages: `(need, structure, answer)`.
pub async fn received_by(
    db: &Db,
    user_id: i64,
) -> Result<Vec<(NeedSummary, String, Option<Answer>)>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT ns.need_id, s.name, ns.answer FROM need_suppliers ns \
         JOIN structure_managers m ON m.structure_id = ns.structure_id \
         JOIN structures s ON s.id = ns.structure_id JOIN needs n ON n.id = ns.need_id \
         WHERE m.user_id = $1 AND ns.removed = 0 AND n.status <> 'draft' ORDER BY n.id DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut received = Vec::new();
    for (need, structure, answer) in rows {
        if let Some(summary) = summary(db, need).await? {
            received.push((
                summary,
                structure,
                answer.as_deref().and_then(Answer::parse),
            ));
        }
    }
    Ok(received)
}

/// The need's buyer account and its status, or `None`.
pub async fn need_owner(db: &Db, need_id: i64) -> Result<Option<(i64, NeedStatus)>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT b.user_id, n.status FROM needs n JOIN buyers b ON b.id = n.buyer_id WHERE n.id = $1",
    )
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(user, status)| (user, NeedStatus::parse(&status))))
}

/// The description of a need.
pub async fn description(db: &Db, need_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT description FROM needs WHERE id = $1")
        .bind(need_id)
        .fetch_one(&db.pool)
        .await
}

/// The proposed suppliers of a need, in the matching's order (the ones the buyer added last).
/// `for_user`: only the kept ones that this account manages.
pub async fn suppliers(
    db: &Db,
    need_id: i64,
    for_user: Option<i64>,
) -> Result<Vec<Supplier>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT ns.structure_id, s.slug, s.name, c.name AS commune, s.legal_form, s.email, s.phone, \
         ns.reasons, ns.added, ns.removed, ns.answer, ns.message, ns.attachment_url, ns.answered_at, \
         ns.contacted_at, ns.outcome, ns.amount FROM need_suppliers ns \
         JOIN structures s ON s.id = ns.structure_id JOIN territories c ON c.id = s.commune_id \
         WHERE ns.need_id = $1 AND ($2 = 0 OR (ns.removed = 0 AND EXISTS (SELECT 1 FROM structure_managers m \
              WHERE m.structure_id = ns.structure_id AND m.user_id = $2))) \
         ORDER BY ns.position, s.sort_key",
    )
    .bind(need_id)
    .bind(for_user.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let answer: Option<String> = row.try_get("answer")?;
            let outcome: Option<String> = row.try_get("outcome")?;
            Ok(Supplier {
                structure_id: row.try_get("structure_id")?,
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                commune: row.try_get("commune")?,
                legal_form: row.try_get("legal_form")?,
                email: row.try_get("email")?,
                phone: row.try_get("phone")?,
                reasons: row.try_get("reasons")?,
                added: row.try_get::<i64, _>("added")? == 1,
                removed: row.try_get::<i64, _>("removed")? == 1,
                answer: answer.as_deref().and_then(Answer::parse),
                message: row.try_get("message")?,
                attachment_url: row.try_get("attachment_url")?,
                answered_at: row.try_get("answered_at")?,
                contacted_at: row.try_get("contacted_at")?,
                outcome: outcome.as_deref().and_then(Outcome::parse),
                amount: row.try_get("amount")?,
            })
        })
        .collect()
}

/// A need's history, oldest first, in French.
pub async fn history_lines(db: &Db, need_id: i64) -> Result<Vec<HistoryLine>, sqlx::Error> {
    /// `(change, note, structure, by, at)`.
    type Row = (String, String, Option<String>, Option<String>, Timestamp);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.change, h.note, s.name, u.name, h.at FROM need_history h \
         LEFT JOIN structures s ON s.id = h.structure_id LEFT JOIN users u ON u.id = h.by_user \
         WHERE h.need_id = $1 ORDER BY h.id",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(change, note, structure, by, at)| {
            let structure = structure.unwrap_or_else(|| "une structure".to_owned());
            let mut text = match change.as_str() {
                "created" => "Besoin créé".to_owned(),
                "supplier_removed" => format!("{structure} retirée de la liste"),
                "supplier_added" => format!("{structure} ajoutée à la liste"),
                "supplier_restored" => format!("{structure} remise dans la liste"),
                "sent" => "Besoin envoyé aux structures".to_owned(),
                "answered" => format!("Réponse de {structure}"),
                "contacted" => format!("{structure} contactée"),
                "outcome" => format!("Résultat pour {structure}"),
                "closed" => "Besoin clos".to_owned(),
                other => other.to_owned(),
            };
            if !note.is_empty() {
                text.push_str(&format!(" : {note}"));
            }
            if let Some(by) = by {
                text.push_str(&format!(" (par {by})"));
            }
            HistoryLine { at, text }
        })
        .collect())
}

/// Whether `user_id` manages a kept supplier of a sent need (who may then read a private need).
pub async fn is_recipient(db: &Db, need_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM need_suppliers ns JOIN structure_managers m ON m.structure_id = ns.structure_id \
         JOIN needs n ON n.id = ns.need_id \
         WHERE ns.need_id = $1 AND m.user_id = $2 AND ns.removed = 0 AND n.status <> 'draft'",
    )
    .bind(need_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

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

async fn managers_of(
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
            Some(euros) => format!("{}, {}", outcome.label(), super::euros(*euros)),
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

/// The years that have a published need, latest first.
pub async fn report_years(db: &Db) -> Result<Vec<i32>, sqlx::Error> {
    let dates: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT substr(published_at, 1, 4) FROM needs WHERE published_at IS NOT NULL",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut years: Vec<i32> = dates.iter().filter_map(|y| y.parse().ok()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok(years)
}

/// A year's figures: the needs published that year (by UTC date of publication), the answers
/// of interest they received, the contracts won (outcome « retenu ») and their amount; in total,
/// by the need's sectors (a need of two sectors counts in each) and by its territory (the
/// intercommunality of its commune, or its département).
pub async fn report(
    db: &Db,
    year: i32,
) -> Result<(ReportRow, Vec<ReportRow>, Vec<ReportRow>), sqlx::Error> {
    let from = format!("{year:04}-01-01");
    let to = format!("{:04}-01-01", year + 1);
    let per_need: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT n.id, COALESCE(p.name, c.name) AS territory, \
         (SELECT COUNT(*) FROM need_suppliers a WHERE a.need_id = n.id AND a.answer = 'interested') AS answers, \
         (SELECT COUNT(*) FROM need_suppliers w WHERE w.need_id = n.id AND w.outcome = 'retenu') AS won, \
         (SELECT CAST(COALESCE(SUM(w.amount), 0) AS BIGINT) FROM need_suppliers w WHERE w.need_id = n.id AND w.outcome = 'retenu') AS amount \
         FROM needs n JOIN territories c ON c.id = n.commune_id LEFT JOIN territories p ON p.id = c.parent_id \
         WHERE n.published_at >= $1 AND n.published_at < $2 ORDER BY n.id",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?;
    let sectors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ns.need_id, s.name FROM need_sectors ns JOIN sectors s ON s.id = ns.sector_id \
         JOIN needs n ON n.id = ns.need_id WHERE n.published_at >= $1 AND n.published_at < $2 \
         ORDER BY s.position",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?;
    let mut total = ReportRow {
        name: "Total".to_owned(),
        ..ReportRow::default()
    };
    let mut by_sector: Vec<ReportRow> = Vec::new();
    let mut by_territory: Vec<ReportRow> = Vec::new();
    fn add(rows: &mut Vec<ReportRow>, name: &str, figures: (i64, i64, i64)) {
        let index = match rows.iter().position(|r| r.name == name) {
            Some(index) => index,
            None => {
                rows.push(ReportRow {
                    name: name.to_owned(),
                    ..ReportRow::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.needs += 1;
        row.answers += figures.0;
        row.won += figures.1;
        row.amount += figures.2;
    }
    for (need, territory, answers, won, amount) in &per_need {
        let figures = (*answers, *won, *amount);
        total.needs += 1;
        total.answers += answers;
        total.won += won;
        total.amount += amount;
        add(&mut by_territory, territory, figures);
        for (_, sector) in sectors.iter().filter(|(n, _)| n == need) {
            add(&mut by_sector, sector, figures);
        }
    }
    by_territory.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((total, by_sector, by_territory))
}

/// Coming public events that offer meeting slots: `(slug, title)`.
pub async fn coming_fairs(db: &Db, now: Timestamp) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.slug, e.title FROM events e WHERE e.visibility = 'public' AND e.ends_at >= $1 \
         AND EXISTS (SELECT 1 FROM meeting_slots s WHERE s.event_id = e.id) ORDER BY e.starts_at LIMIT 5",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// The fair's slots with the number of meetings booked in each.
pub async fn slots(
    db: &Db,
    event_id: i64,
) -> Result<Vec<(i64, Timestamp, Timestamp, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sl.id, sl.starts_at, sl.ends_at, (SELECT COUNT(*) FROM meetings m WHERE m.slot_id = sl.id) \
         FROM meeting_slots sl WHERE sl.event_id = $1 ORDER BY sl.starts_at",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn stands(db: &Db, event_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.slug, s.name FROM fair_stands f JOIN structures s ON s.id = f.structure_id \
         WHERE f.event_id = $1 ORDER BY s.sort_key",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await
}

/// Opens the slots `(starts, ends)` of a fair; a slot that already exists is kept as it is.
pub async fn open_slots(
    db: &Db,
    event_id: i64,
    slots: &[(Timestamp, Timestamp)],
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut opened = 0;
    for (starts, ends) in slots {
        opened += sqlx::query(
            "INSERT INTO meeting_slots (event_id, starts_at, ends_at) VALUES ($1, $2, $3) \
             ON CONFLICT (event_id, starts_at) DO NOTHING",
        )
        .bind(event_id)
        .bind(*starts)
        .bind(*ends)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(opened)
}

pub async fn add_stand(db: &Db, event_id: i64, structure_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fair_stands (event_id, structure_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(structure_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Books a meeting. The unique keys of `meetings` refuse a buyer or a structure twice at the
/// same time, whichever of two racing bookings commits second.
pub async fn book(
    db: &Db,
    event_id: i64,
    slot_id: i64,
    buyer_id: i64,
    structure_id: i64,
    by: i64,
    now: Timestamp,
) -> Result<Meeting, AppError> {
    let slot: Option<(Timestamp, Timestamp)> = sqlx::query_as(
        "SELECT starts_at, ends_at FROM meeting_slots WHERE id = $1 AND event_id = $2",
    )
    .bind(slot_id)
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    let (starts_at, ends_at) =
        slot.ok_or_else(|| AppError::validation("slot", "Choisissez un créneau de la liste."))?;
    let stand: Option<String> = sqlx::query_scalar(
        "SELECT s.name FROM fair_stands f JOIN structures s ON s.id = f.structure_id \
         WHERE f.event_id = $1 AND f.structure_id = $2",
    )
    .bind(event_id)
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    let structure = stand.ok_or_else(|| {
        AppError::validation("structure", "Choisissez une structure qui tient un stand.")
    })?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO meetings (slot_id, starts_at, buyer_id, structure_id, booked_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(slot_id)
    .bind(starts_at)
    .bind(buyer_id)
    .bind(structure_id)
    .bind(by)
    .bind(now)
    .fetch_one(&db.pool)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AppError::Conflict(
                "Ce créneau n'est plus libre : vous ou la structure avez déjà un rendez-vous à cette heure-là. Choisissez un autre créneau."
                    .to_owned(),
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let buyer: String = sqlx::query_scalar("SELECT organisation FROM buyers WHERE id = $1")
        .bind(buyer_id)
        .fetch_one(&db.pool)
        .await?;
    let slug: String = sqlx::query_scalar("SELECT slug FROM structures WHERE id = $1")
        .bind(structure_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(Meeting {
        id,
        starts_at,
        ends_at,
        buyer,
        structure,
        structure_slug: slug,
    })
}

/// The meetings of a fair that concern `user_id`: booked by their buyer organisation, or with a
/// structure they manage.
pub async fn schedule(db: &Db, event_id: i64, user_id: i64) -> Result<Vec<Meeting>, sqlx::Error> {
    let rows: Vec<(i64, Timestamp, Timestamp, String, String, String)> = sqlx::query_as(
        "SELECT m.id, sl.starts_at, sl.ends_at, b.organisation, s.name, s.slug FROM meetings m \
         JOIN meeting_slots sl ON sl.id = m.slot_id JOIN buyers b ON b.id = m.buyer_id \
         JOIN structures s ON s.id = m.structure_id \
         WHERE sl.event_id = $1 AND (b.user_id = $2 OR EXISTS (SELECT 1 FROM structure_managers sm \
              WHERE sm.structure_id = m.structure_id AND sm.user_id = $2)) \
         ORDER BY sl.starts_at, s.sort_key",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, starts_at, ends_at, buyer, structure, structure_slug)| Meeting {
                id,
                starts_at,
                ends_at,
                buyer,
                structure,
                structure_slug,
            },
        )
        .collect())
}

/// `(slot, structure)` pairs taken at a fair, and the slots where `buyer_id` is busy.
pub async fn taken(
    db: &Db,
    event_id: i64,
    buyer_id: i64,
) -> Result<(Vec<(i64, i64)>, Vec<i64>), sqlx::Error> {
    let pairs: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT m.slot_id, m.structure_id, m.buyer_id FROM meetings m JOIN meeting_slots sl ON sl.id = m.slot_id \
         WHERE sl.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let busy = pairs
        .iter()
        .filter(|(_, _, buyer)| *buyer == buyer_id)
        .map(|(slot, _, _)| *slot)
        .collect();
    Ok((
        pairs
            .into_iter()
            .map(|(slot, structure, _)| (slot, structure))
            .collect(),
        busy,
    ))
}

/// The e-mail addresses of a structure's managers: `(e-mail, name)`.
pub async fn structure_managers(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM structure_managers m JOIN users u ON u.id = m.user_id \
         WHERE m.structure_id = $1 AND u.disabled_at IS NULL ORDER BY u.email",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await
}

/// A published structure's id, from its slug.
pub async fn published_structure(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1 AND status = 'published'")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}
