use leptos::prelude::*;

use super::{SearchParams, SearchResults, StructureDetail};
use crate::error::AppError;

/// Searches the published structures: one page of results, the total and the facet counts.
#[server(endpoint = "annuaire/recherche")]
pub async fn search_directory(params: SearchParams) -> Result<SearchResults, AppError> {
    // Public data: the directory is open to every visitor.
    let state = crate::state::app_state()?;
    super::queries::search(&state, &params.bounded()).await
}

/// Everything public about one published structure.
#[server(endpoint = "annuaire/fiche")]
pub async fn load_structure_detail(slug: String) -> Result<StructureDetail, AppError> {
    // Public data; drafts are not found.
    let state = crate::state::app_state()?;
    if let Some(detail) = super::db::find_by_slug(&state.db, &slug).await? {
        return Ok(detail);
    }
    // The address of an entry merged into another: a permanent redirect to the kept one.
    let target = super::db::entry::redirect_target(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(response) = crate::state::request_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::MOVED_PERMANENTLY);
        if let Ok(location) = http::HeaderValue::from_str(&format!("/annuaire/{target}")) {
            response.insert_header(http::header::LOCATION, location);
        }
    }
    super::db::find_by_slug(&state.db, &target)
        .await?
        .ok_or(AppError::NotFound)
}
