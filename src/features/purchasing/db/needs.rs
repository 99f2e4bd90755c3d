//! Buyers and needs: declaring, posting (with its matched suppliers), reading.

use crate::db::Db;
use crate::error::AppError;
use crate::features::purchasing::Answer;
use crate::features::purchasing::Buyer;
use crate::features::purchasing::HistoryLine;
use crate::features::purchasing::NeedStatus;
use crate::features::purchasing::NeedSummary;
use crate::features::purchasing::Outcome;
use crate::features::purchasing::Supplier;
use crate::features::purchasing::ValidBuyer;
use crate::features::purchasing::ValidNeed;
use crate::features::purchasing::buyers::BuyerReview;
use crate::features::purchasing::db::Tx;
use crate::features::purchasing::matching::Candidate;
use crate::features::purchasing::matching::MatchNeed;
use crate::features::purchasing::reserved_form;
use crate::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

pub async fn buyer_of(db: &Db, user_id: i64) -> Result<Option<Buyer>, sqlx::Error> {
    let row: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, organisation, kind, confirmed_at FROM buyers WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, organisation, kind, confirmed_at)| Buyer {
        id,
        organisation,
        kind,
        confirmed: confirmed_at.is_some(),
    }))
}

/// Records (or updates) the organisation `user_id` buys for. Another organisation or SIRET
/// takes back a site admin's confirmation: it vouched for the one declared then.
pub async fn declare_buyer(
    db: &Db,
    user_id: i64,
    buyer: &ValidBuyer,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO buyers (user_id, organisation, kind, siret, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET organisation = excluded.organisation, kind = excluded.kind, \
         siret = excluded.siret, \
         confirmed_at = CASE WHEN buyers.organisation = excluded.organisation \
             AND COALESCE(buyers.siret, '') = COALESCE(excluded.siret, '') THEN buyers.confirmed_at END, \
         confirmed_by = CASE WHEN buyers.organisation = excluded.organisation \
             AND COALESCE(buyers.siret, '') = COALESCE(excluded.siret, '') THEN buyers.confirmed_by END",
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

/// id, organisation, kind, SIRET, account name and e-mail, confirmation time, needs posted.
type ReviewRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    i64,
);

/// Every buyer, those waiting for a confirmation first, for the site admins' page.
pub async fn buyers_for_review(db: &Db) -> Result<Vec<BuyerReview>, sqlx::Error> {
    let rows: Vec<ReviewRow> = sqlx::query_as(
        "SELECT b.id, b.organisation, b.kind, b.siret, u.name, u.email, b.confirmed_at, \
             (SELECT COUNT(*) FROM needs n WHERE n.buyer_id = b.id) \
             FROM buyers b JOIN users u ON u.id = b.user_id \
             ORDER BY CASE WHEN b.confirmed_at IS NULL THEN 0 ELSE 1 END, b.id DESC LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, organisation, kind, siret, name, email, confirmed_at, needs)| BuyerReview {
                id,
                organisation,
                kind,
                siret: siret.unwrap_or_default(),
                name,
                email,
                confirmed: confirmed_at.is_some(),
                needs,
            },
        )
        .collect())
}

/// Confirms (or takes back the confirmation of) a buyer; false when there is no such buyer.
pub async fn confirm_buyer(
    db: &Db,
    buyer_id: i64,
    confirmed: bool,
    by: Option<i64>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = if confirmed {
        sqlx::query(
            "UPDATE buyers SET confirmed_at = COALESCE(confirmed_at, $1), confirmed_by = COALESCE(confirmed_by, $2) \
             WHERE id = $3",
        )
        .bind(now)
        .bind(by)
        .bind(buyer_id)
        .execute(&db.pool)
        .await?
    } else {
        sqlx::query("UPDATE buyers SET confirmed_at = NULL, confirmed_by = NULL WHERE id = $1")
            .bind(buyer_id)
            .execute(&db.pool)
            .await?
    };
    Ok(done.rows_affected() > 0)
}

pub(super) async fn history(
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
    for (position, found) in super::super::matching::rank(&to_match, &candidates)
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

const SUMMARY: &str = "SELECT n.id, n.title, b.organisation, b.kind AS buyer_kind, b.confirmed_at AS buyer_confirmed_at, \
     c.name AS commune, n.kind, \
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
            buyer_confirmed: row
                .try_get::<Option<String>, _>("buyer_confirmed_at")?
                .is_some(),
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
pub async fn need_owner(
    db: &Db,
    need_id: i64,
) -> Result<Option<(i64, NeedStatus, bool)>, sqlx::Error> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT b.user_id, n.status, n.visibility FROM needs n JOIN buyers b ON b.id = n.buyer_id \
         WHERE n.id = $1",
    )
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(user, status, visibility)| {
        (user, NeedStatus::parse(&status), visibility == "private")
    }))
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
