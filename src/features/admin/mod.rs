//! Site administration in the page: `/admin/utilisateurs` lists and searches the users, shows
//! their entries, makes or unmakes site admins, disables accounts, and approves requests to
//! manage entries.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod views;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub verified: bool,
    /// Names of the entries the user manages.
    pub structures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRequest {
    pub id: i64,
    pub requester: String,
    pub structure_slug: String,
    pub structure_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<UserSummary>,
    pub requests: Vec<PendingRequest>,
    /// The admin looking, who cannot demote or disable themself.
    pub me: i64,
}
