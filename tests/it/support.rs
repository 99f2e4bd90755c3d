//! Support requests, on both databases: a visitor asks through the plain form, confirms by the
//! mailed link, the request reaches the advisors of the network that covers its commune and
//! needs (and no other), one advisor takes it, they write to each other through the portal
//! (neither sees the other's address), the advisor closes it; a member's request leaves at
//! once and shows in « Mon compte »; two advisors taking at once get one winner; hostile input
//! gets French messages and writes nothing. And the support rows of the role x action matrix.

use crate::common::{self, TestApp, decoded, location, log_in, post};
use crate::matrix::{Row, forms, run_rows};
use dessine::features::accounts::demo;
use dessine::features::support::db as support;
use dessine::features::support::model::ValidRequest;

const PASSWORD: &str = common::MEMBER_PASSWORD;
const HOLDER: &str = "porteuse@exemple.fr";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The token of the last private link mailed to `to`.
fn last_link(app: &TestApp, to: &str) -> String {
    let mails = app.mails_to(to);
    let mail = decoded(mails.last().expect("a mail to the holder"));
    let marker = "/accompagnement/suivi?jeton=";
    let start = mail.rfind(marker).expect("a private link") + marker.len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn request_form<'a>(
    title: &'a str,
    commune: &'a str,
    needs: &[&'a str],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Camille <b>Test</b>"),
        ("email", HOLDER),
        ("title", title),
        ("sector", ""),
        ("commune", commune),
        ("stage", "creation"),
        (
            "description",
            "=HYPERLINK(\"http://x\")\n<script>alert(1)</script> Une ressourcerie de quartier.",
        ),
    ];
    form.extend(needs.iter().map(|need| ("needs", *need)));
    form
}

