//! The directory's search seen from `/annuaire`: its parameters as an index query (slugs to
//! ids, « près de » to a point, the map's box), and the index's answer as the page's results
//! and the map's groups, with names for ids. The index itself is built and kept current by
//! `index`.

use super::{FacetCount, Facets, SearchParams, SearchResults, StructureSummary, legal_form_label};
use crate::error::AppError;
use crate::search::{Answer, Label, Labels, Query};
use crate::state::AppState;

/// Answers a search from the index (waiting for its first build if it is not ready yet).
pub async fn search(state: &AppState, params: &SearchParams) -> Result<SearchResults, AppError> {
    state.search.ready().await;
    let index = state.search.read();
    let words = params.terms();
    let query = query_for(&index.labels, params, &words);
    let answer = index.search(&Query {
        offset: (params.page.saturating_sub(1) as usize) * super::PER_PAGE as usize,
        limit: super::PER_PAGE as usize,
        ..query
    });
    let mut results = facet_results(&index.labels, params, answer);
    results.near = spot(&index.labels, &params.near).map(|spot| spot.name.clone());
    Ok(results)
}

/// The map's groups for the search's words and filters inside `params.zone` at `zoom`.
pub async fn clusters(state: &AppState, params: &SearchParams, zoom: u8) -> super::map::MapAnswer {
    state.search.ready().await;
    let index = state.search.read();
    let words = params.terms();
    let query = query_for(&index.labels, params, &words);
    super::map::answer(&index.labels, index.clusters(&query, zoom))
}

/// Where « près de … » points: a postal code, or a commune by its name (accents, case and
/// hyphens do not matter); `None` for a place no published entry is in.
fn spot<'a>(labels: &'a Labels, near: &str) -> Option<&'a crate::search::Spot> {
    let near = near.trim();
    if near.is_empty() {
        return None;
    }
    let key = if near.len() == 5 && near.bytes().all(|b| b.is_ascii_digit()) {
        near.to_owned()
    } else {
        crate::slug::slugify(near)
    };
    labels.spots.get(&key)
}

/// The ids of every published entry matching the search, in name order (the exports).
pub async fn matching_ids(state: &AppState, params: &SearchParams) -> Vec<i64> {
    state.search.ready().await;
    let index = state.search.read();
    let words = params.terms();
    let query = query_for(&index.labels, params, &words);
    index.matching_ids(&query)
}

/// The index query for the page's parameters: slugs become ids; an unknown slug matches nothing.
fn query_for<'a>(labels: &Labels, params: &'a SearchParams, words: &'a [String]) -> Query<'a> {
    const NOTHING: i64 = -1;
    let sectors = (!params.sectors.is_empty()).then(|| {
        labels
            .sectors
            .iter()
            .filter(|sector| params.sectors.contains(&sector.slug))
            .fold(0u64, |mask, sector| mask | 1u64 << sector.id)
    });
    let place = params.territory.as_ref().map(|slug| {
        labels
            .places_by_slug
            .get(slug)
            .copied()
            .unwrap_or((2, NOTHING))
    });
    let group = params.club.as_ref().map(|slug| {
        labels
            .groups
            .iter()
            .find(|(_, club)| club.slug == *slug)
            .map_or(NOTHING, |(id, _)| *id)
    });
    Query {
        words,
        sectors,
        place,
        form: params.form.as_deref(),
        group,
        labelled: params.label,
        zone: params.zone.map(|zone| zone.degrees()),
        near: spot(labels, &params.near).map(|spot| [spot.latitude as f32, spot.longitude as f32]),
        offset: 0,
        limit: 0,
    }
}

/// The name of the place `id` (empty when unknown).
pub(super) fn place_name(labels: &Labels, id: i64) -> String {
    labels
        .places
        .get(&id)
        .map(|place| place.name.clone())
        .unwrap_or_default()
}

/// The names of the sectors whose bits are set, in display order.
pub(super) fn sector_names(labels: &Labels, bits: u64) -> Vec<String> {
    labels
        .sectors
        .iter()
        .filter(|sector| bits & (1u64 << sector.id) != 0)
        .map(|sector| sector.name.clone())
        .collect()
}

/// The page's results from the index's answer: names for ids, facets in display order.
fn facet_results(labels: &Labels, params: &SearchParams, answer: Answer) -> SearchResults {
    let items = answer
        .hits
        .into_iter()
        .map(|hit| StructureSummary {
            slug: hit.card.slug,
            name: hit.card.name,
            acronym: hit.card.acronym,
            legal_form: hit.form,
            commune: place_name(labels, hit.commune),
            sectors: sector_names(labels, hit.sectors),
            excerpt: hit.card.excerpt,
            distance_km: hit.distance_km,
        })
        .collect();
    let sectors = labels
        .sectors
        .iter()
        .filter_map(|sector| {
            let count = answer
                .sectors
                .iter()
                .find(|(bit, _)| i64::from(*bit) == sector.id)
                .map_or(0, |(_, count)| *count as i64);
            (count > 0 || params.sectors.contains(&sector.slug)).then(|| FacetCount {
                slug: sector.slug.clone(),
                label: sector.name.clone(),
                count,
            })
        })
        .collect();
    // The ten intercommunalities, then the ten départements, with the most matches.
    let mut territories = Vec::new();
    for (counts, suffix) in [
        (&answer.intercommunalities, ""),
        (&answer.departements, " (département)"),
    ] {
        // Chosen before any text is copied: a national directory counts over a thousand.
        let mut counted: Vec<(u64, &Label)> = counts
            .iter()
            .filter_map(|(id, count)| Some((*count, labels.places.get(id)?)))
            .collect();
        let order = |a: &(u64, &Label), b: &(u64, &Label)| {
            b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name))
        };
        if counted.len() > 10 {
            counted.select_nth_unstable_by(9, order);
            counted.truncate(10);
        }
        counted.sort_by(order);
        territories.extend(counted.into_iter().map(|(count, place)| FacetCount {
            slug: place.slug.clone(),
            label: format!("{}{suffix}", place.name),
            count: count as i64,
        }));
    }
    let mut forms: Vec<FacetCount> = answer
        .forms
        .into_iter()
        .map(|(slug, count)| FacetCount {
            label: legal_form_label(&slug).to_owned(),
            slug,
            count: count as i64,
        })
        .collect();
    forms.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.slug.cmp(&b.slug)));
    let mut clubs: Vec<FacetCount> = answer
        .groups
        .iter()
        .filter_map(|(id, count)| {
            let club = labels.groups.get(id)?;
            Some(FacetCount {
                slug: club.slug.clone(),
                label: club.name.clone(),
                count: *count as i64,
            })
        })
        .collect();
    clubs.sort_by(|a, b| a.label.cmp(&b.label));
    SearchResults {
        items,
        total: answer.total as i64,
        page: params.page,
        facets: Facets {
            sectors,
            territories,
            forms,
            clubs,
            labelled: answer.labelled,
        },
        near: None,
    }
}
