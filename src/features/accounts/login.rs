//! Logging in (`/connexion`) and out (`/deconnexion`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::notice::{Done, Notices};

pub const LOGIN_NOTICES: Notices = &[
    (
        "mot-de-passe-change",
        "Votre mot de passe a été changé. Connectez-vous avec le nouveau.",
    ),
    ("connexion-requise", "Connectez-vous pour continuer."),
    (
        "adresse-confirmee",
        "Votre adresse est confirmée : connectez-vous avec votre mot de passe.",
    ),
];

/// Where a login leads: the page the member came from when it is on this site, « Mon compte »
/// otherwise.
pub fn after_login(next: &str) -> String {
    crate::ui::href::local_path(next).unwrap_or_else(|| "/compte?message=connecte".to_owned())
}

/// Logs a member in with their e-mail and password, then back to `suivant`. An unknown address
/// and a wrong password get the same answer, after the same work.
#[server(endpoint = "compte/connexion")]
pub async fn log_in(
    email: String,
    password: String,
    #[server(default)] suivant: String,
) -> Result<Done, AppError> {
    use super::{db, mails};
    use crate::rate_limit::LOGIN;
    let state = crate::state::app_state()?;
    let email = email.trim().to_lowercase();
    let ip = crate::web::client::current_client_ip(&state);
    state.limiter.check(LOGIN, &ip, &email).await?;
    let row = db::find_by_email(&state.db, &email).await?;
    let password_ok = super::password::verify(
        password.clone(),
        row.as_ref().map(|r| r.password_hash.clone()),
    )
    .await;
    let Some(row) = row.filter(|r| password_ok && r.disabled_at.is_none()) else {
        return Err(AppError::BadCredentials);
    };
    if row.email_verified_at.is_none() {
        // Only someone who knows the password learns that the account exists.
        let token = db::new_link(&state.db, row.id, db::Purpose::Verify, None).await?;
        state
            .send_mail(mails::verify_address(
                &state.config.base_url,
                &row.email,
                &row.name,
                &token,
            ))
            .await;
        return Err(AppError::Unconfirmed);
    }
    let mut auth = super::auth::auth_session()?;
    let user = auth
        .authenticate(row.id)
        .await
        .map_err(super::auth::internal)?
        .ok_or(AppError::BadCredentials)?;
    super::auth::log_in_fresh(&mut auth, &user).await?;
    db::record_login(&state.db, row.id, crate::timestamp::Timestamp::now()).await?;
    if !super::password::is_current(&row.password_hash) {
        // Made with earlier Argon2 settings: made again with today's, once. The login holds
        // whatever happens here.
        if let Ok(new) = super::password::hash(password).await
            && let Err(error) =
                db::replace_password_hash(&state.db, row.id, &row.password_hash, &new).await
        {
            tracing::warn!(%error, "could not store a login's new password hash");
        }
    }
    state.limiter.forget_account(LOGIN, &ip, &email).await;
    Ok(Done::go(&after_login(&suivant)))
}

crate::form_path!(LogIn => "/connexion");

/// Ends the member's session.
#[server(endpoint = "compte/deconnexion")]
pub async fn log_out() -> Result<Done, AppError> {
    let mut auth = super::auth::auth_session()?;
    auth.logout().await.map_err(super::auth::internal)?;
    Ok(Done::go("/"))
}

crate::form_path!(LogOut => "/deconnexion");

#[cfg(test)]
mod tests {
    use super::after_login;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(after_login("/annuaire?q=velo"), "/annuaire?q=velo");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "",
            "\\\\evil",
            "/\\evil",
        ] {
            assert_eq!(after_login(bad), "/compte?message=connecte", "{bad}");
        }
    }
}
