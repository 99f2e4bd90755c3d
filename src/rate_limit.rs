//! Counting attempts per key (an address, an account, an account from one address) in fixed
//! windows. On SQLite (one app server) the counts are in memory; on PostgreSQL they are in the
//! database (`rate_counters`), so that every app server on it counts against the same
//! allowances: two servers do not give twice the quota.
//!
//! Memory and rows are bounded whatever visitors send: keys are hashes (a 1 MiB e-mail field
//! costs the same as a short one); in memory the table holds at most [`CAPACITY`] windows (when
//! full, expired windows go first, then the ones closest to their end); in the database expired
//! rows are deleted now and then by the requests themselves.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

/// The counts of attempts ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Limitation des essais",
    tables: &["rate_counters"],
    data: "Une empreinte (un hachage, jamais l'adresse en clair) de l'adresse IP, de l'adresse e-mail ou du compte qui essaie de se connecter, de s'inscrire ou d'envoyer un courriel, et le nombre d'essais.",
    purpose: "Empêcher qu'on devine un mot de passe ou qu'on se serve du portail pour envoyer des courriels en masse.",
    basis: "L'intérêt légitime du portail à protéger ses utilisateurs et ses services (article 6.1.f du RGPD).",
    retention: "Le temps de la fenêtre comptée : un quart d'heure à un jour.",
    recipients: "Personne : les serveurs du portail s'en servent seuls.",
};

/// At most `max` attempts per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

const MINUTE: u64 = 60;
/// Most windows kept at once (about 3 MB).
pub const CAPACITY: usize = 100_000;

/// The allowances of one kind of attempt: per client address, per account from one address,
/// and per account whatever the address.
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    name: &'static str,
    per_ip: Limit,
    per_account_and_ip: Limit,
    per_account: Limit,
}

const fn limit(max: u32, minutes: u64) -> Limit {
    Limit {
        max,
        window: Duration::from_secs(minutes * MINUTE),
    }
}

/// Logging in (and checking the current password on « Mon compte »): 5 tries per account from
/// one address, so that guessing is slow; 100 per account in all, high enough that someone
/// failing on purpose from elsewhere cannot keep the owner out.
pub const LOGIN: Guard = Guard {
    name: "login",
    per_ip: limit(20, 15),
    per_account_and_ip: limit(5, 15),
    per_account: limit(100, 15),
};
/// Signing up; per account, because a taken address's owner is mailed.
pub const SIGNUP: Guard = Guard {
    name: "signup",
    per_ip: limit(5, 60),
    per_account_and_ip: limit(3, 60),
    per_account: limit(3, 60),
};
/// Asking for a reset link (and, per account, for an e-mail change link).
pub const RESET: Guard = Guard {
    name: "reset",
    per_ip: limit(10, 60),
    per_account_and_ip: limit(3, 60),
    per_account: limit(3, 60),
};

/// A guest's registration to an event mails a confirmation link: strict per e-mail address (no
/// mailbox flooding). The mail itself is spent from [`MAIL_BUDGET`], which bounds a network
/// address to 120 an hour (a school registering a class for a fair fits).
pub const GUEST_REGISTRATION: Guard = Guard {
    name: "guest-registration",
    per_ip: limit(600, 60),
    per_account_and_ip: limit(5, 60),
    per_account: limit(5, 60),
};

/// Every mail the portal sends because of someone's action (a guest's confirmation link, a
/// club invitation or membership request, a need sent to suppliers, a buyer's message, a
/// supplier's answer) is spent from one budget: per sender (an account, or the address a guest
/// typed) and per network address, by the hour and by the day. A mail to a structure counts
/// once whatever the number of its managers. Enough for a busy day of a buyer sending a need to
/// thirty suppliers and following up; far too little to use the portal as a relay.
#[derive(Debug, Clone, Copy)]
pub struct MailBudget {
    pub per_sender: [Limit; 2],
    pub per_ip: [Limit; 2],
}

const DAY: u64 = 24 * 60;

pub const MAIL_BUDGET: MailBudget = MailBudget {
    per_sender: [limit(60, 60), limit(200, DAY)],
    per_ip: [limit(120, 60), limit(500, DAY)],
};

/// Who spends from the mail budget.
#[derive(Debug, Clone, Copy)]
pub enum Sender<'a> {
    Account(i64),
    /// A visitor without an account, by the e-mail address they typed.
    Address(&'a str),
}

/// Proposals to the directory (new entries, corrections): a network bringing in its members
/// proposes a few dozen in an afternoon; more is someone filling the moderators' queue. Per
/// e-mail address too, since a visitor's proposal mails them a link.
pub const PROPOSAL: Guard = Guard {
    name: "proposal",
    per_ip: limit(30, 60),
    per_account_and_ip: limit(20, 60),
    per_account: limit(20, 60),
};

