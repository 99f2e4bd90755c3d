//! Responsible purchasing over HTTP and in the database, on both databases: the matching table
//! (needs -> expected suppliers, in order), reserved needs, private needs invisible to others,
//! a need's whole life through plain forms (write, remove and add suppliers, send, answer, close),
//! the figures of `/achats/bilan` and its CSV against the rows, and double booking at the fair
//! refused when bookings race.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, location, log_in, main_of, page, post};
use dessine::features::accounts::demo as accounts_demo;
use dessine::features::purchasing::{ValidBuyer, ValidNeed, db as purchasing, demo};
use dessine::timestamp::Timestamp;

const PASSWORD: &str = common::MEMBER_PASSWORD;

/// A new buyer account; `(user, buyer)`.
async fn new_buyer(app: &TestApp, email: &str, organisation: &str) -> (i64, i64) {
    let user = common::create_member(app, email, None).await;
    purchasing::declare_buyer(
        &app.db,
        user,
        &ValidBuyer {
            organisation: organisation.into(),
            kind: "collectivite".into(),
            siret: None,
        },
        Timestamp::now(),
    )
    .await
    .unwrap();
    let buyer = purchasing::buyer_of(&app.db, user).await.unwrap().unwrap();
    (user, buyer.id)
}

fn need(title: &str, commune: &str, sectors: &[&str], clause: &str, public: bool) -> ValidNeed {
    ValidNeed {
        title: title.into(),
        description: String::new(),
        commune: commune.into(),
        kind: "devis".into(),
        amount_band: "moins-10k".into(),
        deadline: "2099-12-31".into(),
        clause: clause.into(),
        public,
        sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
    }
}

