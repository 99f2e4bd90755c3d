//! Issue 29: what the portal keeps about people is declared for every table, shown on
//! `/donnees-personnelles`, and its retention is enforced by jobs on a fixed clock.

use crate::common;
use common::{TestApp, create_member, decoded, log_in, page};
use dessine::features::PERSONAL_DATA;
use dessine::timestamp::Timestamp;
use std::collections::BTreeSet;

/// Tables that hold nothing about a person, each with why. A new table must be declared in
/// its feature's `PERSONAL_DATA` or added here.
const WITHOUT_PERSONAL_DATA: &[(&str, &str)] = &[
    ("territories", "reference data"),
    ("sectors", "reference data"),
    ("structure_sectors", "a structure's sectors"),
    ("structure_redirects", "old addresses of merged entries"),
    ("events", "an event's public description"),
    ("event_sessions", "workshops"),
    ("event_questions", "an organiser's questions"),
    ("clubs", "a club's public description"),
    ("keywords", "words"),
    ("article_keywords", "words of an article"),
    ("info_pages", "the information pages' text"),
    ("search_changes", "ids of changed structures"),
    ("label_schemes", "the label's rules"),
    ("label_cohort_days", "training days"),
    ("label_leases", "which server sent a day's reminders"),
    ("need_sectors", "a need's sectors"),
    ("fair_stands", "structures holding a stand"),
    ("meeting_slots", "times"),
    ("job_runs", "which job ran when"),
    (
        "contact_opt_outs",
        "entries that turned their contact form off",
    ),
    ("digests", "which letter was written for which period"),
    ("mean_booked_days", "days an accepted booking holds"),
    ("support_networks", "structures that accompany projects"),
    ("support_network_territories", "a network's territories"),
    ("support_network_needs", "a network's needs"),
    ("support_request_needs", "the needs ticked on a request"),
    ("support_routes", "which networks a request was sent to"),
    (
        "open_data_snapshots",
        "the directory dataset, without contacts (src/features/opendata/model.rs)",
    ),
];

async fn tables(app: &TestApp) -> BTreeSet<String> {
    let sql = match app.db.backend() {
        dessine::db::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE 'structures\\_fts%' ESCAPE '\\'"
        }
        dessine::db::Backend::Postgres => {
            // tower-sessions names its table `session` on PostgreSQL, `sessions` on SQLite.
            "SELECT CASE WHEN table_name = 'session' THEN 'sessions' ELSE CAST(table_name AS TEXT) END \
             FROM information_schema.tables \
             WHERE table_schema IN ('public', 'tower_sessions') AND table_type = 'BASE TABLE' \
             AND table_name NOT LIKE '\\_sqlx%'"
        }
    };
    sqlx::query_scalar(sql)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Every table of the migrated database is declared (personal data) or listed as holding none,
/// never both; every declared table exists.
async fn every_table_is_declared_or_listed(app: TestApp) {
    let existing = tables(&app).await;
    let declared: BTreeSet<String> = PERSONAL_DATA
        .iter()
        .flat_map(|p| p.tables.iter().map(|t| (*t).to_owned()))
        .collect();
    let without: BTreeSet<String> = WITHOUT_PERSONAL_DATA
        .iter()
        .map(|(t, _)| (*t).to_owned())
        .collect();
    let unknown: Vec<_> = existing
        .iter()
        .filter(|t| !declared.contains(*t) && !without.contains(*t))
        .collect();
    assert!(
        unknown.is_empty(),
        "tables neither declared in a feature's PERSONAL_DATA nor listed without: {unknown:?}"
    );
    let both: Vec<_> = declared.intersection(&without).collect();
    assert!(both.is_empty(), "declared and listed without: {both:?}");
    let missing: Vec<_> = declared
        .iter()
        .chain(without.iter())
        .filter(|t| !existing.contains(*t))
        .collect();
    assert!(missing.is_empty(), "no such table: {missing:?}");
}

/// The four pages are in every page's footer; the data page lists every processing with its
/// retention; the legal notice says what the operator has not set.
async fn the_law_pages_are_in_every_footer(app: TestApp) {
    let visitor = app.browser();
    for path in ["/", "/annuaire", "/evenements", "/plan-du-site"] {
        let html = page(&app, &visitor, path).await;
        for link in [
            "href=\"/mentions-legales\"",
            "href=\"/donnees-personnelles\"",
            "href=\"/accessibilite\"",
            "href=\"/plan-du-site\"",
        ] {
            assert!(html.contains(link), "{path}: {link}");
        }
    }
    let data = page(&app, &visitor, "/donnees-personnelles").await;
    for processing in PERSONAL_DATA {
        assert!(data.contains(processing.name), "{}", processing.name);
    }
    assert!(data.contains("supprimé après 7 jours"));
    assert!(data.contains("cnil.fr"));
    let legal = page(&app, &visitor, "/mentions-legales").await;
    assert!(legal.contains("Hébergeur"));
    assert!(legal.contains("à compléter par l'exploitant du portail"));
    let accessibility = page(&app, &visitor, "/accessibilite").await;
    assert!(accessibility.contains("partiellement conforme"));
    assert!(accessibility.contains("Défenseur des droits"));
    let plan = page(&app, &visitor, "/plan-du-site").await;
    assert!(plan.contains("href=\"/annuaire/referencer\""));
}