async fn routes_of(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT s.slug FROM support_routes r JOIN structures s ON s.id = r.network_id \
         WHERE r.request_id = $1 ORDER BY s.slug",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn a_visitor_request_is_routed_taken_answered_and_closed(app: TestApp) {
    let visitor = app.browser();
    let sent = post(
        &app,
        &visitor,
        "/accompagnement",
        &request_form(
            "Ressourcerie à Gravelines",
            "gravelines",
            &["locaux", "partenaires"],
        ),
    )
    .await;
    assert_eq!(sent.status(), 303);
    assert_eq!(location(&sent), "/accompagnement?message=confirmez");
    let id = count(
        &app,
        "SELECT id FROM support_requests WHERE title = 'Ressourcerie à Gravelines'",
    )
    .await;
    assert!(
        routes_of(&app, id).await.is_empty(),
        "not sent before confirmation"
    );
    let advisor_mails = || app.mails_to(demo::CLUB_ADMIN_EMAIL).len();
    let before = advisor_mails();
    let token = last_link(&app, HOLDER);

    // The link shows a button; a scanner opening it confirms nothing.
    let follow = format!("/accompagnement/suivi?jeton={token}");
    let shown = common::page(&app, &visitor, &follow).await;
    assert!(shown.contains("Confirmer ma demande"));
    assert!(shown.contains("&lt;script&gt;") && !shown.contains("<script>alert(1)"));
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM support_requests WHERE id = {id} AND status = 'a-confirmer'"
            )
        )
        .await,
        1
    );
    for _ in 0..2 {
        let confirmed = post(
            &app,
            &visitor,
            "/accompagnement/confirmer",
            &[("jeton", &token)],
        )
        .await;
        assert_eq!(confirmed.status(), 303);
        assert!(location(&confirmed).ends_with("&message=demande-confirmee"));
    }
    // Gravelines is in the urban community: Entreprendre Ensemble covers it and these needs;
    // the CIGALES cover funding only.
    assert_eq!(routes_of(&app, id).await, ["entreprendre-ensemble"]);
    assert_eq!(
        advisor_mails(),
        before + 1,
        "told once, however often confirmed"
    );
    let told = decoded(app.mails_to(demo::CLUB_ADMIN_EMAIL).last().unwrap());
    assert!(told.contains("Ressourcerie à Gravelines"));
    assert!(!told.contains(HOLDER), "the holder's address stays hidden");

    // The advisor sees it in the queue and on its page, without the holder's address.
    let advisor = log_in(&app, demo::CLUB_ADMIN_EMAIL, demo::CLUB_ADMIN_PASSWORD).await;
    let queue = common::page(&app, &advisor, "/accompagnement/file").await;
    assert!(queue.contains(&format!("/accompagnement/demandes/{id}")));
    let detail = common::page(&app, &advisor, &format!("/accompagnement/demandes/{id}")).await;
    assert!(detail.contains("Prendre cette demande"));
    assert!(!detail.contains(HOLDER));
    // Another member may not read it.
    common::create_member(&app, "curieux@exemple.fr", None).await;
    let curious = log_in(&app, "curieux@exemple.fr", PASSWORD).await;
    let refused = curious
        .get(app.url(&format!("/accompagnement/demandes/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    let taken = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/prendre"),
        &[("request", &id.to_string())],
    )
    .await;
    assert_eq!(taken.status(), 303);
    assert!(location(&taken).ends_with("?message=demande-prise"));
    let to_holder = decoded(app.mails_to(HOLDER).last().unwrap());
    assert!(to_holder.contains("suit désormais votre demande"));
    assert!(!to_holder.contains(demo::CLUB_ADMIN_EMAIL));

    let written = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", ""),
            ("body", "Bonjour, venez jeudi <b>à 10 h</b>."),
        ],
    )
    .await;
    assert_eq!(written.status(), 303, "{}", written.text().await.unwrap());
    let relayed = decoded(app.mails_to(HOLDER).last().unwrap());
    assert!(relayed.contains("venez jeudi"));
    assert!(!relayed.contains(demo::CLUB_ADMIN_EMAIL));
    // The holder answers by the link of that mail (each mail carries its own).
    let token = last_link(&app, HOLDER);
    let answered = post(
        &app,
        &visitor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", &token),
            ("body", "Merci, à jeudi."),
        ],
    )
    .await;
    assert_eq!(answered.status(), 303);
    assert!(location(&answered).starts_with("/accompagnement/suivi?jeton="));
    let to_advisor = decoded(app.mails_to(demo::CLUB_ADMIN_EMAIL).last().unwrap());
    assert!(to_advisor.contains("Merci, à jeudi."));
    assert!(!to_advisor.contains(HOLDER));
    let thread = common::page(
        &app,
        &visitor,
        &format!("/accompagnement/suivi?jeton={token}"),
    )
    .await;
    assert!(
        thread.contains("venez jeudi &lt;b&gt;à 10 h&lt;/b&gt;.")
            && thread.contains("Merci, à jeudi.")
    );
    // A forged link reads nothing.
    let forged = post(
        &app,
        &visitor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", "forge"),
            ("body", "Intrus"),
        ],
    )
    .await;
    assert!(forged.status().is_client_error());

    let closed = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/cloture"),
        &[("request", &id.to_string()), ("outcome", "accompagnement")],
    )
    .await;
    assert_eq!(closed.status(), 303);
    assert!(
        decoded(app.mails_to(HOLDER).last().unwrap()).contains("est close : accompagnement engagé")
    );
    let late = post(
        &app,
        &visitor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", &token),
            ("body", "Encore moi"),
        ],
    )
    .await;
    assert_eq!(late.status(), 409);
    assert!(late.text().await.unwrap().contains("La demande est close"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM support_messages WHERE request_id = {id}")
        )
        .await,
        2
    );
    // The figures count it for the network and the urban community.
    let figures = common::page(&app, &app.browser(), "/accompagnement/reseaux").await;
    assert!(
        figures.contains("Demandes par réseau")
            && figures.contains("Communauté urbaine de Dunkerque")
    );
}

