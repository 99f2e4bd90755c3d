//! What an account is made of, checked the same way everywhere: an e-mail address, a name, a
//! password of at least ten characters.

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
