//! The directory's search on the in-memory index (`crate::search`): building it from the
//! database, following the change log so that every app server sees every change within a poll
//! interval (`queries` asks it `/annuaire`'s questions).
//!
//! The change log (`search_changes`, written by triggers) gives each change a sequence number.
//! On PostgreSQL a number is taken before its transaction commits, so a lower number can become
//! visible after a higher one: a follower keeps reading above the first gap in the numbers it
//! applied, for up to [`WINDOW`], and applies what it has not applied yet. Applying a change
//! twice is harmless (the entry is read again).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use super::PublicationStatus;
use crate::db::Db;
use crate::db::sql::{Arg, Sql};
use crate::search::{Builder, Card, Document, Labels};
use crate::state::AppState;

/// How often an app server reads the change log.
pub const POLL: Duration = Duration::from_millis(250);
/// Changes this recent are read again (see the module's comment).
const WINDOW: Duration = Duration::from_secs(30);
/// Change-log rows older than this are deleted.
const KEEP_SECONDS: i64 = 86_400;
/// Entries read from the database per query when following changes.
const BATCH: usize = 2_000;

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
