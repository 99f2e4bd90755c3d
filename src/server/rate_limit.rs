//! Counting attempts per key (an IP address, an account) in fixed windows, in memory. Each app
//! server counts on its own: with several servers an attacker gets at most that many times the
//! allowance, which still rules out guessing passwords.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` attempts per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

pub const LOGIN_PER_IP: Limit = Limit {
    max: 20,
    window: Duration::from_secs(15 * 60),
};
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 5,
    window: Duration::from_secs(15 * 60),
};
pub const SIGNUP_PER_IP: Limit = Limit {
    max: 5,
    window: Duration::from_secs(60 * 60),
};
pub const SIGNUP_PER_ACCOUNT: Limit = Limit {
    max: 3,
    window: Duration::from_secs(60 * 60),
};
pub const RESET_PER_IP: Limit = Limit {
    max: 10,
    window: Duration::from_secs(60 * 60),
};
pub const RESET_PER_ACCOUNT: Limit = Limit {
    max: 3,
    window: Duration::from_secs(60 * 60),
};

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

    /// Forgets the attempts of `key` (after a successful login).
    pub fn reset(&self, key: &str) {
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