async fn a_member_request_leaves_at_once_and_shows_in_the_account(app: TestApp) {
    common::create_member(&app, "porteur-membre@exemple.fr", None).await;
    let member = log_in(&app, "porteur-membre@exemple.fr", PASSWORD).await;
    // Béthune (Artois, Pas-de-Calais) and funding: the CIGALES only.
    let sent = post(
        &app,
        &member,
        "/accompagnement",
        &request_form("Café-librairie à Béthune", "bethune", &["financement"]),
    )
    .await;
    assert_eq!(sent.status(), 303);
    let to = location(&sent);
    assert!(to.ends_with("?message=demande-envoyee"), "{to}");
    let id: i64 = to
        .trim_start_matches("/accompagnement/demandes/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        routes_of(&app, id).await,
        ["pole-de-finance-solidaire-des-cigales"]
    );
    let holder: (String, String) =
        sqlx::query_as("SELECT holder_name, holder_email FROM support_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        holder.1, "porteur-membre@exemple.fr",
        "the account's address, not the typed one"
    );
    let account = common::page(&app, &member, "/compte").await;
    assert!(account.contains("Café-librairie à Béthune"));
    // Lille (Nord) and training: nobody covers training there, so the request goes to the
    // network that covers the territory.
    let sent = post(
        &app,
        &member,
        "/accompagnement",
        &request_form("Formation au numérique à Lille", "lille", &["formation"]),
    )
    .await;
    assert_eq!(sent.status(), 303);
    let id = count(
        &app,
        "SELECT id FROM support_requests WHERE title = 'Formation au numérique à Lille'",
    )
    .await;
    assert_eq!(
        routes_of(&app, id).await,
        ["pole-de-finance-solidaire-des-cigales"]
    );
}

/// A confirmed request of a visitor, routed; its id.
async fn routed_request(app: &TestApp, title: &str, user: Option<i64>) -> (i64, String) {
    let valid = ValidRequest {
        name: "Porteur de test".into(),
        email: String::new(),
        title: title.into(),
        sector: String::new(),
        commune: "dunkerque".into(),
        stage: "idee".into(),
        needs: vec!["locaux".into()],
        description: "Un projet.".into(),
    };
    let (token, hash) = dessine::tokens::new_token();
    let holder = support::Holder {
        user_id: user,
        name: "Porteur de test",
        email: "porteur-test@exemple.fr",
    };
    let now = dessine::timestamp::Timestamp::now();
    let id = support::create_request(&app.db, &valid, &holder, &hash, now)
        .await
        .unwrap()
        .unwrap();
    if user.is_none() {
        support::confirm(&app.db, id, now).await.unwrap();
    }
    (id, token)
}

async fn two_advisors_take_at_once_and_one_wins(app: TestApp) {
    common::create_member(&app, "conseil-a@exemple.fr", Some("entreprendre-ensemble")).await;
    common::create_member(&app, "conseil-b@exemple.fr", Some("entreprendre-ensemble")).await;
    let a = log_in(&app, "conseil-a@exemple.fr", PASSWORD).await;
    let b = log_in(&app, "conseil-b@exemple.fr", PASSWORD).await;
    for round in 0..5 {
        let (id, _) = routed_request(&app, &format!("Course {round}"), None).await;
        let path = format!("/accompagnement/demandes/{id}/prendre");
        let body = [("request", id.to_string())];
        let (first, second) = tokio::join!(
            a.post(app.url(&path))
                .header("origin", &app.base)
                .form(&body)
                .send(),
            b.post(app.url(&path))
                .header("origin", &app.base)
                .form(&body)
                .send(),
        );
        let mut statuses = [
            first.unwrap().status().as_u16(),
            second.unwrap().status().as_u16(),
        ];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}");
        let advisors = count(
            &app,
            &format!("SELECT COUNT(*) FROM support_requests WHERE id = {id} AND advisor_id IS NOT NULL AND status = 'prise'"),
        )
        .await;
        assert_eq!(advisors, 1);
    }
}

