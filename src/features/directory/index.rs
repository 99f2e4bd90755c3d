//! The directory's search on the in-memory index (`crate::search`): building it from the
//! database, following the change log so that every app server sees every change within a poll
//! interval, and translating `/annuaire`'s parameters into a query and its answer into results.
//!
//! The change log (`search_changes`, written by triggers) gives each change a sequence number.
//! On PostgreSQL a number is taken before its transaction commits, so a lower number can become
//! visible after a higher one: a follower keeps reading above the first gap in the numbers it
//! applied, for up to [`WINDOW`], and applies what it has not applied yet. Applying a change
//! twice is harmless (the entry is read again).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use super::{
    FacetCount, Facets, PublicationStatus, SearchParams, SearchResults, StructureSummary,
    legal_form_label,
};
use crate::db::Db;
use crate::db::sql::{Arg, Sql};
use crate::error::AppError;
use crate::search::{Answer, Builder, Card, Document, Label, Labels, Query};
use crate::state::AppState;

/// How often an app server reads the change log.
pub const POLL: Duration = Duration::from_millis(250);
/// Changes this recent are read again (see the module's comment).
const WINDOW: Duration = Duration::from_secs(30);
/// Change-log rows older than this are deleted.
const KEEP_SECONDS: i64 = 86_400;
/// Entries read from the database per query when following changes.
const BATCH: usize = 2_000;

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

/// Starts following the change log: builds the index, then reads the log every [`POLL`]. Runs
/// until the process ends; errors are logged and retried.
pub fn start(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut pruned = Instant::now() - Duration::from_secs(3600);
        loop {
            let step = if state.search.is_ready() {
                catch_up(&state).await
            } else {
                build(&state).await
            };
            if let Err(error) = step {
                tracing::error!(%error, "search index: reading the database failed, trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            if pruned.elapsed() > Duration::from_secs(600) {
                pruned = Instant::now();
                if let Err(error) = prune(&state.db).await {
                    tracing::warn!(%error, "search index: old changes not deleted");
                }
            }
            tokio::time::sleep(POLL).await;
        }
    });
}

/// Builds the whole index from the database and replaces the current one.
pub async fn build(state: &AppState) -> Result<(), sqlx::Error> {
    let started = Instant::now();
    let mut follower = state.search.follower.lock().await;
    // The recent changes already visible are reflected in what is read next; those that become
    // visible later are applied by the next catch-up.
    let now = crate::timestamp::Timestamp::now().unix();
    let recent: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM search_changes WHERE changed_at >= $1 ORDER BY seq")
            .bind(now - WINDOW.as_secs() as i64)
            .fetch_all(&state.db.pool)
            .await?;
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM search_changes")
        .fetch_one(&state.db.pool)
        .await?;
    let labels = load_labels(&state.db).await?;
    // Read in batches by id and indexed as read: only the index stays in memory.
    let mut builder = Builder::default();
    let mut after = 0;
    loop {
        let documents = load_documents(&state.db, Selection::After(after, 5_000)).await?;
        let Some(last) = documents.last() else { break };
        after = last.id;
        for document in documents {
            builder.add(document);
        }
    }
    let read = started.elapsed();
    let mut index = builder.finish();
    index.labels = labels;
    let stats = index.stats();
    state.search.replace(index);
    state.pages.changed();
    follower.low = recent.first().map_or(last, |first| first - 1);
    follower.recent = recent
        .into_iter()
        .map(|seq| (seq, Instant::now()))
        .collect();
    follower.read_at = Some(Instant::now());
    advance(&mut follower);
    tracing::info!(
        documents = stats.documents,
        words = stats.words,
        postings = stats.postings,
        index_mib = stats.bytes / (1 << 20),
        read_ms = read.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "search index built"
    );
    Ok(())
}