async fn set(app: &TestApp, sql: &str, at: Timestamp, id: i64) {
    sqlx::query(sql)
        .bind(at)
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

/// The retention jobs on a fixed clock: an unconfirmed account goes after 7 days; an account
/// unused for three years is warned once, kept if someone logs in, deleted 30 days after the
/// warning otherwise; expired links go; registrations are anonymised a year after their event.
async fn retention_is_enforced_on_a_fixed_clock(app: TestApp) {
    use dessine::features::accounts::retention;
    let now = Timestamp::now();
    let days = |n: i64| time::Duration::days(n);
    // Unconfirmed: one 8 days old goes, one 6 days old stays.
    let old = create_member(&app, "ancien-non-confirme@exemple.fr", None).await;
    let young = create_member(&app, "recent-non-confirme@exemple.fr", None).await;
    for (id, age) in [(old, 8), (young, 6)] {
        set(
            &app,
            "UPDATE users SET email_verified_at = NULL, created_at = $1 WHERE id = $2",
            now.plus(-days(age)),
            id,
        )
        .await;
    }
    assert_eq!(
        retention::delete_unconfirmed(&app.state, now)
            .await
            .unwrap(),
        1
    );
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id IN ($1, $2)")
        .bind(old)
        .bind(young)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, [young]);
    // Inactive for three years: two accounts, one logs in after the warning.
    let sleeper = create_member(&app, "dormeur@exemple.fr", None).await;
    let waker = create_member(&app, "reveille@exemple.fr", None).await;
    for id in [sleeper, waker] {
        set(
            &app,
            "UPDATE users SET created_at = $1, last_login_at = NULL WHERE id = $2",
            now.plus(-days(3 * 365 + 1)),
            id,
        )
        .await;
    }
    let before = app.mails().len();
    retention::sweep_inactive(&app.state, now).await.unwrap();
    let warnings: Vec<String> = app.mails()[before..].iter().map(|m| decoded(m)).collect();
    assert_eq!(
        warnings
            .iter()
            .filter(|m| m
                .contains("Personne ne s'est connecté à votre compte DESSINE depuis trois ans"))
            .count(),
        2,
        "{warnings:?}"
    );
    // A second sweep the same day mails nobody again.
    let before = app.mails().len();
    retention::sweep_inactive(&app.state, now).await.unwrap();
    assert_eq!(app.mails().len(), before);
    log_in(&app, "reveille@exemple.fr", common::MEMBER_PASSWORD).await;
    let later = now.plus(days(31));
    retention::sweep_inactive(&app.state, later).await.unwrap();
    let users: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id IN ($1, $2)")
        .bind(sleeper)
        .bind(waker)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        users,
        [waker],
        "the sleeper goes, the one who logged in stays"
    );
    // Expired links go, live ones stay.
    let live_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE expires_at >= $1")
        .bind(later)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (dessine::tokens::EXPIRED_TOKENS.run)(&app.state, later)
        .await
        .unwrap();
    let (expired, live): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM tokens WHERE expires_at < $1), (SELECT COUNT(*) FROM tokens)",
    )
    .bind(later)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((expired, live), (0, live_before));
    // Registrations of an event over for a year are anonymised; the seat stays counted.
    let event: i64 = sqlx::query_scalar("SELECT MIN(id) FROM events")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let registered: i64 = sqlx::query_scalar(
        "INSERT INTO registrations (event_id, name, email, status, created_at, updated_at) \
         VALUES ($1, 'Camille Passée', 'camille@exemple.fr', 'confirmed', $2, $2) RETURNING id",
    )
    .bind(event)
    .bind(now)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    set(
        &app,
        "UPDATE events SET starts_at = $1, ends_at = $1 WHERE id = $2",
        now.plus(-days(366)),
        event,
    )
    .await;
    let job = dessine::features::events::guests::ANONYMISE_PAST_REGISTRATIONS;
    assert!((job.run)(&app.state, now).await.unwrap() >= 1);
    let (name, email, status): (String, String, String) =
        sqlx::query_as("SELECT name, email, status FROM registrations WHERE id = $1")
            .bind(registered)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(!name.contains("Camille") && !email.contains("camille"));
    assert_eq!(status, "confirmed");
    assert_eq!((job.run)(&app.state, now).await.unwrap(), 0, "done once");
}

on_both_databases!(
    every_table_is_declared_or_listed,
    the_law_pages_are_in_every_footer,
    retention_is_enforced_on_a_fixed_clock,
);
