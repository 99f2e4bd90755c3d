//! Shared means, on both databases: a manager offers a room through the plain form, another
//! structure's manager asks for days, the owner accepts one request and cannot accept an
//! overlapping one (the database refuses it, also when two acceptances race); hostile input
//! gets French messages and writes nothing; visitors see the days taken, not who took them.
//! And the sharing rows of the role x action matrix.

use crate::common::{self, TestApp, location, log_in, post};
use crate::matrix::{Row, forms, run_rows};
use dessine::features::accounts::demo;
use dessine::features::sharing::db as sharing;

const PASSWORD: &str = common::MEMBER_PASSWORD;

fn in_days(n: i64) -> String {
    let day = dessine::timestamp::Timestamp::now()
        .plus(time::Duration::days(n))
        .in_paris()
        .date();
    dessine::timestamp::iso_day(day)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The demo manager (Les Courses Asteur) offers a room; its id.
async fn offer_room(app: &TestApp, owner: &reqwest::Client, title: &str) -> i64 {
    let offered = post(
        app,
        owner,
        "/moyens/proposer",
        &[
            ("structure", "les-courses-asteur"),
            ("direction", "offre"),
            ("kind", "salle"),
            ("title", title),
            ("description", "=HYPERLINK(\"x\")\n<b>gras</b>"),
            ("commune", ""),
            ("terms", "gratuit"),
        ],
    )
    .await;
    assert_eq!(offered.status(), 303);
    let to = location(&offered);
    assert!(to.ends_with("?message=moyen-publie"), "{to}");
    to.trim_start_matches("/moyens/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn ask(
    app: &TestApp,
    client: &reqwest::Client,
    mean: i64,
    first: &str,
    last: &str,
) -> reqwest::Response {
    let id = mean.to_string();
    post(
        app,
        client,
        &format!("/moyens/{mean}/reserver"),
        &[
            ("mean", id.as_str()),
            ("structure", "work-co"),
            ("first_day", first),
            ("last_day", last),
            ("message", "Pour notre assemblée générale."),
        ],
    )
    .await
}

async fn pending_ids(app: &TestApp, mean: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT id FROM mean_bookings WHERE mean_id = $1 AND status = 'en-attente' ORDER BY id",
    )
    .bind(mean)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    booking: i64,
    decision: &str,
) -> reqwest::Response {
    let id = booking.to_string();
    // As the form on the mean's page sends it.
    let mean: i64 = count(
        app,
        &format!("SELECT mean_id FROM mean_bookings WHERE id = {booking}"),
    )
    .await;
    let back = format!("/moyens/{mean}");
    post(
        app,
        client,
        &format!("/moyens/reservations/{booking}"),
        &[
            ("booking", id.as_str()),
            ("decision", decision),
            ("retour", back.as_str()),
        ],
    )
    .await
}

async fn a_room_is_booked_and_the_overlap_refused(app: TestApp) {
    common::create_member(&app, "emprunteur@exemple.fr", Some("work-co")).await;
    let owner = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let borrower = log_in(&app, "emprunteur@exemple.fr", PASSWORD).await;
    let mean = offer_room(&app, &owner, "Salle <script>alert(1)</script> de 30 places").await;
    let page = common::page(&app, &app.browser(), &format!("/moyens/{mean}")).await;
    assert!(page.contains("Salle &lt;script&gt;alert(1)&lt;/script&gt; de 30 places"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(
        page.contains("connectez-vous"),
        "a visitor is asked to log in to book"
    );
    let list = common::page(&app, &app.browser(), "/moyens?type=salle&sens=offre").await;
    assert!(list.contains(&format!("/moyens/{mean}")));
    let vehicles = common::page(&app, &app.browser(), "/moyens?type=vehicule").await;
    assert!(!vehicles.contains(&format!("/moyens/{mean}\"")));

    // Three requests: days 10-12, 12-13 (overlaps the first on day 12), 20.
    for (first, last) in [(10, 12), (12, 13), (20, 20)] {
        let asked = ask(&app, &borrower, mean, &in_days(first), &in_days(last)).await;
        assert_eq!(asked.status(), 303, "{first}-{last}");
    }
    // The owner cannot book its own mean for itself.
    let own = post(
        &app,
        &owner,
        &format!("/moyens/{mean}/reserver"),
        &[
            ("mean", mean.to_string().as_str()),
            ("structure", "les-courses-asteur"),
            ("first_day", in_days(30).as_str()),
        ],
    )
    .await;
    assert_eq!(own.status(), 422, "a structure does not book its own mean");
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("déjà celui de votre structure")
    );
    let pending = pending_ids(&app, mean).await;
    assert_eq!(pending.len(), 3);
    // The owner's managers were told of each request, with its words.
    let asked = app.mails_to(demo::MANAGER_EMAIL);
    let told = common::decoded(asked.last().unwrap());
    assert!(told.contains("demande à réserver") && told.contains("Pour notre assemblée générale."));
    assert_eq!(
        asked
            .iter()
            .filter(|m| common::decoded(m).contains("demande à réserver"))
            .count(),
        3
    );

    // Someone else's manager cannot decide.
    assert_eq!(
        decide(&app, &borrower, pending[0], "accepter")
            .await
            .status(),
        403
    );
    let accepted = decide(&app, &owner, pending[0], "accepter").await;
    assert_eq!(
        location(&accepted),
        format!("/moyens/{mean}?message=reservation-acceptee")
    );
    // The borrower is told, with the days as a calendar file (whole days: the end is the day
    // after the last).
    let answer = common::decoded(app.mails_to("emprunteur@exemple.fr").last().unwrap());
    assert!(answer.contains("accepte votre réservation"));
    assert!(answer.contains("reservation.ics") && answer.contains("text/calendar"));
    // Both sides download it; anyone else may not.
    let file = format!("/moyens/reservations/{}/calendrier.ics", pending[0]);
    for client in [&owner, &borrower] {
        let ics = client.get(app.url(&file)).send().await.unwrap();
        assert_eq!(ics.status(), 200);
        assert!(
            ics.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let body = ics.text().await.unwrap();
        let last = in_days(12).replace('-', "");
        let after = in_days(13).replace('-', "");
        assert!(
            body.contains("DTSTART;VALUE=DATE:")
                && body.contains(&format!("DTEND;VALUE=DATE:{after}")),
            "{body}"
        );
        assert!(!body.contains(&format!("DTEND;VALUE=DATE:{last}")));
        assert!(body.contains("BEGIN:VEVENT") && body.ends_with("END:VCALENDAR\r\n"));
    }
    common::create_member(&app, "tiers@exemple.fr", None).await;
    let third = log_in(&app, "tiers@exemple.fr", PASSWORD).await;
    assert_eq!(
        third.get(app.url(&file)).send().await.unwrap().status(),
        403
    );
    let page_of_borrower = common::page(&app, &borrower, &format!("/moyens/{mean}")).await;
    assert!(
        page_of_borrower.contains(&file),
        "the borrower's calendar link"
    );
    let overlapping = decide(&app, &owner, pending[1], "accepter").await;
    assert_eq!(overlapping.status(), 409);
    let html = overlapping.text().await.unwrap();
    assert!(
        html.contains("chevauchent une réservation déjà acceptée"),
        "{html}"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM mean_booked_days WHERE mean_id = {mean}")
        )
        .await,
        3,
        "the first booking's three days, nothing of the second"
    );
    assert_eq!(
        pending_ids(&app, mean).await,
        pending[1..],
        "the second still waits"
    );
    assert_eq!(
        location(&decide(&app, &owner, pending[1], "refuser").await),
        format!("/moyens/{mean}?message=reservation-refusee")
    );
    // Answered twice: a conflict, nothing changes.
    assert_eq!(
        decide(&app, &owner, pending[1], "accepter").await.status(),
        409
    );
    assert_eq!(
        location(&decide(&app, &owner, pending[2], "accepter").await),
        format!("/moyens/{mean}?message=reservation-acceptee")
    );

    // Visitors see the days taken, not by whom nor why; the owner sees both.
    let public = common::page(&app, &app.browser(), &format!("/moyens/{mean}")).await;
    assert!(public.contains("Jours déjà réservés"));
    assert!(!public.contains("Work&amp;Co") && !public.contains("assemblée générale"));
    let mine = common::page(&app, &owner, &format!("/moyens/{mean}")).await;
    assert!(mine.contains("Work&amp;Co"), "the owner sees who booked");
    let refused = common::decoded(app.mails_to("emprunteur@exemple.fr")[1].as_str());
    assert!(refused.contains("ne peut pas vous prêter") && !refused.contains("text/calendar"));

    // A search (« nous cherchons ») shows the offers of its kind, and the offer the searches.
    let search = post(
        &app,
        &borrower,
        "/moyens/proposer",
        &[
            ("structure", "work-co"),
            ("direction", "recherche"),
            ("kind", "salle"),
            ("title", "Une salle pour notre AG"),
            ("commune", ""),
            ("terms", "echange"),
        ],
    )
    .await;
    let search = location(&search);
    let wanted = common::page(&app, &app.browser(), search.split('?').next().unwrap()).await;
    assert!(wanted.contains("Des structures proposent un moyen de ce type"));
    assert!(wanted.contains(&format!("href=\"/moyens/{mean}\"")));
    let offered = common::page(&app, &app.browser(), &format!("/moyens/{mean}")).await;
    assert!(offered.contains("Une salle pour notre AG"));
}

/// A free mean of `kind` offered by Les Courses Asteur (`owner`), written directly; its id.
async fn offered_by(app: &TestApp, owner: i64, kind: &str, title: &str) -> i64 {
    let mean = dessine::features::sharing::model::ValidMean {
        structure: "les-courses-asteur".into(),
        direction: "offre".into(),
        kind: kind.into(),
        title: title.into(),
        description: String::new(),
        commune: String::new(),
        terms: "gratuit".into(),
    };
    let now = dessine::timestamp::Timestamp::now();
    sharing::create_mean(&app.db, &mean, owner, None, now)
        .await
        .unwrap()
}

async fn two_acceptances_race_and_one_wins(app: TestApp) {
    use dessine::features::sharing::db::Decided;
    let owner: i64 = count(
        &app,
        "SELECT id FROM structures WHERE slug = 'les-courses-asteur'",
    )
    .await;
    let borrower: i64 = count(&app, "SELECT id FROM structures WHERE slug = 'work-co'").await;
    let now = dessine::timestamp::Timestamp::now();
    let mean = offered_by(&app, owner, "vehicule", "Camion").await;
    let day = |n: i64| now.plus(time::Duration::days(n)).in_paris().date();
    for round in 0..5 {
        let base = 40 + round * 10;
        let a = sharing::request_booking(
            &app.db,
            mean,
            borrower,
            None,
            (day(base), day(base + 3)),
            "",
            now,
        )
        .await
        .unwrap();
        let b = sharing::request_booking(
            &app.db,
            mean,
            borrower,
            None,
            (day(base + 2), day(base + 5)),
            "",
            now,
        )
        .await
        .unwrap();
        let (first, second) = tokio::join!(
            sharing::decide(&app.db, a, true, now),
            sharing::decide(&app.db, b, true, now)
        );
        let outcomes = [first.unwrap(), second.unwrap()];
        assert_eq!(
            outcomes.iter().filter(|o| **o == Decided::Done).count(),
            1,
            "round {round}: {outcomes:?}"
        );
        assert!(
            outcomes.contains(&Decided::Overlaps),
            "round {round}: {outcomes:?}"
        );
    }
    let accepted = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM mean_bookings WHERE mean_id = {mean} AND status = 'acceptee'"
        ),
    )
    .await;
    let days = count(
        &app,
        &format!("SELECT COUNT(*) FROM mean_booked_days WHERE mean_id = {mean}"),
    )
    .await;
    assert_eq!((accepted, days), (5, 20), "five winners, four days each");
}

