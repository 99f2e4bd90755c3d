//! Imports in the page (`/admin/import`, site admins): a file is uploaded, the dry run's report
//! is shown with the file kept in the database, and one button applies it — on any app server,
//! without a second upload. Applying runs in the background (a big file takes longer than a
//! page may): the page says so until the report is there. Two admins pressing the button at
//! once: one import runs, the other is told.

use crate::error::AppError;
use crate::features::moderation::{ImportView, MODERATION_NOTICES};
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The upload form's address.
pub const IMPORT_PATH: &str = "/admin/import";
/// Largest upload (both SIRENE files together).
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// What is kept of a report: its summary and lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReport {
    pub summary: String,
    pub lines: Vec<String>,
}

mod run {
    use super::*;
    use crate::db::Db;
    use crate::features::moderation::{import, sirene};
    use std::sync::Arc;

    /// What an upload asks.
    pub enum Request {
        Structures(Vec<u8>),
        Sirene {
            units: Vec<u8>,
            establishments: Vec<u8>,
            departements: String,
        },
    }

    /// Runs the import (dry or applied), its report in French.
    pub async fn report(
        db: &Db,
        kind: &str,
        first: Arc<Vec<u8>>,
        second: Option<Arc<Vec<u8>>>,
        departements: &str,
        apply: bool,
    ) -> Result<StoredReport, String> {
        match (kind, second) {
            ("sirene", Some(second)) => {
                let report = sirene::import(
                    db,
                    sirene::Source::Bytes(first),
                    sirene::Source::Bytes(second),
                    sirene::Options {
                        departements: departements.split(',').map(str::to_owned).collect(),
                        apply,
                    },
                )
                .await?;
                let mut lines = report.notes.clone();
                if report.notes_left_out > 0 {
                    lines.push(format!(
                        "… et {} autres lignes du même genre.",
                        report.notes_left_out
                    ));
                }
                Ok(StoredReport {
                    summary: report.summary(),
                    lines,
                })
            }
            _ => {
                let report = import::import(db, &first, apply).await?;
                Ok(StoredReport {
                    summary: report.summary(),
                    lines: report
                        .lines
                        .iter()
                        .map(|(line, outcome)| format!("ligne {line} : {}", outcome.describe()))
                        .collect(),
                })
            }
        }
    }

    /// Dry-runs the upload and keeps it; the new import's id. Uploads older than a day go.
    pub async fn start(db: &Db, user: i64, name: &str, request: Request) -> Result<i64, AppError> {
        let (kind, first, second, departements) = match request {
            Request::Structures(bytes) => ("structures", bytes, None, String::new()),
            Request::Sirene {
                units,
                establishments,
                departements,
            } => ("sirene", units, Some(establishments), departements),
        };
        // Shared by the dry run and the row that keeps them: the files are not copied.
        let (first, second) = (Arc::new(first), second.map(Arc::new));
        let dry = report(
            db,
            kind,
            Arc::clone(&first),
            second.clone(),
            &departements,
            false,
        )
        .await
        .map_err(AppError::form)?;
        let now = crate::timestamp::Timestamp::now();
        sqlx::query("DELETE FROM imports WHERE created_at < $1")
            .bind(now.plus(-time::Duration::DAY))
            .execute(&db.pool)
            .await?;
        let id = sqlx::query_scalar(
            "INSERT INTO imports (kind, file_name, first_file, second_file, departements, report, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(kind)
        .bind(name)
        .bind(first.as_slice())
        .bind(second.as_deref().map(Vec::as_slice))
        .bind(departements)
        .bind(serde_json::to_string(&dry).unwrap_or_default())
        .bind(user)
        .bind(now)
        .fetch_one(&db.pool)
        .await?;
        Ok(id)
    }
}

/// Whether the visitor may import (the upload page's check: site admins only).
#[server(endpoint = "admin/import/acces")]
pub async fn import_access() -> Result<(), AppError> {
    crate::features::moderation::rights::require_admin()?;
    Ok(())
}

/// The import's report page.
#[server(endpoint = "admin/import")]
pub async fn load_import(id: i64) -> Result<ImportView, AppError> {
    crate::features::moderation::rights::require_admin()?;
    let state = crate::state::app_state()?;
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<crate::timestamp::Timestamp>,
    );
    let (kind, file_name, departements, report, applied, applied_at): Row = sqlx::query_as(
        "SELECT kind, file_name, departements, report, applied_report, applied_at FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let parse = |text: &str| serde_json::from_str::<StoredReport>(text).unwrap_or_default();
    Ok(ImportView {
        id,
        sirene: kind == "sirene",
        file_name,
        departements,
        dry_run: parse(&report),
        applied: applied.as_deref().map(parse),
        running: applied_at.is_some() && applied.is_none(),
    })
}

/// Applies a dry-run import (once): in the background, the page shows the report when done.
#[server(endpoint = "admin/import/appliquer")]
pub async fn apply_import(id: i64) -> Result<Done, AppError> {
    crate::features::moderation::rights::require_admin()?;
    let state = crate::state::app_state()?;
    let claimed =
        sqlx::query("UPDATE imports SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
            .bind(crate::timestamp::Timestamp::now())
            .bind(id)
            .execute(&state.db.pool)
            .await?
            .rows_affected();
    if claimed == 0 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM imports WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?;
        return match exists {
            None => Err(AppError::NotFound),
            Some(_) => Ok(Done::notice(
                &format!("{IMPORT_PATH}/{id}"),
                "import-deja-applique",
                MODERATION_NOTICES,
            )),
        };
    }
    type Files = (String, Vec<u8>, Option<Vec<u8>>, String);
    let (kind, first, second, departements): Files = sqlx::query_as(
        "SELECT kind, first_file, second_file, departements FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&state.db.pool)
    .await?;
    let background = state.clone();
    tokio::spawn(async move {
        let (first, second) = (std::sync::Arc::new(first), second.map(std::sync::Arc::new));
        let report = run::report(&background.db, &kind, first, second, &departements, true)
            .await
            .unwrap_or_else(|why| StoredReport {
                summary: why,
                lines: Vec::new(),
            });
        let _ = background.db.analyze().await;
        crate::features::directory::index::changed(&background).await;
        if let Err(error) = sqlx::query(
            "UPDATE imports SET applied_report = $1, first_file = $2, second_file = NULL WHERE id = $3",
        )
        .bind(serde_json::to_string(&report).unwrap_or_default())
        .bind(Vec::<u8>::new())
        .bind(id)
        .execute(&background.db.pool)
        .await
        {
            tracing::error!(%error, id, "cannot store an import's report");
        }
    });
    Ok(Done::notice(
        &format!("{IMPORT_PATH}/{id}"),
        "import-lance",
        MODERATION_NOTICES,
    ))
}

crate::form_path!(ApplyImport => "/admin/import/{id}/appliquer");

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    kind: String,
    files: Vec<(String, String, Vec<u8>)>,
    departements: String,
    too_big: bool,
}

async fn read_upload(mut multipart: axum::extract::Multipart) -> Result<Upload, AppError> {
    let malformed = || AppError::form("Le formulaire envoyé est incomplet ou mal formé.");
    let mut upload = Upload::default();
    let mut total = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| malformed())? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "fichier" | "unites" | "etablissements" => {
                let file_name = crate::text::check::one_line(field.file_name().unwrap_or_default())
                    .chars()
                    .take(200)
                    .collect();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
                    total += chunk.len();
                    if total > MAX_UPLOAD_BYTES {
                        upload.too_big = true;
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                upload.files.push((name, file_name, bytes));
            }
            "type" => upload.kind = field.text().await.map_err(|_| malformed())?,
            "departements" => upload.departements = field.text().await.map_err(|_| malformed())?,
            _ => {}
        }
    }
    Ok(upload)
}

