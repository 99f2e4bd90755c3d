//! Adding entries in batches (demo and synthetic data), with their sectors.

use std::collections::HashMap;

use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::db::sql::{Arg, Sql};
use crate::features::directory::RevisionOrigin;
use crate::features::directory::db::{Author, Snapshot};
use crate::features::reference::sector_bit;
use crate::timestamp::Timestamp;

/// A structure to insert (demo data, synthetic data, later the edit form).
#[derive(Debug, Clone, Default)]
pub struct NewStructure {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub siret: Option<String>,
    pub legal_form: String,
    pub siae_kind: Option<String>,
    pub sector_slugs: Vec<String>,
    pub commune_slug: String,
    pub address: String,
    pub postal_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: String,
    pub offer: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub staff_band: String,
    pub year_founded: Option<i64>,
    pub status: String,
    pub timestamp: String,
}

/// Ids looked up once for a batch of inserts: communes -> (commune, intercommunality,
/// département), sector slug -> id.
pub struct InsertContext {
    communes: HashMap<String, (i64, Option<i64>, i64)>,
    sectors: HashMap<String, i64>,
}

impl InsertContext {
    /// A commune added after the context was read (an import's new commune).
    pub fn add_commune(&mut self, slug: &str, id: i64, departement_id: i64) {
        self.communes
            .insert(slug.to_owned(), (id, None, departement_id));
    }
}

pub async fn insert_context(db: &Db) -> Result<InsertContext, sqlx::Error> {
    /// Commune slug and id, parent id and kind, grandparent id.
    type CommuneRow = (String, i64, Option<i64>, Option<String>, Option<i64>);
    let rows: Vec<CommuneRow> = sqlx::query_as(
        "SELECT c.slug, c.id, p.id, p.kind, p.parent_id FROM territories c \
         JOIN territories p ON p.id = c.parent_id WHERE c.kind = 'commune'",
    )
    .fetch_all(&db.pool)
    .await?;
    let communes = rows
        .into_iter()
        .filter_map(|(slug, id, parent, parent_kind, grandparent)| {
            let parent = parent?;
            match parent_kind.as_deref() {
                Some("intercommunalite") => Some((slug, (id, Some(parent), grandparent?))),
                _ => Some((slug, (id, None, parent))),
            }
        })
        .collect();
    let sectors = sqlx::query_as::<_, (String, i64)>("SELECT slug, id FROM sectors")
        .fetch_all(&db.pool)
        .await?;
    Ok(InsertContext {
        communes,
        sectors: sectors.into_iter().collect(),
    })
}

/// Rows per multi-row INSERT. sqlx looks each placeholder up by name when binding, which costs
/// quadratic time in the placeholders of one statement: a few dozen rows is the sweet spot.
const INSERT_BATCH: usize = 25;

/// Inserts `structures` unless their slug exists (so seeding twice changes nothing), a few
/// hundred rows per statement. Returns how many rows were added.
pub async fn insert_structures(
    tx: &mut Transaction<'_, Any>,
    context: &InsertContext,
    structures: &[NewStructure],
) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for batch in structures.chunks(INSERT_BATCH) {
        added += insert_batch(tx, context, batch).await?.len();
    }
    Ok(added)
}

/// Inserts `structures` as [`insert_structures`] does, each with its creation revision (an
/// import). Returns how many rows were added.
pub async fn insert_with_revisions(
    tx: &mut Transaction<'_, Any>,
    context: &InsertContext,
    structures: &[NewStructure],
    origin: RevisionOrigin,
    author: Author<'_>,
) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for batch in structures.chunks(INSERT_BATCH) {
        let inserted = insert_batch(tx, context, batch).await?;
        if inserted.is_empty() {
            continue;
        }
        added += inserted.len();
        let by_slug: HashMap<&str, &NewStructure> =
            batch.iter().map(|s| (s.slug.as_str(), s)).collect();
        let empty = serde_json::to_string(&Snapshot::new()).unwrap_or_default();
        let now = Timestamp::now();
        let mut sql = Sql::default();
        sql.push(
            "INSERT INTO structure_revisions (structure_id, origin, author_id, author_name, \
             fields_before, fields_after, created_at) VALUES ",
        );
        for (i, (id, slug)) in inserted.iter().enumerate() {
            let after = by_slug
                .get(slug.as_str())
                .map(|s| serde_json::to_string(&snapshot_of(s)).unwrap_or_default())
                .unwrap_or_default();
            sql.push(if i == 0 { "(" } else { ", (" }).bind_list([
                Arg::Int(*id),
                Arg::Text(origin.as_str().to_owned()),
                author.id.map_or(Arg::NullInt, Arg::Int),
                Arg::Text(author.name.to_owned()),
                Arg::Text(empty.clone()),
                Arg::Text(after),
                Arg::Text(now.to_string()),
            ]);
            sql.push(")");
        }
        sqlx::query_with(&sql.text, sql.arguments())
            .execute(&mut **tx)
            .await?;
    }
    Ok(added)
}