/// « Je porte un projet »: a support request mails its holder a link and, once confirmed, the
/// advisors of a few networks. A holder writes one or two; a dozen in an hour from one address
/// is someone filling the advisors' queues.
pub const SUPPORT_REQUEST: Guard = Guard {
    name: "support-request",
    per_ip: limit(20, 60),
    per_account_and_ip: limit(10, 60),
    per_account: limit(10, 60),
};

/// « Écrire à cette structure »: per network address, per structure from one address, and per
/// structure whatever the address (a day's allowance: a structure's mailbox is not flooded).
pub const STRUCTURE_CONTACT: Guard = Guard {
    name: "structure-contact",
    per_ip: limit(20, 60),
    per_account_and_ip: limit(10, 60),
    per_account: limit(30, DAY),
};

/// Checking a label identifier: plenty for a buyer checking a list of suppliers, far too few to
/// find a valid identifier by trying (8.5 × 10¹¹ possibilities).
pub const LABEL_VERIFICATION: Guard = Guard {
    name: "label-verification",
    per_ip: limit(120, 15),
    per_account_and_ip: limit(120, 15),
    per_account: limit(120, 15),
};

fn too_many(wait: Duration) -> AppError {
    AppError::TooManyRequests {
        retry_after: wait.as_secs().max(1),
    }
}

/// One window: when it ends, and the attempts counted in it.
type Window = (Instant, u32);

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<u64, Window>>,
    hasher: RandomState,
    /// The database that holds the counts, when several servers share it.
    shared: Option<crate::db::Db>,
}

