//! Counting attempts per key (an IP address, an account) in fixed windows, in memory. Each app
//! server counts on its own: with several servers an attacker gets at most that many times the
//! allowance, which still rules out guessing passwords.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

/// At most `max` attempts per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

const MINUTE: u64 = 60;

/// The allowances of one kind of attempt: per client address and per account (its e-mail).
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    name: &'static str,
    per_ip: Limit,
    per_account: Limit,
}

const fn guard(name: &'static str, per_ip: u32, per_account: u32, minutes: u64) -> Guard {
    let window = Duration::from_secs(minutes * MINUTE);
    Guard {
        name,
        per_ip: Limit {
            max: per_ip,
            window,
        },
        per_account: Limit {
            max: per_account,
            window,
        },
    }
}

/// Logging in (and, per account, checking the current password on « Mon compte »).
pub const LOGIN: Guard = guard("login", 20, 5, 15);
/// Signing up; per account, because a taken address's owner is mailed.
pub const SIGNUP: Guard = guard("signup", 5, 3, 60);
/// Asking for a reset link (and, per account, for an e-mail change link).
pub const RESET: Guard = guard("reset", 10, 3, 60);

fn too_many(wait: Duration) -> AppError {
    AppError::TooManyRequests {
        retry_after: wait.as_secs().max(1),
    }
}

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one attempt for `key`. `Err(wait)` when the allowance is used up.
    pub fn hit(&self, key: &str, limit: Limit) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            return Err(limit.window.saturating_sub(now.duration_since(entry.0)));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Counts one attempt from `ip` on `account` against both allowances of `guard`.
    pub fn check(&self, guard: Guard, ip: &str, account: &str) -> Result<(), AppError> {
        self.hit(&format!("{}-ip:{ip}", guard.name), guard.per_ip)
            .map_err(too_many)?;
        self.check_account(guard, account)
    }

    /// Counts one attempt on `account` only (the member is logged in: no address to count).
    pub fn check_account(&self, guard: Guard, account: &str) -> Result<(), AppError> {
        self.hit(
            &format!("{}-account:{account}", guard.name),
            guard.per_account,
        )
        .map_err(too_many)
    }

    /// Forgets the attempts on `account` (after a successful login).
    pub fn forget_account(&self, guard: Guard, account: &str) {
        self.reset(&format!("{}-account:{account}", guard.name));
    }

    fn reset(&self, key: &str) {
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowance_is_counted_per_key() {
        let limiter = RateLimiter::default();
        let limit = Limit {
            max: 3,
            window: Duration::from_secs(60),
        };
        for _ in 0..3 {
            assert!(limiter.hit("a", limit).is_ok());
        }
        let wait = limiter.hit("a", limit).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(
            limiter.hit("b", limit).is_ok(),
            "other keys are not affected"
        );
        limiter.reset("a");
        assert!(limiter.hit("a", limit).is_ok());
    }

    #[test]
    fn window_expiry_restores_the_allowance() {
        let limiter = RateLimiter::default();
        let limit = Limit {
            max: 1,
            window: Duration::from_millis(30),
        };
        assert!(limiter.hit("a", limit).is_ok());
        assert!(limiter.hit("a", limit).is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(limiter.hit("a", limit).is_ok());
    }
}
