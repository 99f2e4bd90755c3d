//! Who may do what: the one place that answers for rights that need no data. Rights that depend
//! on data (managing an entry) are checked by the feature that owns the data, with an async
//! function that asks the database when a server function needs it.
//!
//! Every server function that reads private data or writes anything starts with
//! [`require_user`] or [`require`] (or the owning feature's check).

use super::CurrentUser;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See and change one's own account, download one's data, delete it.
    ManageOwnAccount,
    /// Ask to manage a directory entry.
    RequestManagement,
    /// List users, make or unmake site admins, disable accounts; edit any entry, decide any
    /// request to manage one.
    AdministerSite,
    /// Write, publish and restore news articles and the information pages; upload their images.
    EditContent,
}

pub fn may(user: Option<&CurrentUser>, action: Action) -> bool {
    match (user, action) {
        (None, _) => false,
        (Some(_), Action::ManageOwnAccount | Action::RequestManagement) => true,
        (Some(user), Action::AdministerSite) => user.is_admin(),
        (Some(user), Action::EditContent) => {
            matches!(user.role, super::SiteRole::Admin | super::SiteRole::Editor)
        }
    }
}

/// The logged-in member, or `Unauthorized`.
pub fn require_user() -> Result<CurrentUser, AppError> {
    super::auth::current_user().ok_or(AppError::Unauthorized)
}

/// The logged-in member if the policy lets them do `action`: `Unauthorized` for a visitor,
/// `Forbidden` for a member without the right.
pub fn require(action: Action) -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    if may(Some(&user), action) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::accounts::SiteRole;

    fn user(role: SiteRole) -> CurrentUser {
        CurrentUser {
            id: 1,
            name: "Test".into(),
            email: "t@exemple.fr".into(),
            role,
        }
    }

    #[test]
    fn role_by_action_matrix() {
        let member = user(SiteRole::Member);
        let admin = user(SiteRole::Admin);
        let editor = user(SiteRole::Editor);
        let roles: [(&str, Option<&CurrentUser>); 4] = [
            ("anonymous", None),
            ("member", Some(&member)),
            ("editor", Some(&editor)),
            ("admin", Some(&admin)),
        ];
        let expected: [(Action, [bool; 4]); 4] = [
            (Action::ManageOwnAccount, [false, true, true, true]),
            (Action::RequestManagement, [false, true, true, true]),
            (Action::AdministerSite, [false, false, false, true]),
            (Action::EditContent, [false, false, true, true]),
        ];
        for (action, allowed) in expected {
            for ((role, user), allowed) in roles.iter().zip(allowed) {
                assert_eq!(may(*user, action), allowed, "{role} {action:?}");
            }
        }
    }
}
