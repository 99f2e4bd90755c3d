use leptos::prelude::*;

use super::{SearchParams, SearchResults, StructureDetail};
use crate::error::AppError;

/// Searches the published structures: one page of results, the total and the facet counts.
#[server(endpoint = "annuaire/recherche")]
pub async fn search_directory(params: SearchParams) -> Result<SearchResults, AppError> {
    // Public data: the directory is open to every visitor.
    let state = crate::state::app_state()?;
    super::index::search(&state, &params.bounded()).await
}

/// Everything public about one published structure.
#[server(endpoint = "annuaire/fiche")]
pub async fn load_structure_detail(slug: String) -> Result<StructureDetail, AppError> {
    // Public data; drafts are not found.
    let state = crate::state::app_state()?;
    super::db::find_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)
}
