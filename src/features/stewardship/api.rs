//! Server functions of entry management. Each asks the policy first.

use leptos::prelude::*;

use super::{EntryEdit, Stewardship};
use crate::error::AppError;

/// What the management box of `/annuaire/{slug}` shows to the person looking.
#[server(endpoint = "annuaire/gestion")]
pub async fn load_stewardship(slug: String) -> Result<Stewardship, AppError> {
    use crate::features::accounts::policy::{Action, may};
    let state = crate::state::app_state()?;
    let structure_id = super::db::structure_id(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    let user = crate::features::accounts::auth::current_user();
    Ok(match user {
        None => Stewardship::Visitor,
        Some(user) if may(Some(&user), Action::ApproveManager(structure_id)) => {
            Stewardship::Steward {
                requests: super::db::pending_requests(&state.db, structure_id).await?,
            }
        }
        Some(user) => Stewardship::Member {
            pending: super::db::has_pending_request(&state.db, user.id, structure_id).await?,
        },
    })
}

/// The editable fields of an entry, for its managers and the site admins.
#[server(endpoint = "annuaire/modifier/charger")]
pub async fn load_entry_for_edit(slug: String) -> Result<EntryEdit, AppError> {
    let (state, structure_id) = authorise_edit(&slug).await?;
    super::db::entry_for_edit(&state.db, structure_id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())
}

/// Saves an entry (in place, with JavaScript); the form handler does the same without it.
#[server(endpoint = "annuaire/modifier")]
pub async fn save_entry(slug: String, edit: EntryEdit) -> Result<(), AppError> {
    let (state, structure_id) = authorise_edit(&slug).await?;
    let edit = edit.validated().map_err(|errors| {
        let (field, message) = errors.into_iter().next().unwrap_or_default();
        AppError::Validation { field, message }.respond()
    })?;
    super::db::save_entry(&state.db, structure_id, &edit).await?;
    state.directory_cache.clear();
    Ok(())
}

/// The state and the entry's id when the current user may edit it; 401, 403 or 404 otherwise.
#[cfg(feature = "ssr")]
pub async fn authorise_edit(slug: &str) -> Result<(crate::state::AppState, i64), AppError> {
    use crate::features::accounts::policy::{Action, may};
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    if user.is_none() {
        return Err(AppError::Unauthorized.respond());
    }
    let structure_id = super::db::structure_id(&state.db, slug)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    if !may(user.as_ref(), Action::EditStructure(structure_id)) {
        return Err(AppError::Forbidden.respond());
    }
    Ok((state, structure_id))
}
