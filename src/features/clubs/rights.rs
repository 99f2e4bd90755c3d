//! Who may do what in a club: its admins and the site admins run it; its members' managers act
//! for their structure. Every change goes through `apply`: the lock, the status machine, the history.

use super::db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::clubs::ClubInfo;
use crate::features::clubs::membership::Change;
use crate::state::AppState;

pub async fn club(state: &AppState, slug: &str) -> Result<ClubInfo, AppError> {
    db::find(&state.db, slug).await?.ok_or(AppError::NotFound)
}

/// The logged-in person when they administer the club or the site.
pub async fn require_club_admin(state: &AppState, club_id: i64) -> Result<CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin() || db::is_admin(&state.db.pool, club_id, user.id).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The logged-in person when they may bring in new members: a representative of an active
/// member structure, a club admin, a site admin.
pub async fn require_member(state: &AppState, club_id: i64) -> Result<CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin()
        || db::represents_member(&state.db.pool, club_id, user.id).await?
        || db::is_admin(&state.db.pool, club_id, user.id).await?
    {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Applies a change to a structure's membership; the status it found and the new one.
pub async fn apply(
    state: &AppState,
    club: &ClubInfo,
    structure: i64,
    actor: &CurrentUser,
    change: Change,
) -> Result<db::Changed, AppError> {
    // An admin's decisions are checked again under the club's lock.
    let as_admin = matches!(change, Change::Decide { .. } | Change::Remove { .. });
    let actor = db::Actor {
        user: actor,
        as_admin,
    };
    let changed = db::change(&state.db, club.id, structure, actor, change).await?;
    // The directory's club filter reads membership.
    crate::features::directory::index::changed(state).await;
    Ok(changed)
}

pub async fn structure_name(state: &AppState, structure: i64) -> Result<String, AppError> {
    db::structure_name(&state.db, structure)
        .await?
        .ok_or_else(|| AppError::validation("structure", "Choisissez une structure de l'annuaire."))
}
