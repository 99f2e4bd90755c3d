//! Directory queries. Filters and facets are the same SQL on both databases; the full-text part
//! differs and is kept here side by side: SQLite FTS5 (`unicode61 remove_diacritics 2`, prefix
//! queries, bm25) and PostgreSQL (`unaccent` + French stemming, GIN index, ts_rank).

use std::collections::HashMap;

use sqlx::any::AnyArguments;
use sqlx::{Any, Transaction};

use super::*;
use crate::db::{Backend, Db};

/// A statement under construction: text with `$n` placeholders and the values they stand for.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

#[derive(Clone)]
enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
    /// A NULL of the column's type (PostgreSQL checks it).
    NullText,
    NullInt,
    NullFloat,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Appends a placeholder for `arg`.
    fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        let n = self.args.len();
        self.text.push_str(&format!("${n}"));
        self
    }
    fn bind_text(&mut self, value: &str) -> &mut Self {
        self.bind(Arg::Text(value.to_owned()))
    }
    /// Appends `$a, $b, …` for every value of `args`.
    fn bind_list(&mut self, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(arg);
        }
        self
    }
    fn arguments(&self) -> AnyArguments<'static> {
        use sqlx::Arguments;
        let mut arguments = AnyArguments::default();
        for arg in &self.args {
            // Encoding a string or an integer for the Any driver cannot fail.
            let _ = match arg {
                Arg::Text(text) => arguments.add(text.clone()),
                Arg::Int(n) => arguments.add(*n),
                Arg::Float(x) => arguments.add(*x),
                Arg::NullText => arguments.add(None::<String>),
                Arg::NullInt => arguments.add(None::<i64>),
                Arg::NullFloat => arguments.add(None::<f64>),
            };
        }
        arguments
    }
}

/// The facet whose own filter is left out when counting it, so that its other values stay visible.
#[derive(Clone, Copy, PartialEq)]
enum Facet {
    None,
    Sector,
    Territory,
    Form,
}

/// A territory filter resolved to the column it constrains.
struct TerritoryFilter {
    column: &'static str,
    id: i64,
}

/// The filters of a search resolved to ids once, before the queries that use them.
struct Filters {
    territory: Option<TerritoryFilter>,
    /// The bits of the chosen sectors (see `sector_mask`), when sectors are chosen.
    sectors: Option<i64>,
    /// Every sector (id, slug, name) in display order, read once per search.
    all_sectors: Vec<(i64, String, String)>,
}

/// The bit that stands for a sector in `structures.sector_mask`.
fn sector_bit(sector_id: i64) -> Result<i64, sqlx::Error> {
    if (0..63).contains(&sector_id) {
        Ok(1 << sector_id)
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sector id {sector_id} does not fit the sector bit set"
        )))
    }
}

/// The text query in each engine's syntax. Terms are letters and digits only (see
/// [`search_terms`]), so they cannot carry operators.
fn text_query(backend: &Backend, terms: &[String]) -> String {
    match backend {
        Backend::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        Backend::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// `WHERE …` conditions for the text query (if any) and every filter but `except`.
fn push_conditions(
    sql: &mut Sql,
    backend: &Backend,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
    except: Facet,
) {
    sql.push(" WHERE s.status = 'published'");
    if !terms.is_empty() {
        let query = text_query(backend, terms);
        match backend {
            Backend::Sqlite => sql
                .push(" AND s.id IN (SELECT rowid FROM structures_fts WHERE structures_fts MATCH ")
                .bind_text(&query)
                .push(")"),
            Backend::Postgres => sql
                .push(" AND s.search_vector @@ to_tsquery('french', dessine_unaccent(")
                .bind_text(&query)
                .push("))"),
        };
    }
    if let Some(mask) = filters.sectors.filter(|_| except != Facet::Sector) {
        sql.push(" AND (s.sector_mask & ")
            .bind(Arg::Int(mask))
            .push(") <> 0");
    }
    if except != Facet::Territory && params.territory.is_some() {
        match &filters.territory {
            Some(filter) => sql
                .push(&format!(" AND s.{} = ", filter.column))
                .bind(Arg::Int(filter.id)),
            None => sql.push(" AND 1 = 0"),
        };
    }
    if let Some(form) = params.form.as_ref().filter(|_| except != Facet::Form) {
        sql.push(" AND s.legal_form = ").bind_text(form);
    }
}

async fn resolve_filters(db: &Db, params: &SearchParams) -> Result<Filters, sqlx::Error> {
    let territory = match &params.territory {
        Some(slug) => resolve_territory(db, slug).await?,
        None => None,
    };
    let all_sectors: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, name FROM sectors ORDER BY position")
            .fetch_all(&db.pool)
            .await?;
    let sectors = if params.sectors.is_empty() {
        None
    } else {
        // Unknown slugs add no bit: a filter on them alone matches nothing.
        let mut mask = 0;
        for (id, slug, _) in &all_sectors {
            if params.sectors.contains(slug) {
                mask |= sector_bit(*id)?;
            }
        }
        Some(mask)
    };
    Ok(Filters {
        territory,
        sectors,
        all_sectors,
    })
}

async fn resolve_territory(db: &Db, slug: &str) -> Result<Option<TerritoryFilter>, sqlx::Error> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, kind FROM territories WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id, kind)| TerritoryFilter {
        column: match kind.as_str() {
            "commune" => "commune_id",
            "intercommunalite" => "intercommunality_id",
            _ => "departement_id",
        },
        id,
    }))
}

