//! Duplicates: the moderators' list of likely pairs, and merging two entries in one
//! transaction. Each feature moves its own rows from the merged entry to the kept one
//! (managers, club memberships, label journeys, registrations, purchasing answers and meetings,
//! news mentions, proposals); the directory then moves the revisions, records the merge, makes
//! the merged address a permanent redirect and deletes the merged entry.

use crate::error::AppError;
use crate::features::directory::db::Author;
use crate::features::moderation::MergePreview;
use crate::features::moderation::rights::{Scope, require_moderator};
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// `(id, slug, name, département)` of a published entry.
async fn published(state: &AppState, slug: &str) -> Result<(i64, String, String, i64), AppError> {
    sqlx::query_as(
        "SELECT id, slug, name, departement_id FROM structures WHERE slug = $1 AND status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The two entries, both within the moderator's scope, and not the same one.
async fn pair(
    state: &AppState,
    scope: Scope,
    keep: &str,
    merge: &str,
) -> Result<((i64, String, String, i64), (i64, String, String, i64)), AppError> {
    if keep == merge {
        return Err(AppError::validation(
            "fusionner",
            "Choisissez deux fiches différentes.",
        ));
    }
    let kept = published(state, keep).await?;
    let merged = published(state, merge).await?;
    if !scope.covers(Some(kept.3)) || !scope.covers(Some(merged.3)) {
        return Err(AppError::Forbidden);
    }
    Ok((kept, merged))
}

/// What a merge will do: both entries, and what moves from the merged one to the kept one.
#[server(endpoint = "moderation/fusion/charger")]
pub async fn load_merge(garder: String, fusionner: String) -> Result<MergePreview, AppError> {
    let state = crate::state::app_state()?;
    let (_, scope) = require_moderator(&state).await?;
    let (kept, merged) = pair(&state, scope, &garder, &fusionner).await?;
    let moving = crate::features::directory::db::entry::references(&state.db, merged.0)
        .await?
        .into_iter()
        .map(|(what, count)| (what.to_owned(), count))
        .collect();
    Ok(MergePreview {
        keep: (kept.1, kept.2),
        merge: (merged.1, merged.2),
        moving,
    })
}

/// Merges entry `fusionner` into entry `garder`, in one transaction.
#[server(endpoint = "moderation/fusion")]
pub async fn merge_entries(garder: String, fusionner: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, scope) = require_moderator(&state).await?;
    let ((into, into_slug, ..), (from, ..)) = pair(&state, scope, &garder, &fusionner).await?;
    let mut tx = state.db.begin_write().await?;
    crate::features::accounts::db::move_managers(&mut tx, from, into).await?;
    crate::features::clubs::db::move_memberships(&mut tx, from, into).await?;
    crate::features::events::db::move_registrations(&mut tx, from, into).await?;
    crate::features::label::db::move_journeys(&mut tx, from, into).await?;
    crate::features::purchasing::db::move_supplier(&mut tx, from, into).await?;
    crate::features::news::db::move_mentions(&mut tx, from, into).await?;
    super::db::move_proposals(&mut tx, from, into).await?;
    let author = Author {
        id: Some(user.id),
        name: &user.name,
    };
    crate::features::directory::db::entry::finish_merge(&mut tx, from, into, author).await?;
    tx.commit().await?;
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        &format!("/annuaire/{into_slug}/historique"),
        "fiches-fusionnees",
        crate::features::directory::ENTRY_NOTICES,
    ))
}

crate::form_path!(MergeEntries => "/moderation/fusion");

/// The moderators' list of likely duplicates in their territory.
#[server(endpoint = "moderation/doublons")]
pub async fn load_pairs() -> Result<Vec<((String, String), (String, String), String)>, AppError> {
    let state = crate::state::app_state()?;
    let (_, scope) = require_moderator(&state).await?;
    let departement = match scope {
        Scope::Everywhere => None,
        Scope::Departement(id) => Some(id),
    };
    Ok(crate::features::directory::db::entry::likely_pairs(&state.db, departement).await?)
}