async fn hostile_input_gets_french_messages_and_writes_nothing(app: TestApp) {
    let visitor = app.browser();
    let before = count(&app, "SELECT COUNT(*) FROM support_requests").await;
    let empty = post(
        &app,
        &visitor,
        "/accompagnement",
        &[
            ("name", ""),
            ("email", "pas-une-adresse"),
            ("title", "Mon projet <img src=x onerror=alert(1)>"),
            ("commune", ""),
            ("stage", "=1+1"),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.unwrap();
    for message in [
        "Indiquez votre nom",
        "Choisissez la commune",
        "Dites où en est le projet",
        "Cochez au moins un besoin",
        "Décrivez votre projet",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains("Mon projet &lt;img src=x onerror=alert(1)&gt;"),
        "typed text kept, escaped"
    );
    for (field, value, message) in [
        (
            "commune",
            "atlantide",
            "Choisissez la commune dans la liste",
        ),
        ("sector", "piraterie", "Choisissez le secteur dans la liste"),
    ] {
        let mut form = request_form("Projet", "dunkerque", &["locaux"]);
        form.retain(|(name, _)| *name != field);
        form.push((field, value));
        let refused = post(&app, &visitor, "/accompagnement", &form).await;
        assert_eq!(refused.status(), 422, "{field}");
        assert!(refused.text().await.unwrap().contains(message), "{field}");
    }
    let forged = post(
        &app,
        &visitor,
        "/accompagnement/confirmer",
        &[("jeton", "forge")],
    )
    .await;
    assert!(forged.status().is_client_error());
    assert!(
        forged
            .text()
            .await
            .unwrap()
            .contains("Ce lien n'est plus valable")
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM support_requests").await,
        before
    );

    // A request nobody took: the holder cannot write yet, another advisor cannot close it.
    let (id, token) = routed_request(&app, "Projet en attente", None).await;
    let early = post(
        &app,
        &visitor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", &token),
            ("body", "Allô ?"),
        ],
    )
    .await;
    assert_eq!(early.status(), 409);
    assert!(
        early
            .text()
            .await
            .unwrap()
            .contains("Aucun conseiller ne suit encore")
    );
    let advisor = log_in(&app, demo::CLUB_ADMIN_EMAIL, demo::CLUB_ADMIN_PASSWORD).await;
    let close = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/cloture"),
        &[("request", &id.to_string()), ("outcome", "sans-suite")],
    )
    .await;
    assert_eq!(
        close.status(),
        403,
        "only the advisor who follows it closes it"
    );
    post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/prendre"),
        &[("request", &id.to_string())],
    )
    .await;
    let bad_outcome = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/cloture"),
        &[("request", &id.to_string()), ("outcome", "<script>")],
    )
    .await;
    assert_eq!(bad_outcome.status(), 422);
    assert!(
        bad_outcome
            .text()
            .await
            .unwrap()
            .contains("Choisissez l'issue")
    );
    let too_long = "é".repeat(4001);
    let long = post(
        &app,
        &advisor,
        &format!("/accompagnement/demandes/{id}/messages"),
        &[
            ("request", &id.to_string()),
            ("jeton", ""),
            ("body", &too_long),
        ],
    )
    .await;
    assert_eq!(long.status(), 422);
    assert!(
        long.text()
            .await
            .unwrap()
            .contains("Le message ne doit pas dépasser")
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM support_messages WHERE request_id = {id}")
        )
        .await,
        0
    );
    // A network's settings name territories of the list.
    let settings = post(
        &app,
        &advisor,
        "/accompagnement/reglages",
        &[
            ("structure", "entreprendre-ensemble"),
            ("territories", "atlantide"),
            ("needs", "locaux"),
        ],
    )
    .await;
    assert_eq!(settings.status(), 422);
    assert!(
        settings
            .text()
            .await
            .unwrap()
            .contains("Cochez des territoires de la liste")
    );
    assert_eq!(
        routes_of(
            &app,
            routed_request(&app, "Après réglage refusé", None).await.0
        )
        .await,
        ["entreprendre-ensemble"],
        "the refused settings changed nothing"
    );
}

on_both_databases!(
    a_visitor_request_is_routed_taken_answered_and_closed,
    a_member_request_leaves_at_once_and_shows_in_the_account,
    two_advisors_take_at_once_and_one_wins,
    hostile_input_gets_french_messages_and_writes_nothing,
);

const ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "advisor of the network",
    "holder (member who asked)",
    "site admin",
];
const ALL: [u16; 5] = [200; 5];
const MEMBERS: [u16; 5] = [401, 200, 200, 200, 200];
const READERS: [u16; 5] = [401, 403, 200, 200, 200];
const ADVISOR: [u16; 5] = [401, 403, 200, 403, 403];
const ADVISOR_OR_ADMIN: [u16; 5] = [401, 403, 200, 403, 200];
const PARTIES: [u16; 5] = [401, 403, 200, 200, 403];