/// One page of results, the total, and the facet counts for the current search.
pub async fn search(db: &Db, params: &SearchParams) -> Result<SearchResults, sqlx::Error> {
    let backend = db.backend();
    let terms = params.terms();
    let filters = resolve_filters(db, params).await?;

    // The page of results, best first.
    let mut page = Sql::default();
    page.push(
        "SELECT s.id, s.slug, s.name, s.acronym, s.legal_form, c.name, s.offer, s.description \
         FROM structures s JOIN territories c ON c.id = s.commune_id",
    );
    let ranked = !terms.is_empty();
    if ranked && *backend == Backend::Sqlite {
        // Joining the FTS table gives access to bm25(); weights: name, acronym, offer, description.
        page.push(" JOIN structures_fts f ON f.rowid = s.id");
    }
    // With the FTS table joined, SQLite filters by MATCH on the join rather than a sub-query.
    let page_terms: &[String] = if ranked && *backend == Backend::Sqlite {
        &[]
    } else {
        &terms
    };
    push_conditions(
        &mut page,
        backend,
        page_terms,
        params,
        &filters,
        Facet::None,
    );
    if ranked {
        let query = text_query(backend, &terms);
        match backend {
            Backend::Sqlite => page
                .push(" AND structures_fts MATCH ")
                .bind_text(&query)
                .push(" ORDER BY bm25(structures_fts, 10.0, 10.0, 4.0, 1.0), s.sort_key"),
            Backend::Postgres => page
                .push(" ORDER BY ts_rank(s.search_vector, to_tsquery('french', dessine_unaccent(")
                .bind_text(&query)
                .push("))) DESC, s.sort_key"),
        };
    } else {
        page.push(" ORDER BY s.sort_key");
    }
    let offset = i64::from(params.page.saturating_sub(1)) * i64::from(PER_PAGE);
    page.push(&format!(" LIMIT {PER_PAGE} OFFSET {offset}"));
    type PageRow = (i64, String, String, String, String, String, String, String);
    let rows: Vec<PageRow> = sqlx::query_as_with(&page.text, page.arguments())
        .fetch_all(&db.pool)
        .await?;

    let mut sectors_of = sector_names_of(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    let items = rows
        .into_iter()
        .map(
            |(id, slug, name, acronym, legal_form, commune, offer, description)| StructureSummary {
                slug,
                name,
                acronym,
                legal_form,
                commune,
                sectors: sectors_of.remove(&id).unwrap_or_default(),
                excerpt: excerpt(
                    if offer.is_empty() {
                        &description
                    } else {
                        &offer
                    },
                    180,
                ),
            },
        )
        .collect();

    let (total, sectors) = sector_facet_and_total(db, &terms, params, &filters).await?;
    Ok(SearchResults {
        items,
        total,
        page: params.page,
        facets: Facets {
            sectors,
            territories: territory_facet(db, &terms, params, &filters).await?,
            forms: form_facet(db, &terms, params, &filters).await?,
        },
    })
}

/// The total of the search and its sector counts, from one grouped scan: the structures that
/// match every filter but the sector one, counted per set of sectors (a few hundred sets at
/// most), then per sector bit here.
async fn sector_facet_and_total(
    db: &Db,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
) -> Result<(i64, Vec<FacetCount>), sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT s.sector_mask, COUNT(*) FROM structures s");
    push_conditions(
        &mut sql,
        db.backend(),
        terms,
        params,
        filters,
        Facet::Sector,
    );
    sql.push(" GROUP BY s.sector_mask");
    let groups: Vec<(i64, i64)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    let total = groups
        .iter()
        .filter(|(mask, _)| filters.sectors.is_none_or(|chosen| mask & chosen != 0))
        .map(|(_, count)| count)
        .sum();
    let mut counts = Vec::new();
    for (id, slug, name) in &filters.all_sectors {
        let bit = sector_bit(*id)?;
        let count = groups
            .iter()
            .filter(|(mask, _)| mask & bit != 0)
            .map(|(_, count)| count)
            .sum();
        if count > 0 || params.sectors.contains(slug) {
            counts.push(FacetCount {
                slug: slug.clone(),
                label: name.clone(),
                count,
            });
        }
    }
    Ok((total, counts))
}

