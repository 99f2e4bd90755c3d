//! Who is asking: the logged-in member as the pages and server functions see them, and the
//! site roles (mapped to their stored text here).

use crate::features::accounts::auth;
use serde::{Deserialize, Serialize};

/// The logged-in member as every page sees it. Rights that depend on data (managing an entry,
/// a club) are asked of their feature when needed, not loaded with every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: SiteRole,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == SiteRole::Admin
    }
}

/// A user's role on the whole site. Stored in `users.site_role` (0 member, 1 admin, 2 editor);
/// this is the one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    #[serde(rename = "membre")]
    Member,
    #[serde(rename = "admin")]
    Admin,
    /// Writes and publishes news and the information pages.
    #[serde(rename = "redaction")]
    Editor,
}

impl SiteRole {
    /// The value a form sends for this role (as its serde name).
    pub fn form_value(self) -> &'static str {
        match self {
            SiteRole::Member => "membre",
            SiteRole::Admin => "admin",
            SiteRole::Editor => "redaction",
        }
    }

    /// « Administrateur », « Rédacteur », « Membre ».
    pub fn label(self) -> &'static str {
        match self {
            SiteRole::Member => "Membre",
            SiteRole::Admin => "Administrateur",
            SiteRole::Editor => "Rédacteur",
        }
    }

    pub fn flag(self) -> i64 {
        match self {
            SiteRole::Member => 0,
            SiteRole::Admin => 1,
            SiteRole::Editor => 2,
        }
    }
}

impl TryFrom<i64> for SiteRole {
    type Error = String;
    fn try_from(flag: i64) -> Result<Self, String> {
        match flag {
            0 => Ok(SiteRole::Member),
            1 => Ok(SiteRole::Admin),
            2 => Ok(SiteRole::Editor),
            other => Err(format!("unknown site role flag {other}")),
        }
    }
}

/// The logged-in member of the request being rendered (pages are rendered on the server only).
pub fn rendering_user() -> Option<CurrentUser> {
    auth::current_user()
}
