//! `GET /annuaire.csv`, `GET /annuaire.json` and `GET /annuaire.geojson`: every published
//! structure matching the same filters as the search page, streamed in batches so that memory
//! stays flat whatever the size. The GeoJSON (RFC 7946) is a `FeatureCollection`: a point per
//! structure (longitude, latitude, in that order), `null` geometry for one without coordinates.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::SearchParams;
use super::db::{ExportQuery, ExportRow};
use crate::spreadsheet::formula_safe;
use crate::state::AppState;

const BATCH: usize = 500;
/// How long a client may leave an export unread before it is dropped.
const STALLED: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Json,
    GeoJson,
}

pub async fn export_csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    export(state, query, Format::Csv)
}

pub async fn export_json(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    export(state, query, Format::Json)
}

pub async fn export_geojson(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    export(state, query, Format::GeoJson)
}

const COLUMNS: &[&str] = &[
    "identifiant",
    "nom",
    "sigle",
    "siret",
    "forme_juridique",
    "type_siae",
    "secteurs",
    "commune",
    "code_postal",
    "intercommunalite",
    "departement",
    "adresse",
    "latitude",
    "longitude",
    "courriel",
    "telephone",
    "site_web",
    "effectif",
    "annee_creation",
    "offre",
    "description",
    "mise_a_jour",
];

fn export(state: AppState, query: Option<String>, format: Format) -> Response {
    let pairs = crate::ui::href::decode_query(&query.unwrap_or_default());
    let params = SearchParams::from_decoded(&pairs);
    let (content_type, file) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "annuaire-ess.csv"),
        Format::Json => ("application/json", "annuaire-ess.json"),
        Format::GeoJson => ("application/geo+json", "annuaire-ess.geojson"),
    };
    download(content_type, file, stream_rows(state, params, format))
}

/// A download's answer: its type, the file name a browser saves it as, and its body.
pub fn download(content_type: &str, file: &str, body: Body) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// How a download writes the entries: its first bytes, each row, its last bytes. A failure is
/// returned, never dropped (the download then ends in an error, not in a truncated file that
/// looks whole).
pub trait RowWriter: Send + 'static {
    fn head(&self) -> Result<Vec<u8>, String>;
    fn row(&self, buffer: &mut Vec<u8>, row: &ExportRow, first: bool) -> Result<(), String>;
    fn tail(&self) -> &'static [u8];
}

/// The CSV's first bytes: the byte-order mark (Excel then reads the file as UTF-8, accents
/// intact) and the header line.
pub fn csv_head(columns: &[&str]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(columns).map_err(|e| e.to_string())?;
    writer.into_inner().map_err(|e| e.to_string())
}

/// One CSV line appended to `buffer`.
pub fn csv_row<'a>(
    buffer: &mut Vec<u8>,
    cells: impl IntoIterator<Item = &'a str>,
) -> Result<(), String> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(std::mem::take(buffer));
    writer
        .write_record(
            cells
                .into_iter()
                .map(|cell| formula_safe(cell).into_owned()),
        )
        .map_err(|e| e.to_string())?;
    *buffer = writer.into_inner().map_err(|e| e.to_string())?;
    Ok(())
}

/// Every published entry matching `params`, in name order, written by `writer` and streamed
/// in batches so that memory stays flat whatever the size.
pub fn stream_rows(state: AppState, params: SearchParams, writer: impl RowWriter) -> Body {
    let (sender, receiver) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        let head = match writer.head() {
            Ok(head) => head,
            Err(error) => {
                tracing::error!(%error, "export header could not be written");
                return;
            }
        };
        if sender.send(Ok(head)).await.is_err() {
            return;
        }
        let mut query = ExportQuery::new(super::queries::matching_ids(&state, &params).await);
        let mut first = true;
        let mut buffer = Vec::new();
        loop {
            let rows = match query.next_batch(&state.db, BATCH).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(%error, "export failed midway");
                    let _ = sender
                        .send(Err(std::io::Error::other("export interrompu")))
                        .await;
                    return;
                }
            };
            let done = query.is_done();
            for row in &rows {
                if let Err(error) = writer.row(&mut buffer, row, first) {
                    tracing::error!(%error, "export row could not be written");
                    let _ = sender
                        .send(Err(std::io::Error::other("export interrompu")))
                        .await;
                    return;
                }
                first = false;
            }
            if done {
                break;
            }
            // A client that stops reading is let go after 30 s; it holds no database
            // connection meanwhile (each batch is its own short query).
            match tokio::time::timeout(STALLED, sender.send(Ok(std::mem::take(&mut buffer)))).await
            {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return, // the client went away
                Err(_) => {
                    tracing::info!("export abandoned: the client stopped reading");
                    return;
                }
            }
        }
        buffer.extend_from_slice(writer.tail());
        let _ = sender.send(Ok(buffer)).await;
    });
    let stream = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    Body::from_stream(stream)
}

