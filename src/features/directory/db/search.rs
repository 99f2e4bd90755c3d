//! Searching the published structures: one page of results, the total and the facet counts.

use std::collections::HashMap;

use crate::db::sql::{Arg, Sql};
use crate::db::{Backend, Db};
use crate::features::directory::*;
use crate::features::reference::sector_bit;

/// The facet whose own filter is left out when counting it, so that its other values stay visible.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Facet {
    None,
    Sector,
    Territory,
    Form,
    Club,
}

/// A territory filter resolved to the column it constrains.
struct TerritoryFilter {
    column: &'static str,
    id: i64,
}

/// The filters of a search resolved to ids once, before the queries that use them.
pub(super) struct Filters {
    territory: Option<TerritoryFilter>,
    /// The bits of the chosen sectors (see `sector_mask`), when sectors are chosen.
    sectors: Option<i64>,
    /// Every sector (id, slug, name) in display order, read once per search.
    all_sectors: Vec<(i64, String, String)>,
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
pub(super) fn push_conditions(
    sql: &mut Sql,
    backend: &Backend,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
    except: Facet,
) {
    sql.push(" WHERE s.status = ")
        .bind_text(PublicationStatus::Published.as_str());
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
    if let Some(club) = params.club.as_ref().filter(|_| except != Facet::Club) {
        sql.push(
            " AND s.id IN (SELECT cm.structure_id FROM club_members cm JOIN clubs cc ON cc.id = cm.club_id \
             WHERE cm.status = 'active' AND cc.slug = ",
        )
        .bind_text(club)
        .push(")");
    }
}

pub(super) async fn resolve_filters(
    db: &Db,
    params: &SearchParams,
) -> Result<Filters, sqlx::Error> {
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
            clubs: club_facet(db, &terms, params, &filters).await?,
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

/// Counts per club (active members; the clubs' tables are read here, in SQL, as the events'
/// visibility does).
async fn club_facet(
    db: &Db,
    terms: &[String],
    params: &SearchParams,
    filters: &Filters,
) -> Result<Vec<FacetCount>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT c.slug, c.name, COUNT(*) FROM structures s JOIN club_members m \
         ON m.structure_id = s.id AND m.status = 'active' JOIN clubs c ON c.id = m.club_id",
    );
    push_conditions(&mut sql, db.backend(), terms, params, filters, Facet::Club);
    sql.push(" GROUP BY c.slug, c.name ORDER BY c.name");
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
