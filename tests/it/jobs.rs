//! The periodic jobs' runner: once per period whatever the number of servers, and a server that
//! dies holding a period is replaced after the lease.

use crate::common;
use common::TestApp;
use dessine::jobs::{LEASE, claim};
use dessine::timestamp::Timestamp;

async fn a_period_is_run_once_and_taken_over_after_a_dead_servers_lease(app: TestApp) {
    let t = Timestamp::now();
    // Two servers at once: one claim.
    let (a, b) = tokio::join!(claim(&app.db, "essai", 1, t), claim(&app.db, "essai", 1, t));
    assert!(
        a.unwrap() ^ b.unwrap(),
        "exactly one server holds the period"
    );
    // Within the lease, nobody else.
    let within = t.plus(LEASE - time::Duration::minutes(1));
    assert!(!claim(&app.db, "essai", 1, within).await.unwrap());
    // The holder died: after the lease, the next server to look takes it over, once.
    let after = t.plus(LEASE + time::Duration::minutes(1));
    let (a, b) = tokio::join!(
        claim(&app.db, "essai", 1, after),
        claim(&app.db, "essai", 1, after)
    );
    assert!(a.unwrap() ^ b.unwrap(), "exactly one server takes over");
    // Finished: never again, whatever the time.
    sqlx::query("UPDATE job_runs SET finished_at = $1 WHERE job = 'essai' AND period = 1")
        .bind(after)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let much_later = after.plus(LEASE * 4);
    assert!(!claim(&app.db, "essai", 1, much_later).await.unwrap());
    // Another period is another run.
    assert!(claim(&app.db, "essai", 2, much_later).await.unwrap());
}

on_both_databases!(a_period_is_run_once_and_taken_over_after_a_dead_servers_lease);
