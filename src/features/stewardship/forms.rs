//! The management forms' POST handlers (work without JavaScript).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, StatusCode};
use axum::response::Response;

use super::EntryEdit;
use crate::features::accounts::auth::AuthSession;
use crate::features::accounts::policy::{Action, may};
use crate::server::respond::{
    failure, forbidden, is_local_path, login_first, not_found, see_other,
};
use crate::state::AppState;
use crate::ui::form::FormOutcome;

/// `POST /annuaire/{slug}/gerer`: a member asks to manage the entry.
pub async fn request_management(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Response {
    let back = format!("/annuaire/{slug}");
    let Some(user) = auth.user.map(|u| u.current) else {
        return login_first(&back);
    };
    if !may(Some(&user), Action::ManageOwnAccount) {
        return login_first(&back);
    }
    let structure_id = match super::db::structure_id(&state.db, &slug).await {
        Ok(Some(id)) => id,
        Ok(None) => return not_found(),
        Err(error) => return failure(error),
    };
    if may(Some(&user), Action::EditStructure(structure_id)) {
        return see_other(&back);
    }
    match super::db::request_management(&state.db, user.id, structure_id).await {
        Ok(_) => see_other(&format!("{back}?message=demande-envoyee")),
        Err(error) => failure(error),
    }
}

/// `POST /gestion/demandes/{id}` with `decision` = `approuver` or `refuser`: a site admin or a
/// manager of the entry decides. Back to `retour` (a local path).
pub async fn decide_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(request_id): Path<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let back = fields
        .get("retour")
        .filter(|r| is_local_path(r))
        .cloned()
        .unwrap_or_else(|| "/compte".to_owned());
    let Some(user) = auth.user.map(|u| u.current) else {
        return login_first(&back);
    };
    let structure_id = match super::db::pending_request(&state.db, request_id).await {
        Ok(Some((structure_id, _))) => structure_id,
        Ok(None) => return see_other(&back),
        Err(error) => return failure(error),
    };
    if !may(Some(&user), Action::ApproveManager(structure_id)) {
        return forbidden();
    }
    let approve = fields.get("decision").map(String::as_str) == Some("approuver");
    match super::db::decide(&state.db, request_id, approve, user.id).await {
        Ok(_) => {
            let separator = if back.contains('?') { '&' } else { '?' };
            let code = if approve {
                "demande-approuvee"
            } else {
                "demande-refusee"
            };
            see_other(&format!("{back}{separator}message={code}"))
        }
        Err(error) => failure(error),
    }
}

/// `POST /annuaire/{slug}/modifier`: saves the entry, or shows the form again with the errors.
pub async fn save_entry(
    State(state): State<AppState>,
    extensions: Extensions,
    auth: AuthSession,
    Path(slug): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let page = format!("/annuaire/{slug}/modifier");
    let Some(user) = auth.user.map(|u| u.current) else {
        return login_first(&page);
    };
    let structure_id = match super::db::structure_id(&state.db, &slug).await {
        Ok(Some(id)) => id,
        Ok(None) => return not_found(),
        Err(error) => return failure(error),
    };
    if !may(Some(&user), Action::EditStructure(structure_id)) {
        return forbidden();
    }
    let get = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let edit = EntryEdit {
        name: get("name"),
        description: get("description"),
        offer: get("offer"),
        address: get("address"),
        postal_code: get("postal_code"),
        email: get("email"),
        phone: get("phone"),
        website: get("website"),
    };
    match edit.clone().validated() {
        Ok(edit) => match super::db::save_entry(&state.db, structure_id, &edit).await {
            Ok(()) => {
                state.directory_cache.clear();
                see_other(&format!("/annuaire/{slug}?message=fiche-enregistree"))
            }
            Err(error) => failure(error),
        },
        Err(errors) => {
            let outcome = FormOutcome {
                values: fields.into_iter().collect(),
                errors,
            };
            crate::server::render_page(
                &state,
                &extensions,
                &page,
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
