//! The observatory's figures, counted in the database from dated facts (an entry's creation, an
//! event's date, a journey's state, a need's history): a past quarter's figure changes only when
//! a fact of that quarter changes. Computed once per territory and kept for [`KEEP`], or until
//! this server saves a change, so that the page answers from memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::model::{Chart, Figure, Observatory, Place, Row, band_bounds, percent, quarter_of};
use crate::error::AppError;
use crate::features::directory::{legal_form_label, staff_band_label};
use crate::state::AppState;
use crate::text::check::{capitalise, count_of, group_thousands};
use crate::timestamp::Timestamp;

/// How long computed figures are served before they are counted again.
pub const KEEP: Duration = Duration::from_secs(60);
/// The quarters the figures over time show.
const QUARTERS: usize = 12;

struct Cached {
    at: Instant,
    generation: u64,
    figures: Arc<Observatory>,
    refreshing: bool,
}

static CACHE: std::sync::Mutex<Option<HashMap<(usize, String), Cached>>> =
    std::sync::Mutex::new(None);

fn cache<T>(f: impl FnOnce(&mut HashMap<(usize, String), Cached>) -> T) -> T {
    let mut guard = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(guard.get_or_insert_with(HashMap::new))
}

/// The observatory for the territory `slug` (a département or an intercommunality; empty or
/// unknown: the whole portal), from memory. Only known territories are counted and kept: an
/// address with any other text gets the whole portal's figures, never a counting of its own.
pub async fn observatory(state: &AppState, slug: &str) -> Result<Arc<Observatory>, AppError> {
    let whole = figures_for(state, "").await?;
    let known = whole
        .departements
        .iter()
        .chain(&whole.intercommunalities)
        .any(|place| place.slug == slug);
    if known {
        figures_for(state, slug).await
    } else {
        Ok(whole)
    }
}

/// One territory's figures, from memory. Figures older than [`KEEP`], or from before this
/// server's last saved change, are served once more while one task counts them again, so that
/// no visitor waits for the counting but the very first.
async fn figures_for(state: &AppState, slug: &str) -> Result<Arc<Observatory>, AppError> {
    // Per app server (tests run several in one process, each with its own generation count).
    let key = (Arc::as_ptr(&state.pages) as usize, slug.to_owned());
    let generation = state.pages.generation();
    let known = cache(|cache| {
        let entry = cache.get_mut(&key)?;
        let stale = entry.generation != generation || entry.at.elapsed() >= KEEP;
        let refresh = stale && !entry.refreshing;
        entry.refreshing |= refresh;
        Some((entry.figures.clone(), refresh))
    });
    match known {
        Some((figures, refresh)) => {
            if refresh {
                let state = state.clone();
                tokio::spawn(async move {
                    let counted = compute(&state, &key.1).await;
                    cache(|cache| match counted {
                        Ok(figures) => {
                            cache.insert(
                                key,
                                Cached {
                                    at: Instant::now(),
                                    generation,
                                    figures: Arc::new(figures),
                                    refreshing: false,
                                },
                            );
                        }
                        Err(error) => {
                            tracing::error!(%error, "observatory: counting again failed");
                            if let Some(entry) = cache.get_mut(&key) {
                                entry.refreshing = false;
                            }
                        }
                    });
                });
            }
            Ok(figures)
        }
        None => {
            let figures = Arc::new(compute(state, slug).await?);
            cache(|cache| {
                cache.insert(
                    key,
                    Cached {
                        at: Instant::now(),
                        generation,
                        figures: figures.clone(),
                        refreshing: false,
                    },
                )
            });
            Ok(figures)
        }
    }
}

/// Which entries a territory covers: `(departement id, intercommunality id)`, 0 for any.
fn scope(territory: Option<&(i64, String, String, String)>) -> (i64, i64) {
    match territory {
        Some((id, _, _, kind)) if kind == "departement" => (*id, 0),
        Some((id, _, _, _)) => (0, *id),
        None => (0, 0),
    }
}

/// The entries' condition, with `$1` the département and `$2` the intercommunality (0: any).
const IN_SCOPE: &str = "s.status = 'published' AND ($1 = 0 OR s.departement_id = $1) \
                        AND ($2 = 0 OR s.intercommunality_id = $2)";

