//! `/donnees` and its files: the dataset's description, the live files (CSV, JSON, GeoJSON),
//! the Table Schema and the dated snapshots.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_meta::Title;

use super::db::SnapshotInfo;
use super::model::{FIELDS, FILE, LICENCE_NAME, LICENCE_URL, TITLE, kind_label};
use crate::features::directory::SearchParams;
use crate::features::directory::db::ExportRow;
use crate::features::directory::export::{RowWriter, csv_head, csv_row, download, stream_rows};
use crate::state::AppState;
use crate::text::check::group_thousands;
use crate::ui::error::ErrorPage;
use crate::ui::meta::{Description, json_ld};

/// How the dataset's rows are written; each carries the portal's address (the `url` field).
pub enum OpenFormat {
    Csv(String),
    Json(String),
    GeoJson(String),
}

impl RowWriter for OpenFormat {
    fn head(&self) -> Result<Vec<u8>, String> {
        Ok(match self {
            OpenFormat::Csv(_) => csv_head(&super::model::columns())?,
            OpenFormat::Json(_) => b"[".to_vec(),
            OpenFormat::GeoJson(_) => br#"{"type":"FeatureCollection","features":["#.to_vec(),
        })
    }

    fn row(&self, buffer: &mut Vec<u8>, row: &ExportRow, first: bool) -> Result<(), String> {
        match self {
            OpenFormat::Csv(base) => {
                let cells = super::model::cells(row, base);
                return csv_row(buffer, cells.iter().map(String::as_str));
            }
            OpenFormat::Json(base) | OpenFormat::GeoJson(base) => {
                if !first {
                    buffer.push(b',');
                }
                buffer.push(b'\n');
                let mut object = super::model::object(row, base);
                let value = if matches!(self, OpenFormat::Json(_)) {
                    serde_json::Value::Object(object)
                } else {
                    // RFC 7946: longitude first; `null` for an entry without a place.
                    let longitude = object.remove("longitude").unwrap_or_default();
                    let latitude = object.remove("latitude").unwrap_or_default();
                    let geometry = if longitude.is_number() && latitude.is_number() {
                        serde_json::json!({"type": "Point", "coordinates": [longitude, latitude]})
                    } else {
                        serde_json::Value::Null
                    };
                    serde_json::json!({"type": "Feature", "geometry": geometry, "properties": object})
                };
                serde_json::to_writer(&mut *buffer, &value).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    fn tail(&self) -> &'static [u8] {
        match self {
            OpenFormat::Csv(_) => b"",
            OpenFormat::Json(_) => b"]\n",
            OpenFormat::GeoJson(_) => b"]}\n",
        }
    }
}

fn live(state: AppState, format: OpenFormat, content_type: &str, extension: &str) -> Response {
    let body = stream_rows(state, SearchParams::default(), format);
    download(content_type, &format!("{FILE}.{extension}"), body)
}

/// `GET /donnees/annuaire-ess.csv`: every published entry, now.
pub async fn live_csv(State(state): State<AppState>) -> Response {
    let base = state.config.base_url.clone();
    live(
        state,
        OpenFormat::Csv(base),
        "text/csv; charset=utf-8",
        "csv",
    )
}

/// `GET /donnees/annuaire-ess.json`.
pub async fn live_json(State(state): State<AppState>) -> Response {
    let base = state.config.base_url.clone();
    live(state, OpenFormat::Json(base), "application/json", "json")
}

/// `GET /donnees/annuaire-ess.geojson`.
pub async fn live_geojson(State(state): State<AppState>) -> Response {
    let base = state.config.base_url.clone();
    live(
        state,
        OpenFormat::GeoJson(base),
        "application/geo+json",
        "geojson",
    )
}

/// `GET /donnees/schema-annuaire-ess.json`: the Table Schema the CSV follows.
pub async fn schema(State(state): State<AppState>) -> Response {
    let schema = super::model::table_schema(&state.config.base_url);
    let body = serde_json::to_string_pretty(&schema).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/schema+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// At most this many snapshots are read from the database at once (each is held in memory
/// while it is sent); the others wait their turn.
static SNAPSHOT_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// `GET /donnees/instantanes/annuaire-ess-AAAA-MM-JJ.csv`: a day's snapshot, gzip-compressed
/// as kept for a client that accepts it, else as plain CSV. It never changes: cached a year.
pub async fn snapshot_file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Aucun instantané à cette date : la liste est sur /donnees.",
        )
            .into_response()
    };
    let day = name
        .strip_prefix(&format!("{FILE}-"))
        .and_then(|rest| rest.strip_suffix(".csv"))
        .filter(|day| crate::timestamp::parse_date(day).is_some() && day.len() == 10);
    let Some(day) = day else {
        return not_found();
    };
    let Ok(_turn) = SNAPSHOT_READS.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let (info, gzip) = match super::db::snapshot(&state.db, day).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "open data: snapshot not read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let accepts_gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        });
    let etag = format!("\"{}\"", info.sha256);
    let common = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
        (
            header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_owned(),
        ),
        (header::ETAG, etag),
        (header::VARY, "Accept-Encoding".to_owned()),
    ];
    if accepts_gzip {
        return (
            common,
            [(header::CONTENT_ENCODING, "gzip".to_owned())],
            gzip,
        )
            .into_response();
    }
    let plain = tokio::task::spawn_blocking(move || {
        let mut plain = Vec::with_capacity(usize::try_from(info.size).unwrap_or_default());
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut plain)
            .map(|_| plain)
    })
    .await;
    match plain {
        Ok(Ok(plain)) => (common, plain).into_response(),
        _ => {
            tracing::error!("open data: a snapshot could not be decompressed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What `/donnees` shows.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Dataset {
    published: i64,
    snapshots: Vec<SnapshotInfo>,
    base_url: String,
    today: String,
}

/// « 1,2 Mo », « 380 ko ».
fn size(bytes: i64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} Mo", bytes as f64 / 1e6).replace('.', ",")
    } else {
        format!("{} ko", (bytes + 999) / 1000)
    }
}