impl RowWriter for Format {
    fn head(&self) -> Result<Vec<u8>, String> {
        Ok(match self {
            Format::Csv => csv_head(COLUMNS)?,
            Format::Json => b"[".to_vec(),
            Format::GeoJson => br#"{"type":"FeatureCollection","features":["#.to_vec(),
        })
    }

    fn row(&self, buffer: &mut Vec<u8>, row: &ExportRow, first: bool) -> Result<(), String> {
        write_row(buffer, row, *self, first)
    }

    fn tail(&self) -> &'static [u8] {
        match self {
            Format::Csv => b"",
            Format::Json => b"]\n",
            Format::GeoJson => b"]}\n",
        }
    }
}

/// Appends one row to `buffer`; a failure is returned, never dropped.
fn write_row(
    buffer: &mut Vec<u8>,
    row: &ExportRow,
    format: Format,
    first: bool,
) -> Result<(), String> {
    let number = |v: Option<f64>| v.map(|v| format!("{v:.5}")).unwrap_or_default();
    match format {
        Format::Csv => {
            let updated_at = row.updated_at.to_string();
            let year = row.year_founded.map(|y| y.to_string()).unwrap_or_default();
            let (latitude, longitude) = (number(row.latitude), number(row.longitude));
            csv_row(
                buffer,
                [
                    row.slug.as_str(),
                    &row.name,
                    &row.acronym,
                    row.siret.as_deref().unwrap_or_default(),
                    super::legal_form_label(&row.legal_form),
                    row.siae_kind.as_deref().unwrap_or_default(),
                    &row.sectors,
                    &row.commune,
                    &row.postal_code,
                    row.intercommunality.as_deref().unwrap_or_default(),
                    &row.departement,
                    &row.address,
                    &latitude,
                    &longitude,
                    &row.email,
                    &row.phone,
                    &row.website,
                    &row.staff_band,
                    &year,
                    &row.offer,
                    &row.description,
                    &updated_at,
                ],
            )?;
        }
        Format::Json => {
            if !first {
                buffer.push(b',');
            }
            buffer.push(b'\n');
            let value = serde_json::json!({
                "identifiant": row.slug, "nom": row.name, "sigle": row.acronym, "siret": row.siret,
                "forme_juridique": super::legal_form_label(&row.legal_form), "type_siae": row.siae_kind,
                "secteurs": row.sectors.split(" ; ").filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                "commune": row.commune, "code_postal": row.postal_code, "intercommunalite": row.intercommunality,
                "departement": row.departement, "adresse": row.address, "latitude": row.latitude,
                "longitude": row.longitude, "courriel": row.email, "telephone": row.phone, "site_web": row.website,
                "effectif": row.staff_band, "annee_creation": row.year_founded, "offre": row.offer,
                "description": row.description, "mise_a_jour": row.updated_at,
                "url": format!("/annuaire/{}", row.slug),
            });
            serde_json::to_writer(&mut *buffer, &value).map_err(|e| e.to_string())?;
        }
        Format::GeoJson => {
            if !first {
                buffer.push(b',');
            }
            buffer.push(b'\n');
            // Five decimals: about a metre, all a commune-level position holds.
            let round = |v: f64| (v * 1e5).round() / 1e5;
            let geometry = match (row.longitude, row.latitude) {
                (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => serde_json::json!({
                    "type": "Point", "coordinates": [round(lon), round(lat)],
                }),
                _ => serde_json::Value::Null,
            };
            let value = serde_json::json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "identifiant": row.slug, "nom": row.name, "sigle": row.acronym,
                    "forme_juridique": super::legal_form_label(&row.legal_form),
                    "secteurs": row.sectors.split(" ; ").filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                    "commune": row.commune, "url": format!("/annuaire/{}", row.slug),
                },
            });
            serde_json::to_writer(&mut *buffer, &value).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
