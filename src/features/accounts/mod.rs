//! Member accounts: sign-up with e-mail verification, login and logout, forgotten password,
//! the « Mon compte » page, roles, and who may do what (`policy`).
//!
//! Forms post to their own page address and work without JavaScript: on success the server
//! redirects (post/redirect/get) with a short message code in the URL; on bad input it renders
//! the same page again with the typed values and French error messages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod password;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod views;

use serde::{Deserialize, Serialize};

/// The logged-in member as every page sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    /// Ids of the directory entries this member manages.
    pub managed_structures: Vec<i64>,
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The e-mail as stored: trimmed and lower-cased, or a French message.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
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
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
            "a@b@c.fr",
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

/// Demo accounts (local use only; the README gives their passwords).
#[cfg(feature = "ssr")]
pub mod demo {
    use crate::db::Db;

    pub const ADMIN_EMAIL: &str = "admin@dessine.example";
    pub const ADMIN_PASSWORD: &str = "demo-admin-dessine";
    pub const MANAGER_EMAIL: &str = "gerance@courses-asteur.example";
    pub const MANAGER_PASSWORD: &str = "demo-gerance-asteur";
    /// The entry the demo manager manages.
    pub const MANAGED_SLUG: &str = "les-courses-asteur";

    /// Adds the demo admin and the demo manager of « Les Courses Asteur ». Idempotent.
    pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
        for (email, name, password, admin) in [
            (ADMIN_EMAIL, "Camille Administratrice", ADMIN_PASSWORD, true),
            (MANAGER_EMAIL, "Karim Gérant", MANAGER_PASSWORD, false),
        ] {
            if super::db::find_by_email(db, email).await?.is_some() {
                continue;
            }
            let hash = super::password::hash(password.to_owned())
                .await
                .map_err(|_| sqlx::Error::Protocol("password hashing failed".into()))?;
            super::db::create_user(
                db,
                super::db::NewUser {
                    email,
                    name,
                    password_hash: &hash,
                    verified: true,
                    admin,
                },
            )
            .await?;
        }
        let manager = super::db::find_by_email(db, MANAGER_EMAIL).await?;
        let structure: Option<i64> =
            sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
                .bind(MANAGED_SLUG)
                .fetch_optional(&db.pool)
                .await?;
        if let (Some(manager), Some(structure)) = (manager, structure) {
            super::db::add_manager(db, manager.id, structure).await?;
        }
        Ok(())
    }
}
