//! Who runs the label: its referents (a role given by the site admins) and the site admins.

use crate::error::AppError;

/// The logged-in member when they are a label referent or a site admin: `Unauthorized` for a
/// visitor, `Forbidden` for anyone else.
pub async fn require_referent(
    state: &crate::state::AppState,
) -> Result<crate::features::accounts::CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin() || super::db::is_referent(&state.db, user.id).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn now() -> crate::timestamp::Timestamp {
    crate::timestamp::Timestamp::now()
}
