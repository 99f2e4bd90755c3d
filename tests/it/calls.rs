//! Calls for projects and consortia, on both databases: a manager publishes a call through the
//! plain form, forms a consortium, invites a partner found in the directory, who accepts; the
//! members see each other's contacts and share a checklist; the call's page counts the
//! consortia and names the ones that choose it. A call is not edited after its deadline; an
//! invitation answered twice at once counts once; the reminder goes out once however many
//! servers run the job; hostile input gets French messages and writes nothing. And the rows of
//! the role x action matrix.

use crate::common::{self, TestApp, decoded, location, log_in, post};
use crate::matrix::{Row, forms, run_rows};
use dessine::features::accounts::demo;
use dessine::features::calls::db as calls;
use dessine::features::calls::model::ValidCall;

const PASSWORD: &str = common::MEMBER_PASSWORD;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn in_days(n: i64) -> String {
    dessine::timestamp::iso_day(dessine::timestamp::paris_today() + time::Duration::days(n))
}

fn id_after(location: &str, prefix: &str) -> i64 {
    location
        .trim_start_matches(prefix)
        .split(['?', '#', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A call published by Les Courses Asteur (its id), closing in `days` days.
async fn call_of_asteur(app: &TestApp, title: &str, days: i64) -> i64 {
    let asteur = count(
        app,
        "SELECT id FROM structures WHERE slug = 'les-courses-asteur'",
    )
    .await;
    let admin = count(
        app,
        &format!("SELECT id FROM users WHERE email = '{}'", demo::ADMIN_EMAIL),
    )
    .await;
    let call = ValidCall {
        structure: String::new(),
        title: title.into(),
        funder: "Région".into(),
        deadline: dessine::timestamp::paris_today() + time::Duration::days(days),
        themes: String::new(),
        territory: String::new(),
        url: "https://example.org/appel".into(),
        description: String::new(),
    };
    calls::create_call(
        &app.db,
        &call,
        Some(asteur),
        admin,
        dessine::timestamp::Timestamp::now(),
    )
    .await
    .unwrap()
    .unwrap()
}

async fn a_consortium_forms_around_a_call(app: TestApp) {
    let lead = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let deadline = in_days(40);
    let published = post(
        &app,
        &lead,
        "/appels/nouveau",
        &[
            ("structure", "les-courses-asteur"),
            ("title", "Réemploi <script>alert(1)</script> 2027"),
            ("funder", "Région Hauts-de-France"),
            ("deadline", deadline.as_str()),
            ("themes", "réemploi; insertion"),
            ("territory", "nord"),
            ("url", "https://www.hautsdefrance.fr/appel"),
            ("description", "=HYPERLINK(\"x\")"),
        ],
    )
    .await;
    assert_eq!(published.status(), 303);
    let call = id_after(&location(&published), "/appels/");
    let page = common::page(&app, &app.browser(), &format!("/appels/{call}")).await;
    assert!(page.contains("Réemploi &lt;script&gt;alert(1)&lt;/script&gt; 2027"));
    assert!(page.contains("0 consortium s'est formé") && page.contains("réemploi, insertion"));

    let formed = post(
        &app,
        &lead,
        &format!("/appels/{call}/consortiums"),
        &[
            ("call", call.to_string().as_str()),
            ("structure", "les-courses-asteur"),
            ("name", "Boucle locale"),
            ("visibility", "privee"),
        ],
    )
    .await;
    assert_eq!(formed.status(), 303);
    let consortium = id_after(&location(&formed), "/consortiums/");
    // One consortium per lead and call.
    let again = post(
        &app,
        &lead,
        &format!("/appels/{call}/consortiums"),
        &[
            ("call", call.to_string().as_str()),
            ("structure", "les-courses-asteur"),
            ("name", "Bis"),
            ("visibility", "privee"),
        ],
    )
    .await;
    assert_eq!(again.status(), 409);

    // The lead finds Work&Co in the directory and invites it.
    common::create_member(&app, "gerance@workco.example", Some("work-co")).await;
    let partner = log_in(&app, "gerance@workco.example", PASSWORD).await;
    let found = common::page(
        &app,
        &lead,
        &format!("/consortiums/{consortium}?chercher=work"),
    )
    .await;
    assert!(found.contains("Work&amp;Co"));
    let work_co = count(&app, "SELECT id FROM structures WHERE slug = 'work-co'").await;
    let invited = post(
        &app,
        &lead,
        &format!("/consortiums/{consortium}/invitations"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("structure", work_co.to_string().as_str()),
            ("role", "Formation des salariés"),
        ],
    )
    .await;
    assert_eq!(invited.status(), 303);
    let mail = decoded(app.mails_to("gerance@workco.example").last().unwrap());
    assert!(mail.contains("Boucle locale") && mail.contains("Formation des salariés"));
    let twice = post(
        &app,
        &lead,
        &format!("/consortiums/{consortium}/invitations"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("structure", work_co.to_string().as_str()),
            ("role", ""),
        ],
    )
    .await;
    assert_eq!(twice.status(), 409);

    // Invited, the partner sees who is in but not their contacts; then accepts.
    let seen = common::page(&app, &partner, &format!("/consortiums/{consortium}")).await;
    assert!(seen.contains("Accepter") && !seen.contains(demo::MANAGER_EMAIL));
    let accepted = post(
        &app,
        &partner,
        &format!("/consortiums/{consortium}/reponse"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("structure", work_co.to_string().as_str()),
            ("decision", "accepter"),
        ],
    )
    .await;
    assert_eq!(
        location(&accepted),
        format!("/consortiums/{consortium}?message=invitation-acceptee")
    );
    assert!(
        decoded(app.mails_to(demo::MANAGER_EMAIL).last().unwrap())
            .contains("rejoint le consortium")
    );
    let member_view = common::page(&app, &partner, &format!("/consortiums/{consortium}")).await;
    assert!(
        member_view.contains(demo::MANAGER_EMAIL),
        "members see each other's contacts"
    );

    // The shared checklist.
    let task = post(
        &app,
        &partner,
        &format!("/consortiums/{consortium}/taches"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("label", "Budget <b>à trois</b>"),
        ],
    )
    .await;
    assert_eq!(task.status(), 303);
    let task_id = count(
        &app,
        &format!("SELECT id FROM consortium_tasks WHERE consortium_id = {consortium}"),
    )
    .await;
    let ticked = post(
        &app,
        &lead,
        &format!("/consortiums/{consortium}/taches/cocher"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("task", task_id.to_string().as_str()),
            ("fait", "1"),
        ],
    )
    .await;
    assert_eq!(ticked.status(), 303);
    let list = common::page(&app, &partner, &format!("/consortiums/{consortium}")).await;
    assert!(
        list.contains("Budget &lt;b&gt;à trois&lt;/b&gt;")
            && list.contains("fait par Karim Gérant")
    );

    // Private: counted, not named; public: named.
    let public = common::page(&app, &app.browser(), &format!("/appels/{call}")).await;
    assert!(public.contains("1 consortium s'est formé") && !public.contains("Boucle locale"));
    let shown = post(
        &app,
        &lead,
        &format!("/consortiums/{consortium}/visibilite"),
        &[
            ("consortium", consortium.to_string().as_str()),
            ("visibility", "publique"),
        ],
    )
    .await;
    assert_eq!(shown.status(), 303);
    let public = common::page(&app, &app.browser(), &format!("/appels/{call}")).await;
    assert!(public.contains("Boucle locale") && public.contains("2 structures"));
    // Someone outside the consortium may not read its page.
    common::create_member(&app, "dehors@exemple.fr", None).await;
    let outsider = log_in(&app, "dehors@exemple.fr", PASSWORD).await;
    let refused = outsider
        .get(app.url(&format!("/consortiums/{consortium}")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn a_call_is_not_edited_after_its_deadline(app: TestApp) {
    let lead = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let call = call_of_asteur(&app, "Appel qui se ferme", 1).await;
    sqlx::query("UPDATE calls SET deadline = $1 WHERE id = $2")
        .bind(in_days(-1))
        .bind(call)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let deadline = in_days(20);
    let edited = post(
        &app,
        &lead,
        &format!("/appels/{call}/modifier"),
        &[
            ("id", call.to_string().as_str()),
            ("title", "Rouvert en douce"),
            ("funder", "Région"),
            ("deadline", deadline.as_str()),
            ("url", "https://example.org"),
        ],
    )
    .await;
    assert_eq!(edited.status(), 409);
    assert!(edited.text().await.unwrap().contains("ne se modifie plus"));
    let formed = post(
        &app,
        &lead,
        &format!("/appels/{call}/consortiums"),
        &[
            ("call", call.to_string().as_str()),
            ("structure", "les-courses-asteur"),
            ("name", "Trop tard"),
            ("visibility", "privee"),
        ],
    )
    .await;
    assert_eq!(formed.status(), 409);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM calls WHERE id = {call} AND title = 'Appel qui se ferme'"
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM consortia WHERE call_id = {call}")
        )
        .await,
        0
    );
    // Before its deadline, its publisher edits it.
    let open = call_of_asteur(&app, "Appel ouvert", 10).await;
    let edited = post(
        &app,
        &lead,
        &format!("/appels/{open}/modifier"),
        &[
            ("id", open.to_string().as_str()),
            ("title", "Appel ouvert, précisé"),
            ("funder", "Région"),
            ("deadline", deadline.as_str()),
            ("url", "https://example.org"),
        ],
    )
    .await;
    assert_eq!(edited.status(), 303);
}

/// A consortium of Les Courses Asteur on a fresh call, with Work&Co invited; `(consortium,
/// Work&Co)`.
async fn consortium_with_invitation(app: &TestApp, title: &str, days: i64) -> (i64, i64) {
    let call = call_of_asteur(app, title, days).await;
    let asteur = count(
        app,
        "SELECT id FROM structures WHERE slug = 'les-courses-asteur'",
    )
    .await;
    let work_co = count(app, "SELECT id FROM structures WHERE slug = 'work-co'").await;
    let admin = count(
        app,
        &format!("SELECT id FROM users WHERE email = '{}'", demo::ADMIN_EMAIL),
    )
    .await;
    let now = dessine::timestamp::Timestamp::now();
    let consortium = calls::create_consortium(&app.db, call, asteur, (title, "privee"), admin, now)
        .await
        .unwrap()
        .unwrap();
    calls::invite(&app.db, consortium, work_co, "", admin, now)
        .await
        .unwrap();
    (consortium, work_co)
}

async fn an_invitation_answered_twice_at_once_counts_once(app: TestApp) {
    common::create_member(&app, "a@workco.example", Some("work-co")).await;
    common::create_member(&app, "b@workco.example", Some("work-co")).await;
    let a = log_in(&app, "a@workco.example", PASSWORD).await;
    let b = log_in(&app, "b@workco.example", PASSWORD).await;
    for round in 0..5 {
        let (consortium, work_co) =
            consortium_with_invitation(&app, &format!("Course {round}"), 30).await;
        let path = format!("/consortiums/{consortium}/reponse");
        let body = |decision: &'static str| {
            [
                ("consortium", consortium.to_string()),
                ("structure", work_co.to_string()),
                ("decision", decision.to_owned()),
            ]
        };
        let (first, second) = tokio::join!(
            a.post(app.url(&path))
                .header("origin", &app.base)
                .form(&body("accepter"))
                .send(),
            b.post(app.url(&path))
                .header("origin", &app.base)
                .form(&body("decliner"))
                .send(),
        );
        let mut statuses = [
            first.unwrap().status().as_u16(),
            second.unwrap().status().as_u16(),
        ];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}");
        let answered = count(
            &app,
            &format!("SELECT COUNT(*) FROM consortium_members WHERE consortium_id = {consortium} AND structure_id = {work_co} AND status IN ('membre', 'declinee')"),
        )
        .await;
        assert_eq!(answered, 1);
    }
}

async fn the_reminder_goes_once_whatever_the_servers(app: TestApp) {
    let (consortium, work_co) = consortium_with_invitation(&app, "Échéance proche", 3).await;
    let now = dessine::timestamp::Timestamp::now();
    calls::answer(&app.db, consortium, work_co, true, now)
        .await
        .unwrap();
    common::create_member(&app, "rappel@workco.example", Some("work-co")).await;
    let before = app.mails_to("rappel@workco.example").len();
    let before_lead = app.mails_to(demo::MANAGER_EMAIL).len();
    // Two servers run the day's job at once, then one runs it again.
    let job = calls::REMINDERS;
    let (first, second) = tokio::join!((job.run)(&app.state, now), (job.run)(&app.state, now));
    first.unwrap();
    second.unwrap();
    (job.run)(&app.state, now).await.unwrap();
    let reminded = |to: &str| {
        app.mails_to(to)
            .iter()
            .filter(|m| {
                decoded(m).contains("Date limite proche") && decoded(m).contains("Échéance proche")
            })
            .count()
    };
    assert_eq!(reminded("rappel@workco.example"), 1);
    assert_eq!(reminded(demo::MANAGER_EMAIL), 1);
    assert!(app.mails_to("rappel@workco.example").len() > before);
    assert!(app.mails_to(demo::MANAGER_EMAIL).len() > before_lead);
    // A call further away is not reminded yet.
    let (far, _) = consortium_with_invitation(&app, "Échéance lointaine", 30).await;
    (job.run)(&app.state, now).await.unwrap();
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM consortia WHERE id = {far} AND reminded_at IS NULL")
        )
        .await,
        1
    );
}

