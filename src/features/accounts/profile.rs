//! « Mon compte »: the member's name, e-mail address, password, data and deletion.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::notice::{Done, Notices};

pub const ACCOUNT_NOTICES: Notices = &[
    ("connecte", "Vous êtes connecté."),
    ("profil", "Votre nom a été enregistré."),
    (
        "mot-de-passe",
        "Votre mot de passe a été changé. Vos autres sessions ont été fermées.",
    ),
    (
        "adresse-envoyee",
        "Si cette adresse peut être utilisée, un lien vient de lui être envoyé : votre adresse changera quand vous l'aurez ouvert.",
    ),
    (
        "adresse-changee",
        "Votre nouvelle adresse e-mail est confirmée : c'est désormais celle de votre compte.",
    ),
];

/// Shown on the home page after an account was deleted.
pub const GOODBYE_NOTICES: Notices = &[(
    "compte-supprime",
    "Votre compte a été supprimé, ainsi que vos sessions. Merci d'avoir utilisé DESSINE.",
)];

/// What « Mon compte » shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountData {
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    /// (slug, name) of the directory entries the member manages.
    pub structures: Vec<(String, String)>,
}

/// The logged-in member's own account.
#[server(endpoint = "compte")]
pub async fn load_account() -> Result<AccountData, AppError> {
    use super::policy::{Action, require};
    let user = require(Action::ManageOwnAccount)?;
    let state = crate::state::app_state()?;
    let structures = super::db::managed_structures(&state.db, user.id)
        .await?
        .into_iter()
        .map(|(_, slug, name)| (slug, name))
        .collect();
    Ok(AccountData {
        is_admin: user.is_admin(),
        name: user.name,
        email: user.email,
        structures,
    })
}

