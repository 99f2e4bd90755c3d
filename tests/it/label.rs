//! The « démarche progrès » label over HTTP and in the database, on both databases: the whole
//! journey through plain forms (apply, admit, six days of attendance, issue, withdraw), the
//! verification page for every outcome, the directory's label facet against its filtered total,
//! expiry and renewal with a fixed clock, and reminders sent once by two app servers.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, location, log_in, main_of, page, post};
use dessine::features::label::{Step, StepKind, db as label, demo, reminders};
use dessine::timestamp::Timestamp;

const PASSWORD: &str = common::MEMBER_PASSWORD;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

async fn new_cohort(app: &TestApp, referent: i64, name: &str) -> i64 {
    let scheme = label::scheme(&app.db).await.unwrap();
    let form = dessine::features::label::CohortForm {
        name: name.into(),
        territory: "artois-comm".into(),
        start_time: "09:00".into(),
        end_time: "17:00".into(),
        days: dessine::ui::form::Many((1..=6).map(|d| format!("2027-04-{:02}", d * 3)).collect()),
        ..Default::default()
    };
    label::create_cohort(&app.db, &scheme, &form.validated(6).unwrap(), referent)
        .await
        .unwrap()
}

async fn journey_state(app: &TestApp, slug: &str) -> (String, i64, Option<String>) {
    sqlx::query_as(
        "SELECT j.state, j.days_attended, j.identifier FROM label_journeys j \
         JOIN structures s ON s.id = j.structure_id WHERE s.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn whole_journey_through_plain_forms(app: TestApp) {
    let structure = common::create_structure(&app, "Atelier du Label").await;
    let manager = common::create_member(&app, "gerante@atelier.example", None).await;
    common::make_manager(&app, manager, structure).await;
    let referent = common::create_member(&app, "referent@exemple.fr", None).await;
    label::set_referent(&app.db, referent, true).await.unwrap();
    let cohort = new_cohort(&app, referent, "Artois test").await;
    // The cohort's six days are events of the events engine.
    let days: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM label_cohort_days d JOIN events e ON e.id = d.event_id \
         WHERE d.cohort_id = $1 AND e.kind = 'formation'",
    )
    .bind(cohort)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(days, 6);

    let gerante = log_in(&app, "gerante@atelier.example", PASSWORD).await;
    let entry = page(&app, &gerante, "/annuaire/atelier-du-label").await;
    assert!(
        entry.contains("Candidater au label"),
        "the manager may apply"
    );
    let applied = post(
        &app,
        &gerante,
        "/annuaire/atelier-du-label/label",
        &[("slug", "atelier-du-label")],
    )
    .await;
    assert_eq!(applied.status(), 303);
    assert_eq!(
        location(&applied),
        "/annuaire/atelier-du-label?message=candidature"
    );
    let twice = post(
        &app,
        &gerante,
        "/annuaire/atelier-du-label/label",
        &[("slug", "atelier-du-label")],
    )
    .await;
    assert_eq!(twice.status(), 409, "one application per structure");
    // A manager cannot mark their own attendance.
    let journey: i64 = sqlx::query_scalar("SELECT id FROM label_journeys WHERE structure_id = $1")
        .bind(structure)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (j, c) = (journey.to_string(), cohort.to_string());
    let refused = post(
        &app,
        &gerante,
        "/label/admission",
        &[("journey", j.as_str()), ("cohort", c.as_str())],
    )
    .await;
    assert_eq!(refused.status(), 403);

    let referente = log_in(&app, "referent@exemple.fr", PASSWORD).await;
    // A cohort form with mistakes comes back with a message by each field and what was typed.
    let refused = post(
        &app,
        &referente,
        "/label/cohortes",
        &[
            ("name", "Cohorte « Béthune » <b>"),
            ("territory", "artois-comm"),
            ("start_time", "09:00"),
            ("end_time", "08:00"),
            ("days", "2027-05-02"),
            ("days", "2027-05-01"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("La fin doit suivre le début."));
    assert!(html.contains("Indiquez la date de chacune des 6 journées de formation."));
    assert!(
        html.contains("value=\"Cohorte « Béthune » "),
        "the name is kept"
    );
    assert!(html.contains("value=\"2027-05-01\""), "the dates are kept");
    let desk = page(&app, &referente, "/label/gestion").await;
    assert!(desk.contains("Atelier du Label") && desk.contains("candidature reçue"));
    let admitted = post(
        &app,
        &referente,
        "/label/admission",
        &[
            ("journey", j.as_str()),
            ("cohort", c.as_str()),
            ("retour", "/label/gestion"),
        ],
    )
    .await;
    assert_eq!(location(&admitted), "/label/gestion?message=admise");
    // The manager sees the days to follow, each linked to its event (registration, calendar).
    let account = page(&app, &gerante, "/compte").await;
    assert!(account.contains("Journées restant à suivre"));
    assert!(account.contains(">Journée 6</a>") && account.contains("href=\"/evenements/"));
    // Issuing before the six days is refused, with the reason.
    let early = post(
        &app,
        &referente,
        &format!("/label/parcours/{journey}"),
        &[("journey", j.as_str()), ("action", "delivrer")],
    )
    .await;
    assert_eq!(early.status(), 409);
    assert!(early.text().await.unwrap().contains("Toutes les journées"));
    for day in 1..=6 {
        let path = format!("/label/cohortes/{cohort}/journees/{day}");
        let sheet = page(&app, &referente, &path).await;
        assert!(main_of(&sheet).contains("Atelier du Label"));
        let d = day.to_string();
        let saved = post(
            &app,
            &referente,
            &path,
            &[
                ("cohort", c.as_str()),
                ("day", d.as_str()),
                ("listed", j.as_str()),
                ("present", j.as_str()),
            ],
        )
        .await;
        assert_eq!(saved.status(), 303, "day {day}");
        // Saving the same screen again records nothing more.
        post(
            &app,
            &referente,
            &path,
            &[
                ("cohort", c.as_str()),
                ("day", d.as_str()),
                ("listed", j.as_str()),
                ("present", j.as_str()),
            ],
        )
        .await;
    }
    // A correction: day 6 unticked, then ticked again; each is a new step.
    let path = format!("/label/cohortes/{cohort}/journees/6");
    post(
        &app,
        &referente,
        &path,
        &[("cohort", c.as_str()), ("day", "6"), ("listed", j.as_str())],
    )
    .await;
    assert_eq!(journey_state(&app, "atelier-du-label").await.1, 5);
    post(
        &app,
        &referente,
        &path,
        &[
            ("cohort", c.as_str()),
            ("day", "6"),
            ("listed", j.as_str()),
            ("present", j.as_str()),
        ],
    )
    .await;
    let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM label_steps WHERE journey_id = $1 AND kind IN ('attended', 'attendance_removed')")
        .bind(journey)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(steps, 8, "six days, one removal, one mark again");

    let issued = post(
        &app,
        &referente,
        &format!("/label/parcours/{journey}"),
        &[
            ("journey", j.as_str()),
            ("action", "delivrer"),
            ("retour", "/annuaire/atelier-du-label"),
        ],
    )
    .await;
    assert_eq!(
        location(&issued),
        "/annuaire/atelier-du-label?message=etape"
    );
    let (state, attended, identifier) = journey_state(&app, "atelier-du-label").await;
    assert_eq!((state.as_str(), attended), ("labelled", 6));
    let identifier = identifier.expect("an identifier");
    assert!(
        identifier.starts_with("DP-62-") && identifier.len() == 15,
        "{identifier}"
    );

    // Public side: the badge, the verification, the facet.
    let (_, entry) = app.get_text("/annuaire/atelier-du-label").await;
    assert!(entry.contains(&identifier) && entry.contains("Labellisée"));
    let (_, verified) = app
        .get_text(&format!(
            "/label/verifier?identifiant={}",
            identifier.to_lowercase().replace('-', " ")
        ))
        .await;
    assert!(
        main_of(&verified).contains("valable jusqu"),
        "typed loosely, still found"
    );
    assert!(
        !main_of(&verified).contains("gerante@"),
        "nothing but the public entry"
    );
    app.search_caught_up().await;
    let (_, labelled) = app.get_text("/annuaire?label=demarche-progres").await;
    assert!(main_of(&labelled).contains("Atelier du Label"));

    // Suspended, then reinstated: the verification says so meanwhile.
    let step = |action: &'static str| {
        let (client, path, journey) = (&referente, format!("/label/parcours/{journey}"), j.clone());
        let app = &app;
        async move {
            post(
                app,
                client,
                &path,
                &[("journey", journey.as_str()), ("action", action)],
            )
            .await
        }
    };
    assert_eq!(step("suspendre").await.status(), 303);
    let (_, verified) = app
        .get_text(&format!("/label/verifier?identifiant={identifier}"))
        .await;
    assert!(main_of(&verified).contains("suspendu depuis le"));
    assert_eq!(step("retablir").await.status(), 303);
    let (_, verified) = app
        .get_text(&format!("/label/verifier?identifiant={identifier}"))
        .await;
    assert!(main_of(&verified).contains("valable jusqu"));
    // The exports follow the label filter.
    app.search_caught_up().await;
    let (_, csv) = app.get_text("/annuaire.csv?label=demarche-progres").await;
    assert!(csv.contains("Atelier du Label") && csv.contains("Maison de la poésie"));
    assert!(
        !csv.contains("Papillons Blancs"),
        "an expired label is not in the export"
    );

    let withdrawn = post(
        &app,
        &referente,
        &format!("/label/parcours/{journey}"),
        &[
            ("journey", j.as_str()),
            ("action", "retirer"),
            ("note", "Pratiques contraires à la charte"),
        ],
    )
    .await;
    assert_eq!(withdrawn.status(), 303);
    let (_, verified) = app
        .get_text(&format!("/label/verifier?identifiant={identifier}"))
        .await;
    assert!(main_of(&verified).contains("retiré le"));
    let (_, entry) = app.get_text("/annuaire/atelier-du-label").await;
    assert!(!entry.contains("Labellisée"), "no badge once withdrawn");
    // Steps are never edited.
    let edit = sqlx::query("UPDATE label_steps SET note = 'x' WHERE journey_id = $1")
        .bind(journey)
        .execute(&app.db.pool)
        .await;
    assert!(edit.is_err(), "the database refuses to edit a step");
}

async fn verification_answers_each_outcome(app: TestApp) {
    for (identifier, expected) in [
        (demo::VALID_IDENTIFIER, "valable jusqu"),
        (demo::DUE_IDENTIFIER, "valable jusqu"),
        (demo::EXPIRED_IDENTIFIER, "expiré le"),
        (demo::WITHDRAWN_IDENTIFIER, "retiré le"),
        ("DP-62-AAAA-BBBB", "Identifiant inconnu"),
        ("<script>alert(1)</script>", "Identifiant inconnu"),
        ("' OR 1=1 --", "Identifiant inconnu"),
    ] {
        let (status, html) = app
            .get_text(&format!(
                "/label/verifier?identifiant={}",
                urlencode(identifier)
            ))
            .await;
        assert_eq!(status, 200, "{identifier}");
        assert!(
            main_of(&html).contains(expected),
            "{identifier}: {}",
            main_of(&html)
        );
        assert!(!html.contains("<script>alert"), "escaped");
    }
    let (_, overview) = app.get_text("/label").await;
    assert!(overview.contains("Maison de la poésie") && overview.contains(demo::VALID_IDENTIFIER));
    assert!(
        !overview.contains(demo::EXPIRED_IDENTIFIER),
        "only valid labels are listed"
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The label facet's count equals the total of the same search filtered by the label, with
/// and without other filters.
async fn label_facet_counts_the_filtered_total(app: TestApp) {
    app.search_caught_up().await;
    for query in [
        "",
        "q=poesie",
        "territoire=artois-comm",
        "q=recyclage",
        "forme=association",
    ] {
        let (_, plain) = app.get_text(&format!("/annuaire?{query}")).await;
        let facet = facet_count(main_of(&plain));
        let (_, filtered) = app
            .get_text(&format!("/annuaire?{query}&label=demarche-progres"))
            .await;
        let total = heading_total(main_of(&filtered));
        assert_eq!(facet.unwrap_or(0), total, "{query}");
    }
    let (_, all) = app.get_text("/annuaire?label=demarche-progres").await;
    assert_eq!(
        heading_total(main_of(&all)),
        2,
        "the demo's two valid labels"
    );
}

fn facet_count(html: &str) -> Option<u64> {
    let at = html.find("label=demarche-progres\"")?;
    let rest = &html[at..];
    let count = rest.find("class=\"count\">")? + "class=\"count\">".len();
    rest[count..].split('<').next()?.trim().parse().ok()
}

fn heading_total(html: &str) -> u64 {
    let at = html.find("id=\"resultats\">").unwrap() + "id=\"resultats\">".len();
    let text = html[at..].split('<').next().unwrap();
    if text.starts_with("Aucune") {
        return 0;
    }
    text.split_whitespace()
        .next()
        .unwrap()
        .replace('\u{202f}', "")
        .parse()
        .unwrap()
}

/// With a fixed clock: expiry without a sweep, the sweep's expiry step, a late renewal after a
/// review, and each reminder mail sent once although two app servers sweep at the same time.
async fn expiry_renewal_and_reminders_with_two_servers(app: TestApp) {
    let scheme = label::scheme(&app.db).await.unwrap();
    // Only this test's journey: the demo's would expire too under this clock.
    sqlx::query("DELETE FROM label_journeys")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let structure = common::create_structure(&app, "Coopérative du Rappel").await;
    let manager = common::create_member(&app, "gerant@rappel.example", None).await;
    common::make_manager(&app, manager, structure).await;
    let referent = common::create_member(&app, "referente@rappel.example", None).await;
    let cohort = new_cohort(&app, referent, "Rappels").await;
    let journey = label::apply(
        &app.db,
        &scheme,
        structure,
        manager,
        at("2027-03-09T10:00:00Z"),
    )
    .await
    .unwrap();
    let step = |kind, when: &str| Step::new(kind, at(when));
    label::append(
        &app.db,
        &scheme,
        journey,
        Step {
            cohort_id: Some(cohort),
            ..step(StepKind::Admitted, "2027-03-20T10:00:00Z")
        },
        Some(referent),
    )
    .await
    .unwrap();
    for day in 1..=6 {
        label::append(
            &app.db,
            &scheme,
            journey,
            Step {
                day: Some(day),
                ..step(StepKind::Attended, "2027-05-01T10:00:00Z")
            },
            Some(referent),
        )
        .await
        .unwrap();
    }
    let progress = label::append(
        &app.db,
        &scheme,
        journey,
        step(StepKind::Issued, "2027-06-30T12:00:00Z"),
        Some(referent),
    )
    .await
    .unwrap();
    assert_eq!(
        progress.valid_until,
        Some(at("2029-06-30T12:00:00Z")),
        "two years"
    );
    let identifier = progress.identifier.unwrap();
    assert_eq!(
        label::verify(&app.db, &identifier, at("2029-06-30T11:59:59Z"))
            .await
            .unwrap()
            .kind(),
        "valid"
    );
    assert_eq!(
        label::verify(&app.db, &identifier, at("2029-06-30T12:00:00Z"))
            .await
            .unwrap()
            .kind(),
        "expired",
        "expired by its date, before any sweep"
    );

    // A second app server: its own connections to the same database.
    let other_db = dessine::db::Db::connect(&app.state.config).await.unwrap();
    let other = app.state.with(|parts| parts.db = other_db);
    // The server's own sweep (on today's clock) may mail about the demo: count this test's.
    let ours = || {
        app.mails()
            .iter()
            .filter(|m| m.contains("rappel.example"))
            .count()
    };
    let sweep_both = |now: Timestamp| {
        let (a, b) = (app.state.clone(), other.clone());
        async move {
            let (x, y) = tokio::join!(reminders::sweep(&a, now), reminders::sweep(&b, now));
            let (x, y) = (x.unwrap(), y.unwrap());
            (x.mails + y.mails, x.expired + y.expired)
        }
    };
    // 100 days before: nothing; 89 days before: the 90-day mail, once, even swept again.
    assert_eq!(sweep_both(at("2029-03-22T08:00:00Z")).await, (0, 0));
    assert_eq!(sweep_both(at("2029-04-02T08:00:00Z")).await, (1, 0));
    assert_eq!(
        sweep_both(at("2029-04-02T09:00:00Z")).await,
        (0, 0),
        "same day"
    );
    assert_eq!(
        sweep_both(at("2029-04-03T09:00:00Z")).await,
        (0, 0),
        "already sent"
    );
    // 29 days before: the 30-day mail.
    assert_eq!(sweep_both(at("2029-06-01T09:00:00Z")).await, (1, 0));
    // Past its date: one expiry step, one mail to the cohort's referent.
    assert_eq!(sweep_both(at("2029-06-30T13:00:00Z")).await, (1, 1));
    assert_eq!(sweep_both(at("2029-06-30T14:00:00Z")).await, (0, 0));
    assert_eq!(
        ours(),
        3,
        "two reminders to the manager, one expiry to the referent"
    );
    assert_eq!(
        journey_state(&app, "cooperative-du-rappel").await.0,
        "expired"
    );

    // A late renewal needs a review first, then runs two years from the renewal.
    let refused = label::append(
        &app.db,
        &scheme,
        journey,
        step(StepKind::Renewed, "2029-07-10T10:00:00Z"),
        Some(referent),
    )
    .await;
    assert!(refused.is_err());
    label::append(
        &app.db,
        &scheme,
        journey,
        step(StepKind::Review, "2029-07-10T10:00:00Z"),
        Some(referent),
    )
    .await
    .unwrap();
    let renewed = label::append(
        &app.db,
        &scheme,
        journey,
        step(StepKind::Renewed, "2029-07-11T10:00:00Z"),
        Some(referent),
    )
    .await
    .unwrap();
    assert_eq!(renewed.valid_until, Some(at("2031-07-11T10:00:00Z")));
    assert_eq!(
        label::verify(&app.db, &identifier, at("2030-01-01T00:00:00Z"))
            .await
            .unwrap()
            .kind(),
        "valid"
    );
    // The new period gets its own reminders.
    assert_eq!(sweep_both(at("2031-04-20T09:00:00Z")).await, (1, 0));
}

/// Issue 27, finding 12: a cohort whose name is long gets six day events (their addresses
/// once collided when cut at 80 characters, and the form answered « déjà utilisée »).
async fn a_cohort_with_a_long_name_gets_its_six_days(app: TestApp) {
    let referent = common::create_member(&app, "referent-long@exemple.fr", None).await;
    label::set_referent(&app.db, referent, true).await.unwrap();
    let referente = log_in(&app, "referent-long@exemple.fr", PASSWORD).await;
    let name = "Cohorte des structures de l'insertion du littoral et de l'Artois, printemps 2027";
    let days: Vec<String> = (1..=6).map(|d| format!("2027-04-{:02}", d * 3)).collect();
    let mut form = vec![
        ("name", name),
        ("territory", "artois-comm"),
        ("start_time", "09:00"),
        ("end_time", "17:00"),
    ];
    form.extend(days.iter().map(|d| ("days", d.as_str())));
    let created = post(&app, &referente, "/label/cohortes", &form).await;
    assert_eq!(
        created.status(),
        303,
        "{}",
        main_of(&created.text().await.unwrap())
    );
    let slugs: Vec<String> = sqlx::query_scalar(
        "SELECT e.slug FROM events e WHERE e.title LIKE $1 ORDER BY e.starts_at",
    )
    .bind(format!("%{name}%"))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(slugs.len(), 6, "{slugs:?}");
    for (day, slug) in slugs.iter().enumerate() {
        assert!(
            slug.len() <= 80 && slug.ends_with(&format!("journee-{}-sur-6", day + 1)),
            "{slug}"
        );
    }
}

on_both_databases!(
    a_cohort_with_a_long_name_gets_its_six_days,
    whole_journey_through_plain_forms,
    verification_answers_each_outcome,
    label_facet_counts_the_filtered_total,
    expiry_renewal_and_reminders_with_two_servers,
);