async fn hostile_input_gets_french_messages_and_writes_nothing(app: TestApp) {
    let lead = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let calls_before = count(&app, "SELECT COUNT(*) FROM calls").await;
    let refused = post(
        &app,
        &lead,
        "/appels/nouveau",
        &[
            ("structure", "les-courses-asteur"),
            ("title", ""),
            ("funder", "Région <img src=x onerror=alert(1)>"),
            ("deadline", "31/03/2027"),
            ("url", "javascript:alert(1)"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    for message in [
        "Donnez le titre de l'appel",
        "Indiquez la date limite",
        "adresse web complète",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains("Région &lt;img src=x onerror=alert(1)&gt;"),
        "typed text kept, escaped"
    );
    let deadline = in_days(10);
    for (field, value, message) in [
        (
            "territory",
            "atlantide",
            "Choisissez le territoire dans la liste",
        ),
        (
            "structure",
            "jardins-du-littoral",
            "Vous n'avez pas le droit",
        ),
    ] {
        let mut form = vec![
            ("structure", "les-courses-asteur"),
            ("title", "Appel"),
            ("funder", "Région"),
            ("deadline", deadline.as_str()),
            ("url", "https://example.org"),
        ];
        form.retain(|(name, _)| *name != field);
        form.push((field, value));
        let response = post(&app, &lead, "/appels/nouveau", &form).await;
        assert!(response.status().is_client_error(), "{field}");
        if response.status() == 422 {
            assert!(response.text().await.unwrap().contains(message), "{field}");
        }
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM calls").await,
        calls_before
    );

    let (consortium, work_co) =
        consortium_with_invitation(&app, "Consortium à l'épreuve", 20).await;
    let c = consortium.to_string();
    for (path, form, message) in [
        (
            "taches",
            vec![("consortium", c.as_str()), ("label", "   ")],
            "Écrivez la tâche",
        ),
        (
            "roles",
            vec![
                ("consortium", c.as_str()),
                ("structure", "1"),
                ("role", &"r".repeat(81)),
            ],
            "Le rôle ne doit pas dépasser",
        ),
        (
            "visibilite",
            vec![("consortium", c.as_str()), ("visibility", "=1+1")],
            "Dites si le consortium est nommé",
        ),
    ] {
        let response = post(
            &app,
            &lead,
            &format!("/consortiums/{consortium}/{path}"),
            &form,
        )
        .await;
        assert_eq!(response.status(), 422, "{path}");
        assert!(response.text().await.unwrap().contains(message), "{path}");
    }
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM consortium_tasks WHERE consortium_id = {consortium}")
        )
        .await,
        0
    );
    // The lead cannot answer for the invited structure.
    let answer = post(
        &app,
        &lead,
        &format!("/consortiums/{consortium}/reponse"),
        &[
            ("consortium", c.as_str()),
            ("structure", work_co.to_string().as_str()),
            ("decision", "accepter"),
        ],
    )
    .await;
    assert_eq!(answer.status(), 403);
}

on_both_databases!(
    a_consortium_forms_around_a_call,
    a_call_is_not_edited_after_its_deadline,
    an_invitation_answered_twice_at_once_counts_once,
    the_reminder_goes_once_whatever_the_servers,
    hostile_input_gets_french_messages_and_writes_nothing,
);

const ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "manager of the lead structure",
    "manager of the invited structure",
    "site admin",
];
const ALL: [u16; 5] = [200; 5];
const LEAD: [u16; 5] = [401, 403, 200, 403, 200];
const PUBLISHERS: [u16; 5] = [401, 403, 200, 200, 200];
const READERS: [u16; 5] = [401, 403, 200, 200, 200];
const INVITED: [u16; 5] = [401, 403, 403, 200, 200];
/// The portal publishes only for admins and editors; a manager names their structure.
const PORTAL: [u16; 5] = [401, 403, 422, 422, 200];

