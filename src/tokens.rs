//! Single-use links sent by mail, in one implementation for the whole portal: 256 random bits
//! go in the link, only their SHA-256 is stored (table `tokens`, written here alone), each with
//! what it is for, the row it leads to, when it expires and when it was used. Accounts
//! (confirmation, password reset, address change), events (guest confirmation, cancel links),
//! clubs (invitations by mail) and moderation (a visitor's proposal) issue and read their links through these functions.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::timestamp::Timestamp;

/// What a link is for (`tokens.purpose`), and so what its `subject_id` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms a new account's address (subject: the user).
    Verify,
    /// Chooses a new password (the user).
    Reset,
    /// Confirms a new e-mail address, kept as the link's detail (the user).
    NewEmail,
    /// A guest confirms their registration (the registration).
    ConfirmRegistration,
    /// Cancels a registration; it stays usable, so a second click says it is already done.
    CancelRegistration,
    /// Follows a club's invitation by mail (the invitation).
    ClubInvitation,
    /// A visitor confirms the address of their proposal to the directory (the proposal).
    ConfirmProposal,
    /// A manager says their entry is still accurate (the entry).
    StillAccurate,
    /// Whoever reads an entry's public address confirms that a member may manage it (the
    /// request to manage it).
    ClaimEntry,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
            Purpose::NewEmail => "email",
            Purpose::ConfirmRegistration => "registration_confirm",
            Purpose::CancelRegistration => "registration_cancel",
            Purpose::ClubInvitation => "club_invitation",
            Purpose::ConfirmProposal => "proposal_confirm",
            Purpose::StillAccurate => "still_accurate",
            Purpose::ClaimEntry => "entry_claim",
        }
    }

    /// How long a link stays valid: an hour to reset a password, two days to confirm an
    /// address or a registration, a month for a club's invitation, two years to cancel.
    pub fn lifetime(self) -> time::Duration {
        match self {
            Purpose::Reset => time::Duration::hours(1),
            Purpose::Verify
            | Purpose::NewEmail
            | Purpose::ConfirmRegistration
            | Purpose::ConfirmProposal => time::Duration::hours(48),
            Purpose::ClubInvitation | Purpose::StillAccurate | Purpose::ClaimEntry => {
                time::Duration::days(30)
            }
            Purpose::CancelRegistration => time::Duration::days(730),
        }
    }
}

/// Where a live link leads: its subject's id and its detail (the new address of an e-mail
/// change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub subject: i64,
    pub detail: Option<String>,
}

/// A fresh token (for the link) and its hash (for the database).
pub fn new_token() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random value for `users.security_stamp`.
pub fn new_stamp() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>())
}

/// Stores a new link to `subject` and answers the token to send. With `replace`, the
/// subject's earlier unused links of the same purpose stop working (only the last mail counts).
pub async fn issue(
    conn: &mut AnyConnection,
    purpose: Purpose,
    subject: i64,
    detail: Option<&str>,
    replace: bool,
) -> Result<String, sqlx::Error> {
    let now = Timestamp::now();
    if replace {
        revoke(conn, purpose, subject).await?;
    }
    let (token, hash) = new_token();
    sqlx::query(
        "INSERT INTO tokens (hash, purpose, subject_id, detail, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .bind(subject)
    .bind(detail)
    .bind(now.plus(purpose.lifetime()))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The subject's unused links of this purpose stop working.
pub async fn revoke(
    conn: &mut AnyConnection,
    purpose: Purpose,
    subject: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tokens WHERE purpose = $1 AND subject_id = $2 AND used_at IS NULL")
        .bind(purpose.as_str())
        .bind(subject)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Where a live link leads (of this purpose, unused, unexpired), without using it.
pub async fn find(
    conn: &mut AnyConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Link>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT subject_id, detail FROM tokens WHERE hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .bind(Timestamp::now())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(subject, detail)| Link { subject, detail }))
}

/// Uses a live link once: one UPDATE checks and marks it, so of two clicks at the same moment
/// only one gets the link (inside a transaction, the other waits and then gets `None`).
pub async fn consume(
    conn: &mut AnyConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Link>, sqlx::Error> {
    let now = Timestamp::now();
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE tokens SET used_at = $1 WHERE hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 RETURNING subject_id, detail",
    )
    .bind(now)
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(subject, detail)| Link { subject, detail }))
}

/// Links past their time are deleted every hour (once whatever the number of servers): a used
/// or expired link is nothing but a hash and the address of an e-mail change.
pub const EXPIRED_TOKENS: crate::jobs::Job = crate::jobs::Job {
    name: "expired-tokens",
    every: 3600,
    run: |state, now| {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM tokens WHERE expires_at < $1")
                .bind(now)
                .execute(&state.db.pool)
                .await?;
            Ok(done.rows_affected())
        })
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in unpadded base64");
        assert_eq!(hash_a, hash_token(&a));
        assert_eq!(
            hash_a,
            hash_token(&format!(" {a}\n")),
            "a pasted link's spaces"
        );
        assert_eq!(hash_a.len(), 64);
        assert!(!hash_a.contains(&a));
    }

    #[test]
    fn every_purpose_has_its_stored_name_and_a_lifetime() {
        let all = [
            Purpose::Verify,
            Purpose::Reset,
            Purpose::NewEmail,
            Purpose::ConfirmRegistration,
            Purpose::CancelRegistration,
            Purpose::ClubInvitation,
            Purpose::ConfirmProposal,
            Purpose::StillAccurate,
            Purpose::ClaimEntry,
        ];
        let migration = include_str!("../migrations/sqlite/0012_tokens.sql");
        for purpose in all {
            assert!(migration.contains(&format!("'{}'", purpose.as_str())));
            assert!(purpose.lifetime() >= time::Duration::hours(1));
        }
        assert!(Purpose::Reset.lifetime() < Purpose::Verify.lifetime());
    }
}