/// Checks the upload, dry-runs it and keeps it; where the report is.
async fn start_upload(
    state: &crate::state::AppState,
    user: i64,
    upload: Upload,
) -> Result<Done, AppError> {
    if upload.too_big {
        return Err(AppError::validation(
            "fichier",
            "Les fichiers dépassent 50 Mo ensemble : découpez-les, ou utilisez la commande « dessine import ».",
        ));
    }
    let file = |field: &str| {
        upload
            .files
            .iter()
            .find(|(name, _, bytes)| name == field && !bytes.is_empty())
            .map(|(_, file_name, bytes)| (file_name.clone(), bytes.clone()))
    };
    let (name, request) = if upload.kind == "sirene" {
        let mut errors = crate::error::FieldErrors::default();
        let units = file("unites");
        let establishments = file("etablissements");
        if units.is_none() {
            errors.add(
                "unites",
                "Choisissez le fichier des unités légales (StockUniteLegale).",
            );
        }
        if establishments.is_none() {
            errors.add(
                "etablissements",
                "Choisissez le fichier des établissements (StockEtablissement).",
            );
        }
        let (Some(units), Some(establishments)) = errors.finish((units, establishments))? else {
            return Err(AppError::Internal);
        };
        (
            format!("{} + {}", units.0, establishments.0),
            run::Request::Sirene {
                units: units.1,
                establishments: establishments.1,
                departements: upload.departements,
            },
        )
    } else {
        let Some((name, bytes)) = file("fichier") else {
            return Err(AppError::validation(
                "fichier",
                "Choisissez le fichier CSV de l'annuaire à importer.",
            ));
        };
        (name, run::Request::Structures(bytes))
    };
    let id = run::start(&state.db, user, &name, request).await?;
    Ok(Done::go(&format!("{IMPORT_PATH}/{id}")))
}

/// `POST /admin/import` (multipart): the import forms, with or without JavaScript.
pub async fn upload(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::extract::FromRequest;
    let (parts, body) = request.into_parts();
    let multipart = axum::extract::Multipart::from_request(
        axum::extract::Request::from_parts(parts.clone(), body),
        &state,
    )
    .await;
    let result = match multipart {
        Ok(multipart) => {
            let context_state = state.clone();
            crate::web::forms::in_request_context(&state, &parts, async move {
                let user = crate::features::moderation::rights::require_admin()?;
                let upload = read_upload(multipart).await?;
                start_upload(&context_state, user.id, upload).await
            })
            .await
        }
        Err(_) => Err(AppError::form(
            "Le formulaire envoyé est incomplet ou mal formé.",
        )),
    };
    crate::web::forms::answer(&state, &parts, IMPORT_PATH, Vec::new(), result).await
}
