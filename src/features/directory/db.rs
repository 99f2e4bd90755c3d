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

/// `AND …` conditions for the text query (if any) and every filter but `except`.
fn push_conditions(
    sql: &mut Sql,
    backend: &Backend,
    terms: &[String],
    params: &SearchParams,
    territory: &Option<TerritoryFilter>,
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
    if except != Facet::Sector && !params.sectors.is_empty() {
        sql.push(
            " AND s.id IN (SELECT ss.structure_id FROM structure_sectors ss \
             JOIN sectors se ON se.id = ss.sector_id WHERE se.slug IN (",
        );
        sql.bind_list(
            params
                .sectors
                .iter()
                .map(|sector| Arg::Text(sector.clone())),
        )
        .push("))");
    }
    if except != Facet::Territory && params.territory.is_some() {
        match territory {
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
    let territory = match &params.territory {
        Some(slug) => resolve_territory(db, slug).await?,
        None => None,
    };

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
        &territory,
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

    let mut count = Sql::default();
    count.push("SELECT COUNT(*) FROM structures s");
    push_conditions(&mut count, backend, &terms, params, &territory, Facet::None);
    let total: i64 = sqlx::query_scalar_with(&count.text, count.arguments())
        .fetch_one(&db.pool)
        .await?;

    let facets = facets(db, &terms, params, &territory).await?;
    Ok(SearchResults {
        items,
        total,
        page: params.page,
        facets,
    })
}

async fn facets(
    db: &Db,
    terms: &[String],
    params: &SearchParams,
    territory: &Option<TerritoryFilter>,
) -> Result<Facets, sqlx::Error> {
    let backend = db.backend();
    let mut sql = Sql::default();
    sql.push(
        "SELECT se.slug, se.name, COUNT(*) FROM structure_sectors ss \
         JOIN sectors se ON se.id = ss.sector_id JOIN structures s ON s.id = ss.structure_id",
    );
    push_conditions(&mut sql, backend, terms, params, territory, Facet::Sector);
    sql.push(" GROUP BY se.slug, se.name, se.position ORDER BY se.position");
    let sectors = fetch_counts(db, &sql).await?;

    let mut territories = Vec::new();
    for (column, suffix) in [
        ("intercommunality_id", ""),
        ("departement_id", " (département)"),
    ] {
        let mut sql = Sql::default();
        sql.push(&format!("SELECT t.slug, t.name, COUNT(*) FROM structures s JOIN territories t ON t.id = s.{column}"));
        push_conditions(
            &mut sql,
            backend,
            terms,
            params,
            territory,
            Facet::Territory,
        );
        sql.push(" GROUP BY t.slug, t.name ORDER BY COUNT(*) DESC, t.name LIMIT 10");
        territories.extend(fetch_counts(db, &sql).await?.into_iter().map(|mut f| {
            f.label.push_str(suffix);
            f
        }));
    }

    let mut sql = Sql::default();
    sql.push("SELECT s.legal_form, s.legal_form, COUNT(*) FROM structures s");
    push_conditions(&mut sql, backend, terms, params, territory, Facet::Form);
    sql.push(" GROUP BY s.legal_form ORDER BY COUNT(*) DESC, s.legal_form");
    let forms = fetch_counts(db, &sql)
        .await?
        .into_iter()
        .map(|f| FacetCount {
            label: legal_form_label(&f.slug).to_owned(),
            ..f
        })
        .collect();
    Ok(Facets {
        sectors,
        territories,
        forms,
    })
}

async fn fetch_counts(db: &Db, sql: &Sql) -> Result<Vec<FacetCount>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, label, count)| FacetCount { slug, label, count })
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

