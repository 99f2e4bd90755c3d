//! Password hashing (Argon2id, off the async runtime) and the list of common passwords refused
//! at sign-up and on change.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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

/// Argon2id runs on two long-lived threads of its own. Each run takes 19 MiB and tens of
/// milliseconds of a core: a burst of logins waits its turn. Measured: on tokio's blocking pool,
/// whose threads come and go, the server's memory grew by about 600 KB per login and never came
/// back (7 GB after a 10-minute soak); on the same two threads the allocator reuses the same
/// blocks.
const ARGON2_THREADS: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

fn argon2_queue() -> &'static std::sync::mpsc::Sender<Job> {
    static QUEUE: LazyLock<std::sync::mpsc::Sender<Job>> = LazyLock::new(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        for n in 0..ARGON2_THREADS {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the server is stopping
                        }
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start an Argon2 thread");
            }
        }
        sender
    });
    &QUEUE
}

/// Runs `work` on one of the Argon2 threads and waits for it without blocking the runtime.
async fn on_argon2_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (answer, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(work());
    });
    argon2_queue().send(job).ok()?;
    result.await.ok()
}

/// Argon2id with 7 MiB of memory and 5 passes: one of the settings OWASP's password storage
/// guide lists as equal in strength to its first one (19 MiB, 2 passes, the `argon2` crate's
/// default). Measured on this project's machine, one hash: 14.6 ms against 21.2 ms with
/// 19 MiB and 2 passes (less memory to fill and read), and 12 MiB less held per Argon2 thread.
/// Hashes made with other settings still verify (the settings are written in each hash) and are
/// replaced at the next login (see [`is_current`]).
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;

fn argon2() -> argon2::Argon2<'static> {
    // The settings are constants that `Params::new` accepts (tested).
    let params = argon2::Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=7168,t=5,p=1$salt$hash`) with a fresh 16-byte salt.
fn generate_hash(password: &str) -> Option<String> {
    use argon2::PasswordHasher;
    use rand::RngCore;
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = argon2::password_hash::SaltString::encode_b64(&salt).ok()?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .ok()
        .map(|hash| hash.to_string())
}

/// Whether a stored hash was made with today's settings; an older one is made again from the
/// password at the member's next login.
pub fn is_current(stored: &str) -> bool {
    argon2::password_hash::PasswordHash::new(stored).is_ok_and(|hash| {
        hash.algorithm == argon2::Algorithm::Argon2id.ident()
            && argon2::Params::try_from(&hash).is_ok_and(|params| {
                params.m_cost() == MEMORY_KIB && params.t_cost() == PASSES && params.p_cost() == 1
            })
    })
}

/// Hashes on an Argon2 thread: Argon2id takes milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, AppError> {
    on_argon2_thread(move || generate_hash(&password))
        .await
        .flatten()
        .ok_or_else(|| {
            tracing::error!("password hashing failed (no Argon2 thread, or the hasher refused)");
            AppError::Internal
        })
}

/// How long checking a password has taken lately, in microseconds (0: not yet measured).
static LATELY: AtomicU64 = AtomicU64::new(0);

/// Keeps [`LATELY`] as a moving average of the checks' durations, the wait for a free Argon2
/// thread included (so it follows the load).
fn record_check(took: Duration) {
    let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    let _ = LATELY.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |lately| {
        Some(if lately == 0 {
            took
        } else {
            lately - lately / 8 + took / 8
        })
    });
}

/// The hash an unknown address's password is checked against, now and then (see [`verify`]).
static DUMMY: LazyLock<String> =
    LazyLock::new(|| generate_hash("dessine-dummy-password").unwrap_or_default());

/// Measures a check once, at start-up, before visitors come: the first unknown address then
/// waits what a check costs on a quiet server rather than what the first one cost under load.
/// The dummy hash is made first, so that its making is not counted as a check.
pub async fn measure_a_check() {
    on_argon2_thread(|| LazyLock::force(&DUMMY).len()).await;
    verify(String::new(), None).await;
}

/// Verifies on an Argon2 thread. With no stored hash (unknown e-mail) the answer comes after
/// as long as a check takes lately, so that it does not tell whether the address has an
/// account, but without hashing: a flood of logins with addresses unknown here (a leaked list
/// tried on every site) would otherwise take every core (measured: 8 % of wrong logins in a
/// mixed load took all of two cores). Before the first real check, a dummy hash is checked to
/// measure it.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    // One unknown address in 32 is checked against the dummy hash all the same, so that the
    // wait keeps following what a check costs now (a wait measured once under load and never
    // again would stay that long).
    static UNKNOWN: AtomicU64 = AtomicU64::new(0);
    let lately = LATELY.load(Ordering::Relaxed);
    if stored.is_none() && lately > 0 && !UNKNOWN.fetch_add(1, Ordering::Relaxed).is_multiple_of(32)
    {
        tokio::time::sleep(Duration::from_micros(lately)).await;
        return false;
    }
    let started = Instant::now();
    let known = stored.is_some();
    let checked = on_argon2_thread(move || {
        let hash = stored.unwrap_or_else(|| DUMMY.clone());
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .unwrap_or(false);
    record_check(started.elapsed());
    checked && known
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
        assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
        assert!(is_current(&hash));
        assert!(verify("cheval agrafe batterie".into(), Some(hash.clone())).await);
        assert!(!verify("cheval agrafe".into(), Some(hash.clone())).await);
        assert!(!verify("dessine-dummy-password".into(), None).await);
        // Two hashes of one password differ (their salts do).
        assert_ne!(
            hash,
            super::hash("cheval agrafe batterie".into()).await.unwrap()
        );
    }

    /// A hash made with the earlier settings (19 MiB, 2 passes) still lets its member in, and is
    /// seen as one to make again; what is not an Argon2id hash of today's settings is not current.
    #[tokio::test]
    async fn older_hashes_verify_and_are_not_current() {
        let older = password_auth::generate_hash("cheval agrafe batterie");
        assert!(
            older.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{older}"
        );
        assert!(verify("cheval agrafe batterie".into(), Some(older.clone())).await);
        assert!(!verify("cheval agrafe".into(), Some(older.clone())).await);
        assert!(!is_current(&older));
        let current = hash("cheval agrafe batterie".into()).await.unwrap();
        assert!(is_current(&current));
        for other in [
            "",
            "pas un hash",
            &current.replace("argon2id", "argon2i"),
            &current.replace("t=5", "t=6"),
            &current.replace("p=1", "p=2"),
        ] {
            assert!(!is_current(other), "{other}");
        }
    }

    /// An unknown address waits about as long as a real check, without one.
    #[tokio::test]
    async fn an_unknown_address_takes_as_long_as_a_check() {
        let hash = hash("cheval agrafe batterie".into()).await.unwrap();
        let started = Instant::now();
        assert!(!verify("pas le bon".into(), Some(hash)).await);
        let check = started.elapsed();
        let lately = Duration::from_micros(LATELY.load(Ordering::Relaxed));
        assert!(lately > Duration::ZERO);
        let started = Instant::now();
        assert!(!verify("cheval agrafe batterie".into(), None).await);
        let unknown = started.elapsed();
        // Other tests' checks move the average too: within a factor of four either way.
        assert!(
            unknown * 4 >= check.min(lately) && unknown <= check.max(lately) * 4,
            "unknown {unknown:?}, check {check:?}, lately {lately:?}"
        );
    }
}
