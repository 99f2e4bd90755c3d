//! Server functions of the accounts feature.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What « Mon compte » shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountData {
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    /// (slug, name) of the directory entries the member manages.
    pub structures: Vec<(String, String)>,
}

/// The logged-in member's own account.
#[server(endpoint = "compte")]
pub async fn load_account() -> Result<AccountData, AppError> {
    use super::policy::{Action, may};
    let user = super::auth::current_user();
    let Some(user) = user.filter(|user| may(Some(user), Action::ManageOwnAccount)) else {
        return Err(AppError::Unauthorized.respond());
    };
    let state = crate::state::app_state()?;
    let structures = super::db::managed_structures(&state.db, user.id)
        .await?
        .into_iter()
        .map(|(_, slug, name)| (slug, name))
        .collect();
    Ok(AccountData {
        name: user.name,
        email: user.email,
        is_admin: user.is_admin,
        structures,
    })
}
