//! Changing an entry's fields and sectors (its managers' edits, through stewardship), with
//! the revision each change leaves.

use super::revisions::{Author, Snapshot};
use crate::db::Db;
use crate::features::directory::RevisionOrigin;
use crate::timestamp::Timestamp;
use sqlx::{Any, Transaction};

/// The editable fields of an entry, as its managers send them (already checked).
pub struct EntryFields<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub offer: &'a str,
    pub address: &'a str,
    pub postal_code: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub website: &'a str,
    pub staff_band: &'a str,
    /// Sector slugs.
    pub sectors: &'a [String],
}

impl EntryFields<'_> {
    /// The fields as a snapshot (see [`super::revisions::Snapshot`]).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::from([
            ("name".to_owned(), self.name.to_owned()),
            ("description".to_owned(), self.description.to_owned()),
            ("offer".to_owned(), self.offer.to_owned()),
            ("address".to_owned(), self.address.to_owned()),
            ("postal_code".to_owned(), self.postal_code.to_owned()),
            ("email".to_owned(), self.email.to_owned()),
            ("phone".to_owned(), self.phone.to_owned()),
            ("website".to_owned(), self.website.to_owned()),
            ("staff_band".to_owned(), self.staff_band.to_owned()),
            ("sectors".to_owned(), self.sectors.join(",")),
        ])
    }
}

/// Saves a manager's edit in one transaction, with its revision (the full-text index follows
/// through its trigger, the sector bit set is rewritten with the links). The slug stays: links
/// to the entry keep working after a rename. A manager who saves vouches for the entry: it is
/// verified today. An unknown sector slug is a `RowNotFound`.
pub async fn save_entry(
    db: &Db,
    structure_id: i64,
    edit: &EntryFields<'_>,
    author: Author<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    super::revisions::change(
        &mut tx,
        structure_id,
        &edit.snapshot(),
        RevisionOrigin::Manager,
        author,
    )
    .await?;
    sqlx::query("UPDATE structures SET verified_at = $1 WHERE id = $2")
        .bind(Timestamp::now())
        .bind(structure_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Adds a published entry from checked fields (an accepted proposal), with its creation
/// revision; `(id, slug)`. The slug is the name's, numbered when taken (never the address of
/// one of the directory's own pages). A commune or a sector that does not exist is a `RowNotFound`; a SIRET another
/// entry holds is a unique violation.
pub async fn create_entry(
    tx: &mut Transaction<'_, Any>,
    fields: &Snapshot,
    origin: RevisionOrigin,
    author: Author<'_>,
) -> Result<(i64, String), sqlx::Error> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let name = field("name");
    let slug = crate::db::unique_slug(
        tx,
        crate::db::SlugTable::Structures,
        &crate::slug::slugify(&name),
        crate::features::directory::RESERVED_SLUGS,
    )
    .await?;
    let commune: i64 =
        sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
            .bind(field("commune"))
            .fetch_one(&mut **tx)
            .await?;
    let now = Timestamp::now();
    // A first row with the commune as its own territory; `change` below writes every field,
    // the territories and the sectors the one way fields are written.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO structures (slug, name, sort_key, legal_form, commune_id, departement_id, status, \
         created_at, updated_at, verified_at) VALUES ($1, $2, $3, $4, $5, $5, 'published', $6, $6, $6) \
         RETURNING id",
    )
    .bind(&slug)
    .bind(&name)
    .bind(crate::slug::slugify(&name))
    .bind(field("legal_form"))
    .bind(commune)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let empty = Snapshot::new();
    // Every field, the commune's territories included: the row was written with placeholders.
    for (field, value) in fields {
        super::revisions::write_field(tx, id, field, value).await?;
    }
    super::revisions::record(tx, id, origin, author, &empty, fields, now).await?;
    Ok((id, slug))
}

