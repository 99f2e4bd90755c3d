//! Creating an account (`/inscription`) and confirming its address from the mailed link
//! (`/verifier`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::notice::{Done, Notices};

pub const SIGN_UP_NOTICES: Notices = &[(
    "verifiez",
    "Consultez votre messagerie : si cette adresse peut recevoir un compte, un lien pour la confirmer vient de lui être envoyé.",
)];

/// A sign-up as typed, checked.
struct NewAccount {
    name: String,
    email: String,
}

fn validated(name: &str, email: &str, password: &str) -> Result<NewAccount, AppError> {
    let mut errors = crate::error::FieldErrors::default();
    let name = errors.check("name", super::normalise_name(name));
    let email = errors.check("email", super::normalise_email(email));
    errors.check(
        "password",
        super::password::check_new_password(password, email.as_deref().unwrap_or_default()),
    );
    let (Some(name), Some(email)) = (name, email) else {
        return Err(errors.finish(()).unwrap_err());
    };
    errors.finish(NewAccount { name, email })
}

/// Creates an account and mails a confirmation link. The answer is the same whether or not the
/// address already has an account (its owner is mailed instead), so nobody learns who is
/// registered.
#[server(endpoint = "compte/inscription")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<Done, AppError> {
    use super::{db, mails};
    use crate::rate_limit::SIGNUP;
    let state = crate::state::app_state()?;
    // Per address too: a sign-up with a taken address mails its owner, which must not become a
    // way to flood someone's mailbox.
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(SIGNUP, &ip, &email.trim().to_lowercase())
        .await?;
    let account = validated(&name, &email, &password)?;
    // Hashing happens whether or not the address is taken, so both answers take as long.
    let hash = super::password::hash(password).await?;
    let created = db::create_user(
        &state.db,
        db::NewUser {
            email: &account.email,
            name: &account.name,
            password_hash: &hash,
            verified: false,
            role: super::SiteRole::Member,
        },
    )
    .await?;
    let base = &state.config.base_url;
    match created {
        Some(user_id) => {
            let token = db::new_link(&state.db, user_id, db::Purpose::Verify, None).await?;
            state
                .send_mail(mails::verify_address(
                    base,
                    &account.email,
                    &account.name,
                    &token,
                ))
                .await;
        }
        None => {
            if let Some(existing) = db::find_by_email(&state.db, &account.email).await? {
                state
                    .send_mail(mails::already_registered(
                        base,
                        &account.email,
                        &existing.name,
                    ))
                    .await;
            }
        }
    }
    Ok(Done::notice("/inscription", "verifiez", SIGN_UP_NOTICES))
}

crate::form_path!(SignUp => "/inscription");

/// Confirms the address of a new account from the mailed link. It does not log anyone in:
/// whoever clicks the link proves they read the mailbox, not that they chose the password (a
/// stranger may have signed up with this address), so the member logs in next.
#[server(endpoint = "compte/confirmer")]
pub async fn confirm_address(token: String) -> Result<Done, AppError> {
    use super::db;
    let state = crate::state::app_state()?;
    let user_id = db::use_link(&state.db, &token, db::Purpose::Verify)
        .await?
        .ok_or(AppError::InvalidLink)?
        .subject;
    db::mark_verified(&state.db, user_id).await?;
    Ok(Done::notice(
        "/connexion",
        "adresse-confirmee",
        super::login::LOGIN_NOTICES,
    ))
}

crate::form_path!(ConfirmAddress => "/verifier");

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_of_a_sign_up_is_reported() {
        let error = validated(" ", "pas-une-adresse", "court").err().unwrap();
        let fields: Vec<String> = error.field_errors().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "email", "password"]);
        let ok = validated(
            " Marie  Dupont ",
            "Marie@Exemple.FR",
            "cheval agrafe batterie",
        )
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.email.as_str()),
            ("Marie Dupont", "marie@exemple.fr")
        );
    }
}
