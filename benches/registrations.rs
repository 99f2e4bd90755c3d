//! Registration rush (run by `make bench`, on SQLite and on PostgreSQL when
//! `DESSINE_TEST_POSTGRES_URL` names a cluster): 500 guests who confirm their address at the
//! same moment for an event of 50 seats, through HTTP (`POST /evenements/confirmer`), then 50
//! cancellations racing 50 new confirmations. Prints the times; stops with an error if a seat is
//! sold twice, an answer is not a redirect, or the waitlist is out of arrival order.

#[path = "../tests/it/common.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{DatabaseKind, TestApp, decoded};
use dessine::features::events::{EventKind, ValidEvent, Visibility, db};
use dessine::timestamp::{Timestamp, paris_wall_clock};

const SEATS: i64 = 50;
const RUSH: usize = 500;
const RACE: usize = 50;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut kinds = vec![DatabaseKind::Sqlite];
    if std::env::var("DESSINE_TEST_POSTGRES_URL").is_ok() {
        kinds.push(DatabaseKind::Postgres);
    } else {
        println!("(PostgreSQL skipped: DESSINE_TEST_POSTGRES_URL is not set)");
    }
    for kind in kinds {
        runtime.block_on(rush(kind));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn confirmed(app: &TestApp, event: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'",
    )
    .bind(event)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// Registers `emails` as guests (pending), `concurrency` at a time, each from its own address,
/// and answers their confirmation tokens in the same order.
async fn pending_guests(app: &TestApp, slug: &str, emails: &[String]) -> Vec<String> {
    use futures::StreamExt;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let statuses: Vec<u16> = futures::stream::iter(emails.iter().enumerate())
        .map(|(n, email)| {
            let client = client.clone();
            let url = app.url(&format!("/evenements/{slug}/inscription"));
            let base = app.base.clone();
            async move {
                client
                    .post(url)
                    .header("origin", base)
                    .header(
                        "x-forwarded-for",
                        format!("10.20.{}.{}", n / 250, n % 250 + 1),
                    )
                    .form(&[
                        ("slug", slug),
                        ("name", "Invité du banc d'essai"),
                        ("email", email),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    assert!(
        statuses.iter().all(|s| *s == 303),
        "pending registrations: {statuses:?}"
    );
    let mails: Vec<String> = app.mails().iter().map(|m| decoded(m)).collect();
    emails
        .iter()
        .map(|email| {
            let mail = mails
                .iter()
                .rev()
                .find(|m| m.contains(&format!("To: {email}")))
                .unwrap_or_else(|| panic!("no mail to {email}"));
            let start = mail.find("confirmer?jeton=").expect("link") + "confirmer?jeton=".len();
            mail[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .collect()
}

/// Posts every token at once; answers each request's duration and status.
async fn confirm_all(app: &TestApp, tokens: &[String]) -> Vec<(Duration, u16)> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let client = client.clone();
            let url = app.url("/evenements/confirmer");
            let base = app.base.clone();
            let token = token.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let status = client
                    .post(url)
                    .header("origin", base)
                    .form(&[("token", token)])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                (started.elapsed(), status)
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

async fn rush(kind: DatabaseKind) {
    let name = format!("{kind:?}");
    let app = common::spawn_with(kind, true, true).await;
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE is_admin = 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let day = Timestamp::now().in_paris().date() + time::Duration::days(30);
    let event = ValidEvent {
        title: "Banc d'essai : cinquante places".to_owned(),
        kind: EventKind::Workshop,
        description: String::new(),
        starts_at: paris_wall_clock(day, time::Time::from_hms(9, 0, 0).unwrap()),
        ends_at: paris_wall_clock(day, time::Time::from_hms(12, 0, 0).unwrap()),
        place_name: "Salle".to_owned(),
        address: String::new(),
        commune: None,
        online_url: String::new(),
        organiser: None,
        capacity: Some(SEATS),
        per_structure_limit: None,
        opens_at: None,
        closes_at: None,
        visibility: Visibility::Public,
        club: None,
    };
    let slug = db::create_event(&app.db, &event, admin)
        .await
        .unwrap()
        .unwrap();
    let id = db::event_id(&app.db, &slug).await.unwrap().unwrap();

    let emails: Vec<String> = (0..RUSH).map(|n| format!("rush{n}@exemple.fr")).collect();
    let tokens = pending_guests(&app, &slug, &emails).await;
    let started = Instant::now();
    let results = confirm_all(&app, &tokens).await;
    let wall = started.elapsed();
    let failures = results.iter().filter(|(_, s)| *s != 303).count();
    let mut times: Vec<Duration> = results.iter().map(|(d, _)| *d).collect();
    times.sort();
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT status, queue FROM registrations WHERE event_id = $1 ORDER BY queue",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let confirmed_n = rows.iter().filter(|r| r.0 == "confirmed").count() as i64;
    let waitlisted_n = rows.iter().filter(|r| r.0 == "waitlisted").count();
    let queues: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    let in_order = queues == (1..=RUSH as i64).collect::<Vec<_>>()
        && rows.iter().take(SEATS as usize).all(|r| r.0 == "confirmed");
    println!(
        "\n[{name}] {RUSH} guests confirm at once for {SEATS} seats (HTTP): {:.0} ms in all, \
         per request p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {confirmed_n} confirmed, \
         {waitlisted_n} waitlisted, {failures} errors, arrival order kept: {in_order}",
        wall.as_secs_f64() * 1000.0,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
    );
    assert_eq!(failures, 0, "every confirmation answered 303");
    assert_eq!(confirmed_n, SEATS);
    assert_eq!(waitlisted_n, RUSH - SEATS as usize);
    assert!(
        in_order,
        "the first {SEATS} arrivals hold the seats, one arrival number each"
    );

    // 50 cancellations race 50 new confirmations; a watcher counts seats meanwhile.
    let seat_holders: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed' ORDER BY queue",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let newcomers: Vec<String> = (0..RACE).map(|n| format!("course{n}@exemple.fr")).collect();
    let new_tokens = pending_guests(&app, &slug, &newcomers).await;
    // The cancellations come from the site admin's page (one session, many posts).
    let admin_client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = admin_client
        .post(app.url("/connexion"))
        .header("origin", &app.base)
        .form(&[
            ("email", dessine::features::accounts::demo::ADMIN_EMAIL),
            (
                "password",
                dessine::features::accounts::demo::ADMIN_PASSWORD,
            ),
            ("suivant", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303, "admin login");
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let highest = {
        let watching = watching.clone();
        let pool = app.db.pool.clone();
        tokio::spawn(async move {
            let mut highest = 0;
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
                highest = highest.max(n);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            highest
        })
    };
    let started = Instant::now();
    let cancels: Vec<_> = seat_holders
        .into_iter()
        .map(|registration| {
            let client = admin_client.clone();
            let url = app.url(&format!("/inscriptions/{registration}/annuler"));
            let base = app.base.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", base)
                    .form(&[("registration", registration.to_string())])
                    .send()
                    .await
                    .map(|r| r.status().as_u16() == 303)
                    .unwrap_or(false)
            })
        })
        .collect();
    let confirmations = confirm_all(&app, &new_tokens);
    let (confirmations, cancelled) = tokio::join!(confirmations, async {
        let mut ok = 0;
        for task in cancels {
            if task.await.unwrap() {
                ok += 1;
            }
        }
        ok
    });
    let race = started.elapsed();
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let highest = highest.await.unwrap();
    let failures = confirmations.iter().filter(|(_, s)| *s != 303).count();
    let after = confirmed(&app, id).await;
    println!(
        "[{name}] {RACE} cancellations racing {RACE} new confirmations: {:.0} ms; {cancelled} cancelled, \
         {failures} errors, seats held at most {highest} (of {SEATS}), {after} after",
        race.as_secs_f64() * 1000.0
    );
    assert_eq!(cancelled, RACE);
    assert_eq!(failures, 0);
    assert!(highest <= SEATS, "never above capacity");
    assert_eq!(after, SEATS, "freed seats all given to people waiting");
}