/// `/donnees`: the directory as open data.
#[component]
pub fn OpenDataPage() -> impl IntoView {
    let state = crate::state::app_state();
    let dataset = Resource::new_blocking(
        || (),
        move |()| {
            let state = state.clone();
            async move {
                let state = state?;
                Ok::<_, crate::error::AppError>(Dataset {
                    published: super::db::published(&state.db).await?,
                    snapshots: super::db::snapshots(&state.db).await?,
                    base_url: state.config.base_url.clone(),
                    today: crate::timestamp::Timestamp::now().iso_date(),
                })
            }
        },
    );
    view! {
        <Title text="Données ouvertes : l'annuaire de l'ESS" />
        <Description text="L'annuaire des structures de l'ESS du territoire en données ouvertes, sous Licence Ouverte 2.0 : CSV, JSON et GeoJSON, schéma de données et instantanés quotidiens." />
        <h1>"Données ouvertes : l'annuaire de l'ESS"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match dataset.await {
                    Ok(dataset) => view! { <DatasetView dataset /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org `Dataset` for search engines and data catalogues.
fn dataset_json_ld(dataset: &Dataset) -> String {
    let base = &dataset.base_url;
    let modified = dataset
        .snapshots
        .first()
        .map_or(dataset.today.as_str(), |s| s.day.as_str());
    let download = |format: &str, extension: &str| {
        serde_json::json!({
            "@type": "DataDownload",
            "encodingFormat": format,
            "contentUrl": format!("{base}/donnees/{FILE}.{extension}"),
        })
    };
    json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": TITLE,
        "description": "Les structures de l'économie sociale et solidaire (associations, coopératives, structures d'insertion, mutuelles, fondations) publiées dans l'annuaire du portail : nom, forme juridique, secteurs, commune, adresse, position, effectif. Une ligne par structure, mise à jour en continu, instantané quotidien daté.",
        "url": format!("{base}/donnees"),
        "license": LICENCE_URL,
        "isAccessibleForFree": true,
        "inLanguage": "fr",
        "keywords": ["économie sociale et solidaire", "ESS", "annuaire", "associations", "coopératives", "insertion"],
        "creator": {"@type": "Organization", "name": "DESSINE", "url": base},
        "dateModified": modified,
        "spatialCoverage": {"@type": "Place", "name": "Nord et Pas-de-Calais (Dunkerquois, Artois)"},
        "variableMeasured": FIELDS.iter().map(|f| f.title).collect::<Vec<_>>(),
        "distribution": [
            download("text/csv", "csv"),
            download("application/json", "json"),
            download("application/geo+json", "geojson"),
        ],
    }))
}

#[component]
fn DatasetView(dataset: Dataset) -> impl IntoView {
    let json_ld = dataset_json_ld(&dataset);
    let fields = FIELDS
        .iter()
        .map(|f| {
            view! {
                <tr>
                    <th scope="row"><code>{f.name}</code></th>
                    <td>{kind_label(f.kind)}{f.required.then_some(", toujours rempli")}</td>
                    <td>{f.description}</td>
                    <td>{(!f.example.is_empty()).then(|| view! { <code>{f.example}</code> })}</td>
                </tr>
            }
        })
        .collect_view();
    let snapshots = dataset
        .snapshots
        .iter()
        .map(|s| {
            let file = format!("{FILE}-{}.csv", s.day);
            let date = crate::timestamp::french_day(&s.day);
            view! {
                <tr>
                    <th scope="row"><a href=format!("/donnees/instantanes/{file}")>{date}</a></th>
                    <td>{group_thousands(s.row_count)}</td>
                    <td>{size(s.size)}</td>
                    <td><code class="hash">{s.sha256.clone()}</code></td>
                </tr>
            }
        })
        .collect_view();
    let no_snapshot = dataset.snapshots.is_empty();
    let count = format!(
        "{} structures publiées aujourd'hui.",
        group_thousands(dataset.published)
    );
    view! {
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json_ld></script>
        <p class="lead">"L'annuaire des structures de l'économie sociale et solidaire du territoire, en fichiers que chacun peut réutiliser librement : une ligne par structure publiée. "{count}</p>
        <dl class="facts">
            <dt>"Licence"</dt>
            <dd><a href=LICENCE_URL>{LICENCE_NAME}</a>" : réutilisation libre, y compris commerciale, en citant la source (« Annuaire DESSINE de l'ESS ») et la date des données."</dd>
            <dt>"Mise à jour"</dt>
            <dd>"En continu pour les fichiers du jour ; un instantané daté est écrit chaque jour et gardé 31 jours."</dd>
            <dt>"Producteur"</dt>
            <dd>"Les réseaux de l'ESS du territoire, avec les structures elles-mêmes : chaque fiche est tenue par sa structure ou vérifiée par la modération."</dd>
            <dt>"Données personnelles"</dt>
            <dd>"Aucune : les fichiers décrivent des structures. L'e-mail et le téléphone de contact des fiches, qui peuvent être ceux d'une personne, n'y figurent pas."</dd>
        </dl>
        <h2>"Télécharger"</h2>
        <ul class="downloads">
            <li><a href=format!("/donnees/{FILE}.csv")>"L'annuaire en CSV"</a>" (UTF-8, séparateur virgule ; les listes sont séparées par « ; »)"</li>
            <li><a href=format!("/donnees/{FILE}.json")>"L'annuaire en JSON"</a>" (un tableau d'objets, les mêmes noms de champs)"</li>
            <li><a href=format!("/donnees/{FILE}.geojson")>"L'annuaire en GeoJSON"</a>" (une entité Point par structure, en WGS 84)"</li>
            <li><a href=format!("/donnees/schema-{FILE}.json")>"Le schéma des données"</a>" (Table Schema, JSON), que le CSV respecte"</li>
        </ul>
        <p>"Une cellule de texte qui commencerait par =, +, - ou @ est précédée d'une apostrophe, pour qu'un tableur ne la prenne pas pour une formule."</p>
        <h2>"Les champs"</h2>
        <p>"Les noms de colonnes sont stables : un champ nouveau s'ajoute à la fin, aucun n'est renommé. Une valeur absente est une cellule vide (en JSON : null)."</p>
        <div class="table-scroll" role="region" tabindex="0" aria-label="Les champs du jeu de données">
            <table>
                <thead><tr><th scope="col">"Champ"</th><th scope="col">"Type"</th><th scope="col">"Signification"</th><th scope="col">"Exemple"</th></tr></thead>
                <tbody>{fields}</tbody>
            </table>
        </div>
        <h2>"Instantanés quotidiens"</h2>
        <p>"Chaque jour, le CSV de l'annuaire tel qu'il était ce jour-là. Un instantané ne change plus : pour tenir un miroir, téléchargez celui du jour et vérifiez son empreinte SHA-256."</p>
        {if no_snapshot {
            view! { <p>"Le premier instantané sera écrit dans les prochaines minutes."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" tabindex="0" aria-label="Les instantanés quotidiens">
                    <table>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Structures"</th><th scope="col">"Taille"</th><th scope="col">"Empreinte SHA-256"</th></tr></thead>
                        <tbody>{snapshots}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p>"Les chiffres de l'ESS du territoire, en graphiques : "<a href="/observatoire">"l'observatoire"</a>"."</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_french() {
        assert_eq!(size(380_200), "381 ko");
        assert_eq!(size(12_345_678), "12,3 Mo");
    }
}
