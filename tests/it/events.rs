//! Events over HTTP and through their database functions, on both databases: capacity, workshop
//! capacity, the per-structure limit, waitlist order and promotion, duplicates, guests confirmed
//! by mail, cancellation links (valid, reused, forged), visibility, daylight-saving times, the
//! calendar files parsed back, the attendee CSV parsed back, check-in, and rushes that must never
//! oversell.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, create_member, location, log_in, main_of, page, post};
use dessine::features::accounts::demo;
use dessine::features::events::db::{self, Registrant, Seat};
use dessine::features::events::{EventKind, ValidEvent, ValidSession, Visibility};
use dessine::timestamp::{Timestamp, paris_wall_clock};

const PASSWORD: &str = common::MEMBER_PASSWORD;

use common::decoded;

/// The mails sent to `to`, decoded, oldest first.
fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    app.mails()
        .iter()
        .map(|m| decoded(m))
        .filter(|m| m.contains(&format!("To: {to}")))
        .collect()
}

/// The token of the first `path?jeton=` link in `mail`.
fn token_in(mail: &str, path: &str) -> String {
    let marker = format!("{path}?jeton=");
    let start = mail
        .find(&marker)
        .unwrap_or_else(|| panic!("no {path} link in {mail}"))
        + marker.len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// An event starting in `days` days, from 9:00 to 17:00 Paris time, in Dunkerque.
fn event(title: &str, capacity: Option<i64>, days: i64) -> ValidEvent {
    let day = Timestamp::now().in_paris().date() + time::Duration::days(days);
    ValidEvent {
        title: title.to_owned(),
        kind: EventKind::Workshop,
        description: "Un atelier de test.".to_owned(),
        starts_at: paris_wall_clock(day, time::Time::from_hms(9, 0, 0).unwrap()),
        ends_at: paris_wall_clock(day, time::Time::from_hms(17, 0, 0).unwrap()),
        place_name: "Halle aux sucres".to_owned(),
        address: "9003 route du quai Freycinet 3".to_owned(),
        commune: Some("dunkerque".to_owned()),
        online_url: String::new(),
        organiser: None,
        capacity,
        per_structure_limit: None,
        opens_at: None,
        closes_at: None,
        visibility: Visibility::Public,
        club: None,
    }
}

async fn admin_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Creates the event; answers `(id, slug)`.
async fn create(app: &TestApp, event: &ValidEvent) -> (i64, String) {
    let slug = db::create_event(&app.db, event, admin_id(app).await)
        .await
        .unwrap()
        .unwrap();
    (db::event_id(&app.db, &slug).await.unwrap().unwrap(), slug)
}

fn guest(n: usize) -> Registrant {
    Registrant {
        user_id: None,
        structure_id: None,
        name: format!("Personne {n}"),
        email: format!("personne{n}@exemple.fr"),
    }
}

async fn statuses(app: &TestApp, event_id: i64) -> Vec<(String, String, Option<i64>)> {
    sqlx::query_as(
        "SELECT email, status, queue FROM registrations WHERE event_id = $1 ORDER BY queue, id",
    )
    .bind(event_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn confirmed_count(app: &TestApp, event_id: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'",
    )
    .bind(event_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// Members register through the plain form; the third and fourth wait in arrival order; when
/// the first cancels from « Mes inscriptions », the third gets the seat and a mail.
async fn capacity_waitlist_and_promotion(app: TestApp) {
    let (_, slug) = create(&app, &event("Atelier à deux places", Some(2), 10)).await;
    let mut clients = Vec::new();
    for n in 1..=4 {
        let email = format!("membre{n}@exemple.fr");
        create_member(&app, &email, None).await;
        let client = log_in(&app, &email, PASSWORD).await;
        let response = post(
            &app,
            &client,
            &format!("/evenements/{slug}/inscription"),
            &[("slug", &slug)],
        )
        .await;
        assert_eq!(response.status(), 303, "registration {n}");
        let expected = if n <= 2 {
            "message=inscrit"
        } else {
            "message=liste-attente"
        };
        assert!(
            location(&response).ends_with(expected),
            "{n}: {}",
            location(&response)
        );
        clients.push(client);
    }
    let html = page(&app, &clients[3], &format!("/evenements/{slug}")).await;
    assert!(
        main_of(&html).contains("liste d'attente, en position 2"),
        "{}",
        main_of(&html)
    );
    assert!(main_of(&html).contains("Complet — liste d'attente"));
    // The first cancels from /compte.
    let account = page(&app, &clients[0], "/compte").await;
    assert!(
        account.contains("Atelier à deux places"),
        "« Mes inscriptions » lists it"
    );
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'membre1@exemple.fr'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let response = post(
        &app,
        &clients[0],
        &format!("/inscriptions/{id}/annuler"),
        &[("registration", &id.to_string()), ("retour", "/compte")],
    )
    .await;
    assert_eq!(location(&response), "/compte?message=annulee");
    let rows = statuses(&app, db::event_id(&app.db, &slug).await.unwrap().unwrap()).await;
    let status_of = |email: &str| rows.iter().find(|r| r.0 == email).unwrap().1.clone();
    assert_eq!(status_of("membre1@exemple.fr"), "cancelled");
    assert_eq!(
        status_of("membre3@exemple.fr"),
        "confirmed",
        "first waiting promoted"
    );
    assert_eq!(status_of("membre4@exemple.fr"), "waitlisted");
    let mail = mails_to(&app, "membre3@exemple.fr").pop().unwrap();
    assert!(mail.contains("Une place s'est libérée"), "{mail}");
    assert!(mail.contains("text/calendar"), "calendar file attached");
    let html = page(&app, &clients[3], &format!("/evenements/{slug}")).await;
    assert!(main_of(&html).contains("en position 1"));
    // Cancelling twice is refused clearly.
    let again = post(
        &app,
        &clients[0],
        &format!("/inscriptions/{id}/annuler"),
        &[("registration", &id.to_string()), ("retour", "/compte")],
    )
    .await;
    assert_eq!(again.status(), 409);
    // Someone else's registration cannot be cancelled by a member.
    let other: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'membre2@exemple.fr'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let refused = post(
        &app,
        &clients[3],
        &format!("/inscriptions/{other}/annuler"),
        &[("registration", &other.to_string())],
    )
    .await;
    assert_eq!(refused.status(), 403);
}

/// A second registration by the same member is refused with a message; a structure's limit is
/// kept, on the structure's field.
async fn duplicates_and_the_structure_limit(app: TestApp) {
    let mut limited = event("Rencontre limitée", Some(50), 12);
    limited.per_structure_limit = Some(1);
    let (_, slug) = create(&app, &limited).await;
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let structure: i64 =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'les-courses-asteur'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let path = format!("/evenements/{slug}/inscription");
    let first = post(
        &app,
        &manager,
        &path,
        &[("slug", &slug), ("structure", &structure.to_string())],
    )
    .await;
    assert_eq!(first.status(), 303);
    let twice = post(&app, &manager, &path, &[("slug", &slug)]).await;
    assert_eq!(twice.status(), 409);
    assert!(twice.text().await.unwrap().contains("déjà inscrit"));
    // A colleague of the same structure: the limit (1) is reached.
    create_member(&app, "collegue@exemple.fr", Some("les-courses-asteur")).await;
    let colleague = log_in(&app, "collegue@exemple.fr", PASSWORD).await;
    let over = post(
        &app,
        &colleague,
        &path,
        &[("slug", &slug), ("structure", &structure.to_string())],
    )
    .await;
    assert_eq!(over.status(), 422);
    let html = over.text().await.unwrap();
    assert!(
        html.contains("c'est le maximum pour cet événement"),
        "{}",
        main_of(&html)
    );
    // A structure the member does not manage is refused.
    let other: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'work-co'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let foreign = post(
        &app,
        &colleague,
        &path,
        &[("slug", &slug), ("structure", &other.to_string())],
    )
    .await;
    assert_eq!(foreign.status(), 422);
    // At a personal title, the colleague may come.
    let personal = post(
        &app,
        &colleague,
        &path,
        &[("slug", &slug), ("structure", "")],
    )
    .await;
    assert_eq!(personal.status(), 303);
}

/// Issue 27, finding 9: an unconfirmed guest is not shown to organisers; registering their
/// address again does not cancel the link they were sent; unconfirmed rows go after 48 hours.
async fn unconfirmed_guests_stay_private_and_are_purged(app: TestApp) {
    let (id, slug) = create(&app, &event("Atelier des invités", Some(10), 8)).await;
    let visitor = app.browser();
    let register = |name: &'static str| {
        let (app, visitor, slug) = (&app, &visitor, slug.clone());
        async move {
            post(
                app,
                visitor,
                &format!("/evenements/{slug}/inscription"),
                &[
                    ("slug", &slug),
                    ("name", name),
                    ("email", "cible@exemple.fr"),
                ],
            )
            .await
        }
    };
    register("Camille Cible").await;
    let first = token_in(
        &mails_to(&app, "cible@exemple.fr").pop().unwrap(),
        "/evenements/confirmer",
    );
    // Someone else types the same address: the first link still works.
    register("Quelqu'un d'autre").await;
    // The name typed is quoted as typed, never used as the portal's greeting.
    let second = common::decoded(&mails_to(&app, "cible@exemple.fr").pop().unwrap());
    assert!(second.contains("Bonjour,"), "{second}");
    assert!(!second.contains("Bonjour Quelqu"), "{second}");
    assert!(second.contains("Nom indiqué dans le formulaire : « Quelqu'un d'autre »"));
    let admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let csv = admin
        .get(app.url(&format!("/evenements/{slug}/inscrits.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("cible@exemple.fr"), "{csv}");
    let list = page(&app, &admin, &format!("/evenements/{slug}/liste")).await;
    assert!(!list.contains("cible@exemple.fr"));
    let confirmed = post(
        &app,
        &visitor,
        "/evenements/confirmer",
        &[("token", &first)],
    )
    .await;
    assert_eq!(
        location(&confirmed),
        format!("/evenements/{slug}?message=inscrit")
    );
    assert_eq!(confirmed_count(&app, id).await, 1);
    // The other unconfirmed row, two days later, is purged with its link.
    sqlx::query(
        "UPDATE registrations SET created_at = $1 WHERE event_id = $2 AND status = 'pending'",
    )
    .bind(dessine::timestamp::Timestamp::now().plus(-time::Duration::hours(49)))
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    // The hourly job, started at once by two servers sharing the database: one purges, the
    // other skips.
    let job = dessine::features::events::guests::PURGE_UNCONFIRMED;
    let later = dessine::timestamp::Timestamp::now().plus(time::Duration::hours(2));
    let other_server = app.state.clone();
    let (a, b) = tokio::join!(
        dessine::jobs::run_once(&app.state, &job, later),
        dessine::jobs::run_once(&other_server, &job, later),
    );
    let mut runs = [a.unwrap(), b.unwrap()];
    runs.sort();
    assert_eq!(
        runs,
        [None, Some(1)],
        "one run purged the row, the other skipped"
    );
    let outcome: Option<String> =
        sqlx::query_scalar("SELECT outcome FROM job_runs WHERE job = $1 AND period = $2")
            .bind(job.name)
            .bind(job.period(later))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(outcome.as_deref(), Some("1"));
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(pending, 0);
    assert_eq!(
        confirmed_count(&app, id).await,
        1,
        "the confirmed one stays"
    );
}

/// Issue 27, finding 7: a guest's link no longer gives a seat once registration closed, the
/// event went members-only, or it is over.
async fn a_guest_link_expires_with_the_registration(app: TestApp) {
    let changes = [
        "UPDATE events SET registration_closes_at = $2 WHERE id = $1",
        "UPDATE events SET visibility = 'members' WHERE id = $1 AND $2 <> ''",
        "UPDATE events SET starts_at = $2, ends_at = $2 WHERE id = $1",
    ];
    for (n, change) in changes.iter().enumerate() {
        let (id, slug) = create(&app, &event(&format!("Atelier fermé {n}"), Some(10), 8)).await;
        let email = format!("tardif{n}@exemple.fr");
        let visitor = app.browser();
        post(
            &app,
            &visitor,
            &format!("/evenements/{slug}/inscription"),
            &[("slug", &slug), ("name", "Théo Tardif"), ("email", &email)],
        )
        .await;
        let mail = mails_to(&app, &email).pop().expect("confirmation mail");
        let token = token_in(&mail, "/evenements/confirmer");
        let past = dessine::timestamp::Timestamp::now().plus(-time::Duration::HOUR);
        sqlx::query(change)
            .bind(id)
            .bind(past)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let late = post(
            &app,
            &visitor,
            "/evenements/confirmer",
            &[("token", &token)],
        )
        .await;
        assert_eq!(late.status(), 409, "change {n}");
        assert!(
            late.text()
                .await
                .unwrap()
                .contains("Les inscriptions à cet événement sont fermées")
        );
        assert_eq!(confirmed_count(&app, id).await, 0, "change {n}: no seat");
    }
}

/// A guest registers with name and address, confirms by the mailed link (which works once),
/// then cancels by the link of the confirmation mail (once); forged links are refused.
async fn guests_confirm_by_mail_and_cancel_by_link(app: TestApp) {
    let (id, slug) = create(&app, &event("Visite d'une ressourcerie", Some(10), 8)).await;
    let visitor = app.browser();
    let email = "invitee@exemple.fr";
    let response = post(
        &app,
        &visitor,
        &format!("/evenements/{slug}/inscription"),
        &[
            ("slug", &slug),
            ("name", "Inès Invitée"),
            ("email", "Invitee@Exemple.fr"),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/evenements/{slug}?message=verifiez-mail")
    );
    assert_eq!(
        confirmed_count(&app, id).await,
        0,
        "no seat before the address is confirmed"
    );
    let mail = mails_to(&app, email).pop().expect("confirmation mail");
    let token = token_in(&mail, "/evenements/confirmer");
    // The link opens a page with a button: opening it registers nobody.
    let (status, html) = app
        .get_text(&format!("/evenements/confirmer?jeton={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Visite d'une ressourcerie"));
    assert_eq!(confirmed_count(&app, id).await, 0);
    let confirmed = post(
        &app,
        &visitor,
        "/evenements/confirmer",
        &[("token", &token)],
    )
    .await;
    assert_eq!(
        location(&confirmed),
        format!("/evenements/{slug}?message=inscrit")
    );
    assert_eq!(confirmed_count(&app, id).await, 1);
    let reused = post(
        &app,
        &visitor,
        "/evenements/confirmer",
        &[("token", &token)],
    )
    .await;
    assert_eq!(reused.status(), 400, "a confirmation link works once");
    // A second registration of the same address: same answer, a mail that says so, no row.
    let again = post(
        &app,
        &visitor,
        &format!("/evenements/{slug}/inscription"),
        &[("slug", &slug), ("name", "Inès Invitée"), ("email", email)],
    )
    .await;
    assert_eq!(
        location(&again),
        format!("/evenements/{slug}?message=verifiez-mail")
    );
    assert!(
        mails_to(&app, email)
            .last()
            .unwrap()
            .contains("déjà inscrite")
    );
    // Cancel by the link of the confirmation mail.
    let confirmation = mails_to(&app, email)
        .into_iter()
        .find(|m| m.contains("est confirmée"))
        .expect("confirmation mail");
    let cancel = token_in(&confirmation, "/evenements/annuler");
    let (status, _) = app
        .get_text(&format!("/evenements/annuler?jeton={cancel}"))
        .await;
    assert_eq!(status, 200);
    let done = post(&app, &visitor, "/evenements/annuler", &[("token", &cancel)]).await;
    assert_eq!(
        location(&done),
        format!("/evenements/{slug}?message=annulee")
    );
    assert_eq!(confirmed_count(&app, id).await, 0);
    let reused = post(&app, &visitor, "/evenements/annuler", &[("token", &cancel)]).await;
    assert_eq!(
        reused.status(),
        409,
        "a cancel link of a cancelled registration says so"
    );
    assert!(reused.text().await.unwrap().contains("déjà annulée"));
    let forged = post(
        &app,
        &visitor,
        "/evenements/annuler",
        &[("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
    )
    .await;
    assert_eq!(forged.status(), 400);
    let (status, html) = app.get_text("/evenements/annuler?jeton=faux").await;
    assert_eq!(status, 400);
    assert!(main_of(&html).contains("pas (ou plus) valable"));
    // Hostile guest fields are refused field by field, and the page keeps what was typed.
    let hostile = post(
        &app,
        &visitor,
        &format!("/evenements/{slug}/inscription"),
        &[
            ("slug", &slug),
            ("name", &"x".repeat(300)),
            ("email", "Nom <a@b.fr>"),
        ],
    )
    .await;
    assert_eq!(hostile.status(), 422);
    // One address cannot be sent more than five confirmation mails an hour.
    for attempt in 1..=6 {
        let response = post(
            &app,
            &visitor,
            &format!("/evenements/{slug}/inscription"),
            &[
                ("slug", &slug),
                ("name", "Boîte Inondée"),
                ("email", "flood@exemple.fr"),
            ],
        )
        .await;
        if attempt <= 5 {
            assert_eq!(response.status(), 303, "attempt {attempt}");
        } else {
            assert_eq!(response.status(), 429);
            assert!(response.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(mails_to(&app, "flood@exemple.fr").len(), 5);
}

/// Each workshop has its own capacity; a freed workshop seat goes to the first person waiting.
async fn workshop_capacity(app: TestApp) {
    let (id, slug) = create(&app, &event("Salon avec ateliers", Some(10), 15)).await;
    let day = Timestamp::now().in_paris().date() + time::Duration::days(15);
    db::add_session(
        &app.db,
        id,
        &ValidSession {
            title: "Le mécénat".to_owned(),
            starts_at: paris_wall_clock(day, time::Time::from_hms(14, 0, 0).unwrap()),
            ends_at: paris_wall_clock(day, time::Time::from_hms(15, 30, 0).unwrap()),
            room: "Salle 3".to_owned(),
            capacity: Some(1),
        },
    )
    .await
    .unwrap();
    let session: i64 = sqlx::query_scalar("SELECT id FROM event_sessions WHERE event_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut ids = Vec::new();
    let mut clients = Vec::new();
    for n in 1..=2 {
        let email = format!("atelier{n}@exemple.fr");
        create_member(&app, &email, None).await;
        let client = log_in(&app, &email, PASSWORD).await;
        let response = post(
            &app,
            &client,
            &format!("/evenements/{slug}/inscription"),
            &[("slug", &slug), ("sessions", &session.to_string())],
        )
        .await;
        assert_eq!(response.status(), 303);
        clients.push(client.clone());
        ids.push(
            sqlx::query_scalar::<_, i64>("SELECT id FROM registrations WHERE email = $1")
                .bind(&email)
                .fetch_one(&app.db.pool)
                .await
                .unwrap(),
        );
    }
    let seat = |registration: i64| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT status FROM registration_sessions WHERE registration_id = $1",
            )
            .bind(registration)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(seat(ids[0]).await, "confirmed");
    assert_eq!(seat(ids[1]).await, "waitlisted");
    assert_eq!(
        confirmed_count(&app, id).await,
        2,
        "both hold an event seat"
    );
    let cancelled = post(
        &app,
        &clients[0],
        &format!("/inscriptions/{}/annuler", ids[0]),
        &[("registration", &ids[0].to_string())],
    )
    .await;
    assert_eq!(cancelled.status(), 303);
    assert_eq!(seat(ids[1]).await, "confirmed", "workshop seat passed on");
    assert!(
        mails_to(&app, "atelier2@exemple.fr")
            .last()
            .unwrap()
            .contains("Le mécénat")
    );
    // An unknown workshop id is refused.
    create_member(&app, "atelier3@exemple.fr", None).await;
    let client = log_in(&app, "atelier3@exemple.fr", PASSWORD).await;
    let response = post(
        &app,
        &client,
        &format!("/evenements/{slug}/inscription"),
        &[("slug", &slug), ("sessions", "999999")],
    )
    .await;
    assert_eq!(response.status(), 422);
}

/// Many registrations at once never take more seats than there are, and the waitlist keeps
/// the order of arrival; cancellations racing new registrations stay within capacity.
async fn rushes_never_oversell(app: TestApp) {
    let (id, _) = create(&app, &event("Petit atelier très demandé", Some(10), 9)).await;
    let mut tasks = Vec::new();
    for n in 0..80 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            db::register(&db, id, &guest(n), &[], &[]).await
        }));
    }
    let mut waitlisted = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok((_, Seat::Waitlisted(position))) => waitlisted.push(position),
            Ok((_, Seat::Confirmed)) => {}
            Err(error) => panic!("registration failed: {error:?}"),
        }
    }
    assert_eq!(confirmed_count(&app, id).await, 10);
    assert_eq!(waitlisted.len(), 70);
    let rows = statuses(&app, id).await;
    let queues: Vec<i64> = rows.iter().map(|r| r.2.unwrap()).collect();
    assert_eq!(
        queues,
        (1..=80).collect::<Vec<_>>(),
        "one arrival number each"
    );
    assert!(
        rows.iter().take(10).all(|r| r.1 == "confirmed")
            && rows.iter().skip(10).all(|r| r.1 == "waitlisted"),
        "the first ten arrivals hold the seats"
    );
    // Cancellations race new registrations.
    let confirmed_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed' ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut tasks = Vec::new();
    for (n, registration) in confirmed_ids.into_iter().enumerate() {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            db::cancel(&db, registration)
                .await
                .map(|_| ())
                .map_err(|e| format!("{e}"))
        }));
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            db::register(&db, id, &guest(1000 + n), &[], &[])
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        confirmed_count(&app, id).await,
        10,
        "seats refilled, never exceeded"
    );
    // The promoted are the first ten who waited.
    let promoted: Vec<i64> = sqlx::query_scalar(
        "SELECT queue FROM registrations WHERE event_id = $1 AND status = 'confirmed' ORDER BY queue",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(promoted, (11..=20).collect::<Vec<_>>());
}

/// Members-only events are hidden from visitors (list, page, calendar files) and shown to members.
async fn visibility(app: TestApp) {
    let mut private = event("Réunion du club réservée", Some(20), 5);
    private.visibility = Visibility::Members;
    let (_, slug) = create(&app, &private).await;
    let (status, html) = app.get_text("/evenements").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Réunion du club réservée"));
    let (status, html) = app.get_text(&format!("/evenements/{slug}")).await;
    assert_eq!(status, 200, "a login prompt, as every page for members");
    assert!(main_of(&html).contains("réservé aux membres"));
    assert!(!html.contains("Un atelier de test"), "no detail leaks");
    assert_eq!(
        app.get(&format!("/evenements/{slug}.ics")).await.status(),
        404
    );
    assert!(
        !app.get("/evenements.ics")
            .await
            .text()
            .await
            .unwrap()
            .contains("réservée")
    );
    let guest = post(
        &app,
        &app.browser(),
        &format!("/evenements/{slug}/inscription"),
        &[
            ("slug", &slug),
            ("name", "Intrus"),
            ("email", "intrus@exemple.fr"),
        ],
    )
    .await;
    assert!(
        location(&guest).starts_with("/connexion"),
        "guests must log in"
    );
    create_member(&app, "club@exemple.fr", None).await;
    let member = log_in(&app, "club@exemple.fr", PASSWORD).await;
    assert!(
        page(&app, &member, "/evenements")
            .await
            .contains("Réunion du club réservée")
    );
    assert!(
        page(&app, &member, &format!("/evenements/{slug}"))
            .await
            .contains("M'inscrire")
    );
}

fn property<'a>(
    component: &'a icalendar::parser::Component<'a>,
    name: &str,
) -> &'a icalendar::parser::Property<'a> {
    component
        .properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// The calendar files parse back; times are Paris wall-clock times on both sides of the
/// daylight-saving change; UIDs are stable and SEQUENCE follows changes.
async fn calendar_files(app: TestApp) {
    let mut summer = event("Forum d'été; avec, virgules", None, 0);
    let july = time::Date::from_calendar_date(2027, time::Month::July, 1).unwrap();
    summer.starts_at = paris_wall_clock(july, time::Time::from_hms(9, 30, 0).unwrap());
    summer.ends_at = paris_wall_clock(july, time::Time::from_hms(12, 0, 0).unwrap());
    let (summer_id, summer_slug) = create(&app, &summer).await;
    let mut winter = event("Forum d'hiver", None, 0);
    let january = time::Date::from_calendar_date(2027, time::Month::January, 14).unwrap();
    winter.starts_at = paris_wall_clock(january, time::Time::from_hms(9, 30, 0).unwrap());
    winter.ends_at = paris_wall_clock(january, time::Time::from_hms(12, 0, 0).unwrap());
    create(&app, &winter).await;
    for slug in [&summer_slug] {
        let response = app.get(&format!("/evenements/{slug}.ics")).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let text = response.text().await.unwrap();
        assert!(text.contains("\r\n"), "CRLF line ends");
        let unfolded = icalendar::parser::unfold(&text);
        let calendar = icalendar::parser::read_calendar(&unfolded).expect("parses");
        let timezone = calendar
            .components
            .iter()
            .find(|c| c.name.as_str() == "VTIMEZONE")
            .expect("VTIMEZONE");
        assert_eq!(property(timezone, "TZID").val.as_str(), "Europe/Paris");
        let vevent = calendar
            .components
            .iter()
            .find(|c| c.name.as_str() == "VEVENT")
            .expect("VEVENT");
        let start = property(vevent, "DTSTART");
        assert_eq!(
            start.val.as_str(),
            "20270701T093000",
            "9:30 in Paris, summer time"
        );
        assert!(start.params.iter().any(|p| p.key.as_str() == "TZID"));
        assert_eq!(
            property(vevent, "SUMMARY").val.as_str(),
            "Forum d'été; avec, virgules"
        );
        assert!(
            text.contains("SUMMARY:Forum d'été\\; avec\\, virgules\r\n"),
            "escaped on the wire"
        );
        assert_eq!(
            property(vevent, "UID").val.as_str(),
            format!("evenement-{summer_id}@127.0.0.1")
        );
        assert_eq!(property(vevent, "SEQUENCE").val.as_str(), "0");
        assert!(
            property(vevent, "URL")
                .val
                .as_str()
                .ends_with(&format!("/evenements/{slug}"))
        );
    }
    // The feed honours the filters and keeps winter times in winter.
    let feed = app
        .get("/evenements.ics?mois=2027-01")
        .await
        .text()
        .await
        .unwrap();
    let unfolded = icalendar::parser::unfold(&feed);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("feed parses");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 1, "only January");
    assert_eq!(
        property(events[0], "DTSTART").val.as_str(),
        "20270114T093000"
    );
    assert_eq!(property(events[0], "SUMMARY").val.as_str(), "Forum d'hiver");
    // An organiser's change bumps SEQUENCE; the UID stays.
    let admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let saved = post(
        &app,
        &admin,
        &format!("/evenements/{summer_slug}/modifier"),
        &[
            ("slug", summer_slug.as_str()),
            ("title", "Forum d'été"),
            ("kind", "atelier"),
            ("start_date", "2027-07-01"),
            ("start_time", "10:00"),
            ("end_time", "12:00"),
            ("place_name", "Halle aux sucres"),
            ("commune", "dunkerque"),
            ("visibility", "public"),
        ],
    )
    .await;
    assert_eq!(
        saved.status(),
        303,
        "{}",
        saved.text().await.unwrap_or_default()
    );
    let text = app
        .get(&format!("/evenements/{summer_slug}.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("SEQUENCE:1\r\n"));
    assert!(text.contains(&format!("UID:evenement-{summer_id}@127.0.0.1\r\n")));
    assert!(text.contains("DTSTART;TZID=Europe/Paris:20270701T100000\r\n"));
}

/// The event page carries a schema.org Event that parses, and shows seats left.
async fn event_page_and_list(app: TestApp) {
    let (id, slug) = create(
        &app,
        &event("Journée </script><b>portes ouvertes</b>", Some(5), 3),
    )
    .await;
    db::register(&app.db, id, &guest(1), &[], &[])
        .await
        .unwrap();
    let (status, html) = app.get_text(&format!("/evenements/{slug}")).await;
    assert_eq!(status, 200);
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = html[start..].find("</script>").unwrap() + start;
    let data: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(data["@type"], "Event");
    assert_eq!(data["name"], "Journée </script><b>portes ouvertes</b>");
    assert_eq!(data["remainingAttendeeCapacity"], 4);
    assert!(
        data["startDate"].as_str().unwrap().ends_with("+01:00")
            || data["startDate"].as_str().unwrap().ends_with("+02:00")
    );
    assert!(main_of(&html).contains("4 places restantes sur 5"));
    assert!(
        !html.contains("<b>portes"),
        "the title is escaped in the page"
    );
    assert!(
        html.contains(
            "<title>Journée &lt;/script&gt;&lt;b&gt;portes ouvertes&lt;/b&gt; · DESSINE</title>"
        ),
        "and in <title>, which leptos_meta leaves as it is"
    );
    // The list: upcoming, filters in the URL, the archive.
    let list = app.get_text("/evenements?type=atelier").await.1;
    assert!(list.contains(&format!("/evenements/{slug}")));
    let list = app.get_text("/evenements?type=salon").await.1;
    assert!(!list.contains(&format!("/evenements/{slug}")));
    assert!(
        list.contains("Salon de l&#x27;achat responsable")
            || list.contains("Salon de l'achat responsable")
    );
    let past = app.get_text("/evenements?passes=1").await.1;
    assert!(past.contains("Village des solidarités"));
    assert!(!past.contains(&format!("/evenements/{slug}\"")));
    let territory = app.get_text("/evenements?territoire=artois-comm").await.1;
    assert!(territory.contains("démarche progrès"));
    assert!(!territory.contains(&format!("/evenements/{slug}\"")));
    let hostile = app
        .get_text("/evenements?type=%3Cscript%3E&mois=9999-99&page=-1&territoire=%27")
        .await;
    assert_eq!(hostile.0, 200);
}

/// Organisers export the registrations (CSV parsed back, formulas neutralised) and check people
/// in; other members may not.
async fn export_and_check_in(app: TestApp) {
    let (id, slug) = create(&app, &event("Atelier pointé", Some(3), 1)).await;
    let mut hostile = guest(1);
    hostile.name = "=HYPERLINK(\"http://evil.example\",\"x\")".to_owned();
    db::register(&app.db, id, &hostile, &[], &[]).await.unwrap();
    for n in 2..=4 {
        db::register(&app.db, id, &guest(n), &[], &[])
            .await
            .unwrap();
    }
    let admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let response = admin
        .get(app.url(&format!("/evenements/{slug}/inscrits.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][1], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(&rows[3][4], "liste d'attente");
    assert_eq!(&rows[3][5], "1");
    // Not for visitors or other members.
    let visitor = app
        .browser()
        .get(app.url(&format!("/evenements/{slug}/inscrits.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(visitor.status(), 303);
    create_member(&app, "curieux@exemple.fr", None).await;
    let curious = log_in(&app, "curieux@exemple.fr", PASSWORD).await;
    let refused = curious
        .get(app.url(&format!("/evenements/{slug}/inscrits.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // Check-in at the door.
    let (status, html) = {
        let r = admin
            .get(app.url(&format!("/evenements/{slug}/accueil")))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(html.contains("0 présent·e sur 3 attendu·es"));
    let registration: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'personne2@exemple.fr'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let path = format!("/evenements/{slug}/accueil/{registration}");
    let marked = post(&app, &admin, &path, &[("presence", "present")]).await;
    assert_eq!(marked.status(), 303);
    assert_eq!(
        location(&marked),
        format!("/evenements/{slug}/accueil?message=present#inscription-{registration}"),
        "the notice in the query, the person's row in the fragment"
    );
    let html = page(
        &app,
        &admin,
        &format!("/evenements/{slug}/accueil?q=personne 2"),
    )
    .await;
    assert!(
        html.contains("1 présent·e sur 3 attendu·es"),
        "{}",
        main_of(&html)
    );
    let checked: Option<String> =
        sqlx::query_scalar("SELECT checked_in_at FROM registrations WHERE id = $1")
            .bind(registration)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(checked.is_some(), "attendance kept");
    assert_eq!(
        post(&app, &curious, &path, &[("presence", "present")])
            .await
            .status(),
        403
    );
    // A waitlisted person cannot be checked in.
    let waiting: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'personne4@exemple.fr'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let refused = post(
        &app,
        &admin,
        &format!("/evenements/{slug}/accueil/{waiting}"),
        &[("presence", "present")],
    )
    .await;
    assert_eq!(refused.status(), 404);
    // Closing registration.
    let closed = post(
        &app,
        &admin,
        &format!("/evenements/{slug}/ouverture"),
        &[("opening", "fermer")],
    )
    .await;
    assert_eq!(closed.status(), 303);
    create_member(&app, "tard@exemple.fr", None).await;
    let late = log_in(&app, "tard@exemple.fr", PASSWORD).await;
    let response = post(
        &app,
        &late,
        &format!("/evenements/{slug}/inscription"),
        &[("slug", &slug)],
    )
    .await;
    assert_eq!(response.status(), 409);
}

/// A manager creates an event for their structure, adds a workshop and a question; the
/// registration form then asks the question and requires its answer.
async fn organisers_build_events_in_the_page(app: TestApp) {
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let structure: i64 =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'les-courses-asteur'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let created = post(
        &app,
        &manager,
        "/evenements/nouveau",
        &[
            ("title", "Portes ouvertes des Courses Asteur"),
            ("kind", "autre"),
            ("start_date", "2027-03-27"),
            ("start_time", "10:00"),
            ("end_date", "2027-03-28"),
            ("end_time", "17:00"),
            ("place_name", "Entrepôt"),
            ("commune", "dunkerque"),
            ("organiser", &structure.to_string()),
            ("capacity", "20"),
            ("visibility", "public"),
        ],
    )
    .await;
    assert_eq!(
        created.status(),
        303,
        "{}",
        main_of(&created.text().await.unwrap_or_default())
    );
    let slug = "portes-ouvertes-des-courses-asteur";
    assert_eq!(
        location(&created),
        format!("/evenements/{slug}/modifier?message=enregistre")
    );
    // Across the March change: 10:00 on the 27th is UTC+1, 17:00 on the 28th is UTC+2.
    let (starts, ends): (String, String) =
        sqlx::query_as("SELECT starts_at, ends_at FROM events WHERE slug = $1")
            .bind(slug)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(starts, "2027-03-27T09:00:00Z");
    assert_eq!(ends, "2027-03-28T15:00:00Z");
    let added = post(
        &app,
        &manager,
        &format!("/evenements/{slug}/questions"),
        &[
            ("label", "Régime alimentaire"),
            ("question_kind", "choix"),
            ("choices", "Aucun\nVégétarien\nSans gluten"),
            ("required", "oui"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let session = post(
        &app,
        &manager,
        &format!("/evenements/{slug}/ateliers"),
        &[
            ("session_title", "Visite guidée"),
            ("session_date", "2027-03-27"),
            ("session_start", "11:00"),
            ("session_end", "10:00"),
        ],
    )
    .await;
    assert_eq!(session.status(), 422, "the end comes after the start");
    assert!(
        session
            .text()
            .await
            .unwrap()
            .contains("La fin doit venir après le début")
    );
    // A visitor must answer the required question with one of the choices.
    let visitor = app.browser();
    let html = page(&app, &visitor, &format!("/evenements/{slug}")).await;
    assert!(html.contains("Régime alimentaire (obligatoire)"));
    let question: i64 =
        sqlx::query_scalar("SELECT id FROM event_questions WHERE label = 'Régime alimentaire'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let missing = post(
        &app,
        &visitor,
        &format!("/evenements/{slug}/inscription"),
        &[
            ("name", "Léa"),
            ("email", "lea@exemple.fr"),
            ("question", &question.to_string()),
            ("answer", ""),
        ],
    )
    .await;
    assert_eq!(missing.status(), 422);
    let html = missing.text().await.unwrap();
    assert!(html.contains("Répondez à la question « Régime alimentaire »"));
    assert!(html.contains("value=\"Léa\""), "typed values kept");
    let ok = post(
        &app,
        &visitor,
        &format!("/evenements/{slug}/inscription"),
        &[
            ("name", "Léa"),
            ("email", "lea@exemple.fr"),
            ("question", &question.to_string()),
            ("answer", "Végétarien"),
        ],
    )
    .await;
    assert_eq!(ok.status(), 303);
    // Another member may not edit it.
    create_member(&app, "voisin@exemple.fr", None).await;
    let neighbour = log_in(&app, "voisin@exemple.fr", PASSWORD).await;
    assert_eq!(
        neighbour
            .get(app.url(&format!("/evenements/{slug}/modifier")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        neighbour
            .get(app.url("/evenements/nouveau"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

/// Who is asking comes before the event is looked up: a visitor is sent to log in whatever the
/// address. To a member without the right to run it, each organisers' mutation answers 403 for
/// an event they may see (public, or for all members) and 404 for a club's meeting they may not
/// see, exactly as for an address that does not exist (issue 27, finding 5), on the plain form route and on the server function.
async fn unknown_and_existing_addresses_answer_the_same(app: TestApp) {
    let (_, public) = create(&app, &event("Forum public", Some(10), 5)).await;
    let mut meeting = event("Réunion réservée aux membres", Some(10), 6);
    meeting.visibility = Visibility::Members;
    let (_, members_only) = create(&app, &meeting).await;
    // A club's meeting: only the club's members see it.
    let mut club_meeting = event("Réunion du club", Some(10), 7);
    club_meeting.visibility = Visibility::Members;
    let (club_meeting_id, club_only) = create(&app, &club_meeting).await;
    sqlx::query("UPDATE events SET club_id = (SELECT MIN(id) FROM clubs) WHERE id = $1")
        .bind(club_meeting_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let slugs = [
        public.as_str(),
        members_only.as_str(),
        club_only.as_str(),
        "pas-un-evenement",
    ];
    // (plain form route after /evenements/{slug}, server function, fields)
    type Mutation<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let mutations: [Mutation; 7] = [
        ("ouverture", "ouverture", &[("opening", "fermer")]),
        (
            "accueil/1",
            "accueil",
            &[("registration", "1"), ("presence", "present")],
        ),
        ("modifier", "modifier", &[("title", "Titre changé")]),
        (
            "ateliers",
            "ateliers",
            &[("session_title", "Atelier ajouté")],
        ),
        (
            "ateliers/1/retirer",
            "ateliers/retirer",
            &[("session", "1")],
        ),
        ("questions", "questions", &[("label", "Question ajoutée")]),
        (
            "questions/1/retirer",
            "questions/retirer",
            &[("question", "1")],
        ),
    ];
    create_member(&app, "sans-droit@exemple.fr", None).await;
    let member = log_in(&app, "sans-droit@exemple.fr", PASSWORD).await;
    for (route, function, fields) in mutations {
        let mut anonymous = Vec::new();
        let mut refused = Vec::new();
        for slug in slugs {
            let mut form = vec![("slug", slug)];
            form.extend_from_slice(fields);
            let plain = post(
                &app,
                &app.browser(),
                &format!("/evenements/{slug}/{route}"),
                &form,
            )
            .await;
            let api = post(
                &app,
                &app.browser(),
                &format!("/api/evenements/{function}"),
                &form,
            )
            .await;
            anonymous.push((
                plain.status().as_u16(),
                location(&plain).starts_with("/connexion"),
                api.status().as_u16(),
            ));
            let plain = post(&app, &member, &format!("/evenements/{slug}/{route}"), &form).await;
            let api = post(&app, &member, &format!("/api/evenements/{function}"), &form).await;
            refused.push((plain.status().as_u16(), api.status().as_u16()));
        }
        assert_eq!(
            anonymous[0],
            (303, true, 401),
            "{route}: a visitor is sent to log in"
        );
        assert!(
            anonymous.iter().all(|answer| *answer == anonymous[0]),
            "{route}: a visitor learns nothing from the address: {anonymous:?}"
        );
        assert_eq!(
            refused[..2],
            [(403, 403), (403, 403)],
            "{route}: a member who does not run an event they may see is refused"
        );
        assert_eq!(
            refused[2..],
            [(404, 404), (404, 404)],
            "{route}: a members-only meeting the member may not see answers as an address \
             that does not exist"
        );
    }
    let unchanged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE title = 'Titre changé'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(unchanged, 0);
}

on_both_databases!(
    unconfirmed_guests_stay_private_and_are_purged,
    a_guest_link_expires_with_the_registration,
    capacity_waitlist_and_promotion,
    duplicates_and_the_structure_limit,
    guests_confirm_by_mail_and_cancel_by_link,
    workshop_capacity,
    rushes_never_oversell,
    visibility,
    calendar_files,
    event_page_and_list,
    export_and_check_in,
    organisers_build_events_in_the_page,
    unknown_and_existing_addresses_answer_the_same,
);
