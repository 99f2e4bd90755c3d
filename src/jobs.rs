//! Periodic work that must happen once per period whatever the number of app servers (purges,
//! anonymisation, letters): each server looks once a minute; for each job whose period has
//! begun, the server that inserts the period's row in `job_runs` runs it, the others find the
//! row and skip. A run holds a [`LEASE`]: if its server dies before finishing, the next server
//! to look after the lease takes the period over.
//! `dessine jobs run` runs every job once, for cron users. Features declare their jobs; the
//! server assembles the list (`crate::features::jobs`).

use std::future::Future;
use std::pin::Pin;

use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// What one run of a job answers: how many rows (or mails) it handled.
pub type JobRun<'a> = Pin<Box<dyn Future<Output = Result<u64, AppError>> + Send + 'a>>;

/// A job: its name (the key of its runs), its period, and what it does at a given time.
#[derive(Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    /// Seconds between two runs.
    pub every: i64,
    /// What a run does, at `now`.
    pub run: for<'a> fn(&'a AppState, Timestamp) -> JobRun<'a>,
}

impl Job {
    /// The number of the period that holds `now`.
    pub fn period(&self, now: Timestamp) -> i64 {
        now.unix().div_euclid(self.every.max(1))
    }
}

/// How long a run may hold its period before another server may take it over (a server killed
/// mid-run). The jobs are written so that a second run of a period does no harm (deletes of
/// what is due, deliveries claimed one by one), so a slow run overtaken costs nothing.
pub const LEASE: time::Duration = time::Duration::minutes(15);

/// Claims `period` of `job` for this server: true for the one that inserted the row, or that
/// took over a run whose lease ended without it finishing.
pub async fn claim(db: &Db, job: &str, period: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let lease_until = now.plus(LEASE);
    let done = sqlx::query(
        "INSERT INTO job_runs (job, period, started_at, lease_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job, period) DO NOTHING",
    )
    .bind(job)
    .bind(period)
    .bind(now)
    .bind(lease_until)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let taken = sqlx::query(
        "UPDATE job_runs SET started_at = $1, lease_until = $2 \
         WHERE job = $3 AND period = $4 AND finished_at IS NULL AND lease_until < $1",
    )
    .bind(now)
    .bind(lease_until)
    .bind(job)
    .bind(period)
    .execute(&db.pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

async fn finish(db: &Db, job: &str, period: i64, outcome: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE job_runs SET finished_at = $1, outcome = $2 WHERE job = $3 AND period = $4",
    )
    .bind(Timestamp::now())
    .bind(outcome)
    .bind(job)
    .bind(period)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Runs `job` for the period that holds `now` unless another server (or an earlier look)
/// already did: `None` when skipped, else what the run answered.
pub async fn run_once(
    state: &AppState,
    job: &Job,
    now: Timestamp,
) -> Result<Option<u64>, AppError> {
    let period = job.period(now);
    if !claim(&state.db, job.name, period, now).await? {
        return Ok(None);
    }
    let result = (job.run)(state, now).await;
    state.metrics.record_job(job.name, result.is_err());
    let outcome = match &result {
        Ok(count) => count.to_string(),
        Err(error) => format!("erreur : {error}"),
    };
    finish(&state.db, job.name, period, &outcome).await?;
    result.map(Some)
}

/// Runs every job whose period has begun and that no server ran yet; logs what each did.
pub async fn run_due(state: &AppState, jobs: &[Job], now: Timestamp) {
    for job in jobs {
        match run_once(state, job, now).await {
            Ok(None | Some(0)) => {}
            Ok(Some(count)) => tracing::info!(job = job.name, count, "job done"),
            Err(error) => tracing::warn!(job = job.name, %error, "job failed"),
        }
    }
}

/// Starts this server's look at the jobs, once a minute.
pub fn start(state: &AppState, jobs: &'static [Job]) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            ticks.tick().await;
            run_due(&state, jobs, Timestamp::now()).await;
        }
    });
}

/// Job runs older than this are forgotten (by the `job_runs` job itself).
const KEEP_RUNS_DAYS: i64 = 30;

/// The job that forgets old job runs.
pub const FORGET_OLD_RUNS: Job = Job {
    name: "job-runs",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(async move {
            let before = now.plus(time::Duration::days(-KEEP_RUNS_DAYS));
            let done = sqlx::query("DELETE FROM job_runs WHERE started_at < $1")
                .bind(before)
                .execute(&state.db.pool)
                .await?;
            Ok(done.rows_affected())
        })
    },
};

/// Mail files (the folder transport) are removed this long after they were written.
pub const KEEP_MAIL_FILES_DAYS: u64 = 30;

/// The daily removal of old mail files, when mail goes to a folder.
pub const OLD_MAIL_FILES: Job = Job {
    name: "mail-files",
    every: 24 * 3600,
    run: |state, _| {
        Box::pin(async move {
            let crate::mail::Mailer::Folder(folder, _) = &state.mailer else {
                return Ok(0);
            };
            let folder = folder.clone();
            let keep = std::time::Duration::from_secs(KEEP_MAIL_FILES_DAYS * 24 * 3600);
            tokio::task::spawn_blocking(move || crate::mail::remove_older_than(&folder, keep))
                .await
                .map_err(|_| AppError::Internal)
        })
    },
};
