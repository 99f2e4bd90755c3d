//! Who may write: the site's editors and admins.

use super::db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::accounts::policy::Action;
use crate::features::accounts::policy::may;
use crate::features::news::ArticleEdit;
use crate::features::news::NOTICES;
use crate::features::news::Publication;
use crate::ui::notice::Done;

/// Whether the person asking may write (without failing for visitors).
pub fn editor() -> bool {
    may(
        crate::features::accounts::auth::current_user().as_ref(),
        Action::EditContent,
    )
}

pub fn require_editor() -> Result<CurrentUser, AppError> {
    crate::features::accounts::policy::require(Action::EditContent)
}

/// Validates and saves a new article (`None`) or article `id`; where the editor goes next,
/// with what the save did (saved as a draft, scheduled, published).
pub async fn write(
    id: Option<i64>,
    edit: ArticleEdit,
    user: &CurrentUser,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let input = edit.validated()?;
    let links = crate::markdown::linked_pages(&input.body, &state.config.base_url);
    let now = crate::timestamp::Timestamp::now();
    let id = match id {
        None => db::create(&state.db, &input, &links, user, now)
            .await
            .map(|(id, _)| id),
        Some(id) => db::save(&state.db, id, &input, &links, user, now)
            .await
            .map(|_| id),
    }?;
    let code = match (input.publication, input.published_at) {
        (Publication::Draft, _) => "article-enregistre",
        (Publication::Published, Some(at)) if at > now => "article-programme",
        (Publication::Published, _) => "article-publie",
    };
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        code,
        NOTICES,
    ))
}