pub(crate) fn call_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    vec![
        row("/api/appels/liste", None, "", ALL),
        row("/api/appels/formulaire", None, "id=0", PUBLISHERS),
        row(
            "/api/appels/publier",
            Some(("/appels/nouveau", forms(PORTAL))),
            "structure=&title=Appel+{n}&funder=R%C3%A9gion&deadline={day}&themes=&territory=&url=https%3A%2F%2Fexample.org&description=",
            PORTAL,
        ),
        row(
            "/api/appels/modifier",
            Some(("/appels/{id}/modifier", forms(LEAD))),
            "id={call}&structure=&title=Appel+{n}&funder=R%C3%A9gion&deadline={day}&themes=&territory=&url=https%3A%2F%2Fexample.org&description=",
            LEAD,
        ),
        row("/api/appels/fiche", None, "id={call}", ALL),
        row(
            "/api/appels/former",
            Some(("/appels/{id}/consortiums", forms(LEAD))),
            "call={call}&structure=les-courses-asteur&name=Consortium+{n}&visibility=privee",
            LEAD,
        ),
        row(
            "/api/consortiums/fiche",
            None,
            "id={consortium}&chercher=",
            READERS,
        ),
        row(
            "/api/consortiums/inviter",
            Some(("/consortiums/{id}/invitations", forms(LEAD))),
            "consortium={consortium}&structure={target}&role=Partenaire",
            LEAD,
        ),
        row(
            "/api/consortiums/repondre",
            Some(("/consortiums/{id}/reponse", forms(INVITED))),
            "consortium={consortium}&structure={invited}&decision=accepter",
            INVITED,
        ),
        row(
            "/api/consortiums/role",
            Some(("/consortiums/{id}/roles", forms(LEAD))),
            "consortium={consortium}&structure={invited}&role=Technique",
            LEAD,
        ),
        row(
            "/api/consortiums/tache",
            Some(("/consortiums/{id}/taches", forms(LEAD))),
            "consortium={consortium}&label=Budget+{n}",
            LEAD,
        ),
        row(
            "/api/consortiums/cocher",
            Some(("/consortiums/{id}/taches/cocher", forms(LEAD))),
            "consortium={consortium}&task={task}&fait=1",
            LEAD,
        ),
        row(
            "/api/consortiums/visibilite",
            Some(("/consortiums/{id}/visibilite", forms(LEAD))),
            "consortium={consortium}&visibility=publique",
            LEAD,
        ),
    ]
}

