//! An entry's fields as one snapshot, and the revisions every change leaves: the managers'
//! edits, accepted proposals, creations, restores. `change` is the one way to change fields
//! that leaves its revision in the same transaction.

use std::collections::BTreeMap;

use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::features::directory::{Revision, RevisionOrigin};
use crate::timestamp::Timestamp;

/// An entry's fields as text, by name (see [`crate::features::directory::ENTRY_FIELDS`]): the
/// commune by its slug, the sectors as their slugs joined by `,`, an absent SIRET as "".
pub type Snapshot = BTreeMap<String, String>;

/// Who made a change: an account (id and name), or nobody (an import, a command).
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
}

/// The entry's fields now (read on any connection: a transaction's, or the pool's for a page).
pub async fn snapshot(
    conn: &mut sqlx::AnyConnection,
    structure_id: i64,
) -> Result<Snapshot, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
    );
    let row: Row = sqlx::query_as(
        "SELECT s.name, s.legal_form, c.slug, s.address, s.postal_code, s.email, s.phone, s.website, \
         s.siret, s.offer, s.description, s.staff_band FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE s.id = $1",
    )
    .bind(structure_id)
    .fetch_one(&mut *conn)
    .await?;
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT se.slug FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         WHERE ss.structure_id = $1 ORDER BY se.position",
    )
    .bind(structure_id)
    .fetch_all(&mut *conn)
    .await?;
    let (
        name,
        legal_form,
        commune,
        address,
        postal_code,
        email,
        phone,
        website,
        siret,
        offer,
        description,
        staff_band,
    ) = row;
    Ok(Snapshot::from([
        ("name".to_owned(), name),
        ("legal_form".to_owned(), legal_form),
        ("commune".to_owned(), commune),
        ("sectors".to_owned(), sectors.join(",")),
        ("address".to_owned(), address),
        ("postal_code".to_owned(), postal_code),
        ("email".to_owned(), email),
        ("phone".to_owned(), phone),
        ("website".to_owned(), website),
        ("siret".to_owned(), siret.unwrap_or_default()),
        ("offer".to_owned(), offer),
        ("description".to_owned(), description),
        ("staff_band".to_owned(), staff_band),
    ]))
}

