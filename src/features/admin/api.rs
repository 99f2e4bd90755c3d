//! Server functions of the admin pages; each asks the policy first.

use leptos::prelude::*;

use super::UsersPage;
use crate::error::AppError;

/// Users matching `q` and the pending requests to manage entries (site admins only).
#[server(endpoint = "admin/utilisateurs")]
pub async fn load_users(q: String) -> Result<UsersPage, AppError> {
    use crate::features::accounts::policy::{Action, may};
    let user = crate::features::accounts::auth::current_user();
    if user.is_none() {
        return Err(AppError::Unauthorized.respond());
    }
    let Some(me) = user.filter(|u| may(Some(u), Action::AdministerUsers)) else {
        return Err(AppError::Forbidden.respond());
    };
    let state = crate::state::app_state()?;
    let users = super::db::search_users(&state.db, &q).await?;
    let requests = crate::features::stewardship::db::all_pending_requests(&state.db)
        .await?
        .into_iter()
        .map(|(request, slug, name)| super::PendingRequest {
            id: request.id,
            requester: format!("{} ({})", request.name, request.email),
            structure_slug: slug,
            structure_name: name,
        })
        .collect();
    Ok(UsersPage {
        users,
        requests,
        me: me.id,
    })
}
