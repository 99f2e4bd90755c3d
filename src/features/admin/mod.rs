//! Site administration in the page: `/admin/utilisateurs` lists and searches the users, shows
//! their entries, makes or unmakes site admins, disables accounts, and approves requests to
//! manage entries.

pub mod api;
pub mod db;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::features::accounts::SiteRole;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: SiteRole,
    pub disabled: bool,
    pub verified: bool,
    /// Runs the « démarche progrès » cohorts.
    pub label_referent: bool,
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

/// Whether an account may log in (the button's value on the admin page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    #[serde(rename = "actif")]
    Active,
    #[serde(rename = "desactive")]
    Disabled,
}

impl AccountStatus {
    /// The value a form sends for this status (as its serde name).
    pub fn form_value(self) -> &'static str {
        match self {
            AccountStatus::Active => "actif",
            AccountStatus::Disabled => "desactive",
        }
    }
}

/// The admin page's form posts (without JavaScript).
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes};
    fn users_page(_: &str, _: &FormFields) -> String {
        "/admin/utilisateurs".to_owned()
    }
    Routes::new()
        .form::<api::SetRole>(users_page)
        .form::<api::SetAccountStatus>(users_page)
        .form::<api::SetLabelReferent>(users_page)
}

#[cfg(test)]
mod tests {
    use super::AccountStatus;
    use crate::features::accounts::SiteRole;

    /// The values the buttons send are the ones the server functions read.
    #[test]
    fn form_values_are_the_serde_names() {
        for role in [SiteRole::Member, SiteRole::Admin, SiteRole::Editor] {
            let json = format!("\"{}\"", role.form_value());
            assert_eq!(serde_json::from_str::<SiteRole>(&json).unwrap(), role);
        }
        for status in [AccountStatus::Active, AccountStatus::Disabled] {
            let json = format!("\"{}\"", status.form_value());
            assert_eq!(
                serde_json::from_str::<AccountStatus>(&json).unwrap(),
                status
            );
        }
    }
}
