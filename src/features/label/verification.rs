//! Label identifiers (« DP-62-7KQ3-XM4P »): made when the training is complete, read back as
//! typed, and checked by anyone at `/label/verifier`.

use super::rights::now;
use crate::error::AppError;
use crate::features::label::PublicEntry;
use crate::timestamp::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The letters of an identifier: no 0/O, 1/I/L, so that it can be read aloud and typed back.
const CODE_LETTERS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A fresh identifier, `PREFIX-XXXX-XXXX` (eight random letters of 31: about 8.5 × 10¹¹
/// possibilities, so that guessing one is hopeless under the verification page's rate limit).
pub fn new_identifier(prefix: &str) -> String {
    let letters: [u8; 8] =
        std::array::from_fn(|_| CODE_LETTERS[rand::random_range(0..CODE_LETTERS.len())]);
    let letters = String::from_utf8_lossy(&letters).into_owned();
    format!("{prefix}-{}-{}", &letters[..4], &letters[4..])
}

/// An identifier as typed (spaces, lower case, a missing dash) in its printed form, or `None`
/// when it cannot be one.
pub fn normalise_identifier(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // DP 62 XXXX XXXX
    if compact.len() != 2 + 2 + 8 || !compact.is_char_boundary(4) {
        return None;
    }
    let (prefix, code) = compact.split_at(4);
    if !prefix[..2].chars().all(|c| c.is_ascii_uppercase())
        || !prefix[2..].chars().all(|c| c.is_ascii_digit())
        || !code.bytes().all(|b| CODE_LETTERS.contains(&b))
    {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}",
        &prefix[..2],
        &prefix[2..],
        &code[..4],
        &code[4..]
    ))
}

/// What `/label/verifier` answers about an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// Nothing typed yet.
    Nothing,
    Valid {
        identifier: String,
        structure: PublicEntry,
        until: Timestamp,
    },
    Suspended {
        identifier: String,
        structure: PublicEntry,
        since: Timestamp,
    },
    Expired {
        identifier: String,
        structure: PublicEntry,
        on: Timestamp,
    },
    Withdrawn {
        identifier: String,
        structure: PublicEntry,
        on: Timestamp,
    },
    Unknown {
        typed: String,
    },
}

impl Verification {
    /// The outcome's name, for logs and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            Verification::Nothing => "nothing",
            Verification::Valid { .. } => "valid",
            Verification::Suspended { .. } => "suspended",
            Verification::Expired { .. } => "expired",
            Verification::Withdrawn { .. } => "withdrawn",
            Verification::Unknown { .. } => "unknown",
        }
    }
}

/// `/label/verifier`: what an identifier is worth today. Says nothing about the structure but
/// its public entry.
#[server(endpoint = "label/verifier")]
pub async fn verify_label(identifiant: String) -> Result<Verification, AppError> {
    // Public, and limited per address so that identifiers cannot be found by trying.
    let state = crate::state::app_state()?;
    let typed: String = identifiant.trim().chars().take(40).collect();
    if typed.is_empty() {
        return Ok(Verification::Nothing);
    }
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(crate::rate_limit::LABEL_VERIFICATION, &ip, &ip)
        .await?;
    match super::normalise_identifier(&typed) {
        Some(identifier) => Ok(super::db::verify(&state.db, &identifier, now()).await?),
        None => Ok(Verification::Unknown { typed }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_read_back_as_typed() {
        let code = new_identifier("DP-62");
        assert_eq!(code.len(), "DP-62-XXXX-XXXX".len());
        assert_eq!(normalise_identifier(&code).as_deref(), Some(code.as_str()));
        assert_ne!(new_identifier("DP-62"), code, "random");
        assert_eq!(
            normalise_identifier(" dp 62 7kq3 xm4p ").as_deref(),
            Some("DP-62-7KQ3-XM4P")
        );
        for bad in [
            "",
            "DP-62",
            "DP-62-7KQ3-XM4",
            "DP-62-7KQ3-XM4PP",
            "DP-62-0KQ3-XM4P",
            "<script>",
            "DP-62-7KQ3-XMéP",
        ] {
            assert_eq!(normalise_identifier(bad), None, "{bad}");
        }
    }
}
