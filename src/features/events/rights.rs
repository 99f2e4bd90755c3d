//! Who may run an event: its organisers (named structure's managers) and the site admins; who may
//! create one; which organiser structures and clubs a person may name.

use super::db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::events::ValidEvent;
use crate::state::AppState;

/// The logged-in member when they run the event (named organiser, manager of the organiser
/// structure) or administer the site. Anyone else is answered as [`AppError::not_yours`] says:
/// refused an event they may see, told that a members-only meeting they may not see does not
/// exist.
pub async fn require_organiser(state: &AppState, event_id: i64) -> Result<CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin() || db::is_organiser(&state.db, user.id, event_id).await? {
        return Ok(user);
    }
    let visible = db::may_see(&state.db, event_id, db::Audience::of(Some(&user))).await?;
    Err(AppError::not_yours(visible))
}

/// The organisers' check for a request addressed by the event's slug, and the event's id.
///
/// Who is asking comes before the event is looked up (a visitor is sent to log in, whether the
/// address exists or not); then an address that does not exist and a meeting the member may not
/// see get the same 404.
pub async fn organiser_of(state: &AppState, slug: &str) -> Result<(CurrentUser, i64), AppError> {
    crate::features::accounts::policy::require_user()?;
    let id = db::event_id(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = require_organiser(state, id).await?;
    Ok((user, id))
}

/// The structures a member may name as organiser: theirs; every one for a site admin.
pub async fn organiser_choices(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<(i64, String)>, AppError> {
    let rows: Vec<(i64, String)> = if user.is_admin() {
        sqlx::query_as(
            "SELECT id, name FROM structures WHERE status = 'published' ORDER BY sort_key LIMIT 500",
        )
        .fetch_all(&state.db.pool)
        .await?
    } else {
        sqlx::query_as(
            "SELECT s.id, s.name FROM structures s JOIN structure_managers m ON m.structure_id = s.id \
             WHERE m.user_id = $1 ORDER BY s.sort_key",
        )
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?
    };
    Ok(rows)
}

/// Site admins and members who manage a structure may create events.
pub async fn require_event_creator(state: &AppState) -> Result<CurrentUser, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    if user.is_admin() || !organiser_choices(state, &user).await?.is_empty() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organiser named in a form must be one the person may choose.
pub async fn check_organiser(
    state: &AppState,
    user: &CurrentUser,
    event: &ValidEvent,
) -> Result<(), AppError> {
    let Some(id) = event.organiser else {
        return Ok(());
    };
    // A site admin may name any structure; a member, one they manage.
    let allowed = if user.is_admin() {
        sqlx::query_scalar::<_, i64>("SELECT id FROM structures WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?
            .is_some()
    } else {
        crate::features::accounts::db::manages(&state.db, user.id, id).await?
    };
    if !allowed {
        return Err(AppError::validation(
            "organiser",
            "Choisissez une structure organisatrice parmi celles que vous gérez.",
        ));
    }
    Ok(())
}

/// A club meeting may be set up by the club's admins and the site admins.
pub async fn check_club(
    state: &AppState,
    user: &CurrentUser,
    event: &ValidEvent,
) -> Result<(), AppError> {
    let Some(slug) = &event.club else {
        return Ok(());
    };
    if !club_choices(state, user)
        .await?
        .iter()
        .any(|(s, _)| s == slug)
    {
        return Err(AppError::validation(
            "visibility",
            "Choisissez un club que vous administrez.",
        ));
    }
    Ok(())
}

pub async fn club_choices(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(crate::features::clubs::db::administered(&state.db, user.id, user.is_admin()).await?)
}

pub fn unknown_commune() -> AppError {
    AppError::validation("commune", "Choisissez la commune dans la liste.")
}
