//! A forgotten password: asking for a link (`/mot-de-passe-oublie`), then choosing a new
//! password from it (`/reinitialiser`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::notice::{Done, Notices};

pub const FORGOT_NOTICES: Notices = &[(
    "lien-envoye",
    "Consultez votre messagerie : si un compte existe pour cette adresse, un lien vient de lui être envoyé.",
)];

/// Mails a link to choose a new password. Same answer whether or not the address has an account.
#[server(endpoint = "compte/mot-de-passe-oublie")]
pub async fn forgot_password(email: String) -> Result<Done, AppError> {
    use super::{db, mails};
    use crate::rate_limit::RESET;
    let state = crate::state::app_state()?;
    let email = super::normalise_email(&email).map_err(|m| AppError::validation("email", m))?;
    let ip = crate::web::client::current_client_ip(&state);
    state.limiter.check(RESET, &ip, &email).await?;
    if let Some(user) = db::find_by_email(&state.db, &email)
        .await?
        .filter(|user| user.disabled_at.is_none())
    {
        let token = db::new_link(&state.db, user.id, db::Purpose::Reset, None).await?;
        state
            .send_mail(mails::reset_password(
                &state.config.base_url,
                &user.email,
                &user.name,
                &token,
            ))
            .await;
    }
    Ok(Done::notice(
        "/mot-de-passe-oublie",
        "lien-envoye",
        FORGOT_NOTICES,
    ))
}

crate::form_path!(ForgotPassword => "/mot-de-passe-oublie");

/// Sets a new password from a mailed link; every session of the member ends.
#[server(endpoint = "compte/reinitialiser")]
pub async fn reset_password(token: String, password: String) -> Result<Done, AppError> {
    use super::{db, mails};
    let state = crate::state::app_state()?;
    let user_id = db::link_user(&state.db, &token, db::Purpose::Reset)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let user = db::find_by_id(&state.db, user_id)
        .await?
        .ok_or(AppError::InvalidLink)?;
    super::password::check_new_password(&password, &user.email)
        .map_err(|m| AppError::validation("password", m))?;
    let hash = super::password::hash(password).await?;
    // Used up now: a second submission of the same link fails here.
    db::use_link(&state.db, &token, db::Purpose::Reset)
        .await?
        .ok_or(AppError::InvalidLink)?;
    db::set_password(&state.db, user.id, &hash).await?;
    // Whoever could click the link controls the mailbox: the address is confirmed too.
    db::mark_verified(&state.db, user.id).await?;
    state
        .send_mail(mails::password_changed(
            &state.config.base_url,
            &user.email,
            &user.name,
        ))
        .await;
    Ok(Done::notice(
        "/connexion",
        "mot-de-passe-change",
        super::login::LOGIN_NOTICES,
    ))
}

crate::form_path!(ResetPassword => "/reinitialiser");