/// The member's own row (with the password hash, to check it).
async fn own_row(state: &crate::state::AppState) -> Result<super::db::UserRow, AppError> {
    use super::policy::{Action, require};
    let user = require(Action::ManageOwnAccount)?;
    super::db::find_by_id(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Checks the member's current password (rate-limited like a login); `field` is where a wrong
/// one is reported.
async fn check_password(
    state: &crate::state::AppState,
    row: &super::db::UserRow,
    password: String,
    field: &str,
    message: &str,
) -> Result<(), AppError> {
    let ip = crate::web::client::current_client_ip(state);
    state
        .limiter
        .check(crate::rate_limit::LOGIN, &ip, &row.email)
        .await?;
    if super::password::verify(password, Some(row.password_hash.clone())).await {
        Ok(())
    } else {
        Err(AppError::validation(field, message))
    }
}

/// Changes the member's display name.
#[server(endpoint = "compte/profil")]
pub async fn update_profile(name: String) -> Result<Done, AppError> {
    use super::policy::{Action, require};
    let user = require(Action::ManageOwnAccount)?;
    let name = super::normalise_name(&name).map_err(|m| AppError::validation("name", m))?;
    let state = crate::state::app_state()?;
    super::db::set_name(&state.db, user.id, &name).await?;
    Ok(Done::notice("/compte", "profil", ACCOUNT_NOTICES))
}

crate::form_path!(UpdateProfile => "/compte/profil");

/// Changes the password (the current one is needed); other sessions end, this one stays.
#[server(endpoint = "compte/mot-de-passe")]
pub async fn change_password(current_password: String, password: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let row = own_row(&state).await?;
    check_password(
        &state,
        &row,
        current_password,
        "current_password",
        "Le mot de passe actuel est incorrect.",
    )
    .await?;
    super::password::check_new_password(&password, &row.email)
        .map_err(|m| AppError::validation("password", m))?;
    let hash = super::password::hash(password).await?;
    super::db::set_password(&state.db, row.id, &hash).await?;
    // The new security stamp ended every session; this one logs in again (with a new id).
    let mut auth = super::auth::auth_session()?;
    let fresh = auth
        .authenticate(row.id)
        .await
        .map_err(super::auth::internal)?
        .ok_or(AppError::Unauthorized)?;
    super::auth::log_in_fresh(&mut auth, &fresh).await?;
    state
        .send_mail(super::mails::password_changed(
            &state.config.base_url,
            &row.email,
            &row.name,
        ))
        .await;
    Ok(Done::notice("/compte", "mot-de-passe", ACCOUNT_NOTICES))
}

crate::form_path!(ChangePassword => "/compte/mot-de-passe");

/// Asks for a new address, confirmed by a link sent to it. The answer does not say whether
/// another account uses the address.
#[server(endpoint = "compte/adresse")]
pub async fn change_email(new_email: String, email_password: String) -> Result<Done, AppError> {
    use super::{db, mails};
    let state = crate::state::app_state()?;
    let row = own_row(&state).await?;
    state
        .limiter
        .check_account(crate::rate_limit::RESET, &row.email)
        .await?;
    let new_email =
        super::normalise_email(&new_email).map_err(|m| AppError::validation("new_email", m))?;
    if new_email == row.email {
        return Err(AppError::validation(
            "new_email",
            "C'est déjà l'adresse de votre compte.",
        ));
    }
    check_password(
        &state,
        &row,
        email_password,
        "email_password",
        "Le mot de passe est incorrect.",
    )
    .await?;
    if db::find_by_email(&state.db, &new_email).await?.is_none() {
        let token =
            db::new_link(&state.db, row.id, db::Purpose::NewEmail, Some(&new_email)).await?;
        state
            .send_mail(mails::confirm_new_address(
                &state.config.base_url,
                &new_email,
                &row.name,
                &token,
            ))
            .await;
    }
    Ok(Done::notice("/compte", "adresse-envoyee", ACCOUNT_NOTICES))
}

crate::form_path!(ChangeEmail => "/compte/adresse");

/// Makes the new address the login, from the link opened in its mailbox.
#[server(endpoint = "compte/confirmer-adresse")]
pub async fn confirm_email(token: String) -> Result<Done, AppError> {
    use super::{db, mails};
    let state = crate::state::app_state()?;
    let link = db::use_link(&state.db, &token, db::Purpose::NewEmail)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let (user_id, new_email) = (link.subject, link.detail.unwrap_or_default());
    let old = db::find_by_id(&state.db, user_id)
        .await?
        .ok_or(AppError::InvalidLink)?;
    if !db::set_email(&state.db, user_id, &new_email).await? {
        return Err(AppError::Conflict(
            "Cette adresse est déjà celle d'un autre compte : la vôtre n'a pas changé.".to_owned(),
        ));
    }
    state
        .send_mail(mails::address_changed(&old.email, &old.name, &new_email))
        .await;
    Ok(Done::notice("/compte", "adresse-changee", ACCOUNT_NOTICES))
}

crate::form_path!(ConfirmEmail => "/confirmer-adresse");

/// Deletes the account (the password is needed); its sessions end.
#[server(endpoint = "compte/supprimer")]
pub async fn delete_account(confirm_password: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let row = own_row(&state).await?;
    check_password(
        &state,
        &row,
        confirm_password,
        "confirm_password",
        "Le mot de passe est incorrect : le compte n'a pas été supprimé.",
    )
    .await?;
    match super::db::change_account(&state.db, row.id, super::db::AccountChange::Delete).await? {
        super::db::ChangeOutcome::Done => {}
        super::db::ChangeOutcome::NoSuchUser => return Err(AppError::Unauthorized),
        super::db::ChangeOutcome::LastAdmin => {
            return Err(AppError::validation(
                "confirm_password",
                "Vous êtes le dernier administrateur actif du site : nommez-en un autre avant de supprimer votre compte.",
            ));
        }
        super::db::ChangeOutcome::LastClubAdmin(club) => {
            return Err(AppError::validation(
                "confirm_password",
                format!(
                    "Vous êtes la dernière personne à administrer le club « {club} » : nommez-y quelqu'un d'autre avant de supprimer votre compte."
                ),
            ));
        }
    }
    let mut auth = super::auth::auth_session()?;
    auth.logout().await.map_err(super::auth::internal)?;
    Ok(Done::notice("/", "compte-supprime", GOODBYE_NOTICES))
}

crate::form_path!(DeleteAccount => "/compte/supprimer");

/// `GET /compte/donnees.json`: everything the portal holds about the member, as a download.
pub async fn export_my_data(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (parts, _) = request.into_parts();
    let row = match crate::web::forms::in_request_context(&state, &parts, own_row(&state)).await {
        Ok(row) => row,
        Err(AppError::Unauthorized) => return Ok(crate::web::respond::login_first("/compte")),
        Err(error) => return Err(error),
    };
    let structures = super::db::managed_structures(&state.db, row.id).await?;
    let body = serde_json::json!({
        "nom": row.name,
        "email": row.email,
        "administrateur": row.role == super::SiteRole::Admin,
        "adresse_confirmee_le": row.email_verified_at,
        "compte_cree_le": row.created_at,
        "structures_gerees": structures
            .into_iter()
            .map(|(_, slug, name)| serde_json::json!({
                "nom": name,
                "fiche": format!("{}/annuaire/{slug}", state.config.base_url),
            }))
            .collect::<Vec<_>>(),
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mes-donnees-dessine.json\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body.to_string(),
    )
        .into_response())
}
