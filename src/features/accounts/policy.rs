//! Who may do what: the one place that answers. Every server function and form handler asks
//! [`may`] first.

use super::CurrentUser;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Search the directory, read an entry, read the information pages.
    ReadPublic,
    /// See and change one's own account, download one's data, delete it.
    ManageOwnAccount,
    /// Edit a directory entry (by id).
    EditStructure(i64),
    /// Approve another member as manager of a directory entry (by id).
    ApproveManager(i64),
    /// List users, make or unmake site admins, disable accounts.
    AdministerUsers,
}

pub fn may(user: Option<&CurrentUser>, action: Action) -> bool {
    match (user, action) {
        (_, Action::ReadPublic) => true,
        (None, _) => false,
        (Some(_), Action::ManageOwnAccount) => true,
        (Some(user), Action::EditStructure(id) | Action::ApproveManager(id)) => {
            user.is_admin || user.managed_structures.contains(&id)
        }
        (Some(user), Action::AdministerUsers) => user.is_admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(is_admin: bool, managed: &[i64]) -> CurrentUser {
        CurrentUser {
            id: 1,
            name: "Test".into(),
            email: "t@exemple.fr".into(),
            is_admin,
            managed_structures: managed.to_vec(),
        }
    }

    #[test]
    fn role_by_action_matrix() {
        let member = user(false, &[]);
        let manager = user(false, &[7]);
        let other_manager = user(false, &[8]);
        let admin = user(true, &[]);
        let roles: [(&str, Option<&CurrentUser>); 5] = [
            ("anonymous", None),
            ("member", Some(&member)),
            ("manager", Some(&manager)),
            ("other manager", Some(&other_manager)),
            ("admin", Some(&admin)),
        ];
        let expected: [(Action, [bool; 5]); 5] = [
            (Action::ReadPublic, [true, true, true, true, true]),
            (Action::ManageOwnAccount, [false, true, true, true, true]),
            (Action::EditStructure(7), [false, false, true, false, true]),
            (Action::ApproveManager(7), [false, false, true, false, true]),
            (Action::AdministerUsers, [false, false, false, false, true]),
        ];
        for (action, allowed) in expected {
            for ((role, user), allowed) in roles.iter().zip(allowed) {
                assert_eq!(may(*user, action), allowed, "{role} {action:?}");
            }
        }
    }
}