/// The ten intercommunalities and ten départements with the most matches, from one grouped
/// scan of the facet index.
async fn territory_facet(
    db: &Db,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
) -> Result<Vec<FacetCount>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT s.departement_id, s.intercommunality_id, COUNT(*) FROM structures s");
    push_conditions(
        &mut sql,
        db.backend(),
        terms,
        params,
        filters,
        Facet::Territory,
    );
    sql.push(" GROUP BY s.departement_id, s.intercommunality_id");
    let groups: Vec<(i64, Option<i64>, i64)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    let mut departements: HashMap<i64, i64> = HashMap::new();
    let mut intercommunalities: HashMap<i64, i64> = HashMap::new();
    for (departement, intercommunality, count) in groups {
        *departements.entry(departement).or_default() += count;
        if let Some(id) = intercommunality {
            *intercommunalities.entry(id).or_default() += count;
        }
    }
    let ids: Vec<i64> = [&intercommunalities, &departements]
        .iter()
        .flat_map(|counts| counts.keys().copied())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut names = Sql::default();
    names
        .push("SELECT id, slug, name FROM territories WHERE id IN (")
        .bind_list(ids.iter().map(|id| Arg::Int(*id)))
        .push(")");
    let names: HashMap<i64, (String, String)> =
        sqlx::query_as_with::<_, (i64, String, String), _>(&names.text, names.arguments())
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|(id, slug, name)| (id, (slug, name)))
            .collect();
    let mut facet = Vec::new();
    for (counts, suffix) in [(&intercommunalities, ""), (&departements, " (département)")] {
        let mut counted: Vec<FacetCount> = counts
            .iter()
            .filter_map(|(id, count)| {
                let (slug, name) = names.get(id)?;
                Some(FacetCount {
                    slug: slug.clone(),
                    label: format!("{name}{suffix}"),
                    count: *count,
                })
            })
            .collect();
        counted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        counted.truncate(10);
        facet.extend(counted);
    }
    Ok(facet)
}
/// Counts per legal form, read from the facet index.
async fn form_facet(
    db: &Db,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
) -> Result<Vec<FacetCount>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT s.legal_form, COUNT(*) FROM structures s");
    push_conditions(&mut sql, db.backend(), terms, params, filters, Facet::Form);
    sql.push(" GROUP BY s.legal_form ORDER BY COUNT(*) DESC, s.legal_form");
    let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, count)| FacetCount {
            label: legal_form_label(&slug).to_owned(),
            slug,
            count,
        })
        .collect())
}

async fn sector_names_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, sqlx::Error> {
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut sql = Sql::default();
    sql.push("SELECT ss.structure_id, se.name FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id WHERE ss.structure_id IN (");
    sql.bind_list(ids.iter().map(|id| Arg::Int(*id)))
        .push(") ORDER BY se.position");
    let rows: Vec<(i64, String)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    for (id, name) in rows {
        map.entry(id).or_default().push(name);
    }
    Ok(map)
}