/// A key in the database: the SHA-256 of its parts, as 32 hex digits (stable across servers,
/// and an address or an e-mail never stored in clear).
fn shared_key(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(parts.join("\u{1f}").as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Counts `n` on every key in one transaction, or nothing when one has no room: `Ok(Err(wait))`.
/// Rows are locked in key order, so two requests never wait on each other in a circle.
async fn shared_hit_all(
    db: &crate::db::Db,
    keys: &[(String, Limit)],
    n: u32,
) -> Result<Result<(), Duration>, sqlx::Error> {
    use crate::timestamp::Timestamp;
    let now = Timestamp::now();
    let mut sorted = keys.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tx = db.pool.begin().await?;
    if *db.backend() == crate::db::Backend::Postgres {
        // A count need not outlive a crash of the database: committed without waiting for the
        // disk (at most the last fraction of a second of counts lost), a request no longer
        // waits for one flush of the journal (label checks at 32 connections on PostgreSQL's
        // durable defaults: 1,454 → 2,541 a second, p50 21.4 → 11.8 ms). Every other
        // transaction waits as before.
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
    }
    let mut wait = None::<i64>;
    for (key, limit) in &sorted {
        let end = now.plus(time::Duration::seconds(limit.window.as_secs() as i64));
        let (count, window_end): (i64, Timestamp) = sqlx::query_as(
            "INSERT INTO rate_counters (key, window_end, count) VALUES ($1, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
             count = CASE WHEN rate_counters.window_end <= $3 THEN 0 ELSE rate_counters.count END, \
             window_end = CASE WHEN rate_counters.window_end <= $3 THEN $2 ELSE rate_counters.window_end END \
             RETURNING count, window_end",
        )
        .bind(key)
        .bind(end)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if count + i64::from(n) > i64::from(limit.max) {
            let left = (window_end.unix() - now.unix()).max(1);
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
    }
    if let Some(wait) = wait {
        tx.rollback().await?;
        return Ok(Err(Duration::from_secs(wait as u64)));
    }
    for (key, _) in &sorted {
        sqlx::query("UPDATE rate_counters SET count = count + $1 WHERE key = $2")
            .bind(i64::from(n))
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    // Now and then, one request sweeps the windows that ended.
    if rand::random::<u16>() < 64 {
        sqlx::query("DELETE FROM rate_counters WHERE window_end < $1")
            .bind(now)
            .execute(&db.pool)
            .await?;
    }
    Ok(Ok(()))
}

impl RateLimiter {
    /// Counts kept in `db`, shared by every app server on it.
    pub fn shared(db: crate::db::Db) -> Self {
        RateLimiter {
            shared: Some(db),
            ..RateLimiter::default()
        }
    }

    /// Counts `n` on every key (given by its parts), all or nothing.
    async fn count(&self, keys: &[(&[&str], Limit)], n: u32) -> Result<(), Duration> {
        match &self.shared {
            None => {
                let hashed: Vec<(u64, Limit)> = keys
                    .iter()
                    .map(|(parts, limit)| (self.key(parts), *limit))
                    .collect();
                self.hit_all(&hashed, n)
            }
            Some(db) => {
                let keyed: Vec<(String, Limit)> = keys
                    .iter()
                    .map(|(parts, limit)| (shared_key(parts), *limit))
                    .collect();
                match shared_hit_all(db, &keyed, n).await {
                    Ok(answer) => answer,
                    // The database is down: the request will fail on its own; the limit
                    // does not add a second error.
                    Err(error) => {
                        tracing::warn!(%error, "rate counters unavailable");
                        Ok(())
                    }
                }
            }
        }
    }

    fn key(&self, parts: &[&str]) -> u64 {
        self.hasher.hash_one(parts)
    }

    /// Counts `n` attempts on every key, or none when one of them has no room for `n`: a refused
    /// attempt spends nothing. `Err(wait)` is the longest wait among the full ones.
    fn hit_all(&self, keys: &[(u64, Limit)], n: u32) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = None::<Duration>;
        for (key, limit) in keys {
            if let Some((end, count)) = windows.get(key)
                && now < *end
                && count.saturating_add(n) > limit.max
            {
                let left = end.saturating_duration_since(now);
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, limit) in keys {
            if windows.len() >= CAPACITY && !windows.contains_key(key) {
                make_room(&mut windows, now);
            }
            let entry = windows.entry(*key).or_insert((now + limit.window, 0));
            if now >= entry.0 {
                *entry = (now + limit.window, 0);
            }
            entry.1 = entry.1.saturating_add(n);
        }
        Ok(())
    }

    /// Spends `mails` from `sender`'s budget and from `ip`'s, all or nothing: past either
    /// allowance, nothing is spent and the answer is 429 with the wait.
    pub async fn spend_mails(
        &self,
        budget: MailBudget,
        sender: Sender<'_>,
        ip: &str,
        mails: u32,
    ) -> Result<(), AppError> {
        let who = match sender {
            Sender::Account(id) => ["account", &id.to_string()].join(":"),
            Sender::Address(email) => ["address", &email.to_lowercase()].join(":"),
        };
        let [hour, day] = budget.per_sender;
        let [ip_hour, ip_day] = budget.per_ip;
        let keys: [(&[&str], Limit); 4] = [
            (&["mail", "sender", "hour", &who], hour),
            (&["mail", "sender", "day", &who], day),
            (&["mail", "ip", "hour", ip], ip_hour),
            (&["mail", "ip", "day", ip], ip_day),
        ];
        self.count(&keys, mails).await.map_err(too_many)
    }

    /// Counts one attempt from `ip` on `account` against the allowances of `guard`.
    pub async fn check(&self, guard: Guard, ip: &str, account: &str) -> Result<(), AppError> {
        self.count(&[(&[guard.name, "ip", ip], guard.per_ip)], 1)
            .await
            .map_err(too_many)?;
        self.count(
            &[(&[guard.name, "pair", account, ip], guard.per_account_and_ip)],
            1,
        )
        .await
        .map_err(too_many)?;
        self.check_account(guard, account).await
    }

    /// Counts one attempt on `account` only (the member is logged in: no address to count).
    pub async fn check_account(&self, guard: Guard, account: &str) -> Result<(), AppError> {
        self.count(&[(&[guard.name, "account", account], guard.per_account)], 1)
            .await
            .map_err(too_many)
    }

    /// Forgets the attempts on `account` from `ip` (after a successful login).
    pub async fn forget_account(&self, guard: Guard, ip: &str, account: &str) {
        let parts: [&[&str]; 2] = [
            &[guard.name, "pair", account, ip],
            &[guard.name, "account", account],
        ];
        if let Some(db) = &self.shared {
            for key in parts.map(shared_key) {
                if let Err(error) = sqlx::query("DELETE FROM rate_counters WHERE key = $1")
                    .bind(key)
                    .execute(&db.pool)
                    .await
                {
                    tracing::warn!(%error, "rate counters unavailable");
                }
            }
            return;
        }
        let keys = parts.map(|p| self.key(p));
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in keys {
            windows.remove(&key);
        }
    }

    pub fn len(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops the expired windows; if that is not enough, the quarter closest to its end.
fn make_room(windows: &mut HashMap<u64, Window>, now: Instant) {
    windows.retain(|_, (end, _)| *end > now);
    if windows.len() >= CAPACITY {
        let mut ends: Vec<Instant> = windows.values().map(|(end, _)| *end).collect();
        let quarter = ends.len() / 4;
        ends.select_nth_unstable(quarter);
        let cut = ends[quarter];
        windows.retain(|_, (end, _)| *end > cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowance_is_counted_per_key() {
        let limiter = RateLimiter::default();
        let limit = limit(3, 1);
        for _ in 0..3 {
            assert!(limiter.hit_all(&[(1, limit)], 1).is_ok());
        }
        let wait = limiter.hit_all(&[(1, limit)], 1).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(
            limiter.hit_all(&[(2, limit)], 1).is_ok(),
            "other keys are not affected"
        );
    }

    #[test]
    fn window_expiry_restores_the_allowance() {
        let limiter = RateLimiter::default();
        let limit = Limit {
            max: 1,
            window: Duration::from_millis(30),
        };
        assert!(limiter.hit_all(&[(1, limit)], 1).is_ok());
        assert!(limiter.hit_all(&[(1, limit)], 1).is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(limiter.hit_all(&[(1, limit)], 1).is_ok());
    }

    #[tokio::test]
    async fn wrong_tries_from_one_address_do_not_lock_the_owner_out() {
        let limiter = RateLimiter::default();
        for _ in 0..5 {
            limiter
                .check(LOGIN, "203.0.113.9", "marie@exemple.fr")
                .await
                .unwrap();
        }
        assert!(
            limiter
                .check(LOGIN, "203.0.113.9", "marie@exemple.fr")
                .await
                .is_err()
        );
        assert!(
            limiter
                .check(LOGIN, "198.51.100.7", "marie@exemple.fr")
                .await
                .is_ok(),
            "the owner, from elsewhere, still gets in"
        );
    }

    fn small_budget() -> MailBudget {
        MailBudget {
            per_sender: [limit(3, 60), limit(5, DAY)],
            per_ip: [limit(6, 60), limit(8, DAY)],
        }
    }

    #[tokio::test]
    async fn mail_budget_is_all_or_nothing_and_per_sender() {
        let limiter = RateLimiter::default();
        let budget = small_budget();
        let ip = "203.0.113.9";
        limiter
            .spend_mails(budget, Sender::Account(1), ip, 2)
            .await
            .unwrap();
        let refused = limiter.spend_mails(budget, Sender::Account(1), ip, 2).await;
        assert!(
            matches!(refused, Err(AppError::TooManyRequests { retry_after }) if retry_after > 3000),
            "{refused:?}"
        );
        // The refusal spent nothing: one mail still fits in the hour.
        limiter
            .spend_mails(budget, Sender::Account(1), ip, 1)
            .await
            .unwrap();
        assert!(
            limiter
                .spend_mails(budget, Sender::Account(1), ip, 1)
                .await
                .is_err()
        );
        // A guest typing the same address in capitals is the same sender.
        limiter
            .spend_mails(budget, Sender::Address("Marie@Exemple.fr"), ip, 3)
            .await
            .unwrap();
        assert!(
            limiter
                .spend_mails(
                    budget,
                    Sender::Address("marie@exemple.fr"),
                    "198.51.100.7",
                    1
                )
                .await
                .is_err()
        );
        // The network address's hour is now used up (3 + 3 of 6) for everyone behind it.
        assert!(
            limiter
                .spend_mails(budget, Sender::Account(2), ip, 1)
                .await
                .is_err()
        );
        assert!(
            limiter
                .spend_mails(budget, Sender::Account(2), "198.51.100.7", 1)
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn the_day_holds_when_the_hour_starts_again() {
        let limiter = RateLimiter::default();
        let budget = MailBudget {
            per_sender: [
                Limit {
                    max: 3,
                    window: Duration::from_millis(30),
                },
                limit(4, DAY),
            ],
            per_ip: [limit(100, 60), limit(100, DAY)],
        };
        let ip = "203.0.113.9";
        limiter
            .spend_mails(budget, Sender::Account(1), ip, 3)
            .await
            .unwrap();
        assert!(
            limiter
                .spend_mails(budget, Sender::Account(1), ip, 1)
                .await
                .is_err()
        );
        std::thread::sleep(Duration::from_millis(40));
        limiter
            .spend_mails(budget, Sender::Account(1), ip, 1)
            .await
            .unwrap();
        let refused = limiter.spend_mails(budget, Sender::Account(1), ip, 1).await;
        assert!(
            matches!(refused, Err(AppError::TooManyRequests { retry_after }) if retry_after > 3600),
            "the day's allowance is spent: wait for the day, not the hour ({refused:?})"
        );
    }

    #[test]
    fn memory_is_bounded_whatever_the_keys() {
        let limiter = RateLimiter::default();
        let huge = "x".repeat(1 << 20);
        for i in 0..(CAPACITY + 20_000) {
            let ip = format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
            let _ = limiter.hit_all(
                &[(limiter.key(&["t", &ip, &huge[..i % 1000]]), limit(1, 1))],
                1,
            );
        }
        assert!(limiter.len() <= CAPACITY, "{}", limiter.len());
        assert!(limiter.len() >= CAPACITY / 2);
    }
}