pub(crate) fn support_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    vec![
        row("/api/accompagnement/formulaire", None, "", ALL),
        row(
            "/api/accompagnement/demander",
            Some(("/accompagnement", forms(ALL))),
            "name=Matrice&email=matrice{n}%40exemple.fr&title=Projet+{n}&sector=&commune=dunkerque&stage=idee&needs=locaux&needs=statut&description=Un+projet",
            ALL,
        ),
        row(
            "/api/accompagnement/confirmer",
            Some(("/accompagnement/confirmer", forms(ALL))),
            "jeton={jeton}",
            ALL,
        ),
        row("/api/accompagnement/suivi", None, "jeton={jeton}", ALL),
        row("/api/accompagnement/demande", None, "id={request}", READERS),
        row(
            "/api/accompagnement/prendre",
            Some(("/accompagnement/demandes/{id}/prendre", forms(ADVISOR))),
            "request={request}",
            ADVISOR,
        ),
        row(
            "/api/accompagnement/ecrire",
            Some(("/accompagnement/demandes/{id}/messages", forms(PARTIES))),
            "request={taken}&jeton=&body=Bonjour",
            PARTIES,
        ),
        row(
            "/api/accompagnement/clore",
            Some((
                "/accompagnement/demandes/{id}/cloture",
                forms(ADVISOR_OR_ADMIN),
            )),
            "request={taken}&outcome=sans-suite",
            ADVISOR_OR_ADMIN,
        ),
        row("/api/accompagnement/file", None, "", ADVISOR_OR_ADMIN),
        row("/api/accompagnement/reseaux", None, "", ALL),
        row(
            "/api/accompagnement/reglages",
            None,
            "structure=entreprendre-ensemble",
            ADVISOR_OR_ADMIN,
        ),
        row(
            "/api/accompagnement/regler",
            Some(("/accompagnement/reglages", forms(ADVISOR_OR_ADMIN))),
            "structure=entreprendre-ensemble&territories=communaute-urbaine-de-dunkerque&needs=financement&needs=statut&needs=locaux&needs=partenaires&needs=formation",
            ADVISOR_OR_ADMIN,
        ),
        row("/api/accompagnement/mes-demandes", None, "", MEMBERS),
    ]
}

async fn support_matrix(app: TestApp) {
    let holder = common::create_member(&app, "porteur-matrice@exemple.fr", None).await;
    common::create_member(&app, "membre-matrice@exemple.fr", None).await;
    let clients = [
        app.browser(),
        log_in(&app, "membre-matrice@exemple.fr", PASSWORD).await,
        log_in(&app, demo::CLUB_ADMIN_EMAIL, demo::CLUB_ADMIN_PASSWORD).await,
        log_in(&app, "porteur-matrice@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let advisor = count(
        &app,
        &format!(
            "SELECT id FROM users WHERE email = '{}'",
            demo::CLUB_ADMIN_EMAIL
        ),
    )
    .await;
    let network = count(
        &app,
        "SELECT id FROM structures WHERE slug = 'entreprendre-ensemble'",
    )
    .await;
    let app = &app;
    let prepare = move |n: u32, body: &'static str| async move {
        let mut values = Vec::new();
        if body.contains("{jeton}") {
            // A visitor's request, not confirmed yet.
            let valid = ValidRequest {
                name: "Visiteur".into(),
                email: String::new(),
                title: format!("Demande {n}"),
                sector: String::new(),
                commune: "dunkerque".into(),
                stage: "idee".into(),
                needs: vec!["locaux".into()],
                description: "Un projet.".into(),
            };
            let (token, hash) = dessine::tokens::new_token();
            let visitor = support::Holder {
                user_id: None,
                name: "Visiteur",
                email: "visiteur-matrice@exemple.fr",
            };
            let now = dessine::timestamp::Timestamp::now();
            support::create_request(&app.db, &valid, &visitor, &hash, now)
                .await
                .unwrap()
                .unwrap();
            values.push(("{jeton}", token));
        }
        if body.contains("{request}") || body.contains("{taken}") {
            let (id, _) = routed_request(app, &format!("Matrice {n}"), Some(holder)).await;
            if body.contains("{taken}") {
                let now = dessine::timestamp::Timestamp::now();
                assert!(
                    support::take(&app.db, id, advisor, network, now)
                        .await
                        .unwrap()
                );
                values.push(("{taken}", id.to_string()));
            }
            values.push(("{request}", id.to_string()));
            values.push(("{id}", id.to_string()));
        }
        values
    };
    let failures = run_rows(app, ROLES, &clients, support_rows, 10, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_databases!(support_matrix);