/// Publishes an entry or takes it out of the directory (a draft stays, hidden), with its
/// revision. `false` when it already was so.
pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    status: crate::features::directory::PublicationStatus,
    author: Author<'_>,
) -> Result<bool, sqlx::Error> {
    let now = Timestamp::now();
    let before: Option<String> = sqlx::query_scalar(
        "UPDATE structures SET status = $1, updated_at = $2 WHERE id = $3 AND status <> $1 \
         RETURNING (CASE WHEN $1 = 'published' THEN 'draft' ELSE 'published' END)",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(structure_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(before) = before else {
        return Ok(false);
    };
    let field = |value: &str| Snapshot::from([("status".to_owned(), value.to_owned())]);
    super::revisions::record(
        tx,
        structure_id,
        RevisionOrigin::Admin,
        author,
        &field(&before),
        &field(status.as_str()),
        now,
    )
    .await?;
    Ok(true)
}

/// What refers to an entry, `(what, how many)`, so that whoever deletes it knows what goes with
/// it (memberships, registrations, answers…).
pub async fn references(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
    const REFERRERS: &[(&str, &str)] = &[
        ("structure_managers", "gestionnaire(s)"),
        ("club_members", "adhésion(s) à un club"),
        ("registrations", "inscription(s) à un événement"),
        ("label_journeys", "parcours du label"),
        ("need_suppliers", "réponse(s) ou proposition(s) d'achat"),
        ("fair_stands", "stand(s) au salon"),
        ("article_mentions", "mention(s) dans l'actualité"),
    ];
    let mut found = Vec::new();
    for (table, what) in REFERRERS {
        // `table` is one of the names above.
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE structure_id = $1"
        ))
        .bind(structure_id)
        .fetch_one(&db.pool)
        .await?;
        if count > 0 {
            found.push((*what, count));
        }
    }
    Ok(found)
}

