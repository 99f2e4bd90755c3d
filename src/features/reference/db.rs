//! Queries on territories and sectors. The SQL is the same on SQLite and PostgreSQL.

use super::data::{SECTORS, TERRITORIES};
use super::{Intercommunality, ReferenceOverview, Sector};
use crate::db::Db;
use crate::slug::slugify;

pub async fn list_sectors(db: &Db) -> Result<Vec<Sector>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT slug, name, description FROM sectors ORDER BY position, name")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name, description)| Sector {
            slug,
            name,
            description,
        })
        .collect())
}

/// `(slug, name)` of every commune, by name.
pub async fn communes(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, name FROM territories WHERE kind = 'commune' ORDER BY name")
        .fetch_all(&db.pool)
        .await
}

/// `(slug, name)` of the départements and intercommunalities, départements first: the
/// territories a label cohort or a newsletter subscriber follows.
pub async fn wide_territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories WHERE kind IN ('departement', 'intercommunalite') \
         ORDER BY kind, name",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn overview(db: &Db) -> Result<ReferenceOverview, sqlx::Error> {
    let sectors = list_sectors(db).await?;
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT i.slug, i.name, d.name, c.name \
         FROM territories i \
         JOIN territories d ON d.id = i.parent_id \
         LEFT JOIN territories c ON c.parent_id = i.id AND c.kind = 'commune' \
         WHERE i.kind = 'intercommunalite' \
         ORDER BY i.name, c.name",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut intercommunalities: Vec<Intercommunality> = Vec::new();
    for (slug, name, departement, commune) in rows {
        if intercommunalities
            .last()
            .is_none_or(|last| last.slug != slug)
        {
            intercommunalities.push(Intercommunality {
                slug,
                name,
                departement,
                communes: Vec::new(),
            });
        }
        if let (Some(commune), Some(last)) = (commune, intercommunalities.last_mut()) {
            last.communes.push(commune);
        }
    }
    Ok(ReferenceOverview {
        sectors,
        intercommunalities,
    })
}

/// Inserts or updates the reference rows; running it again changes nothing.
pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for territory in TERRITORIES {
        let parent_slug = territory.parent.map(slugify);
        sqlx::query(
            "INSERT INTO territories (slug, name, kind, parent_id, code) \
             VALUES ($1, $2, $3, (SELECT id FROM territories WHERE slug = $4), $5) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
             parent_id = excluded.parent_id, code = excluded.code",
        )
        .bind(slugify(territory.name))
        .bind(territory.name)
        .bind(territory.kind)
        .bind(parent_slug)
        .bind(territory.code)
        .execute(&mut *tx)
        .await?;
    }
    for (position, (name, description)) in SECTORS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO sectors (slug, name, description, position) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, \
             description = excluded.description, position = excluded.position",
        )
        .bind(slugify(name))
        .bind(*name)
        .bind(*description)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Adds a département (kept when its slug exists), for the synthetic directory's France.
pub async fn add_departement<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    slug: &str,
    name: &str,
    code: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO territories (slug, name, kind, parent_id, code) VALUES ($1, $2, 'departement', NULL, $3) \
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(slug)
    .bind(name)
    .bind(code)
    .execute(executor)
    .await?;
    Ok(())
}

/// Adds a commune under its département (kept when its slug exists).
pub async fn add_commune<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    slug: &str,
    name: &str,
    departement_slug: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO territories (slug, name, kind, parent_id, code) \
         VALUES ($1, $2, 'commune', (SELECT id FROM territories WHERE slug = $3), NULL) \
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(slug)
    .bind(name)
    .bind(departement_slug)
    .execute(executor)
    .await?;
    Ok(())
}

/// A commune added by an import: its slug and ids.
pub struct AddedCommune {
    pub slug: String,
    pub id: i64,
    pub departement_id: i64,
}

/// The commune of INSEE code `code`, added under its département (itself added when missing)
/// when no commune holds that code. A commune of the same name without a code in that
/// département is taken to be it (and gets the code); a name another commune already uses
/// gets the département's code in its slug (« saint-martin-62 »).
pub async fn ensure_commune(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    name: &str,
    departement_code: &str,
    departement_name: &str,
) -> Result<AddedCommune, sqlx::Error> {
    let departement_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM territories WHERE kind = 'departement' AND code = $1")
            .bind(departement_code)
            .fetch_optional(&mut **tx)
            .await?;
    let departement_id = match departement_id {
        Some(id) => id,
        None => {
            let base = slugify(departement_name);
            let slug = free_slug(tx, &base, &format!("departement-{base}")).await?;
            sqlx::query_scalar(
                "INSERT INTO territories (slug, name, kind, parent_id, code) \
                 VALUES ($1, $2, 'departement', NULL, $3) RETURNING id",
            )
            .bind(slug)
            .bind(departement_name)
            .bind(departement_code)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    let existing: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT c.id, c.slug, c.code FROM territories c LEFT JOIN territories p ON p.id = c.parent_id \
         WHERE c.kind = 'commune' AND (c.code = $1 OR (c.code IS NULL AND c.slug = $2 \
         AND (c.parent_id = $3 OR p.parent_id = $3))) ORDER BY c.code IS NULL LIMIT 1",
    )
    .bind(code)
    .bind(slugify(name))
    .bind(departement_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id, slug, known)) = existing {
        if known.is_none() {
            sqlx::query("UPDATE territories SET code = $1 WHERE id = $2")
                .bind(code)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        let departement_id = sqlx::query_scalar(
            "SELECT CASE WHEN p.kind = 'departement' THEN p.id ELSE p.parent_id END \
             FROM territories c JOIN territories p ON p.id = c.parent_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        return Ok(AddedCommune {
            slug,
            id,
            departement_id,
        });
    }
    let base = slugify(name);
    let slug = free_slug(
        tx,
        &base,
        &format!("{base}-{}", departement_code.to_lowercase()),
    )
    .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO territories (slug, name, kind, parent_id, code) \
         VALUES ($1, $2, 'commune', $3, $4) RETURNING id",
    )
    .bind(&slug)
    .bind(name)
    .bind(departement_id)
    .bind(code)
    .fetch_one(&mut **tx)
    .await?;
    Ok(AddedCommune {
        slug,
        id,
        departement_id,
    })
}

/// `first` when no territory holds it, else `second`, else `second-2`, `second-3`, …
async fn free_slug(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    first: &str,
    second: &str,
) -> Result<String, sqlx::Error> {
    let mut candidates = vec![first.to_owned(), second.to_owned()];
    candidates.extend((2..1000).map(|n| format!("{second}-{n}")));
    for slug in candidates {
        let row: Option<i64> = sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1")
            .bind(&slug)
            .fetch_optional(&mut **tx)
            .await?;
        if row.is_none() {
            return Ok(slug);
        }
    }
    Err(sqlx::Error::RowNotFound)
}
