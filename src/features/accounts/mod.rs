//! Member accounts: sign-up with e-mail verification, login and logout, forgotten password,
//! the « Mon compte » page, roles, and who may do what (`policy`).
//!
//! Forms post to their own page address and work without JavaScript: on success the server
//! redirects (post/redirect/get) with a short message code in the URL; on bad input it renders
//! the same page again with the typed values and French error messages.

pub mod identity;
pub mod login;
pub mod model;
pub mod policy;
pub mod profile;
pub mod recovery;
pub mod registration;
pub mod retention;
pub mod views;

pub mod auth;
pub mod db;
pub mod demo;
pub mod mails;
pub mod password;

pub use identity::{MIN_PASSWORD_CHARS, check_password_length, normalise_email, normalise_name};
pub use model::*;

/// The accounts' form posts (without JavaScript) and the data download.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn account(_: &str, _: &FormFields) -> String {
        "/compte".to_owned()
    }
    fn with_token(path: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query(path, "token", fields.get("token"))
    }
    fn login_page(_: &str, fields: &FormFields) -> String {
        match fields.get("suivant") {
            "" => "/connexion".to_owned(),
            next => crate::ui::href::with_query("/connexion", "suivant", next),
        }
    }
    Routes::new()
        .form::<registration::SignUp>(same_page)
        .form::<registration::ConfirmAddress>(with_token)
        .form::<login::LogIn>(login_page)
        .form::<login::LogOut>(same_page)
        .form::<recovery::ForgotPassword>(same_page)
        .form::<recovery::ResetPassword>(with_token)
        .form::<profile::UpdateProfile>(account)
        .form::<profile::ChangePassword>(account)
        .form::<profile::ChangeEmail>(account)
        .form::<profile::ConfirmEmail>(with_token)
        .form::<profile::DeleteAccount>(account)
        .get("/compte/donnees.json", profile::export_my_data)
}

/// Accounts and logging in ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Comptes et connexion",
    tables: &["users", "tokens", "structure_managers", "sessions"],
    data: "Nom, adresse e-mail, mot de passe (chiffré, jamais lisible), date de création et de dernière connexion, fiches de l'annuaire que vous gérez, liens à usage unique envoyés par courriel (seule leur empreinte est gardée), cookie de session.",
    purpose: "Vous identifier, vous laisser gérer vos fiches, vos inscriptions et vos clubs, vous écrire au sujet de votre compte.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que vous utilisez le compte. Un compte dont l'adresse n'est pas confirmée est supprimé après 7 jours ; un compte sans connexion depuis 3 ans est prévenu par courriel, puis supprimé 30 jours plus tard si personne ne s'y connecte. Les liens à usage unique sont effacés dès leur expiration, les sessions après 14 jours d'inactivité (30 jours au plus). Vous pouvez supprimer votre compte à tout moment depuis « Mon compte ».",
    recipients: "Les administrateurs du portail.",
};
