//! Who may moderate: site admins everywhere, moderators everywhere or in their département.

use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::state::AppState;

/// The territory a moderator looks after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    Departement(i64),
}

impl Scope {
    /// Whether an entry of département `departement` (none for a proposal whose commune is
    /// unknown) is within the scope.
    pub fn covers(self, departement: Option<i64>) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Departement(id) => departement == Some(id),
        }
    }
}

/// The scope of the person's moderation, if they moderate.
pub async fn scope_of(state: &AppState, user: &CurrentUser) -> Result<Option<Scope>, AppError> {
    if user.is_admin() {
        return Ok(Some(Scope::Everywhere));
    }
    Ok(super::db::moderator_scope(&state.db, user.id)
        .await?
        .map(|departement| departement.map_or(Scope::Everywhere, Scope::Departement)))
}

/// The logged-in moderator and their scope: `Unauthorized` for a visitor, `Forbidden` for
/// anyone else.
pub async fn require_moderator(state: &AppState) -> Result<(CurrentUser, Scope), AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    match scope_of(state, &user).await? {
        Some(scope) => Ok((user, scope)),
        None => Err(AppError::Forbidden),
    }
}

/// A site admin (who chooses the moderators).
pub fn require_admin() -> Result<CurrentUser, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::AdministerSite)
}

/// The person who may read an entry's history and restore a version: its managers, the
/// moderators of its territory, the site admins.
pub async fn require_history_reader(
    state: &AppState,
    structure_id: i64,
    departement: i64,
) -> Result<CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if crate::features::accounts::db::manages(&state.db, user.id, structure_id).await? {
        return Ok(user);
    }
    match scope_of(state, &user).await? {
        Some(scope) if scope.covers(Some(departement)) => Ok(user),
        _ => Err(AppError::Forbidden),
    }
}

pub fn now() -> crate::timestamp::Timestamp {
    crate::timestamp::Timestamp::now()
}