async fn hostile_input_gets_french_messages_and_writes_nothing(app: TestApp) {
    common::create_member(&app, "emprunteur@exemple.fr", Some("work-co")).await;
    let owner = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let borrower = log_in(&app, "emprunteur@exemple.fr", PASSWORD).await;
    let mean = offer_room(&app, &owner, "Salle du conseil").await;
    let before = count(&app, "SELECT COUNT(*) FROM mean_bookings").await;
    for (first, last, message) in [
        (in_days(-1), String::new(), "Le premier jour est déjà passé"),
        (
            in_days(5),
            in_days(4),
            "Le dernier jour vient après le premier",
        ),
        (in_days(5), in_days(60), "31 jours au plus"),
        (in_days(400), String::new(), "au plus un an à l'avance"),
        (
            "demain".to_owned(),
            String::new(),
            "Indiquez le premier jour",
        ),
        (
            "2027-02-30".to_owned(),
            String::new(),
            "Indiquez le premier jour",
        ),
    ] {
        let response = ask(&app, &borrower, mean, &first, &last).await;
        assert_eq!(response.status(), 422, "{first} {last}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{first} {last}: {message}");
        assert!(
            html.contains("Pour notre assemblée générale."),
            "typed text kept"
        );
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM mean_bookings").await,
        before
    );
    let means = count(&app, "SELECT COUNT(*) FROM shared_means").await;
    let refused = post(
        &app,
        &owner,
        "/moyens/proposer",
        &[
            ("structure", "les-courses-asteur"),
            ("direction", "vente"),
            ("kind", "salle"),
            ("title", ""),
            ("commune", "atlantide"),
            ("terms", "gratuit"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Donnez un titre") && html.contains("proposez ou si vous cherchez"));
    let unknown_commune = post(
        &app,
        &owner,
        "/moyens/proposer",
        &[
            ("structure", "les-courses-asteur"),
            ("direction", "offre"),
            ("kind", "salle"),
            ("title", "Salle"),
            ("commune", "atlantide"),
            ("terms", "gratuit"),
        ],
    )
    .await;
    assert_eq!(unknown_commune.status(), 422);
    assert!(
        unknown_commune
            .text()
            .await
            .unwrap()
            .contains("Choisissez la commune")
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM shared_means").await,
        means
    );
    // A search (« nous cherchons ») cannot be booked.
    let wanted: i64 = count(
        &app,
        "SELECT id FROM shared_means WHERE direction = 'recherche'",
    )
    .await;
    let response = ask(&app, &borrower, wanted, &in_days(3), "").await;
    assert_eq!(response.status(), 422);
}

on_both_databases!(
    a_room_is_booked_and_the_overlap_refused,
    two_acceptances_race_and_one_wins,
    hostile_input_gets_french_messages_and_writes_nothing,
);

const ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "manager of the mean's structure",
    "manager of another structure",
    "site admin",
];
const ALL: [u16; 5] = [200; 5];
const MEMBERS: [u16; 5] = [401, 200, 200, 200, 200];
const OWNERS: [u16; 5] = [401, 403, 200, 403, 200];
const BORROWERS: [u16; 5] = [401, 403, 403, 200, 200];

pub(crate) fn sharing_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    vec![
        row("/api/moyens/liste", None, "kind=salle&direction=", ALL),
        row("/api/moyens/formulaire", None, "", MEMBERS),
        row("/api/moyens/fiche", None, "id={mean}", ALL),
        row(
            "/api/moyens/proposer",
            Some(("/moyens/proposer", forms(OWNERS))),
            "structure=les-courses-asteur&direction=offre&kind=materiel&title=Tables+{n}&description=&commune=&terms=gratuit",
            OWNERS,
        ),
        row(
            "/api/moyens/reserver",
            Some(("/moyens/{id}/reserver", forms(BORROWERS))),
            "mean={mean}&structure=work-co&first_day={day}&last_day=&message=",
            BORROWERS,
        ),
        row(
            "/api/moyens/decider",
            Some(("/moyens/reservations/{id}", forms(OWNERS))),
            "booking={booking}&decision=refuser&retour=%2Fmoyens",
            OWNERS,
        ),
    ]
}

async fn sharing_matrix(app: TestApp) {
    common::create_member(&app, "membre-moyens@exemple.fr", None).await;
    common::create_member(&app, "autre-moyens@exemple.fr", Some("work-co")).await;
    let clients = [
        app.browser(),
        log_in(&app, "membre-moyens@exemple.fr", PASSWORD).await,
        log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await,
        log_in(&app, "autre-moyens@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let owner = count(
        &app,
        "SELECT id FROM structures WHERE slug = 'les-courses-asteur'",
    )
    .await;
    let borrower = count(&app, "SELECT id FROM structures WHERE slug = 'work-co'").await;
    let app = &app;
    let prepare = move |n: u32, body: &'static str| async move {
        let now = dessine::timestamp::Timestamp::now();
        let mean = offered_by(
            app,
            owner,
            "materiel",
            &format!("Matériel de la matrice {n}"),
        )
        .await;
        let day = now.plus(time::Duration::days(7)).in_paris().date();
        let mut values = vec![
            ("{mean}", mean.to_string()),
            ("{day}", dessine::timestamp::iso_day(day)),
        ];
        if !body.contains("{booking}") {
            // The booking form's address names the mean.
            values.push(("{id}", mean.to_string()));
        } else {
            let booking =
                sharing::request_booking(&app.db, mean, borrower, None, (day, day), "", now)
                    .await
                    .unwrap();
            values.push(("{booking}", booking.to_string()));
            values.push(("{id}", booking.to_string()));
        }
        values
    };
    let failures = run_rows(app, ROLES, &clients, sharing_rows, 9, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_databases!(sharing_matrix);
