//! How long accounts are kept, as [`super::PERSONAL_DATA`] declares it, enforced by daily jobs
//! that run once whatever the number of servers ([`crate::jobs`]): an account whose address was
//! never confirmed goes after 7 days; one nobody logged into for three years is warned by mail,
//! then deleted 30 days later unless someone logs in. A deletion goes through the same rule as
//! « Supprimer mon compte » (the last site admin or a club's last admin stays).

use super::db::{AccountChange, ChangeOutcome, change_account};
use crate::error::AppError;
use crate::jobs::Job;
use crate::state::AppState;
use crate::timestamp::Timestamp;
use time::Duration;

/// An account whose address was never confirmed is deleted after this.
pub const UNCONFIRMED_FOR: Duration = Duration::days(7);
/// An account nobody logged into for this long is warned…
pub const INACTIVE_FOR: Duration = Duration::days(3 * 365);
/// …and deleted this long after the warning.
pub const WARNED_FOR: Duration = Duration::days(30);

const DAY: i64 = 24 * 3600;

pub const UNCONFIRMED_ACCOUNTS: Job = Job {
    name: "unconfirmed-accounts",
    every: DAY,
    run: |state, now| Box::pin(delete_unconfirmed(state, now)),
};

pub const INACTIVE_ACCOUNTS: Job = Job {
    name: "inactive-accounts",
    every: DAY,
    run: |state, now| Box::pin(sweep_inactive(state, now)),
};

/// Deletes the accounts `ids`, skipping those the admin rules keep; how many went.
async fn delete_all(state: &AppState, ids: Vec<i64>) -> Result<u64, AppError> {
    let mut deleted = 0;
    for id in ids {
        match change_account(&state.db, id, AccountChange::Delete).await {
            Ok(ChangeOutcome::Done) => deleted += 1,
            Ok(outcome) => tracing::warn!(user = id, ?outcome, "account kept by the admin rules"),
            // A row elsewhere still needs the account (a label cohort's referent): kept.
            Err(error) => tracing::warn!(user = id, %error, "account not deleted"),
        }
    }
    Ok(deleted)
}

/// Deletes the accounts whose address was not confirmed within [`UNCONFIRMED_FOR`].
pub async fn delete_unconfirmed(state: &AppState, now: Timestamp) -> Result<u64, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE email_verified_at IS NULL AND created_at < $1 ORDER BY id LIMIT 10000",
    )
    .bind(now.plus(-UNCONFIRMED_FOR))
    .fetch_all(&state.db.pool)
    .await?;
    delete_all(state, ids).await
}

/// Warns the accounts unused for [`INACTIVE_FOR`], deletes those warned [`WARNED_FOR`] ago
/// that nobody logged into since; how many mails and deletions.
pub async fn sweep_inactive(state: &AppState, now: Timestamp) -> Result<u64, AppError> {
    let db = &state.db;
    let due: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, email, name FROM users WHERE email_verified_at IS NOT NULL \
         AND inactivity_warned_at IS NULL AND COALESCE(last_login_at, created_at) < $1 \
         ORDER BY id LIMIT 10000",
    )
    .bind(now.plus(-INACTIVE_FOR))
    .fetch_all(&db.pool)
    .await?;
    let deleted_on = now.plus(WARNED_FOR).french_date();
    let mut done = 0;
    for (id, email, name) in due {
        // The row is marked first: a mail is sent once whatever happens next.
        let marked = sqlx::query(
            "UPDATE users SET inactivity_warned_at = $1 WHERE id = $2 AND inactivity_warned_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
        if marked.rows_affected() == 1 {
            state
                .send_mail(super::mails::inactive_account(
                    &state.config.base_url,
                    &email,
                    &name,
                    &deleted_on,
                ))
                .await;
            done += 1;
        }
    }
    let expired: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE inactivity_warned_at < $1 \
         AND COALESCE(last_login_at, created_at) < inactivity_warned_at ORDER BY id LIMIT 10000",
    )
    .bind(now.plus(-WARNED_FOR))
    .fetch_all(&db.pool)
    .await?;
    Ok(done + delete_all(state, expired).await?)
}