/// The first `max` characters of `text`, cut at a word boundary, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let on_boundary = text.chars().nth(max).is_some_and(char::is_whitespace);
    let cut = if on_boundary {
        cut.as_str()
    } else {
        cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head)
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

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
    updated_at: String,
    verified_at: Option<String>,
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
         WHERE s.slug = $1 AND s.status = 'published'",
    )
    .bind(slug)
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
    Ok(Some(StructureDetail {
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
        added += insert_batch(tx, context, batch).await?;
    }
    Ok(added)
}

async fn insert_batch(
    tx: &mut Transaction<'_, Any>,
    context: &InsertContext,
    structures: &[NewStructure],
) -> Result<usize, sqlx::Error> {
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
    Ok(inserted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_a_word() {
        assert_eq!(excerpt("court", 10), "court");
        assert_eq!(
            excerpt("Réemploi, réparation et vente de meubles", 20),
            "Réemploi, réparation…"
        );
    }

    #[test]
    fn text_queries_quote_every_term_as_a_prefix() {
        let terms = vec!["economie".to_owned(), "recycl".to_owned()];
        assert_eq!(
            text_query(&Backend::Sqlite, &terms),
            "\"economie\"* \"recycl\"*"
        );
        assert_eq!(
            text_query(&Backend::Postgres, &terms),
            "economie:* & recycl:*"
        );
    }
}

/// One line of an export.
#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub siret: Option<String>,
    pub legal_form: String,
    pub siae_kind: Option<String>,
    pub sectors: String,
    pub commune: String,
    pub postal_code: String,
    pub intercommunality: Option<String>,
    pub departement: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub staff_band: String,
    pub year_founded: Option<i64>,
    pub offer: String,
    pub description: String,
    pub updated_at: String,
}

/// Sends every published structure matching `params` (all pages, in name order) to `rows`,
/// straight from the database cursor: memory stays flat. Stops early when the receiver is gone.
pub async fn export_rows(
    db: &Db,
    params: &SearchParams,
    rows: tokio::sync::mpsc::Sender<Result<ExportRow, sqlx::Error>>,
) {
    use futures::StreamExt;
    let backend = db.backend();
    let sectors = match backend {
        Backend::Sqlite => {
            "(SELECT group_concat(name, ' ; ') FROM (SELECT se.name FROM structure_sectors ss \
             JOIN sectors se ON se.id = ss.sector_id WHERE ss.structure_id = s.id ORDER BY se.position))"
        }
        Backend::Postgres => {
            "(SELECT string_agg(se.name, ' ; ' ORDER BY se.position) FROM structure_sectors ss \
             JOIN sectors se ON se.id = ss.sector_id WHERE ss.structure_id = s.id)"
        }
    };
    let filters = match resolve_filters(db, params).await {
        Ok(filters) => filters,
        Err(error) => {
            let _ = rows.send(Err(error)).await;
            return;
        }
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT s.slug, s.name, s.acronym, s.siret, s.legal_form, s.siae_kind, COALESCE({sectors}, '') AS sectors, \
         c.name AS commune, s.postal_code, i.name AS intercommunality, d.name AS departement, s.address, \
         s.latitude, s.longitude, s.email, s.phone, s.website, s.staff_band, s.year_founded, s.offer, \
         s.description, s.updated_at \
         FROM structures s JOIN territories c ON c.id = s.commune_id \
         LEFT JOIN territories i ON i.id = s.intercommunality_id JOIN territories d ON d.id = s.departement_id"
    ));
    push_conditions(
        &mut sql,
        backend,
        &params.terms(),
        params,
        &filters,
        Facet::None,
    );
    sql.push(" ORDER BY s.sort_key");
    let mut stream =
        sqlx::query_as_with::<_, ExportRow, _>(&sql.text, sql.arguments()).fetch(&db.pool);
    while let Some(row) = stream.next().await {
        let failed = row.is_err();
        if rows.send(row).await.is_err() || failed {
            return;
        }
    }
}