/// Deletes an entry: what refers to it goes with it (memberships, registrations keep their
/// people but lose the structure, see the foreign keys).
pub async fn delete_entry(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM structures WHERE id = $1")
        .bind(structure_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Entries waiting to be published (created through a club's invitation), oldest first, in
/// `departement` (`None`: everywhere): `(slug, name, commune, created)`.
pub async fn drafts(
    db: &Db,
    departement: Option<i64>,
) -> Result<Vec<(String, String, String, Timestamp)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, s.name, c.name, s.created_at FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE s.status = 'draft' AND ($1 IS NULL OR s.departement_id = $1) ORDER BY s.created_at LIMIT 200",
    )
    .bind(departement)
    .fetch_all(&db.pool)
    .await
}

/// Published entries with managers whose information was last verified more than a year
/// before `now` and whose managers were not asked within the year: `(id, slug, name)`, at most
/// 500 per call.
pub async fn due_for_reminder(
    db: &Db,
    now: Timestamp,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let year_ago = now.plus(time::Duration::days(-365));
    sqlx::query_as(
        "SELECT s.id, s.slug, s.name FROM structures s WHERE s.status = 'published' \
         AND COALESCE(s.verified_at, s.created_at) < $1 AND (s.reminded_at IS NULL OR s.reminded_at < $1) \
         AND EXISTS (SELECT 1 FROM structure_managers m WHERE m.structure_id = s.id) ORDER BY s.id LIMIT 500",
    )
    .bind(year_ago)
    .fetch_all(&db.pool)
    .await
}

/// Claims this year's reminder of an entry: `true` for the one app server whose update found
/// it still due.
pub async fn claim_reminder(
    db: &Db,
    structure_id: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let year_ago = now.plus(time::Duration::days(-365));
    let done = sqlx::query(
        "UPDATE structures SET reminded_at = $1 WHERE id = $2 AND (reminded_at IS NULL OR reminded_at < $3)",
    )
    .bind(now)
    .bind(structure_id)
    .bind(year_ago)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A manager vouched for the entry: verified now. Naming `sort_key` in the update logs a change
/// for the search index (see migration 0009), which re-reads the entry's freshness.
pub async fn mark_verified(db: &Db, structure_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE structures SET verified_at = $1, sort_key = sort_key WHERE id = $2")
        .bind(now)
        .bind(structure_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// How long an entry stays fresh without being verified.
pub const FRESH_FOR: time::Duration = time::Duration::days(730);

/// Published entries not verified for two years, in `departement` (`None`: everywhere), the
/// oldest first: `(slug, name, commune, verified)`.
pub async fn stale(
    db: &Db,
    departement: Option<i64>,
    now: Timestamp,
) -> Result<Vec<(String, String, String, Option<Timestamp>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, s.name, c.name, s.verified_at FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE s.status = 'published' AND COALESCE(s.verified_at, s.created_at) < $1 \
         AND ($2 IS NULL OR s.departement_id = $2) ORDER BY COALESCE(s.verified_at, s.created_at), s.id LIMIT 200",
    )
    .bind(now.plus(-FRESH_FOR))
    .bind(departement)
    .fetch_all(&db.pool)
    .await
}

/// The last part of a merge, after each feature moved its rows from `from` to `into`: `from`'s
/// revisions join `into`'s, a revision records the merge, `from`'s address (and the addresses
/// that led to it) now lead to `into`, and `from` is deleted.
pub async fn finish_merge(
    tx: &mut Transaction<'_, Any>,
    from: i64,
    into: i64,
    author: Author<'_>,
) -> Result<(), sqlx::Error> {
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM structures WHERE id = $1")
            .bind(from)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query("UPDATE structure_revisions SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE structure_redirects SET structure_id = $1 WHERE structure_id = $2")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO structure_redirects (slug, structure_id) VALUES ($1, $2)")
        .bind(&slug)
        .bind(into)
        .execute(&mut **tx)
        .await?;
    let merged = Snapshot::from([("merged".to_owned(), format!("{name} ({slug})"))]);
    super::revisions::record(
        tx,
        into,
        RevisionOrigin::Merge,
        author,
        &Snapshot::new(),
        &merged,
        Timestamp::now(),
    )
    .await?;
    delete_entry(tx, from).await?;
    Ok(())
}

/// Where the address of a merged entry leads now: the kept entry's slug.
pub async fn redirect_target(db: &Db, slug: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.slug FROM structure_redirects r JOIN structures s ON s.id = r.structure_id \
         WHERE r.slug = $1 AND s.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await
}

/// Pairs of published entries that likely describe one structure, `(slug, name)` twice and
/// why, at most 50, in `departement` (`None`: everywhere): the same SIRET or address, or
/// similar names in one commune (communes of at most 400 entries are compared).
pub async fn likely_pairs(
    db: &Db,
    departement: Option<i64>,
) -> Result<Vec<((String, String), (String, String), String)>, sqlx::Error> {
    let mut pairs = Vec::new();
    let same: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT a.slug, a.name, b.slug, b.name, CASE WHEN a.siret = b.siret THEN 'même SIRET' ELSE 'même adresse e-mail' END \
         FROM structures a JOIN structures b ON a.id < b.id AND (a.siret = b.siret OR (a.email <> '' AND lower(a.email) = lower(b.email))) \
         WHERE a.status = 'published' AND b.status = 'published' AND ($1 IS NULL OR a.departement_id = $1) LIMIT 50",
    )
    .bind(departement)
    .fetch_all(&db.pool)
    .await?;
    for (a, an, b, bn, why) in same {
        pairs.push(((a, an), (b, bn), why));
    }
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT s.commune_id, s.slug, s.name FROM structures s WHERE s.status = 'published' \
         AND ($1 IS NULL OR s.departement_id = $1) AND s.commune_id IN (SELECT commune_id FROM structures \
         WHERE status = 'published' GROUP BY commune_id HAVING COUNT(*) <= 400) ORDER BY s.commune_id, s.id LIMIT 20000",
    )
    .bind(departement)
    .fetch_all(&db.pool)
    .await?;
    for commune in rows.chunk_by(|a, b| a.0 == b.0) {
        for (i, a) in commune.iter().enumerate() {
            for b in &commune[i + 1..] {
                if pairs.len() >= 50 {
                    return Ok(pairs);
                }
                let known = pairs.iter().any(|((x, _), (y, _), _)| {
                    (x == &a.1 && y == &b.1) || (x == &b.1 && y == &a.1)
                });
                if !known && super::duplicates::similar_names(&a.2, &b.2) {
                    pairs.push((
                        (a.1.clone(), a.2.clone()),
                        (b.1.clone(), b.2.clone()),
                        "nom proche, même commune".to_owned(),
                    ));
                }
            }
        }
    }
    Ok(pairs)
}