async fn counts(
    state: &AppState,
    sql: &str,
    (departement, intercommunality): (i64, i64),
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as(sql)
        .bind(departement)
        .bind(intercommunality)
        .fetch_all(&state.db.pool)
        .await?)
}

/// The entries in scope counted by one of their columns (a name from this file, never input).
async fn count_by(
    state: &AppState,
    column: &'static str,
    scope: (i64, i64),
) -> Result<Vec<(String, i64)>, AppError> {
    let sql = format!(
        "SELECT s.{column}, COUNT(*) FROM structures s WHERE {IN_SCOPE} GROUP BY s.{column}"
    );
    counts(state, &sql, scope).await
}

pub async fn compute(state: &AppState, slug: &str) -> Result<Observatory, AppError> {
    let db = &state.db.pool;
    let places: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, slug, name, kind FROM territories \
         WHERE kind IN ('departement', 'intercommunalite') ORDER BY name",
    )
    .fetch_all(db)
    .await?;
    let territory = places.iter().find(|(_, s, _, _)| s == slug);
    let scope = scope(territory);
    let where_ = territory.map_or_else(
        || "sur tout le portail".to_owned(),
        |(_, _, name, _)| format!("sur le territoire « {name} »"),
    );
    let today = Timestamp::now();
    let as_of = today.french_date();
    let directory = format!("Annuaire DESSINE, fiches publiées au {as_of}");

    let structures: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM structures s WHERE {IN_SCOPE}"
    ))
    .bind(scope.0)
    .bind(scope.1)
    .fetch_one(db)
    .await?;
    let mut figures = Vec::new();

    // Sectors: an entry counts in each of its sectors.
    let sectors = counts(
        state,
        &format!(
            "SELECT sec.name, COUNT(*) FROM structures s \
             JOIN structure_sectors ss ON ss.structure_id = s.id \
             JOIN sectors sec ON sec.id = ss.sector_id WHERE {IN_SCOPE} \
             GROUP BY sec.name, sec.position ORDER BY COUNT(*) DESC, sec.position"
        ),
        scope,
    )
    .await?;
    let reading = match sectors.first() {
        Some((name, count)) => format!(
            "Le secteur le plus représenté {where_} est « {name} » : {} structures sur {} ({}) ; une structure peut en avoir plusieurs.",
            group_thousands(*count),
            group_thousands(structures),
            percent(*count, structures)
        ),
        None => format!("Aucune structure publiée {where_}."),
    };
    figures.push(bars(
        "secteurs",
        "Structures par secteur d'activité",
        reading,
        &directory,
        sectors,
    ));

    // Legal forms.
    let mut forms = count_by(state, "legal_form", scope).await?;
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let forms: Vec<(String, i64)> = forms
        .into_iter()
        .map(|(form, count)| (legal_form_label(&form).to_owned(), count))
        .collect();
    let reading = match forms.first() {
        Some((name, count)) => format!(
            "{where_}, la forme juridique la plus fréquente est « {name} » : {} des structures.",
            percent(*count, structures)
        ),
        None => format!("Aucune structure publiée {where_}."),
    };
    figures.push(bars(
        "formes",
        "Structures par forme juridique",
        capitalise(&reading),
        &directory,
        forms,
    ));

    // Size: the staff band an entry states (SIRENE's bands, or its manager's).
    let bands = count_by(state, "staff_band", scope).await?;
    let mut stated: Vec<((i64, Option<i64>), String, i64)> = bands
        .into_iter()
        .filter_map(|(band, count)| Some((band_bounds(&band)?, band, count)))
        .collect();
    stated.sort();
    let stating: i64 = stated.iter().map(|(_, _, count)| count).sum();
    let low: i64 = stated.iter().map(|((low, _), _, count)| low * count).sum();
    let high: Option<i64> = stated
        .iter()
        .map(|((_, high), _, count)| high.map(|h| h * count))
        .sum();
    let reading = if stating == 0 {
        format!("Aucune structure n'indique son effectif {where_}.")
    } else {
        format!(
            "{} structures sur {} indiquent leur effectif ({}) ; ensemble, elles emploient {}.",
            group_thousands(stating),
            group_thousands(structures),
            percent(stating, structures),
            match high {
                Some(high) => format!(
                    "entre {} et {} salariés",
                    group_thousands(low),
                    group_thousands(high)
                ),
                None => format!("au moins {} salariés", group_thousands(low)),
            }
        )
    };
    figures.push(bars(
        "effectifs",
        "Structures par tranche d'effectif salarié",
        reading,
        &format!("{directory} ; tranches de l'INSEE (SIRENE) ou indiquées par la structure"),
        stated
            .into_iter()
            .map(|(_, band, count)| (staff_band_label(&band), count))
            .collect(),
    ));

    // New entries per quarter, from each entry's creation date.
    let months = counts(
        state,
        &format!(
            "SELECT substr(s.created_at, 1, 7), COUNT(*) FROM structures s WHERE {IN_SCOPE} \
             GROUP BY substr(s.created_at, 1, 7)"
        ),
        scope,
    )
    .await?;
    let quarters = last_quarters(&today);
    let mut per_quarter: BTreeMap<String, i64> = quarters.iter().map(|q| (q.clone(), 0)).collect();
    for (month, count) in months {
        if let Some(quarter) = quarter_of(&month)
            && let Some(slot) = per_quarter.get_mut(&quarter)
        {
            *slot += count;
        }
    }
    let rows: Vec<(String, i64)> = per_quarter.into_iter().collect();
    let reading = {
        let last = rows.len().saturating_sub(2);
        // « T3 2026 » rather than the table's `2026-T3`.
        let spoken = |quarter: &str| {
            let (year, q) = quarter.split_once('-').unwrap_or((quarter, ""));
            format!("{q} {year}")
        };
        let (name, count) = (spoken(&rows[last].0), rows[last].1);
        let year_before = rows
            .len()
            .checked_sub(6)
            .map(|i| (spoken(&rows[i].0), rows[i].1));
        match year_before {
            Some((before_name, before)) => format!(
                "{} nouvelles fiches au trimestre {name} (le dernier achevé), contre {} au trimestre {before_name}.",
                group_thousands(count),
                group_thousands(before)
            ),
            None => format!(
                "{} nouvelles fiches au trimestre {name}.",
                group_thousands(count)
            ),
        }
    };
    figures.push(one_series(
        Chart::Line,
        ("nouvelles-fiches", "Nouvelles fiches par trimestre"),
        "Nouvelles fiches",
        reading,
        &format!("{directory} ; date de création de chaque fiche encore publiée"),
        rows,
    ));

    // The label: structures labelled now, journeys under way, suspended.
    let journeys: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT CASE WHEN j.state = 'labelled' AND j.valid_until > $3 THEN 'labelled' \
                     WHEN j.state IN ('applied', 'admitted') THEN 'underway' \
                     ELSE j.state END, COUNT(*) \
         FROM label_journeys j JOIN structures s ON s.id = j.structure_id WHERE {IN_SCOPE} \
         GROUP BY CASE WHEN j.state = 'labelled' AND j.valid_until > $3 THEN 'labelled' \
                       WHEN j.state IN ('applied', 'admitted') THEN 'underway' \
                       ELSE j.state END"
    ))
    .bind(scope.0)
    .bind(scope.1)
    .bind(today)
    .fetch_all(db)
    .await?;
    let of = |state: &str| {
        journeys
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, count)| *count)
    };
    let label_rows = vec![
        ("Labellisées (label valide)".to_owned(), of("labelled")),
        ("Parcours en cours".to_owned(), of("underway")),
        ("Label suspendu".to_owned(), of("suspended")),
    ];
    let reading = format!(
        "{} structures portent le label « démarche progrès » {where_} et {} suivent leur parcours de formation.",
        group_thousands(of("labelled")),
        group_thousands(of("underway"))
    );
    figures.push(bars(
        "label",
        "Le label « démarche progrès »",
        reading,
        &format!("Parcours du label enregistrés dans DESSINE, au {as_of}"),
        label_rows,
    ));

    // Events held per quarter and their attendance (the whole portal).
    let held: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT substr(e.starts_at, 1, 7), COUNT(DISTINCT e.id), COUNT(r.id) FROM events e \
         LEFT JOIN registrations r ON r.event_id = e.id AND r.status = 'confirmed' \
         WHERE e.starts_at < $1 GROUP BY substr(e.starts_at, 1, 7)",
    )
    .bind(today)
    .fetch_all(db)
    .await?;
    let mut per_quarter: BTreeMap<String, (i64, i64)> =
        quarters.iter().map(|q| (q.clone(), (0, 0))).collect();
    for (month, events, people) in held {
        if let Some(quarter) = quarter_of(&month)
            && let Some(slot) = per_quarter.get_mut(&quarter)
        {
            slot.0 += events;
            slot.1 += people;
        }
    }
    let (events, people) = per_quarter
        .values()
        .fold((0, 0), |(e, p), (events, people)| (e + events, p + people));
    figures.push(Figure {
        key: "evenements".into(),
        title: "Événements tenus et participants inscrits, par trimestre".into(),
        reading: format!(
            "En trois ans, {} événements se sont tenus sur tout le portail, avec {} participations confirmées.",
            group_thousands(events),
            group_thousands(people)
        ),
        source: format!("Événements et inscriptions confirmées de DESSINE, au {as_of} (tout le portail)"),
        chart: Chart::Line,
        series: vec!["Événements".into(), "Participants inscrits".into()],
        rows: per_quarter
            .into_iter()
            .map(|(label, (events, people))| Row {
                label,
                values: vec![events, people],
            })
            .collect(),
    });

    // Responsible purchasing, by sector, for the latest year (the purchasing report).
    let report = crate::features::purchasing::export::report(state, 0).await?;
    figures.push(Figure {
        key: "achats".into(),
        title: format!(
            "Achats responsables en {} : contrats remportés par secteur",
            report.year
        ),
        reading: format!(
            "En {} : {}, {} de structures de l'ESS, {} pour {} € (tout le portail).",
            report.year,
            count_of(report.total.needs, "besoin publié", "besoins publiés"),
            count_of(report.total.answers, "réponse", "réponses"),
            count_of(report.total.won, "contrat remporté", "contrats remportés"),
            group_thousands(report.total.amount)
        ),
        source: format!(
            "Besoins d'achat publiés dans DESSINE et leur suite, année {}",
            report.year
        ),
        // Of each sector's answers, those that won a contract and the others.
        chart: Chart::Stacked,
        series: vec![
            "Contrats remportés".into(),
            "Réponses sans contrat".into(),
            "Besoins publiés".into(),
            "Montant (€)".into(),
        ],
        rows: report
            .by_sector
            .into_iter()
            .map(|row| Row {
                label: row.name,
                values: vec![
                    row.won,
                    (row.answers - row.won).max(0),
                    row.needs,
                    row.amount,
                ],
            })
            .collect(),
    });

    let place = |(_, slug, name, _): &(i64, String, String, String)| Place {
        slug: slug.clone(),
        name: name.clone(),
    };
    Ok(Observatory {
        territory: territory.map(place),
        departements: places
            .iter()
            .filter(|(_, _, _, kind)| kind == "departement")
            .map(place)
            .collect(),
        intercommunalities: places
            .iter()
            .filter(|(_, _, _, kind)| kind == "intercommunalite")
            .map(place)
            .collect(),
        structures,
        as_of,
        figures,
    })
}

