//! One published entry, for its page.

use crate::db::Db;
use crate::features::directory::*;
use crate::timestamp::Timestamp;

/// One entry's row with the names of its territories, as [`find_by_slug`] reads it.
#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    slug: String,
    name: String,
    acronym: String,
    siret: Option<String>,
    legal_form: String,
    siae_kind: Option<String>,
    commune_slug: String,
    commune_name: String,
    intercommunality_slug: Option<String>,
    intercommunality_name: Option<String>,
    departement_slug: String,
    departement_name: String,
    address: String,
    postal_code: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    description: String,
    offer: String,
    email: String,
    phone: String,
    website: String,
    staff_band: String,
    year_founded: Option<i64>,
    updated_at: Timestamp,
    verified_at: Option<Timestamp>,
}

/// A published structure by its slug.
pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<StructureDetail>, sqlx::Error> {
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, s.acronym, s.siret, s.legal_form, s.siae_kind, \
         c.slug AS commune_slug, c.name AS commune_name, \
         i.slug AS intercommunality_slug, i.name AS intercommunality_name, \
         d.slug AS departement_slug, d.name AS departement_name, s.address, s.postal_code, \
         s.latitude, s.longitude, s.description, s.offer, s.email, s.phone, s.website, \
         s.staff_band, s.year_founded, s.updated_at, s.verified_at \
         FROM structures s JOIN territories c ON c.id = s.commune_id \
         LEFT JOIN territories i ON i.id = s.intercommunality_id \
         JOIN territories d ON d.id = s.departement_id \
         WHERE s.slug = $1 AND s.status = $2",
    )
    .bind(slug)
    .bind(PublicationStatus::Published.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let sectors: Vec<(String, String)> = sqlx::query_as(
        "SELECT se.slug, se.name FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         WHERE ss.structure_id = $1 ORDER BY se.position",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let clubs: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.slug, c.name FROM club_members m JOIN clubs c ON c.id = m.club_id \
         WHERE m.structure_id = $1 AND m.status = 'active' ORDER BY c.name",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    // The « démarche progrès » label, while valid (the label feature writes these rows).
    let label: Option<(String, Timestamp)> = sqlx::query_as(
        "SELECT identifier, valid_until FROM label_journeys \
         WHERE structure_id = $1 AND state = 'labelled' AND valid_until > $2",
    )
    .bind(row.id)
    .bind(Timestamp::now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(Some(StructureDetail {
        label,
        clubs: clubs
            .into_iter()
            .map(|(slug, name)| Named { slug, name })
            .collect(),
        slug: row.slug,
        name: row.name,
        acronym: row.acronym,
        siret: row.siret,
        legal_form: row.legal_form,
        siae_kind: row.siae_kind,
        sectors: sectors
            .into_iter()
            .map(|(slug, name)| Named { slug, name })
            .collect(),
        commune: Named {
            slug: row.commune_slug,
            name: row.commune_name,
        },
        intercommunality: row
            .intercommunality_slug
            .zip(row.intercommunality_name)
            .map(|(slug, name)| Named { slug, name }),
        departement: Named {
            slug: row.departement_slug,
            name: row.departement_name,
        },
        address: row.address,
        postal_code: row.postal_code,
        latitude: row.latitude,
        longitude: row.longitude,
        description: row.description,
        offer: row.offer,
        email: row.email,
        phone: row.phone,
        website: row.website,
        staff_band: row.staff_band,
        year_founded: row.year_founded,
        updated_at: row.updated_at,
        verified_at: row.verified_at,
    }))
}
