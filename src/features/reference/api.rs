use leptos::prelude::*;

use super::ReferenceOverview;
use crate::error::AppError;

/// The sectors and territories the portal covers, for the home page.
#[server(endpoint = "reference/overview")]
pub async fn load_reference_overview() -> Result<ReferenceOverview, AppError> {
    // Public data: no authorisation needed.
    let state = crate::state::app_state()?;
    Ok(super::db::overview(&state.db).await?)
}
