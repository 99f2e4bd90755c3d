//! Server functions of the admin pages; each starts by asking the policy.

use leptos::prelude::*;

use super::{AccountStatus, UsersPage};
use crate::error::AppError;
use crate::features::accounts::SiteRole;
use crate::features::accounts::db::AccountChange;
use crate::ui::notice::{Done, Notices};

pub const NOTICES: Notices = &[
    (
        "admin-ajoute",
        "Le compte est maintenant administrateur du site.",
    ),
    (
        "admin-retire",
        "Le compte n'est plus administrateur du site.",
    ),
    (
        "redaction-ajoute",
        "Le compte peut maintenant écrire les actualités et les pages d'information.",
    ),
    (
        "compte-desactive",
        "Le compte est désactivé : ses sessions sont fermées.",
    ),
    ("compte-reactive", "Le compte est réactivé."),
    (
        "referent-ajoute",
        "Le compte est maintenant référent du label « démarche progrès ».",
    ),
    (
        "referent-retire",
        "Le compte n'est plus référent du label « démarche progrès ».",
    ),
    ("demande-approuvee", "La demande a été acceptée."),
    ("demande-refusee", "La demande a été refusée."),
];

const PAGE: &str = "/admin/utilisateurs";

/// Users matching `q` and the pending requests to manage entries (site admins only).
#[server(endpoint = "admin/utilisateurs")]
pub async fn load_users(q: String) -> Result<UsersPage, AppError> {
    use crate::features::accounts::policy::{Action, require};
    let me = require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    let users = super::db::search_users(&state.db, &q).await?;
    let requests = crate::features::stewardship::db::all_pending_requests(&state.db)
        .await?
        .into_iter()
        .map(|(request, slug, name)| super::PendingRequest {
            id: request.id,
            requester: format!("{} ({})", request.name, request.email),
            structure_slug: slug,
            structure_name: name,
        })
        .collect();
    Ok(UsersPage {
        users,
        requests,
        me: me.id,
    })
}

/// The admin asking, unless the change is about themself (an admin cannot demote or disable
/// their own account, so that the site keeps one).
fn require_admin_acting_on(user: i64) -> Result<(), AppError> {
    use crate::features::accounts::policy::{Action, require};
    let me = require(Action::AdministerSite)?;
    if me.id == user {
        return Err(AppError::Conflict(
            "Vous ne pouvez pas retirer vos propres droits ni désactiver votre compte.".to_owned(),
        ));
    }
    Ok(())
}

/// Applies an account change through the one guarded write (the site keeps an active admin).
pub async fn apply(
    state: &crate::state::AppState,
    user: i64,
    change: AccountChange,
) -> Result<(), AppError> {
    use crate::features::accounts::db::{ChangeOutcome, change_account};
    match change_account(&state.db, user, change).await? {
        ChangeOutcome::Done => Ok(()),
        ChangeOutcome::NoSuchUser => Err(AppError::NotFound),
        ChangeOutcome::LastAdmin => Err(AppError::Conflict(LAST_ADMIN.to_owned())),
        ChangeOutcome::LastClubAdmin(club) => Err(AppError::Conflict(format!(
            "Cette personne est la dernière à administrer le club « {club} » : nommez-y quelqu'un d'autre avant."
        ))),
    }
}

/// Why a change to the last active site admin is refused.
pub const LAST_ADMIN: &str =
    "Le site doit garder au moins un administrateur actif : nommez-en un autre avant.";

/// Makes a user a site admin, an editor, or a plain member again.
#[server(endpoint = "admin/utilisateurs/role")]
pub async fn set_role(user: i64, role: SiteRole) -> Result<Done, AppError> {
    require_admin_acting_on(user)?;
    let state = crate::state::app_state()?;
    apply(&state, user, AccountChange::SetRole(role)).await?;
    let code = match role {
        SiteRole::Admin => "admin-ajoute",
        SiteRole::Editor => "redaction-ajoute",
        SiteRole::Member => "admin-retire",
    };
    Ok(Done::notice(PAGE, code, NOTICES))
}

crate::form_path!(SetRole => "/admin/utilisateurs/{user}/role");

/// Disables an account (its sessions end at their next request) or enables it again.
#[server(endpoint = "admin/utilisateurs/statut")]
pub async fn set_account_status(user: i64, status: AccountStatus) -> Result<Done, AppError> {
    require_admin_acting_on(user)?;
    let state = crate::state::app_state()?;
    let change = match status {
        AccountStatus::Disabled => AccountChange::Disable,
        AccountStatus::Active => AccountChange::Enable,
    };
    apply(&state, user, change).await?;
    let code = match status {
        AccountStatus::Disabled => "compte-desactive",
        AccountStatus::Active => "compte-reactive",
    };
    Ok(Done::notice(PAGE, code, NOTICES))
}

crate::form_path!(SetAccountStatus => "/admin/utilisateurs/{user}/statut");

/// Gives (`on` = « oui ») or takes the label referent role: referents run the « démarche
/// progrès » cohorts (site admins only).
#[server(endpoint = "admin/utilisateurs/referent-label")]
pub async fn set_label_referent(user: i64, on: String) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    let on = on == "oui";
    if !crate::features::label::db::set_referent(&state.db, user, on).await? {
        return Err(AppError::NotFound);
    }
    let code = if on {
        "referent-ajoute"
    } else {
        "referent-retire"
    };
    Ok(Done::notice(PAGE, code, NOTICES))
}

crate::form_path!(SetLabelReferent => "/admin/utilisateurs/{user}/referent-label");
