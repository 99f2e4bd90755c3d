//! Member accounts: sign-up with e-mail verification, login and logout, forgotten password,
//! the « Mon compte » page, roles, and who may do what (`policy`).
//!
//! Forms post to their own page address and work without JavaScript: on success the server
//! redirects (post/redirect/get) with a short message code in the URL; on bad input it renders
//! the same page again with the typed values and French error messages.

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod db;
pub mod login;
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod password;
pub mod policy;
pub mod profile;
pub mod recovery;
pub mod registration;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod views;

use serde::{Deserialize, Serialize};

/// The logged-in member as every page sees it. Rights that depend on data (managing an entry,
/// a club) are asked of their feature when needed, not loaded with every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: SiteRole,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == SiteRole::Admin
    }
}

/// A user's role on the whole site. Stored in `users.site_role` (0 member, 1 admin, 2 editor);
/// this is the one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    #[serde(rename = "membre")]
    Member,
    #[serde(rename = "admin")]
    Admin,
    /// Writes and publishes news and the information pages.
    #[serde(rename = "redaction")]
    Editor,
}

impl SiteRole {
    /// The value a form sends for this role (as its serde name).
    pub fn form_value(self) -> &'static str {
        match self {
            SiteRole::Member => "membre",
            SiteRole::Admin => "admin",
            SiteRole::Editor => "redaction",
        }
    }

    /// « Administrateur », « Rédacteur », « Membre ».
    pub fn label(self) -> &'static str {
        match self {
            SiteRole::Member => "Membre",
            SiteRole::Admin => "Administrateur",
            SiteRole::Editor => "Rédacteur",
        }
    }

    pub fn flag(self) -> i64 {
        match self {
            SiteRole::Member => 0,
            SiteRole::Admin => 1,
            SiteRole::Editor => 2,
        }
    }
}

impl TryFrom<i64> for SiteRole {
    type Error = String;
    fn try_from(flag: i64) -> Result<Self, String> {
        match flag {
            0 => Ok(SiteRole::Member),
            1 => Ok(SiteRole::Admin),
            2 => Ok(SiteRole::Editor),
            other => Err(format!("unknown site role flag {other}")),
        }
    }
}

/// The accounts' form posts (without JavaScript) and the data download.
#[cfg(feature = "ssr")]
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
        .form::<registration::SignUp>("/inscription", same_page)
        .form::<registration::ConfirmAddress>("/verifier", with_token)
        .form::<login::LogIn>("/connexion", login_page)
        .form::<login::LogOut>("/deconnexion", same_page)
        .form::<recovery::ForgotPassword>("/mot-de-passe-oublie", same_page)
        .form::<recovery::ResetPassword>("/reinitialiser", with_token)
        .form::<profile::UpdateProfile>("/compte/profil", account)
        .form::<profile::ChangePassword>("/compte/mot-de-passe", account)
        .form::<profile::ChangeEmail>("/compte/adresse", account)
        .form::<profile::ConfirmEmail>("/confirmer-adresse", with_token)
        .form::<profile::DeleteAccount>("/compte/supprimer", account)
        .get("/compte/donnees.json", profile::export_my_data)
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The e-mail as stored: trimmed and lower-cased, or a French message. Only a bare address is
/// accepted (one `@`, no spaces, no angle brackets, quotes or commas, at most 254 characters):
/// `Nom <adresse>` forms would let a sign-up send mail to someone else's mailbox.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let local_char = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    let domain_char = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    let valid = email.chars().count() <= 254
        && !email.contains("..")
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.chars().count() <= 64
                && local.chars().all(local_char)
                && !local.starts_with('.')
                && !local.ends_with('.')
                && domain.contains('.')
                && domain.chars().all(domain_char)
                && !domain.starts_with(['.', '-'])
                && !domain.ends_with(['.', '-'])
        });
    if email.is_empty() {
        Err("Indiquez votre adresse e-mail.")
    } else if valid {
        Ok(email)
    } else {
        Err("Cette adresse e-mail n'a pas la bonne forme (exemple : prenom.nom@exemple.fr).")
    }
}

/// The display name, trimmed, or a French message.
pub fn normalise_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("Indiquez votre nom."),
        1..=100 => Ok(name),
        _ => Err("Le nom ne doit pas dépasser 100 caractères."),
    }
}

/// Length rules for a new password (the common-password check is server-side).
pub fn check_password_length(password: &str) -> Result<(), &'static str> {
    match password.chars().count() {
        n if n < MIN_PASSWORD_CHARS => Err("Le mot de passe doit compter au moins 10 caractères."),
        n if n > MAX_PASSWORD_CHARS => Err("Le mot de passe ne doit pas dépasser 200 caractères."),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            normalise_email("  Marie.Dupont@Exemple.FR ").unwrap(),
            "marie.dupont@exemple.fr"
        );
        assert_eq!(
            normalise_email("o'brien+asso@exemple.fr").unwrap(),
            "o'brien+asso@exemple.fr"
        );
        assert!(normalise_email(&format!("{}@exemple.fr", "a".repeat(250))).is_err());
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
            "a@b@c.fr",
            "x<victim@corp.example>",
            "Nom <nom@exemple.fr>",
            "\"a\"@exemple.fr",
            "a,b@exemple.fr",
            "a@exemple..fr",
            ".a@exemple.fr",
            "a@-exemple.fr",
            "a\n@exemple.fr",
            "a@exemple.fr\r\nBcc: x@y.fr",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(normalise_name("  Marie   Dupont ").unwrap(), "Marie Dupont");
        assert!(normalise_name("   ").is_err());
        assert!(normalise_name(&"é".repeat(101)).is_err());
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(check_password_length("court").is_err());
        assert!(check_password_length("éééééééééé").is_ok());
        assert!(check_password_length(&"a".repeat(201)).is_err());
    }
}