/// Changes the entry's fields named in `changes` (the others stay), and records the revision
/// with the values before and after of the fields that really changed. Nothing changed: no
/// revision, `false`. A commune, sector or legal form that does not exist is a `RowNotFound`
/// (the caller checked them: someone removed it meanwhile); a SIRET another entry holds is a
/// unique violation.
pub async fn change(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    changes: &Snapshot,
    origin: RevisionOrigin,
    author: Author<'_>,
) -> Result<bool, sqlx::Error> {
    let before = snapshot(&mut *tx, structure_id).await?;
    let changed: Snapshot = changes
        .iter()
        .filter(|(field, value)| before.get(*field).is_some_and(|old| old != *value))
        .map(|(field, value)| (field.clone(), value.clone()))
        .collect();
    if changed.is_empty() {
        return Ok(false);
    }
    let now = Timestamp::now();
    for (field, value) in &changed {
        write_field(tx, structure_id, field, value).await?;
    }
    sqlx::query("UPDATE structures SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(structure_id)
        .execute(&mut **tx)
        .await?;
    let old: Snapshot = changed
        .keys()
        .map(|field| (field.clone(), before[field].clone()))
        .collect();
    record(tx, structure_id, origin, author, &old, &changed, now).await?;
    Ok(true)
}

/// Writes one field (already checked by the caller).
pub(super) async fn write_field(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    field: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    let column = match field {
        "name" => {
            sqlx::query("UPDATE structures SET name = $1, sort_key = $2 WHERE id = $3")
                .bind(value)
                .bind(crate::slug::slugify(value))
                .bind(structure_id)
                .execute(&mut **tx)
                .await?;
            return Ok(());
        }
        "commune" => return write_commune(tx, structure_id, value).await,
        "sectors" => return write_sectors(tx, structure_id, value).await,
        "siret" => {
            sqlx::query("UPDATE structures SET siret = $1 WHERE id = $2")
                .bind((!value.is_empty()).then_some(value))
                .bind(structure_id)
                .execute(&mut **tx)
                .await?;
            return Ok(());
        }
        "legal_form" => "legal_form",
        "address" => "address",
        "postal_code" => "postal_code",
        "email" => "email",
        "phone" => "phone",
        "website" => "website",
        "offer" => "offer",
        "description" => "description",
        "staff_band" => "staff_band",
        _ => return Err(sqlx::Error::ColumnNotFound(field.to_owned())),
    };
    // `column` is one of the names above, never the caller's text.
    sqlx::query(&format!(
        "UPDATE structures SET {column} = $1 WHERE id = $2"
    ))
    .bind(value)
    .bind(structure_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_commune(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    slug: &str,
) -> Result<(), sqlx::Error> {
    let (commune, parent, parent_kind, grandparent): (i64, i64, String, Option<i64>) =
        sqlx::query_as(
            "SELECT c.id, p.id, p.kind, p.parent_id FROM territories c JOIN territories p ON p.id = c.parent_id \
             WHERE c.slug = $1 AND c.kind = 'commune'",
        )
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?;
    let (intercommunality, departement) = if parent_kind == "intercommunalite" {
        (Some(parent), grandparent.ok_or(sqlx::Error::RowNotFound)?)
    } else {
        (None, parent)
    };
    sqlx::query(
        "UPDATE structures SET commune_id = $1, intercommunality_id = $2, departement_id = $3 WHERE id = $4",
    )
    .bind(commune)
    .bind(intercommunality)
    .bind(departement)
    .bind(structure_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_sectors(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    slugs: &str,
) -> Result<(), sqlx::Error> {
    let mut ids = Vec::new();
    let mut mask = 0_i64;
    for slug in slugs.split(',').filter(|s| !s.is_empty()) {
        let id: i64 = sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
            .bind(slug)
            .fetch_one(&mut **tx)
            .await?;
        if !ids.contains(&id) {
            mask |= crate::features::reference::sector_bit(id)?;
            ids.push(id);
        }
    }
    sqlx::query("DELETE FROM structure_sectors WHERE structure_id = $1")
        .bind(structure_id)
        .execute(&mut **tx)
        .await?;
    for id in ids {
        sqlx::query("INSERT INTO structure_sectors (structure_id, sector_id) VALUES ($1, $2)")
            .bind(structure_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE structures SET sector_mask = $1 WHERE id = $2")
        .bind(mask)
        .bind(structure_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores a revision.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    structure_id: i64,
    origin: RevisionOrigin,
    author: Author<'_>,
    before: &Snapshot,
    after: &Snapshot,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    let json = |snapshot: &Snapshot| serde_json::to_string(snapshot).unwrap_or_default();
    sqlx::query(
        "INSERT INTO structure_revisions (structure_id, origin, author_id, author_name, fields_before, \
         fields_after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(structure_id)
    .bind(origin.as_str())
    .bind(author.id)
    .bind(author.name)
    .bind(json(before))
    .bind(json(after))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The entry's revisions, newest first (at most 200).
pub async fn revisions(db: &Db, structure_id: i64) -> Result<Vec<Revision>, sqlx::Error> {
    type Row = (i64, String, String, String, String, Timestamp);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, origin, author_name, fields_before, fields_after, created_at FROM structure_revisions \
         WHERE structure_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await?;
    let parse = |text: &str| serde_json::from_str::<Snapshot>(text).unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|(id, origin, author, before, after, at)| Revision {
            id,
            origin: RevisionOrigin::from_stored(&origin),
            author,
            before: parse(&before),
            after: parse(&after),
            at,
        })
        .collect())
}

/// The fields before revision `revision` of entry `structure_id` (what restoring it brings
/// back), or `None` when it is not one of the entry's.
pub async fn before_revision(
    db: &Db,
    structure_id: i64,
    revision: i64,
) -> Result<Option<Snapshot>, sqlx::Error> {
    let text: Option<String> = sqlx::query_scalar(
        "SELECT fields_before FROM structure_revisions WHERE id = $1 AND structure_id = $2",
    )
    .bind(revision)
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(text.map(|text| serde_json::from_str(&text).unwrap_or_default()))
}

/// The names people read for the values a snapshot holds as slugs: communes, sectors, legal
/// forms (for the history and the moderation pages; the snapshots themselves keep the slugs).
pub struct ReadableNames {
    communes: std::collections::HashMap<String, String>,
    sectors: std::collections::HashMap<String, String>,
}

impl ReadableNames {
    pub async fn load(db: &Db) -> Result<ReadableNames, sqlx::Error> {
        let communes: Vec<(String, String)> =
            sqlx::query_as("SELECT slug, name FROM territories WHERE kind = 'commune'")
                .fetch_all(&db.pool)
                .await?;
        let sectors: Vec<(String, String)> = sqlx::query_as("SELECT slug, name FROM sectors")
            .fetch_all(&db.pool)
            .await?;
        Ok(ReadableNames {
            communes: communes.into_iter().collect(),
            sectors: sectors.into_iter().collect(),
        })
    }

    /// The value of `field` as people read it (a slug nobody knows stays as it is).
    pub fn value(&self, field: &str, value: &str) -> String {
        match field {
            "commune" => self
                .communes
                .get(value)
                .cloned()
                .unwrap_or_else(|| value.to_owned()),
            "sectors" => value
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| self.sectors.get(s).map_or(s, String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
            "legal_form" if !value.is_empty() => {
                crate::features::directory::legal_form_label(value).to_owned()
            }
            _ => value.to_owned(),
        }
    }

    /// Every value of `snapshot` made readable.
    pub fn snapshot(&self, snapshot: &mut Snapshot) {
        for (field, value) in snapshot.iter_mut() {
            *value = self.value(field, value);
        }
    }
}
