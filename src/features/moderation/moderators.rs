//! Site admins choose the moderators, for every territory or one département.

use crate::error::AppError;
use crate::features::moderation::rights::require_admin;
use crate::features::moderation::{MODERATION_NOTICES, ModeratorChange, ModeratorsPage, db};
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `/moderation/moderateurs`.
#[server(endpoint = "moderation/moderateurs")]
pub async fn load_moderators() -> Result<ModeratorsPage, AppError> {
    require_admin()?;
    let state = crate::state::app_state()?;
    let departements: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, name FROM territories WHERE kind = 'departement' ORDER BY name",
    )
    .fetch_all(&state.db.pool)
    .await?;
    Ok(ModeratorsPage {
        moderators: db::moderators(&state.db).await?,
        departements,
    })
}

/// A moderator to add, as typed: the account's address and where they moderate ("": every
/// territory).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratorForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub territoire: String,
}

impl ModeratorForm {
    pub fn validated(self) -> Result<(String, String), AppError> {
        let mut errors = crate::error::FieldErrors::default();
        let email = errors.check(
            "email",
            crate::features::accounts::normalise_email(&self.email),
        );
        let territory = self.territoire.trim().to_owned();
        if !territory.is_empty() && !crate::slug::is_slug(&territory) {
            errors.add("territoire", "Choisissez le territoire dans la liste.");
        }
        let (email, territory) = errors.finish((email, territory))?;
        Ok((email.unwrap_or_default(), territory))
    }
}

/// Adds a moderator (by their account's address) or removes one.
#[server(endpoint = "moderation/moderateurs/changer")]
pub async fn change_moderator(
    change: ModeratorChange,
    #[server(default)] user: i64,
    #[server(flatten)] form: ModeratorForm,
) -> Result<Done, AppError> {
    let admin = require_admin()?;
    let state = crate::state::app_state()?;
    let code = match change {
        ModeratorChange::Add => {
            let (email, territory) = form.validated()?;
            let account = crate::features::accounts::db::find_by_email(&state.db, &email)
                .await?
                .ok_or_else(|| {
                    AppError::validation(
                        "email",
                        "Aucun compte n'a cette adresse : la personne doit d'abord s'inscrire.",
                    )
                })?;
            let departement: Option<i64> = if territory.is_empty() {
                None
            } else {
                Some(
                    sqlx::query_scalar(
                        "SELECT id FROM territories WHERE slug = $1 AND kind = 'departement'",
                    )
                    .bind(&territory)
                    .fetch_optional(&state.db.pool)
                    .await?
                    .ok_or_else(|| {
                        AppError::validation(
                            "territoire",
                            "Choisissez le territoire dans la liste.",
                        )
                    })?,
                )
            };
            db::add_moderator(&state.db, account.id, departement, admin.id).await?;
            "moderateur-ajoute"
        }
        ModeratorChange::Remove => {
            db::remove_moderator(&state.db, user).await?;
            "moderateur-retire"
        }
    };
    Ok(Done::notice(
        "/moderation/moderateurs",
        code,
        MODERATION_NOTICES,
    ))
}

crate::form_path!(ChangeModerator => "/moderation/moderateurs");