fn bars(key: &str, title: &str, reading: String, source: &str, rows: Vec<(String, i64)>) -> Figure {
    one_series(
        Chart::Bars,
        (key, title),
        "Structures",
        reading,
        source,
        rows,
    )
}

/// A figure of one value per row.
fn one_series(
    chart: Chart,
    (key, title): (&str, &str),
    series: &str,
    reading: String,
    source: &str,
    rows: Vec<(String, i64)>,
) -> Figure {
    Figure {
        key: key.into(),
        title: title.into(),
        reading,
        source: source.into(),
        chart,
        series: vec![series.into()],
        rows: rows
            .into_iter()
            .map(|(label, count)| Row {
                label,
                values: vec![count],
            })
            .collect(),
    }
}

/// The last [`QUARTERS`] quarters up to the current one, oldest first: `2024-T1` …
fn last_quarters(today: &Timestamp) -> Vec<String> {
    let date = today.in_paris().date();
    let mut year = date.year();
    let mut quarter = (u8::from(date.month()) - 1) / 3 + 1;
    let mut out = Vec::with_capacity(QUARTERS);
    for _ in 0..QUARTERS {
        out.push(format!("{year}-T{quarter}"));
        if quarter == 1 {
            quarter = 4;
            year -= 1;
        } else {
            quarter -= 1;
        }
    }
    out.reverse();
    out
}
