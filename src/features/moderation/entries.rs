//! Looking after entries in the page (`/annuaire/{slug}/administration`): moderators of the
//! entry's territory publish it or take it out of the directory (an entry created through a
//! club's invitation waits, unpublished, for them); site admins also delete it (told what
//! refers to it) and add or remove its managers.

use crate::error::AppError;
use crate::features::directory::db::Author;
use crate::features::directory::{ENTRY_NOTICES, PublicationStatus};
use crate::features::moderation::rights::{require_admin, require_moderator};
use crate::features::moderation::{EntryAdmin, MODERATION_NOTICES, ModeratorChange, Publication};
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// `(id, name, status, département)` of an entry, published or not.
async fn any_entry(state: &AppState, slug: &str) -> Result<(i64, String, String, i64), AppError> {
    sqlx::query_as("SELECT id, name, status, departement_id FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The moderator of the entry's territory (or a site admin), and the entry.
async fn moderated_entry(
    state: &AppState,
    slug: &str,
) -> Result<
    (
        crate::features::accounts::CurrentUser,
        (i64, String, String, i64),
    ),
    AppError,
> {
    let (user, scope) = require_moderator(state).await?;
    let entry = any_entry(state, slug).await?;
    if !scope.covers(Some(entry.3)) {
        return Err(AppError::Forbidden);
    }
    Ok((user, entry))
}

#[server(endpoint = "annuaire/administration")]
pub async fn load_entry_admin(slug: String) -> Result<EntryAdmin, AppError> {
    let state = crate::state::app_state()?;
    let (user, (id, name, status, _)) = moderated_entry(&state, &slug).await?;
    let references = crate::features::directory::db::entry::references(&state.db, id)
        .await?
        .into_iter()
        .map(|(what, count)| (what.to_owned(), count))
        .collect();
    Ok(EntryAdmin {
        slug,
        name,
        published: status == PublicationStatus::Published.as_str(),
        managers: crate::features::accounts::db::managers_of(&state.db, id).await?,
        references,
        admin: user.is_admin(),
    })
}

/// Publishes the entry, or takes it out of the directory.
#[server(endpoint = "annuaire/publication")]
pub async fn set_publication(slug: String, publication: Publication) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, (id, ..)) = moderated_entry(&state, &slug).await?;
    let status = match publication {
        Publication::Publish => PublicationStatus::Published,
        Publication::Withdraw => PublicationStatus::Draft,
    };
    let mut tx = state.db.begin_write().await?;
    let author = Author {
        id: Some(user.id),
        name: &user.name,
    };
    crate::features::directory::db::entry::set_status(&mut tx, id, status, author).await?;
    tx.commit().await?;
    crate::features::directory::index::changed(&state).await;
    let code = match publication {
        Publication::Publish => "fiche-publiee",
        Publication::Withdraw => "fiche-retiree",
    };
    Ok(Done::notice(
        &format!("/annuaire/{slug}/administration"),
        code,
        ENTRY_NOTICES,
    ))
}

crate::form_path!(SetPublication => "/annuaire/{slug}/administration/publication");

/// Deletes the entry (site admins), once they ticked that they read what goes with it.
#[server(endpoint = "annuaire/supprimer")]
pub async fn delete_structure(
    slug: String,
    #[server(default)] confirmation: String,
) -> Result<Done, AppError> {
    require_admin()?;
    let state = crate::state::app_state()?;
    let (id, ..) = any_entry(&state, &slug).await?;
    if confirmation != "oui" {
        return Err(AppError::validation(
            "confirmation",
            "Cochez la case pour confirmer : la suppression ne peut pas être annulée.",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    crate::features::directory::db::entry::delete_entry(&mut tx, id).await?;
    tx.commit().await?;
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        "/moderation",
        "fiche-supprimee",
        MODERATION_NOTICES,
    ))
}

crate::form_path!(DeleteStructure => "/annuaire/{slug}/administration/suppression");

/// Adds a manager (by their account's address) or removes one (site admins).
#[server(endpoint = "annuaire/gestionnaires")]
pub async fn change_entry_manager(
    slug: String,
    change: ModeratorChange,
    #[server(default)] user: i64,
    #[server(default)] email: String,
) -> Result<Done, AppError> {
    require_admin()?;
    let state = crate::state::app_state()?;
    let (id, ..) = any_entry(&state, &slug).await?;
    let code = match change {
        ModeratorChange::Add => {
            let email = crate::features::accounts::normalise_email(&email)
                .map_err(|message| AppError::validation("email", message))?;
            let account = crate::features::accounts::db::find_by_email(&state.db, &email)
                .await?
                .ok_or_else(|| {
                    AppError::validation(
                        "email",
                        "Aucun compte n'a cette adresse : la personne doit d'abord s'inscrire.",
                    )
                })?;
            crate::features::accounts::db::add_manager(&state.db, account.id, id).await?;
            "gestionnaire-ajoute"
        }
        ModeratorChange::Remove => {
            crate::features::accounts::db::remove_manager(&state.db, user, id).await?;
            "gestionnaire-retire"
        }
    };
    Ok(Done::notice(
        &format!("/annuaire/{slug}/administration"),
        code,
        ENTRY_NOTICES,
    ))
}

crate::form_path!(ChangeEntryManager => "/annuaire/{slug}/administration/gestionnaires");