/// A published structure by its slug.
pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<StructureDetail>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, s.acronym, s.siret, s.legal_form, s.siae_kind, \
         c.slug, c.name, i.slug, i.name, d.slug, d.name, s.address, s.postal_code \
         FROM structures s JOIN territories c ON c.id = s.commune_id \
         LEFT JOIN territories i ON i.id = s.intercommunality_id \
         JOIN territories d ON d.id = s.departement_id \
         WHERE s.slug = $1 AND s.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    let Some((
        id,
        slug,
        name,
        acronym,
        siret,
        legal_form,
        siae_kind,
        c_slug,
        c_name,
        i_slug,
        i_name,
        d_slug,
        d_name,
        address,
        postal_code,
    )) = row
    else {
        return Ok(None);
    };
    type More = (
        Option<f64>,
        Option<f64>,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
        String,
        Option<String>,
    );
    let (
        latitude,
        longitude,
        description,
        offer,
        email,
        phone,
        website,
        staff_band,
        year_founded,
        updated_at,
        verified_at,
    ): More = sqlx::query_as(
        "SELECT latitude, longitude, description, offer, email, phone, website, staff_band, \
             year_founded, updated_at, verified_at FROM structures WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let sectors: Vec<(String, String)> = sqlx::query_as(
        "SELECT se.slug, se.name FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         WHERE ss.structure_id = $1 ORDER BY se.position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(StructureDetail {
        slug,
        name,
        acronym,
        siret,
        legal_form,
        siae_kind,
        sectors: sectors
            .into_iter()
            .map(|(slug, name)| Named { slug, name })
            .collect(),
        commune: Named {
            slug: c_slug,
            name: c_name,
        },
        intercommunality: i_slug.zip(i_name).map(|(slug, name)| Named { slug, name }),
        departement: Named {
            slug: d_slug,
            name: d_name,
        },
        address,
        postal_code,
        latitude,
        longitude,
        description,
        offer,
        email,
        phone,
        website,
        staff_band,
        year_founded,
        updated_at,
        verified_at,
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

/// Inserts `structure` unless its slug exists (so seeding twice changes nothing). Returns whether
/// a row was added.
pub async fn insert_structure(
    tx: &mut Transaction<'_, Any>,
    context: &InsertContext,
    structure: &NewStructure,
) -> Result<bool, sqlx::Error> {
    let Some(&(commune, intercommunality, departement)) =
        context.communes.get(&structure.commune_slug)
    else {
        return Err(sqlx::Error::Protocol(format!(
            "unknown commune {}",
            structure.commune_slug
        )));
    };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO structures (slug, name, sort_key, acronym, siret, legal_form, siae_kind, commune_id, \
         intercommunality_id, departement_id, address, postal_code, latitude, longitude, description, offer, \
         email, phone, website, staff_band, year_founded, status, created_at, updated_at, verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
         $21, $22, $23, $23, $23) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&structure.slug)
    .bind(&structure.name)
    .bind(crate::slug::slugify(&structure.name))
    .bind(&structure.acronym)
    .bind(&structure.siret)
    .bind(&structure.legal_form)
    .bind(&structure.siae_kind)
    .bind(commune)
    .bind(intercommunality)
    .bind(departement)
    .bind(&structure.address)
    .bind(&structure.postal_code)
    .bind(structure.latitude)
    .bind(structure.longitude)
    .bind(&structure.description)
    .bind(&structure.offer)
    .bind(&structure.email)
    .bind(&structure.phone)
    .bind(&structure.website)
    .bind(&structure.staff_band)
    .bind(structure.year_founded)
    .bind(&structure.status)
    .bind(&structure.timestamp)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else { return Ok(false) };
    for sector in &structure.sector_slugs {
        let Some(&sector_id) = context.sectors.get(sector) else {
            return Err(sqlx::Error::Protocol(format!("unknown sector {sector}")));
        };
        sqlx::query("INSERT INTO structure_sectors (structure_id, sector_id) VALUES ($1, $2)")
            .bind(id)
            .bind(sector_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
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
    let territory = match &params.territory {
        Some(slug) => match resolve_territory(db, slug).await {
            Ok(territory) => territory,
            Err(error) => {
                let _ = rows.send(Err(error)).await;
                return;
            }
        },
        None => None,
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
        &territory,
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