async fn proposed(app: &TestApp, need: i64) -> Vec<String> {
    purchasing::suppliers(&app.db, need, None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect()
}

/// The matching on the demo directory: each need and the suppliers it must propose, in order.
async fn matching_table(app: TestApp) {
    let (user, buyer) = new_buyer(&app, "table@acheteur.example", "Acheteur de la table").await;
    let table: &[(ValidNeed, &[&str])] = &[
        // Recycling in Dunkerque: the recyclers of the urban community. The Ressourcerie has
        // « mobilier » and « bureau » in its offer, two others « bureau »; the rest by name.
        (
            need(
                "Reprise de mobilier de bureau",
                "dunkerque",
                &["recyclage"],
                "aucune",
                true,
            ),
            &[
                "ressourcerie-du-dunkerquois",
                "recyclerie-grande-synthe-25",
                "ressourcerie-spycker-3",
                "collecte-et-tri-armbouts-cappel-37",
                "collecte-et-tri-et-compagnie-22",
                "ressourcerie-zuydcoote-44",
            ],
        ),
        // Home services in Dunkerque: the same commune first (Courses Asteur, with « livraison »
        // in its offer, before the Papillons Blancs), then the rest of the urban community.
        (
            need(
                "Livraison de colis aux aînés",
                "dunkerque",
                &["services-a-la-personne"],
                "aucune",
                true,
            ),
            &[
                "les-courses-asteur",
                "les-papillons-blancs-de-dunkerque",
                "aide-et-domicile-grande-synthe-14",
                "les-bons-voisins-de-gravelines-2",
                "renov-solidaire-d-armbouts-cappel-4",
                "work-co",
            ],
        ),
        // Reserved to insertion structures: of the SIAE of the Nord, only the one in the sector
        // (the Ressourcerie and the Zuydcoote one are SIAE, but neither sector nor words fit).
        (
            need(
                "Paniers de légumes",
                "dunkerque",
                &["circuits-courts"],
                "reserve-siae",
                true,
            ),
            &["jardins-du-littoral"],
        ),
        // Reserved to ESAT / adapted firms: the demo has none in the Nord.
        (
            need(
                "Blanchisserie",
                "dunkerque",
                &["social"],
                "reserve-esat-ea",
                true,
            ),
            &[],
        ),
        // In the Artois: the Pas-de-Calais only; the Nord's culture structures are too far.
        (
            need(
                "Lectures pour une médiathèque",
                "beuvry",
                &["culture"],
                "aucune",
                true,
            ),
            &[
                "maison-de-la-poesie",
                "ateliers-d-art-partage-du-littoral-19",
                "maison-des-musiques-barlin-32",
            ],
        ),
    ];
    for (row, expected) in table {
        let id = purchasing::create_need(&app.db, buyer, user, row, Timestamp::now())
            .await
            .unwrap();
        assert_eq!(&proposed(&app, id).await, expected, "{}", row.title);
    }
    // Reasons are written out for the buyer.
    let id = purchasing::create_need(&app.db, buyer, user, &table[0].0, Timestamp::now())
        .await
        .unwrap();
    let reasons = purchasing::suppliers(&app.db, id, None).await.unwrap()[0]
        .reasons
        .clone();
    assert_eq!(
        reasons,
        "secteur : recyclage · même intercommunalité · « bureau », « mobilier » dans son offre"
    );
}

async fn need_id_of(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM needs WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The demo's private need (the works council's baskets) is read by its buyer and the
/// structures it was sent to, and by nobody else; it is in no public list.
async fn private_needs_are_invisible_to_others(app: TestApp) {
    let id = need_id_of(&app, "Paniers de légumes pour les salariés de l'aciérie").await;
    let path = format!("/achats/{id}");
    let title = "Paniers de légumes pour les salariés";
    // A visitor gets what a need that does not exist gets (so nobody learns it is there), with a
    // way to log in for a recipient following the mail's link.
    let visitor = app.browser();
    let private = visitor.get(app.url(&path)).send().await.unwrap();
    assert_eq!(private.status(), 404);
    let private = main_of(&private.text().await.unwrap()).replace(&id.to_string(), "N");
    assert!(!private.contains(title));
    assert!(private.contains("connectez-vous"), "{private}");
    let missing = visitor.get(app.url("/achats/999999")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let missing = main_of(&missing.text().await.unwrap()).replace("999999", "N");
    assert_eq!(private, missing);
    let api = visitor
        .post(app.url("/api/achats/besoin"))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404, "through the API");
    // Another member, another buyer, another structure's manager: not found.
    common::create_member(&app, "curieux@exemple.fr", None).await;
    new_buyer(&app, "autre@acheteur.example", "Autre acheteur").await;
    common::create_member(&app, "gerant@autre.example", Some("les-courses-asteur")).await;
    for email in [
        "curieux@exemple.fr",
        "autre@acheteur.example",
        "gerant@autre.example",
    ] {
        let client = log_in(&app, email, PASSWORD).await;
        let response = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{email}");
        assert!(!response.text().await.unwrap().contains(title), "{email}");
        let api = client
            .post(app.url("/api/achats/besoin"))
            .form(&[("id", id.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 404, "{email} through the API");
        // Issue 27, finding 5: the buyer's own actions answer as for a missing need (404),
        // never 403, which would say the need exists.
        for need in [id.to_string(), "999999".to_owned()] {
            let contact = client
                .post(app.url("/api/achats/contacter"))
                .header("origin", &app.base)
                .form(&[
                    ("need", need.as_str()),
                    ("structure", "1"),
                    ("message", "Bonjour"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(
                contact.status(),
                404,
                "{email} contacting through need {need}"
            );
        }
    }
    // The list of open needs leaves it out, whatever the filters.
    for query in ["", "?secteur=circuits-courts", "?territoire=gravelines"] {
        let html = page(&app, &app.browser(), &format!("/achats{query}")).await;
        assert!(!html.contains(title), "{query}");
    }
    // Its buyer and the structure it was sent to read it.
    let council = log_in(
        &app,
        demo::WORKS_COUNCIL_EMAIL,
        demo::WORKS_COUNCIL_PASSWORD,
    )
    .await;
    assert!(page(&app, &council, &path).await.contains(title));
    common::create_member(&app, "gerante@jardins.example", Some("jardins-du-littoral")).await;
    let supplier = log_in(&app, "gerante@jardins.example", PASSWORD).await;
    let html = page(&app, &supplier, &path).await;
    assert!(html.contains(title));
    assert!(html.contains("Votre réponse pour Jardins du Littoral"));
    // The draft is its buyer's only, even for a structure on its list.
    let draft = need_id_of(
        &app,
        "Buffet de midi pour la journée de la commande publique responsable",
    )
    .await;
    let response = supplier
        .get(app.url(&format!("/achats/{draft}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

/// Issue 27, finding 1: anyone may declare themselves the buyer of any organisation; until a
/// site admin confirms it, a need reaches at most three structures and the mails say the
/// organisation is declared, not verified. Declaring another organisation takes the
/// confirmation back. Only site admins see and use the confirmation page.
async fn buyers_reach_few_suppliers_until_a_site_admin_confirms_them(app: TestApp) {
    let (user, buyer) = new_buyer(
        &app,
        "usurpateur@exemple.fr",
        "Communauté urbaine de Dunkerque",
    )
    .await;
    let client = log_in(&app, "usurpateur@exemple.fr", PASSWORD).await;
    let mut wide = need(
        "Nettoyage de locaux",
        "dunkerque",
        &["recyclage"],
        "aucune",
        false,
    );
    wide.description = "Entretien des bureaux de trois sites.".into();
    let id = purchasing::create_need(&app.db, buyer, user, &wide, Timestamp::now())
        .await
        .unwrap();
    let path = format!("/achats/{id}");
    let html = page(&app, &client, &path).await;
    assert!(html.contains("pas encore confirmée par un administrateur"));
    let suppliers = purchasing::suppliers(&app.db, id, None).await.unwrap();
    assert!(suppliers.len() > 3, "{}", suppliers.len());
    let refused = post(
        &app,
        &client,
        &format!("{path}/envoyer"),
        &[("need", &id.to_string())],
    )
    .await;
    assert_eq!(refused.status(), 422);
    // Three kept: it leaves, and each mail calls the organisation declared, not verified.
    for supplier in &suppliers[3..] {
        let removed = post(
            &app,
            &client,
            &format!("{path}/fournisseurs"),
            &[
                ("need", &id.to_string()),
                ("structure", &supplier.structure_id.to_string()),
                ("action", "retirer"),
            ],
        )
        .await;
        assert_eq!(removed.status(), 303);
    }
    let before = app.mails().len();
    let sent = post(
        &app,
        &client,
        &format!("{path}/envoyer"),
        &[("need", &id.to_string())],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let mails: Vec<String> = app.mails()[before..]
        .iter()
        .map(|m| common::decoded(m))
        .collect();
    assert!(!mails.is_empty());
    assert!(
        mails.iter().all(|m| m.contains(
            "« Communauté urbaine de Dunkerque » (organisation déclarée par l'acheteur, pas encore vérifiée par le portail)"
        )),
        "{mails:?}"
    );
    // The confirmation page: site admins only.
    let admin = log_in(
        &app,
        accounts_demo::ADMIN_EMAIL,
        accounts_demo::ADMIN_PASSWORD,
    )
    .await;
    for (who, status) in [(&client, 403), (&app.browser(), 401)] {
        let response = post(
            &app,
            who,
            "/api/achats/acheteurs/confirmer",
            &[("buyer", &buyer.to_string()), ("confirme", "oui")],
        )
        .await;
        assert_eq!(response.status(), status);
    }
    let listing = page(&app, &admin, "/achats/acheteurs").await;
    assert!(listing.contains("Communauté urbaine de Dunkerque"));
    assert!(listing.contains("usurpateur@exemple.fr"));
    let confirmed = post(
        &app,
        &admin,
        &format!("/achats/acheteurs/{buyer}/confirmation"),
        &[("buyer", &buyer.to_string()), ("confirme", "oui")],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    assert!(
        purchasing::buyer_of(&app.db, user)
            .await
            .unwrap()
            .unwrap()
            .confirmed
    );
    // Another organisation declared: the confirmation is taken back.
    let redeclared = post(
        &app,
        &client,
        "/achats/acheteur",
        &[
            ("organisation", "Région Hauts-de-France"),
            ("kind", "collectivite"),
            ("siret", ""),
        ],
    )
    .await;
    assert_eq!(redeclared.status(), 303);
    assert!(
        !purchasing::buyer_of(&app.db, user)
            .await
            .unwrap()
            .unwrap()
            .confirmed
    );
    // The same organisation declared again keeps it.
    purchasing::confirm_buyer(&app.db, buyer, true, None, Timestamp::now())
        .await
        .unwrap();
    let again = post(
        &app,
        &client,
        "/achats/acheteur",
        &[
            ("organisation", "Région Hauts-de-France"),
            ("kind", "autre"),
            ("siret", ""),
        ],
    )
    .await;
    assert_eq!(again.status(), 303);
    assert!(
        purchasing::buyer_of(&app.db, user)
            .await
            .unwrap()
            .unwrap()
            .confirmed
    );
}

/// Issue 27: every mail sent because of an account's action draws on one budget. A club admin
/// who is also a confirmed buyer sends a need (one mail per structure reached), then invites
/// structures by mail: the invitations stop where the hour's 60 mails end, with a 429 and
/// `Retry-After`, and the refused invitation mails nobody. The buyer's message is quoted as
/// theirs, after the portal's own sentence.
async fn one_mail_budget_for_every_action_of_an_account(app: TestApp) {
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(accounts_demo::CLUB_ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    purchasing::declare_buyer(
        &app.db,
        user,
        &ValidBuyer {
            organisation: "Entreprendre Ensemble".into(),
            kind: "association".into(),
            siret: None,
        },
        Timestamp::now(),
    )
    .await
    .unwrap();
    let buyer = purchasing::buyer_of(&app.db, user)
        .await
        .unwrap()
        .unwrap()
        .id;
    purchasing::confirm_buyer(&app.db, buyer, true, None, Timestamp::now())
        .await
        .unwrap();
    let id = purchasing::create_need(
        &app.db,
        buyer,
        user,
        &need(
            "Reprise de mobilier",
            "dunkerque",
            &["recyclage"],
            "aucune",
            true,
        ),
        Timestamp::now(),
    )
    .await
    .unwrap();
    let kept = purchasing::kept_count(&app.db, id).await.unwrap();
    let client = log_in(
        &app,
        accounts_demo::CLUB_ADMIN_EMAIL,
        accounts_demo::CLUB_ADMIN_PASSWORD,
    )
    .await;
    let sent = post(
        &app,
        &client,
        &format!("/achats/{id}/envoyer"),
        &[("need", &id.to_string())],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let mails = app.mails();
    let need_mail = common::decoded(mails.last().unwrap());
    assert!(
        need_mail.contains("Entreprendre Ensemble a un besoin"),
        "a confirmed buyer is named plainly"
    );
    let contacted = post(
        &app,
        &client,
        &format!("/achats/{id}/contact"),
        &[
            ("need", &id.to_string()),
            (
                "structure",
                &purchasing::suppliers(&app.db, id, None).await.unwrap()[0]
                    .structure_id
                    .to_string(),
            ),
            ("message", "Bonjour, pouvez-vous passer jeudi ?"),
        ],
    )
    .await;
    assert_eq!(contacted.status(), 303);
    let message = common::decoded(app.mails().last().unwrap());
    assert!(
        message.contains("Un acheteur de Entreprendre Ensemble écrit à")
            && message.contains("Message de « ")
            && message.contains(" : « Bonjour, pouvez-vous passer jeudi ? »"),
        "{message}"
    );
    let left = 60 - kept - 1;
    posts_until_the_budget_ends(
        &app,
        &client,
        "/clubs/club-de-l-ess-du-dunkerquois/invitations/courriel",
        left,
        |n| {
            vec![
                ("email", format!("invitee{n}@exemple.fr")),
                ("message", String::new()),
            ]
        },
    )
    .await;
    assert!(
        !app.mails()
            .iter()
            .any(|m| m.contains(&format!("invitee{left}@exemple.fr"))),
        "the refused invitation mails nobody"
    );
}

/// Posts `form(n)` to `path` for n = 0..=count from `client`: every answer but the last is 303,
/// the last a 429 with `Retry-After` (the mail budget ran out exactly there).
async fn posts_until_the_budget_ends<'a>(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    count: i64,
    form: impl Fn(i64) -> Vec<(&'a str, String)>,
) {
    let mut statuses = Vec::new();
    for n in 0..=count {
        let fields = form(n);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = post(app, client, path, &fields).await;
        statuses.push((
            response.status().as_u16(),
            response.headers().contains_key("retry-after"),
        ));
    }
    let (last, sent) = statuses.split_last().unwrap();
    assert!(
        sent.iter().all(|(status, _)| *status == 303),
        "{statuses:?}"
    );
    assert_eq!(*last, (429, true), "{statuses:?}");
}

fn field<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A need's whole life through plain forms, as a browser without JavaScript posts them.
async fn whole_need_through_plain_forms(app: TestApp) {
    let buyer = common::create_member(&app, "achats@ville.example", None).await;
    let client = log_in(&app, "achats@ville.example", PASSWORD).await;
    // Not a buyer yet: the need form is refused, the buyer form comes first.
    let refused = post(&app, &client, "/achats/nouveau", &[("title", "x")]).await;
    assert_eq!(refused.status(), 403);
    let declared = post(
        &app,
        &client,
        "/achats/acheteur",
        &[
            ("organisation", "Ville de Coudekerque-Branche"),
            ("kind", "collectivite"),
            ("siret", ""),
        ],
    )
    .await;
    assert_eq!(declared.status(), 303);
    assert_eq!(location(&declared), "/achats/nouveau?message=acheteur");
    // A bad deadline: the page again, with what was typed.
    let deadline = (Timestamp::now().in_paris().date() + time::Duration::days(20)).to_string();
    let mut form = vec![
        ("title", "Débarras et réemploi de mobilier scolaire".to_owned()),
        ("description", "Deux écoles ferment : 40 tables, 80 chaises et des armoires à reprendre, à remettre en état ou à recycler.".to_owned()),
        ("commune", "coudekerque-branche".to_owned()),
        ("kind", "devis".to_owned()),
        ("amount_band", "moins-10k".to_owned()),
        ("deadline", "hier".to_owned()),
        ("clause", "aucune".to_owned()),
        ("visibility", "public".to_owned()),
        ("sectors", "recyclage".to_owned()),
    ];
    let rejected = post(&app, &client, "/achats/nouveau", &field(&form)).await;
    assert_eq!(rejected.status(), 422);
    let html = rejected.text().await.unwrap();
    assert!(html.contains("Débarras et réemploi de mobilier scolaire"));
    assert!(html.contains("Indiquez la date limite des réponses"));
    assert_eq!(app.count("needs").await, 5, "only the demo's needs");
    form[5].1 = deadline;
    let created = post(&app, &client, "/achats/nouveau", &field(&form)).await;
    assert_eq!(created.status(), 303);
    let path = location(&created).split('?').next().unwrap().to_owned();
    let id: i64 = path.trim_start_matches("/achats/").parse().unwrap();
    // The Ressourcerie first: same commune, the sector, « mobilier » in its offer.
    let first = proposed(&app, id).await;
    assert_eq!(first[0], "ressourcerie-du-dunkerquois");
    assert!(!first.contains(&"les-courses-asteur".to_owned()));
    // Not public before it is sent.
    assert!(
        !page(&app, &app.browser(), "/achats")
            .await
            .contains("mobilier scolaire")
    );
    // The buyer adds a structure by its name, removes it, puts it back.
    let structure_id = |slug: &'static str| {
        let app = &app;
        async move {
            purchasing::published_structure(&app.db, slug)
                .await
                .unwrap()
                .unwrap()
                .to_string()
        }
    };
    let need = id.to_string();
    let added = post(
        &app,
        &client,
        &format!("{path}/fournisseurs/ajouter"),
        &[("need", &need), ("structure", "Les Courses Asteur")],
    )
    .await;
    assert_eq!(added.status(), 303);
    let unknown = post(
        &app,
        &client,
        &format!("{path}/fournisseurs/ajouter"),
        &[("need", &need), ("structure", "Structure qui n'existe pas")],
    )
    .await;
    assert_eq!(unknown.status(), 422);
    let courses = structure_id("les-courses-asteur").await;
    for action in ["retirer", "remettre", "retirer"] {
        let changed = post(
            &app,
            &client,
            &format!("{path}/fournisseurs"),
            &[("need", &need), ("structure", &courses), ("action", action)],
        )
        .await;
        assert_eq!(changed.status(), 303, "{action}");
    }
    // Issue 27: the buyer's organisation is not confirmed yet; the need cannot reach more than
    // three structures, and the page says why.
    let kept = purchasing::kept_count(&app.db, id).await.unwrap();
    assert!(kept > 3, "the matching proposes more than three ({kept})");
    let too_far = post(
        &app,
        &client,
        &format!("{path}/envoyer"),
        &[("need", &need)],
    )
    .await;
    assert_eq!(too_far.status(), 422);
    assert!(
        too_far
            .text()
            .await
            .unwrap()
            .contains("un besoin part vers 3 structures au plus")
    );
    let status: String = sqlx::query_scalar("SELECT status FROM needs WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "draft", "nothing was sent");
    // A site admin confirms the buyer in the page.
    let admin = log_in(
        &app,
        accounts_demo::ADMIN_EMAIL,
        accounts_demo::ADMIN_PASSWORD,
    )
    .await;
    let buyer_id = purchasing::buyer_of(&app.db, buyer)
        .await
        .unwrap()
        .unwrap()
        .id;
    let confirmed = post(
        &app,
        &admin,
        &format!("/achats/acheteurs/{buyer_id}/confirmation"),
        &[("buyer", &buyer_id.to_string()), ("confirme", "oui")],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    // Sent: the Ressourcerie's manager gets a mail, the removed Courses Asteur's does not.
    let before = app.mails().len();
    let sent = post(
        &app,
        &client,
        &format!("{path}/envoyer"),
        &[("need", &need)],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let mails: Vec<String> = app.mails()[before..]
        .iter()
        .map(|m| common::decoded(m))
        .collect();
    assert!(mails.iter().any(
        |m| m.contains(dessine::features::accounts::demo::APPLICANT_EMAIL)
            && m.contains("Débarras et réemploi")
    ));
    assert!(
        !mails
            .iter()
            .any(|m| m.contains(dessine::features::accounts::demo::MANAGER_EMAIL))
    );
    // Sending twice is refused; the list no longer changes.
    let again = post(
        &app,
        &client,
        &format!("{path}/envoyer"),
        &[("need", &need)],
    )
    .await;
    assert_eq!(again.status(), 409);
    assert!(
        page(&app, &app.browser(), "/achats")
            .await
            .contains("mobilier scolaire")
    );
    // The manager of Les Courses Asteur (removed) may not answer; the Ressourcerie's may.
    let removed = log_in(
        &app,
        dessine::features::accounts::demo::MANAGER_EMAIL,
        dessine::features::accounts::demo::MANAGER_PASSWORD,
    )
    .await;
    let refused = post(
        &app,
        &removed,
        &format!("{path}/reponse"),
        &[
            ("need", &need),
            ("structure", "les-courses-asteur"),
            ("answer", "interesse"),
            ("message", "Nous sommes là !"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 409);
    let supplier = log_in(
        &app,
        dessine::features::accounts::demo::APPLICANT_EMAIL,
        dessine::features::accounts::demo::APPLICANT_PASSWORD,
    )
    .await;
    let answer = [
        ("need", need.as_str()),
        ("structure", "ressourcerie-du-dunkerquois"),
        ("answer", "interesse"),
        (
            "message",
            "Nous reprenons le tout en une journée, avec un bilan des tonnages.",
        ),
        ("attachment_url", "javascript:alert(1)"),
    ];
    let bad_link = post(&app, &supplier, &format!("{path}/reponse"), &answer).await;
    assert_eq!(bad_link.status(), 422);
    let mut answer = answer.to_vec();
    answer[4].1 = "https://ressourcerie.example/references.pdf";
    let answered = post(&app, &supplier, &format!("{path}/reponse"), &answer).await;
    assert_eq!(answered.status(), 303);
    assert!(
        app.mails()
            .iter()
            .any(|m| common::decoded(m).contains("Ressourcerie du Dunkerquois a répondu à"))
    );
    // Another structure's manager cannot answer for the Ressourcerie.
    let forbidden = post(&app, &removed, &format!("{path}/reponse"), &answer).await;
    assert_eq!(forbidden.status(), 403);
    // The buyer sees the answer, writes to the structure, closes the need.
    let html = page(&app, &client, &path).await;
    assert!(html.contains("Nous reprenons le tout en une journée"));
    assert!(html.contains("https://ressourcerie.example/references.pdf"));
    let ressourcerie = structure_id("ressourcerie-du-dunkerquois").await;
    let contacted = post(
        &app,
        &client,
        &format!("{path}/contact"),
        &[
            ("need", &need),
            ("structure", &ressourcerie),
            ("message", "Pouvez-vous passer mardi matin ?"),
        ],
    )
    .await;
    assert_eq!(contacted.status(), 303);
    assert!(app.mails().iter().any(|m| {
        let m = common::decoded(m);
        m.contains("Pouvez-vous passer mardi matin") && m.contains("achats@ville.example")
    }));
    // Issue 27, finding 1: writing again and again is bounded by the account's mail budget
    // (60 an hour), which the need's sending already drew on (one per structure reached) and
    // the first message; past it, a 429 with Retry-After and no mail.
    let left = 60 - (kept + 1);
    posts_until_the_budget_ends(&app, &client, &format!("{path}/contact"), left, |n| {
        vec![
            ("need", need.clone()),
            ("structure", ressourcerie.clone()),
            (
                "message",
                format!("Relance numéro {n} : pouvez-vous confirmer ?"),
            ),
        ]
    })
    .await;
    assert!(
        !app.mails()
            .iter()
            .any(|m| common::decoded(m).contains(&format!("Relance numéro {left} "))),
        "no mail past the allowance"
    );
    let bad_amount = post(
        &app,
        &client,
        &format!("{path}/cloture"),
        &[
            ("need", &need),
            ("rows[0][structure]", &ressourcerie),
            ("rows[0][outcome]", "retenu"),
            ("rows[0][amount]", "beaucoup"),
        ],
    )
    .await;
    assert_eq!(bad_amount.status(), 422);
    let closed = post(
        &app,
        &client,
        &format!("{path}/cloture"),
        &[
            ("need", &need),
            ("rows[0][structure]", &ressourcerie),
            ("rows[0][outcome]", "retenu"),
            ("rows[0][amount]", "7 400"),
        ],
    )
    .await;
    assert_eq!(closed.status(), 303);
    let row: (String, Option<i64>, String) = sqlx::query_as(
        "SELECT ns.outcome, ns.amount, n.status FROM need_suppliers ns JOIN needs n ON n.id = ns.need_id \
         WHERE ns.need_id = $1 AND ns.structure_id = $2",
    )
    .bind(id)
    .bind(ressourcerie.parse::<i64>().unwrap())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(row, ("retenu".to_owned(), Some(7400), "closed".to_owned()));
    // Closed: no more answers, no second closing.
    assert_eq!(
        post(&app, &supplier, &format!("{path}/reponse"), &answer)
            .await
            .status(),
        409
    );
    let twice = post(
        &app,
        &client,
        &format!("{path}/cloture"),
        &[
            ("need", &need),
            ("rows[0][structure]", &ressourcerie),
            ("rows[0][outcome]", "sans-suite"),
            ("rows[0][amount]", ""),
        ],
    )
    .await;
    assert_eq!(twice.status(), 409);
    // Every change is in the history, with who made it.
    let history: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT change, by_user FROM need_history WHERE need_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let mut changes: Vec<&str> = history.iter().map(|(c, _)| c.as_str()).collect();
    // The messages sent (the first, then those before the budget ran out) are as many lines.
    let contacted = changes.iter().filter(|c| **c == "contacted").count();
    assert_eq!(contacted as i64, 60 - kept);
    changes.dedup();
    assert_eq!(
        changes,
        [
            "created",
            "supplier_added",
            "supplier_removed",
            "supplier_restored",
            "supplier_removed",
            "sent",
            "answered",
            "contacted",
            "outcome",
            "closed"
        ]
    );
    assert!(history.iter().all(|(_, by)| by.is_some()));
    assert_eq!(
        history.iter().filter(|(_, by)| *by == Some(buyer)).count() as i64,
        // created, four supplier changes, sent, outcome, closed; and the messages.
        8 + (60 - kept)
    );
}

/// `/achats/bilan` and its CSV: the same figures, equal to what the rows say.
async fn report_figures_match_the_rows(app: TestApp) {
    let year = Timestamp::now().in_paris().year();
    // Computed here from the rows, independently of the report's query.
    let from = format!("{year}-01-01");
    let to = format!("{}-01-01", year + 1);
    // Issue 27, finding 4: a private need, alone in the tourism sector and with an interested
    // supplier, is counted nowhere in the report.
    let private: i64 = sqlx::query_scalar(
        "INSERT INTO needs (buyer_id, title, description, commune_id, kind, amount_band, deadline, \
         clause, visibility, status, created_at, published_at) \
         SELECT buyer_id, 'Séjour confidentiel', description, commune_id, kind, amount_band, deadline, \
         clause, 'private', status, created_at, published_at FROM needs \
         WHERE published_at >= $1 AND published_at < $2 ORDER BY id LIMIT 1 RETURNING id",
    )
    .bind(&from)
    .bind(&to)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO need_sectors (need_id, sector_id) SELECT $1, id FROM sectors WHERE slug = 'tourisme'",
    )
    .bind(private)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO need_suppliers (need_id, structure_id, position, answer) \
         SELECT $1, structure_id, 1, 'interested' FROM need_suppliers ORDER BY need_id LIMIT 1",
    )
    .bind(private)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let needs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM needs WHERE published_at >= $1 AND published_at < $2 \
         AND visibility = 'public'",
    )
    .bind(&from)
    .bind(&to)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let rows: Vec<(Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT ns.answer, ns.outcome, ns.amount FROM need_suppliers ns JOIN needs n ON n.id = ns.need_id \
         WHERE n.published_at >= $1 AND n.published_at < $2 AND n.visibility = 'public'",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let answers = rows
        .iter()
        .filter(|r| r.0.as_deref() == Some("interested"))
        .count() as i64;
    let won: Vec<i64> = rows
        .iter()
        .filter(|r| r.1.as_deref() == Some("retenu"))
        .map(|r| r.2.unwrap_or(0))
        .collect();
    assert!(
        needs >= 2 && answers >= 1 && !won.is_empty(),
        "the demo has figures this year: {needs} needs, {answers} answers, {won:?}"
    );
    let (status, body) = app
        .get_text(&format!("/achats/bilan.csv?annee={year}"))
        .await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let total = records.iter().find(|r| &r[1] == "total").unwrap();
    let figures =
        |r: &csv::StringRecord| -> [i64; 4] { [3, 4, 5, 6].map(|i| r[i].parse::<i64>().unwrap()) };
    assert_eq!(
        figures(total),
        [needs, answers, won.len() as i64, won.iter().sum::<i64>()]
    );
    // Each need is in exactly one territory: the territories add up to the total.
    let mut sum = [0; 4];
    for record in records.iter().filter(|r| &r[1] == "territoire") {
        for (i, value) in figures(record).into_iter().enumerate() {
            sum[i] += value;
        }
    }
    assert_eq!(sum, figures(total));
    assert!(
        !records
            .iter()
            .any(|r| &r[1] == "secteur" && &r[2] == "Tourisme"),
        "a sector only a private need fills has no row"
    );
    // The landlord's green spaces contract is in its sector.
    let environment = records
        .iter()
        .find(|r| &r[1] == "secteur" && &r[2] == "Environnement")
        .unwrap();
    assert_eq!(figures(environment)[2..], [1, 18_500]);
    // The page shows the same total.
    let (status, html) = app.get_text(&format!("/achats/bilan?annee={year}")).await;
    assert_eq!(status, 200);
    let amount = dessine::features::purchasing::euros(won.iter().sum());
    assert!(main_of(&html).contains(&amount), "{amount}");
    // A year out of range is not found.
    assert_eq!(app.get_text("/achats/bilan.csv?annee=1500").await.0, 404);
}

/// Bookings racing for the same time: the database keeps one per buyer and one per structure.
async fn double_booking_is_refused_under_concurrency(app: TestApp) {
    let event = dessine::features::events::db::find(&app.db, demo::FAIR_SLUG)
        .await
        .unwrap()
        .unwrap();
    let slots = purchasing::slots(&app.db, event.id).await.unwrap();
    let slot = slots[5].0;
    let stands: Vec<i64> = purchasing::stands(&app.db, event.id)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let mut buyers = Vec::new();
    for n in 0..8 {
        buyers.push(
            new_buyer(
                &app,
                &format!("ruee{n}@acheteur.example"),
                &format!("Acheteur {n}"),
            )
            .await,
        );
    }
    // Eight buyers want the same structure at the same time.
    let structure = stands[0];
    let tries = buyers.iter().map(|(user, buyer)| {
        purchasing::book(
            &app.db,
            event.id,
            slot,
            *buyer,
            structure,
            *user,
            Timestamp::now(),
        )
    });
    let results = futures::future::join_all(tries).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| e.status_code() == 409)
    );
    // One buyer wants every structure at the same time (another slot).
    let (user, buyer) = buyers[1];
    let slot = slots[6].0;
    let tries = stands.iter().map(|structure| {
        purchasing::book(
            &app.db,
            event.id,
            slot,
            buyer,
            *structure,
            user,
            Timestamp::now(),
        )
    });
    let results = futures::future::join_all(tries).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    let per_time: Vec<(String, i64)> = sqlx::query_as(
        "SELECT starts_at, COUNT(*) FROM meetings GROUP BY starts_at, structure_id HAVING COUNT(*) > 1 \
         UNION ALL SELECT starts_at, COUNT(*) FROM meetings GROUP BY starts_at, buyer_id HAVING COUNT(*) > 1",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(per_time.is_empty(), "{per_time:?}");
    // Through the form: a buyer books, both sides get a mail with a calendar file, and the
    // same buyer cannot book that time again.
    let client = log_in(&app, "ruee2@acheteur.example", PASSWORD).await;
    let path = format!("/evenements/{}/rendez-vous", demo::FAIR_SLUG);
    let slot = slots[7].0.to_string();
    // The Ressourcerie has a manager on the portal.
    let ressourcerie = purchasing::published_structure(&app.db, "ressourcerie-du-dunkerquois")
        .await
        .unwrap()
        .unwrap();
    assert!(stands.contains(&ressourcerie));
    let before = app.mails().len();
    let booked = post(
        &app,
        &client,
        &path,
        &[
            ("slug", demo::FAIR_SLUG),
            ("slot", &slot),
            ("structure", &ressourcerie.to_string()),
        ],
    )
    .await;
    assert_eq!(booked.status(), 303);
    let mails = &app.mails()[before..];
    assert_eq!(mails.len(), 2, "the buyer and the structure's manager");
    assert!(mails.iter().all(|m| m.contains("text/calendar")));
    let again = post(
        &app,
        &client,
        &path,
        &[
            ("slug", demo::FAIR_SLUG),
            ("slot", &slot),
            ("structure", &stands[2].to_string()),
        ],
    )
    .await;
    assert_eq!(again.status(), 409);
    assert!(page(&app, &client, &path).await.contains("Mon programme"));
    // Issue 27, finding 6: once the event is for members only, a buyer who is not in its
    // audience finds no event to book at, and is told nothing of it.
    sqlx::query("UPDATE events SET visibility = 'members', club_id = (SELECT MIN(id) FROM clubs) WHERE slug = $1")
        .bind(demo::FAIR_SLUG)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let before = app.mails().len();
    let hidden = post(
        &app,
        &client,
        &path,
        &[
            ("slug", demo::FAIR_SLUG),
            ("slot", &slots[9].0.to_string()),
            ("structure", &stands[3].to_string()),
        ],
    )
    .await;
    assert_eq!(hidden.status(), 404);
    assert_eq!(
        app.mails().len(),
        before,
        "no mail with the meeting's title and place"
    );
}

on_both_databases!(
    one_mail_budget_for_every_action_of_an_account,
    buyers_reach_few_suppliers_until_a_site_admin_confirms_them,
    matching_table,
    private_needs_are_invisible_to_others,
    whole_need_through_plain_forms,
    report_figures_match_the_rows,
    double_booking_is_refused_under_concurrency,
);
