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

/// Hashes on a blocking thread: Argon2id takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, AppError> {
    on_argon2_thread(move || password_auth::generate_hash(password))
        .await
        .ok_or_else(|| {
            tracing::error!("password hashing task failed");
            AppError::Internal
        })
}

/// Verifies on a blocking thread. With no stored hash (unknown e-mail) a dummy hash is checked
/// anyway, so that the answer takes as long as for a known e-mail.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| password_auth::generate_hash("dessine-dummy-password"));
    on_argon2_thread(move || {
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