async fn calls_matrix(app: TestApp) {
    common::create_member(&app, "membre-appels@exemple.fr", None).await;
    common::create_member(&app, "invitee-appels@exemple.fr", Some("work-co")).await;
    let clients = [
        app.browser(),
        log_in(&app, "membre-appels@exemple.fr", PASSWORD).await,
        log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await,
        log_in(&app, "invitee-appels@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let target = count(
        &app,
        "SELECT id FROM structures WHERE slug = 'maison-de-la-poesie'",
    )
    .await;
    let app = &app;
    let prepare = move |n: u32, body: &'static str| async move {
        let mut values = vec![("{day}", in_days(30))];
        if body.contains("{call}") {
            let call = call_of_asteur(app, &format!("Appel de la matrice {n}"), 30).await;
            values.push(("{call}", call.to_string()));
            values.push(("{id}", call.to_string()));
        }
        if body.contains("{consortium}") {
            let (consortium, invited) =
                consortium_with_invitation(app, &format!("Consortium de la matrice {n}"), 30).await;
            let now = dessine::timestamp::Timestamp::now();
            calls::add_task(&app.db, consortium, "Tâche", now)
                .await
                .unwrap();
            let task = count(
                app,
                &format!("SELECT id FROM consortium_tasks WHERE consortium_id = {consortium}"),
            )
            .await;
            values.push(("{consortium}", consortium.to_string()));
            values.push(("{id}", consortium.to_string()));
            values.push(("{invited}", invited.to_string()));
            values.push(("{target}", target.to_string()));
            values.push(("{task}", task.to_string()));
        }
        values
    };
    let failures = run_rows(app, ROLES, &clients, call_rows, 11, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_databases!(calls_matrix);