/// A new structure's fields as a revision records them.
fn snapshot_of(structure: &NewStructure) -> Snapshot {
    Snapshot::from([
        ("name".to_owned(), structure.name.clone()),
        ("legal_form".to_owned(), structure.legal_form.clone()),
        ("commune".to_owned(), structure.commune_slug.clone()),
        ("sectors".to_owned(), structure.sector_slugs.join(",")),
        ("address".to_owned(), structure.address.clone()),
        ("postal_code".to_owned(), structure.postal_code.clone()),
        ("email".to_owned(), structure.email.clone()),
        ("phone".to_owned(), structure.phone.clone()),
        ("website".to_owned(), structure.website.clone()),
        (
            "siret".to_owned(),
            structure.siret.clone().unwrap_or_default(),
        ),
        ("offer".to_owned(), structure.offer.clone()),
        ("description".to_owned(), structure.description.clone()),
    ])
}

async fn insert_batch(
    tx: &mut Transaction<'_, Any>,
    context: &InsertContext,
    structures: &[NewStructure],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut sectors_of: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut sql = Sql::default();
    sql.push(
        "INSERT INTO structures (slug, name, sort_key, acronym, siret, legal_form, siae_kind, commune_id, \
         intercommunality_id, departement_id, address, postal_code, latitude, longitude, description, offer, \
         email, phone, website, staff_band, year_founded, status, created_at, updated_at, verified_at, \
         sector_mask) VALUES ",
    );
    for (i, structure) in structures.iter().enumerate() {
        let Some(&(commune, intercommunality, departement)) =
            context.communes.get(&structure.commune_slug)
        else {
            return Err(sqlx::Error::Protocol(format!(
                "unknown commune {}",
                structure.commune_slug
            )));
        };
        let mut sector_ids = Vec::new();
        let mut sector_mask = 0;
        for sector in &structure.sector_slugs {
            let Some(&sector_id) = context.sectors.get(sector) else {
                return Err(sqlx::Error::Protocol(format!("unknown sector {sector}")));
            };
            if !sector_ids.contains(&sector_id) {
                sector_ids.push(sector_id);
                sector_mask |= sector_bit(sector_id)?;
            }
        }
        sectors_of.insert(&structure.slug, sector_ids);
        let text = |value: &str| Arg::Text(value.to_owned());
        let optional_text = |value: &Option<String>| value.clone().map_or(Arg::NullText, Arg::Text);
        let optional_float = |value: Option<f64>| value.map_or(Arg::NullFloat, Arg::Float);
        sql.push(if i == 0 { "(" } else { ", (" }).bind_list([
            text(&structure.slug),
            text(&structure.name),
            text(&crate::slug::slugify(&structure.name)),
            text(&structure.acronym),
            optional_text(&structure.siret),
            text(&structure.legal_form),
            optional_text(&structure.siae_kind),
            Arg::Int(commune),
            intercommunality.map_or(Arg::NullInt, Arg::Int),
            Arg::Int(departement),
            text(&structure.address),
            text(&structure.postal_code),
            optional_float(structure.latitude),
            optional_float(structure.longitude),
            text(&structure.description),
            text(&structure.offer),
            text(&structure.email),
            text(&structure.phone),
            text(&structure.website),
            text(&structure.staff_band),
            structure.year_founded.map_or(Arg::NullInt, Arg::Int),
            text(&structure.status),
            text(&structure.timestamp),
            text(&structure.timestamp),
            text(&structure.timestamp),
            Arg::Int(sector_mask),
        ]);
        sql.push(")");
    }
    sql.push(" ON CONFLICT (slug) DO NOTHING RETURNING id, slug");
    let inserted: Vec<(i64, String)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&mut **tx)
        .await?;

    let mut links = Sql::default();
    links.push("INSERT INTO structure_sectors (structure_id, sector_id) VALUES ");
    let mut first = true;
    for (id, slug) in &inserted {
        for sector_id in sectors_of.get(slug.as_str()).into_iter().flatten() {
            links
                .push(if first { "(" } else { ", (" })
                .bind_list([Arg::Int(*id), Arg::Int(*sector_id)])
                .push(")");
            first = false;
        }
    }
    if !first {
        sqlx::query_with(&links.text, links.arguments())
            .execute(&mut **tx)
            .await?;
    }
    Ok(inserted)
}