/// Applies the changes of the log this app server has not applied yet. Called every [`POLL`],
/// and by a request that changed the directory before it answers, so that its author sees the
/// change at once.
pub async fn catch_up(state: &AppState) -> Result<(), sqlx::Error> {
    if !state.search.is_ready() {
        // The build in progress reads everything.
        return Ok(());
    }
    let mut follower = state.search.follower.lock().await;
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT seq, structure_id FROM search_changes WHERE seq > $1 ORDER BY seq")
            .bind(follower.low)
            .fetch_all(&state.db.pool)
            .await?;
    let fresh: Vec<(i64, Option<i64>)> = rows
        .into_iter()
        .filter(|(seq, _)| !follower.recent.contains_key(seq))
        .collect();
    if !fresh.is_empty() {
        let ids: Vec<i64> = fresh
            .iter()
            .filter_map(|(_, id)| *id)
            .collect::<BTreeSet<i64>>()
            .into_iter()
            .collect();
        let mut reload_labels = fresh.iter().any(|(_, id)| id.is_none());
        for chunk in ids.chunks(BATCH) {
            let documents = load_documents(&state.db, Selection::Ids(chunk)).await?;
            // A place added since the labels were read (a new commune of imported entries).
            reload_labels |= {
                let index = state.search.read();
                documents.iter().any(|d| {
                    d.places
                        .iter()
                        .any(|id| *id != 0 && !index.labels.places.contains_key(id))
                })
            };
            let mut index = state.search.write();
            for id in chunk {
                index.remove(*id);
            }
            for document in documents {
                index.upsert(document);
            }
            index.finish();
        }
        if reload_labels {
            let labels = load_labels(&state.db).await?;
            state.search.write().labels = labels;
        }
        let now = Instant::now();
        for (seq, _) in &fresh {
            follower.recent.insert(*seq, now);
        }
        // The directory changed (maybe on another server): shared pages show it from now on.
        state.pages.changed();
    }
    follower.read_at = Some(Instant::now());
    advance(&mut follower);
    let rebuild = {
        let index = state.search.read();
        index.dead_share() > 0.25 && index.dead() > 1_000
    };
    drop(follower);
    if rebuild {
        build(state).await?;
    }
    Ok(())
}

/// Moves `low` past the applied numbers that follow it without a gap. A number above a gap
/// waits there until the gap fills (a transaction still open) or for [`WINDOW`] (a transaction
/// rolled back, whose number never appears), so that only numbers above a gap are read again.
fn advance(follower: &mut crate::search::Follower) {
    while let Some((seq, at)) = follower.recent.first_key_value() {
        if *seq != follower.low + 1 && at.elapsed() < WINDOW {
            break;
        }
        follower.low = follower.low.max(*seq);
        follower.recent.pop_first();
    }
}

/// A change made by this request shows in this server's results before it answers; other
/// servers see it within a poll interval. A failure is logged: the next poll retries.
pub async fn changed(state: &AppState) {
    if let Err(error) = catch_up(state).await {
        tracing::error!(%error, "search index: catching up after a change failed");
    }
}

async fn prune(db: &Db) -> Result<(), sqlx::Error> {
    let now = crate::timestamp::Timestamp::now().unix();
    sqlx::query("DELETE FROM search_changes WHERE changed_at < $1")
        .bind(now - KEEP_SECONDS)
        .execute(&db.pool)
        .await?;
    Ok(())
}

async fn load_labels(db: &Db) -> Result<Labels, sqlx::Error> {
    let mut labels = Labels::default();
    let sectors: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, name FROM sectors ORDER BY position")
            .fetch_all(&db.pool)
            .await?;
    for (id, slug, name) in sectors {
        crate::features::reference::sector_bit(id)?;
        labels.sectors.push(crate::search::Label { id, slug, name });
    }
    let places: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, slug, name, kind FROM territories")
            .fetch_all(&db.pool)
            .await?;
    for (id, slug, name, kind) in places {
        let level = match kind.as_str() {
            "commune" => 0,
            "intercommunalite" => 1,
            _ => 2,
        };
        labels.places_by_slug.insert(slug.clone(), (level, id));
        labels
            .places
            .insert(id, crate::search::Label { id, slug, name });
    }
    let clubs: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, slug, name FROM clubs")
        .fetch_all(&db.pool)
        .await?;
    for (id, slug, name) in clubs {
        labels
            .groups
            .insert(id, crate::search::Label { id, slug, name });
    }
    // « près de… »: each commune and postal code at the mean place of its published entries
    // (one pass over the entries, at each build and when a new place appears).
    let places: Vec<(String, String, String, f64, f64, i64)> = sqlx::query_as(
        "SELECT t.slug, t.name, s.postal_code, AVG(s.latitude), AVG(s.longitude), COUNT(*) \
         FROM structures s JOIN territories t ON t.id = s.commune_id \
         WHERE s.status = 'published' AND s.latitude IS NOT NULL AND s.longitude IS NOT NULL \
         GROUP BY t.slug, t.name, s.postal_code",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut communes: HashMap<String, (String, f64, f64, f64)> = HashMap::new();
    for (slug, name, postal_code, latitude, longitude, count) in places {
        if postal_code.len() == 5 && postal_code.bytes().all(|b| b.is_ascii_digit()) {
            labels.spots.insert(
                postal_code.clone(),
                crate::search::Spot {
                    name: format!("{name} ({postal_code})"),
                    latitude,
                    longitude,
                },
            );
        }
        let weight = count as f64;
        let commune = communes.entry(slug).or_insert((name, 0.0, 0.0, 0.0));
        commune.1 += latitude * weight;
        commune.2 += longitude * weight;
        commune.3 += weight;
    }
    for (slug, (name, latitude, longitude, weight)) in communes {
        labels.spots.insert(
            slug,
            crate::search::Spot {
                name,
                latitude: latitude / weight,
                longitude: longitude / weight,
            },
        );
    }
    Ok(labels)
}

type EntryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    i64,
    String,
    Option<f64>,
    Option<f64>,
);

