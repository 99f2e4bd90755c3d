//! Password hashing (Argon2id through `password-auth`, off the async runtime) and the list of
//! common passwords refused at sign-up and on change.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::error::AppError;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Checks a new password: length, and not a common one. `email` must not be the password.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    super::check_password_length(password)?;
    let lowered = password.to_lowercase();
    if COMMON.contains(lowered.as_str()) {
        return Err("Ce mot de passe fait partie des plus courants : choisissez-en un autre.");
    }
    if !email.is_empty() && lowered == email.to_lowercase() {
        return Err("Le mot de passe ne doit pas être votre adresse e-mail.");
    }
    Ok(())
}

/// Hashes on a blocking thread: Argon2id takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|error| {
            tracing::error!(%error, "password hashing task failed");
            AppError::Internal
        })
}

/// Verifies on a blocking thread. With no stored hash (unknown e-mail) a dummy hash is checked
/// anyway, so that the answer takes as long as for a known e-mail.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| password_auth::generate_hash("dessine-dummy-password"));
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY.clone());
        password_auth::verify_password(password, &hash).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_short_passwords_are_refused() {
        assert!(check_new_password("azertyuiop", "").is_err());
        assert!(
            check_new_password("MotDePasse123", "").is_err(),
            "case does not help"
        );
        assert!(check_new_password("court", "").is_err());
        assert!(check_new_password("marie@exemple.fr", "Marie@exemple.fr").is_err());
        assert!(check_new_password("cheval agrafe batterie", "").is_ok());
        assert!(COMMON.len() > 100);
    }

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let hash = hash("cheval agrafe batterie".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify("cheval agrafe batterie".into(), Some(hash.clone())).await);
        assert!(!verify("cheval agrafe".into(), Some(hash)).await);
        assert!(!verify("dessine-dummy-password".into(), None).await);
    }
}
