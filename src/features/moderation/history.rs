//! An entry's history (`/annuaire/{slug}/historique`): every revision, who made it and what it
//! changed, for its managers, the moderators of its territory and the site admins; a version
//! can be restored, which is one more revision.

use crate::error::AppError;
use crate::features::directory::db::{Author, revisions};
use crate::features::directory::{ENTRY_NOTICES, History, RevisionOrigin};
use crate::features::moderation::rights::require_history_reader;
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// A published entry's id and département, or `NotFound` (after asking who is asking, so that
/// a visitor learns nothing from the answer).
async fn entry(state: &AppState, slug: &str) -> Result<(i64, i64, String), AppError> {
    sqlx::query_as(
        "SELECT id, departement_id, name FROM structures WHERE slug = $1 AND status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The entry's revisions, newest first, and the corrections waiting for moderation.
#[server(endpoint = "annuaire/historique")]
pub async fn load_history(slug: String) -> Result<History, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let (id, departement, name) = entry(&state, &slug).await?;
    require_history_reader(&state, id, departement).await?;
    let names = revisions::ReadableNames::load(&state.db).await?;
    let mut revisions = revisions::revisions(&state.db, id).await?;
    for revision in &mut revisions {
        names.snapshot(&mut revision.before);
        names.snapshot(&mut revision.after);
    }
    let mut pending = super::db::pending_for(&state.db, id).await?;
    for (_, fields, _) in &mut pending {
        names.snapshot(fields);
    }
    Ok(History {
        slug,
        name,
        revisions,
        pending,
    })
}

/// Brings back the values a revision replaced, as a new revision.
#[server(endpoint = "annuaire/restaurer")]
pub async fn restore_revision(slug: String, revision: i64) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let (id, departement, _) = entry(&state, &slug).await?;
    let user = require_history_reader(&state, id, departement).await?;
    let before = revisions::before_revision(&state.db, id, revision)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin_write().await?;
    let author = Author {
        id: Some(user.id),
        name: &user.name,
    };
    revisions::change(&mut tx, id, &before, RevisionOrigin::Restore, author).await?;
    tx.commit().await?;
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        &format!("/annuaire/{slug}/historique"),
        "version-restauree",
        ENTRY_NOTICES,
    ))
}

crate::form_path!(RestoreRevision => "/annuaire/{slug}/historique/restaurer");