/// Which entries to read.
enum Selection<'a> {
    Ids(&'a [i64]),
    /// The next entries by id after this one, at most this many.
    After(i64, i64),
}

/// The published entries of `selection` as index documents.
async fn load_documents(db: &Db, selection: Selection<'_>) -> Result<Vec<Document>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT id, slug, name, \
         CASE WHEN COALESCE(verified_at, created_at) < ",
    )
    // Entries not verified for two years sort after the others of equal relevance: their
    // sort key (used for ties and for browsing by name) starts with a character after every
    // letter. An entry crossing the line is re-read when anything about it changes, and at
    // start-up.
    .bind_text(
        &crate::timestamp::Timestamp::now()
            .plus(-super::db::entry::FRESH_FOR)
            .to_string(),
    )
    .push(
        " THEN '~' || sort_key ELSE sort_key END, acronym, offer, description, sector_mask, commune_id, \
         intercommunality_id, departement_id, legal_form, latitude, longitude FROM structures WHERE status = ",
    )
    .bind_text(PublicationStatus::Published.as_str());
    let mut members = Sql::default();
    members.push("SELECT structure_id, club_id FROM club_members WHERE status = 'active'");
    let rows: Vec<EntryRow> = match selection {
        Selection::Ids(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            sql.push(" AND id IN (")
                .bind_list(ids.iter().map(|id| Arg::Int(*id)))
                .push(")");
            members
                .push(" AND structure_id IN (")
                .bind_list(ids.iter().map(|id| Arg::Int(*id)))
                .push(")");
            sqlx::query_as_with(&sql.text, sql.arguments())
                .fetch_all(&db.pool)
                .await?
        }
        Selection::After(after, limit) => {
            sql.push(" AND id > ")
                .bind(Arg::Int(after))
                .push(" ORDER BY id LIMIT ")
                .bind(Arg::Int(limit));
            let rows: Vec<EntryRow> = sqlx::query_as_with(&sql.text, sql.arguments())
                .fetch_all(&db.pool)
                .await?;
            let last = rows.last().map_or(after, |row| row.0);
            members
                .push(" AND structure_id > ")
                .bind(Arg::Int(after))
                .push(" AND structure_id <= ")
                .bind(Arg::Int(last));
            rows
        }
    };
    // Few rows: every structure whose label is valid now (an expiry rewrites the row, which
    // brings the structure back here through the change log).
    let labelled: std::collections::HashSet<i64> = sqlx::query_scalar(
        "SELECT structure_id FROM label_journeys WHERE state = 'labelled' AND valid_until > $1",
    )
    .bind(crate::timestamp::Timestamp::now())
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .collect();
    let mut groups: HashMap<i64, Vec<i64>> = HashMap::new();
    let pairs: Vec<(i64, i64)> = sqlx::query_as_with(&members.text, members.arguments())
        .fetch_all(&db.pool)
        .await?;
    for (structure, club) in pairs {
        groups.entry(structure).or_default().push(club);
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                slug,
                name,
                sort_key,
                acronym,
                offer,
                description,
                sectors,
                commune,
                intercommunality,
                departement,
                form,
                latitude,
                longitude,
            )| {
                let excerpt = excerpt(
                    if offer.is_empty() {
                        &description
                    } else {
                        &offer
                    },
                    180,
                );
                Document {
                    id,
                    sort_key,
                    card: Card {
                        slug,
                        name: name.clone(),
                        acronym: acronym.clone(),
                        excerpt,
                    },
                    texts: [name, acronym, offer, description],
                    sectors: sectors as u64,
                    places: [commune, intercommunality.unwrap_or(0), departement],
                    form,
                    groups: groups.remove(&id).unwrap_or_default(),
                    labelled: labelled.contains(&id),
                    point: latitude.zip(longitude),
                }
            },
        )
        .collect())
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
}
