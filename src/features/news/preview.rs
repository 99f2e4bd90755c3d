//! The Markdown preview of the editors' forms: as they type (an island posts here) and with
//! the « Prévisualiser » button without JavaScript.

/// The page address of the « Prévisualiser » button without JavaScript (its form's
/// `formaction`), declared once for the route and the buttons.
pub const PREVIEW_PATH: &str = "/redaction/apercu";

use crate::error::AppError;
use crate::features::news::articles::MAX_BODY_CHARS;
use crate::features::news::rights::require_editor;
use crate::ui::markdown_field::PREVIEW_FIELD;
use leptos::prelude::*;

/// The cleaned HTML of Markdown being typed, for the editor's preview.
#[server(endpoint = "redaction/apercu")]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    require_editor()?;
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::validation(
            "body",
            "Le texte ne doit pas dépasser 60 000 caractères.",
        ));
    }
    if crate::markdown::too_large(&body) {
        return Err(AppError::validation(
            "body",
            crate::features::news::articles::TOO_LARGE,
        ));
    }
    Ok(crate::markdown::to_safe_html(&body))
}

/// `POST /redaction/apercu` without JavaScript: the editor's page again, with what was typed
/// and its preview under the form (nothing is saved). The form says which page it lives on
/// (`retour`, a path under `/redaction/`).
pub async fn preview_form(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return AppError::form("Le formulaire envoyé est trop long.").into_response();
    };
    let fields: Vec<(String, String)> = serde_html_form::from_bytes(&bytes).unwrap_or_default();
    let fields = crate::web::forms::FormFields(fields);
    let back = fields.get("retour").to_owned();
    let allowed = back.starts_with("/redaction/")
        && crate::ui::href::is_local_path(&back)
        && !back.contains("/apercu");
    let check =
        crate::web::forms::in_request_context(&state, &parts, async { require_editor() }).await;
    match check {
        Err(AppError::Unauthorized) => crate::web::respond::login_first("/redaction"),
        Err(error) => error.into_response(),
        Ok(_) if !allowed => AppError::NotFound.into_response(),
        Ok(_) => {
            let mut values = fields.replayable();
            values.push((PREVIEW_FIELD.to_owned(), "1".to_owned()));
            let outcome = crate::ui::form::FormOutcome {
                values,
                errors: Vec::new(),
            };
            crate::web::replay::render_page(
                &state,
                &parts,
                &back,
                outcome,
                axum::http::StatusCode::OK,
            )
            .await
        }
    }
}