/// The logged-in member of the request being rendered: on the server; always `None` in the
/// browser (pages that differ by viewer are rendered by the server).
pub fn rendering_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        auth::current_user()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Demo accounts (local use only; the README gives their passwords).
#[cfg(feature = "ssr")]
pub mod demo {
    use super::SiteRole;
    use crate::db::Db;

    pub const ADMIN_EMAIL: &str = "admin@dessine.example";
    pub const ADMIN_PASSWORD: &str = "demo-admin-dessine";
    pub const MANAGER_EMAIL: &str = "gerance@courses-asteur.example";
    pub const MANAGER_PASSWORD: &str = "demo-gerance-asteur";
    /// The entry the demo manager manages.
    pub const MANAGED_SLUG: &str = "les-courses-asteur";

    /// Runs the Club de l'ESS du dunkerquois (manages Entreprendre Ensemble).
    pub const CLUB_ADMIN_EMAIL: &str = "animation@entreprendre-ensemble.example";
    pub const CLUB_ADMIN_PASSWORD: &str = "demo-club-dunkerquois";
    /// Runs the Artois club (manages the Maison de la poésie).
    pub const ARTOIS_ADMIN_EMAIL: &str = "contact@maison-de-la-poesie.example";
    pub const ARTOIS_ADMIN_PASSWORD: &str = "demo-club-artois";
    /// Manages the Ressourcerie du Dunkerquois, whose request to join waits.
    pub const APPLICANT_EMAIL: &str = "direction@ressourcerie-du-dunkerquois.example";
    pub const APPLICANT_PASSWORD: &str = "demo-ressourcerie";
    /// Writes the news and the information pages.
    pub const EDITOR_EMAIL: &str = "redaction@dessine.example";
    pub const EDITOR_PASSWORD: &str = "demo-redaction-dessine";

    /// A verified demo member `email` (created with `password` when missing); their id.
    pub async fn member(
        db: &Db,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<i64, crate::error::AppError> {
        person(db, email, name, password, SiteRole::Member).await
    }

    /// A verified demo account `email` with `role` (created with `password` when missing); its id.
    async fn person(
        db: &Db,
        email: &str,
        name: &str,
        password: &str,
        role: SiteRole,
    ) -> Result<i64, crate::error::AppError> {
        use crate::error::AppError;
        if let Some(user) = super::db::find_by_email(db, email).await? {
            return Ok(user.id);
        }
        let hash = super::password::hash(password.to_owned())
            .await
            .map_err(|_| AppError::Internal)?;
        super::db::create_user(
            db,
            super::db::NewUser {
                email,
                name,
                password_hash: &hash,
                verified: true,
                role,
            },
        )
        .await?;
        super::db::find_by_email(db, email)
            .await?
            .map(|user| user.id)
            .ok_or(AppError::Internal)
    }

    /// Adds the demo admin, the demo manager of « Les Courses Asteur » and the clubs' people,
    /// each with the entry they manage. Idempotent.
    pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
        let people = [
            (
                ADMIN_EMAIL,
                "Camille Administratrice",
                ADMIN_PASSWORD,
                SiteRole::Admin,
                None,
            ),
            (
                MANAGER_EMAIL,
                "Karim Gérant",
                MANAGER_PASSWORD,
                SiteRole::Member,
                Some(MANAGED_SLUG),
            ),
            (
                CLUB_ADMIN_EMAIL,
                "Sophie Animatrice",
                CLUB_ADMIN_PASSWORD,
                SiteRole::Member,
                Some("entreprendre-ensemble"),
            ),
            (
                ARTOIS_ADMIN_EMAIL,
                "Lucie Delattre",
                ARTOIS_ADMIN_PASSWORD,
                SiteRole::Member,
                Some("maison-de-la-poesie"),
            ),
            (
                APPLICANT_EMAIL,
                "Paul Directeur",
                APPLICANT_PASSWORD,
                SiteRole::Member,
                Some("ressourcerie-du-dunkerquois"),
            ),
            (
                EDITOR_EMAIL,
                "Nadia Rédactrice",
                EDITOR_PASSWORD,
                SiteRole::Editor,
                None,
            ),
        ];
        for (email, name, password, role, managed) in people {
            let user = person(db, email, name, password, role)
                .await
                .map_err(|error| {
                    sqlx::Error::Protocol(format!("demo account {email}: {error:?}"))
                })?;
            let Some(slug) = managed else { continue };
            let structure: Option<i64> =
                sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&db.pool)
                    .await?;
            if let Some(structure) = structure {
                super::db::add_manager(db, user, structure).await?;
            }
        }
        Ok(())
    }
}
