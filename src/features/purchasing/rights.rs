//! Who may see and change a need: the buyer who posted it (or a site admin); buying needs a
//! declared buyer. Also the few helpers the purchasing functions share (today's date, an entry
//! named by its slug, address or name).

use super::buyers::Buyer;
use super::db;
use super::model::NeedStatus;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::state::AppState;

/// The logged-in member and the organisation they buy for: `Unauthorized` for a visitor,
/// `Forbidden` for a member who has not declared one.
pub async fn require_buyer(state: &AppState) -> Result<(CurrentUser, Buyer), AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    match db::buyer_of(&state.db, user.id).await? {
        Some(buyer) => Ok((user, buyer)),
        None => Err(AppError::Forbidden),
    }
}

/// The need's buyer, or a site admin; the need's status. Someone else is refused (403) a
/// public need, and finds no private one (404, as for a need that does not exist: a stranger
/// cannot tell a private need from a missing one).
pub async fn require_need_owner(
    state: &AppState,
    need_id: i64,
) -> Result<(CurrentUser, NeedStatus), AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let (owner, status, private) = db::need_owner(&state.db, need_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if owner == user.id || user.is_admin() {
        Ok((user, status))
    } else {
        Err(AppError::not_yours(!private))
    }
}

pub fn now() -> crate::timestamp::Timestamp {
    crate::timestamp::Timestamp::now()
}

/// Today in Paris, and a day as stored (shared with every feature: `crate::timestamp`).
pub use crate::timestamp::{iso_day as iso, paris_today as today};

/// A published entry named by its slug, by the address of its page, or by its name.
pub async fn structure_named(state: &AppState, typed: &str) -> Result<Option<i64>, AppError> {
    let typed = typed.trim();
    let slug = typed
        .rsplit("/annuaire/")
        .next()
        .unwrap_or(typed)
        .trim_end_matches('/');
    if let Some(id) = db::published_structure(&state.db, slug).await? {
        return Ok(Some(id));
    }
    Ok(db::published_structure(&state.db, &crate::slug::slugify(typed)).await?)
}
