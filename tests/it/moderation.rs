//! Keeping the directory true: proposals of new entries and corrections, moderation field by
//! field, revisions and their restoring, on both databases.

use crate::common::{self, TestApp, create_member, location, log_in, page, post};
use dessine::features::accounts::demo;

const PASSWORD: &str = common::MEMBER_PASSWORD;

/// A member who moderates every territory; their logged-in browser.
async fn moderator(app: &TestApp, email: &str) -> reqwest::Client {
    let id = create_member(app, email, None).await;
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    dessine::features::moderation::db::add_moderator(&app.db, id, None, admin)
        .await
        .unwrap();
    log_in(app, email, PASSWORD).await
}

/// The token of the last mail that links to `path?jeton=`.
fn token_in_mails(app: &TestApp, path: &str) -> String {
    let marker = format!("{path}?jeton=");
    let mail = app
        .mails()
        .into_iter()
        .rev()
        .map(|m| common::decoded(&m))
        .find(|m| m.contains(&marker))
        .unwrap_or_else(|| panic!("no mail with a {path} link"));
    let start = mail.find(&marker).unwrap() + marker.len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The id of the last proposal.
async fn last_proposal(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT MAX(id) FROM proposals")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

const NEW_ENTRY: &[(&str, &str)] = &[
    ("name", "Atelier vélo solidaire de Ghyvelde"),
    ("legal_form", "association"),
    ("commune", "ghyvelde"),
    ("sectors", "mobilite"),
    ("address", "3 rue du Quai"),
    ("postal_code", "59254"),
    ("email", "contact@velo-ghyvelde.example"),
    ("website", "https://velo-ghyvelde.example"),
    (
        "offer",
        "Réparation de vélos, ateliers d'autoréparation, vélos d'occasion.",
    ),
    (
        "description",
        "Un atelier associatif où chacun apprend à réparer son vélo.",
    ),
];

async fn a_visitor_proposes_a_structure_that_moderation_publishes(app: TestApp) {
    let visitor = app.browser();
    let form = page(&app, &visitor, "/annuaire/referencer").await;
    assert!(form.contains("Référencer ma structure") && form.contains("proposer_email"));
    let mut fields = NEW_ENTRY.to_vec();
    fields.extend([
        ("proposer_name", "Awa Diallo"),
        ("proposer_email", "awa@velo-ghyvelde.example"),
    ]);
    let sent = post(&app, &visitor, "/annuaire/referencer", &fields).await;
    assert_eq!(
        sent.status(),
        303,
        "{}",
        common::main_of(&sent.text().await.unwrap())
    );
    assert!(location(&sent).contains("message=verifiez-mail"));
    // Not in the queue before the address is confirmed.
    let checker = moderator(&app, "moderation@exemple.fr").await;
    let queue = page(&app, &checker, "/moderation").await;
    assert!(
        !queue.contains("Atelier vélo solidaire"),
        "unconfirmed shown"
    );
    let token = token_in_mails(&app, "/annuaire/proposition/confirmer");
    // Opening the link changes nothing; the button does.
    let confirm_page = page(
        &app,
        &visitor,
        &format!("/annuaire/proposition/confirmer?jeton={token}"),
    )
    .await;
    assert!(confirm_page.contains("Confirmer ma proposition"));
    let confirmed = post(
        &app,
        &visitor,
        "/annuaire/proposition/confirmer",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    assert!(location(&confirmed).ends_with("/annuaire/referencer?message=proposition-confirmee"));
    // A second click: the link is used.
    let again = post(
        &app,
        &visitor,
        "/annuaire/proposition/confirmer",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(again.status(), 400);
    let queue = page(&app, &checker, "/moderation").await;
    assert!(queue.contains("Atelier vélo solidaire de Ghyvelde"));
    assert!(
        app.mails()
            .iter()
            .any(|m| common::decoded(m).contains("moderation@exemple.fr")),
        "the moderators are told"
    );
    let id = last_proposal(&app).await;
    let review = page(&app, &checker, &format!("/moderation/{id}")).await;
    assert!(review.contains("3 rue du Quai") && review.contains("Retenir"));
    // Names, not slugs: the commune, the sector, the legal form.
    assert!(
        review.contains("Mobilité")
            && review.contains("Ghyvelde")
            && !review.contains(">mobilite<"),
        "{}",
        common::main_of(&review)
    );
    // The visitor has since made an account with the address they confirmed: it will manage
    // the entry.
    let awa = create_member(&app, "awa@velo-ghyvelde.example", None).await;
    // Everything but the website.
    let mut decision: Vec<(&str, &str)> = vec![("id", ""), ("verdict", "accepter")];
    let id_text = id.to_string();
    decision[0].1 = &id_text;
    for (field, _) in NEW_ENTRY.iter().filter(|(f, _)| *f != "website") {
        decision.push(("accepted", field));
    }
    let decided = post(
        &app,
        &checker,
        &format!("/moderation/{id}/decision"),
        &decision,
    )
    .await;
    assert_eq!(decided.status(), 303, "{}", decided.text().await.unwrap());
    let (status, website): (String, String) = sqlx::query_as(
        "SELECT status, website FROM structures WHERE slug = 'atelier-velo-solidaire-de-ghyvelde'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), website.as_str()), ("published", ""));
    app.search_caught_up().await;
    let (_, found) = app.get_text("/annuaire?q=atelier+velo+ghyvelde").await;
    assert!(found.contains("Atelier vélo solidaire de Ghyvelde"));
    let entry = page(
        &app,
        &visitor,
        "/annuaire/atelier-velo-solidaire-de-ghyvelde",
    )
    .await;
    assert!(entry.contains("Informations vérifiées le"));
    assert!(
        app.mails().iter().rev().any(|m| {
            let m = common::decoded(m);
            m.contains("awa@velo-ghyvelde.example")
                && m.contains("a été acceptée")
                && m.contains("Vous gérez maintenant cette fiche")
        }),
        "the proposer is told, and manages the entry"
    );
    let managers: Vec<i64> = sqlx::query_scalar(
        "SELECT m.user_id FROM structure_managers m JOIN structures s ON s.id = m.structure_id \
         WHERE s.slug = 'atelier-velo-solidaire-de-ghyvelde'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(managers, vec![awa]);
    // The creation is the entry's first revision.
    let origins: Vec<String> = sqlx::query_scalar(
        "SELECT r.origin FROM structure_revisions r JOIN structures s ON s.id = r.structure_id \
         WHERE s.slug = 'atelier-velo-solidaire-de-ghyvelde'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(origins, ["proposal"]);
}

async fn a_correction_is_accepted_field_by_field_and_the_history_shows_both(app: TestApp) {
    let member_email = "lecteur-attentif@exemple.fr";
    create_member(&app, member_email, None).await;
    let member = log_in(&app, member_email, PASSWORD).await;
    let slug = demo::MANAGED_SLUG;
    let form = page(&app, &member, &format!("/annuaire/{slug}/corriger")).await;
    assert!(form.contains("Proposer une correction"));
    // The form starts from the entry's values: change two of them.
    let current: (String, String, String, String) = sqlx::query_as(
        "SELECT name, legal_form, address, postal_code FROM structures WHERE slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT se.slug FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         JOIN structures s ON s.id = ss.structure_id WHERE s.slug = $1",
    )
    .bind(slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let commune: String = sqlx::query_scalar(
        "SELECT c.slug FROM structures s JOIN territories c ON c.id = s.commune_id WHERE s.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (description, offer, email, website): (String, String, String, String) =
        sqlx::query_as("SELECT description, offer, email, website FROM structures WHERE slug = $1")
            .bind(slug)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let mut fields: Vec<(&str, &str)> = vec![
        ("slug", slug),
        ("name", &current.0),
        ("legal_form", &current.1),
        ("commune", &commune),
        ("address", &current.2),
        ("postal_code", &current.3),
        ("email", &email),
        ("description", &description),
        ("offer", &offer),
        ("phone", "03 28 11 22 33"),
        ("website", "https://nouveau-site.example"),
    ];
    let _ = website;
    for sector in &sectors {
        fields.push(("sectors", sector));
    }
    let sent = post(
        &app,
        &member,
        &format!("/annuaire/{slug}/corriger"),
        &fields,
    )
    .await;
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
    assert!(location(&sent).contains("message=correction-envoyee"));
    let id = last_proposal(&app).await;
    let stored: String = sqlx::query_scalar("SELECT fields FROM proposals WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        stored.as_object().unwrap().len(),
        2,
        "only the fields that differ: {stored}"
    );
    // Nothing applied yet; the entry's manager sees the correction waiting.
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let history = page(&app, &manager, &format!("/annuaire/{slug}/historique")).await;
    assert!(
        history.contains("03 28 11 22 33"),
        "pending correction shown"
    );
    // A moderator keeps the phone, not the website.
    let checker = moderator(&app, "moderation2@exemple.fr").await;
    let id_text = id.to_string();
    let decided = post(
        &app,
        &checker,
        &format!("/moderation/{id}/decision"),
        &[
            ("id", &id_text),
            ("verdict", "accepter"),
            ("accepted", "phone"),
        ],
    )
    .await;
    assert_eq!(decided.status(), 303);
    let (phone, website): (String, String) =
        sqlx::query_as("SELECT phone, website FROM structures WHERE slug = $1")
            .bind(slug)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(phone, "03 28 11 22 33");
    assert_ne!(website, "https://nouveau-site.example");
    // The manager edits at once: a second revision.
    let mut edit: Vec<(&str, &str)> = vec![
        ("slug", slug),
        ("name", &current.0),
        ("description", "Une présentation revue par la gérance."),
        ("offer", &offer),
        ("address", &current.2),
        ("postal_code", &current.3),
        ("email", &email),
        ("phone", "03 28 11 22 33"),
        ("website", ""),
    ];
    for sector in &sectors {
        edit.push(("sectors", sector));
    }
    let saved = post(&app, &manager, &format!("/annuaire/{slug}/modifier"), &edit).await;
    assert_eq!(saved.status(), 303);
    let history = page(&app, &manager, &format!("/annuaire/{slug}/historique")).await;
    assert!(history.contains("Proposition acceptée par la modération"));
    assert!(history.contains("Modification par un gestionnaire"));
    assert!(history.contains("Une présentation revue par la gérance."));
    // Back to the description before the manager's edit.
    let last: i64 = sqlx::query_scalar(
        "SELECT MAX(r.id) FROM structure_revisions r JOIN structures s ON s.id = r.structure_id WHERE s.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let last = last.to_string();
    let restored = post(
        &app,
        &manager,
        &format!("/annuaire/{slug}/historique/restaurer"),
        &[("slug", slug), ("revision", &last)],
    )
    .await;
    assert_eq!(restored.status(), 303);
    let now: String = sqlx::query_scalar("SELECT description FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(now, description);
    // The history is for the managers and the moderators only.
    let (status, _) = app.get_text(&format!("/annuaire/{slug}/historique")).await;
    assert_ne!(status, 200);
    let other = page(&app, &member, &format!("/annuaire/{slug}/historique")).await;
    assert!(!other.contains("Une présentation revue"));
}

/// Two moderators decide the same proposal at once: one wins, the other is told who.
async fn two_moderators_at_once_one_wins(app: TestApp) {
    let proposer = "proposeur@exemple.fr";
    create_member(&app, proposer, None).await;
    let member = log_in(&app, proposer, PASSWORD).await;
    let mut fields = NEW_ENTRY.to_vec();
    fields[0].1 = "Recyclerie des Moëres";
    fields[6].1 = "contact@recyclerie-moeres.example";
    let sent = post(&app, &member, "/annuaire/referencer", &fields).await;
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
    let id = last_proposal(&app).await.to_string();
    let first = moderator(&app, "premiere@exemple.fr").await;
    let second = moderator(&app, "second@exemple.fr").await;
    let path = format!("/moderation/{id}/decision");
    let accept: Vec<(&str, &str)> = [("id", id.as_str()), ("verdict", "accepter")]
        .into_iter()
        .chain(NEW_ENTRY.iter().map(|(f, _)| ("accepted", *f)))
        .collect();
    let refuse = [
        ("id", id.as_str()),
        ("verdict", "refuser"),
        ("reason", "Déjà dans l'annuaire."),
    ];
    let (a, b) = tokio::join!(
        post(&app, &first, &path, &accept),
        post(&app, &second, &path, &refuse)
    );
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(
        statuses.contains(&303) && statuses.contains(&409),
        "{statuses:?}"
    );
    let loser = if a.status() == 409 { a } else { b };
    let text = loser.text().await.unwrap();
    assert!(text.contains("a déjà été"), "the loser is told who decided");
    let entries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE name = 'Recyclerie des Moëres'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM proposals WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(entries, i64::from(status == "accepted"));
}

/// Bad input gets its French message and leaves nothing behind.
async fn hostile_proposals_are_refused_with_a_reason(app: TestApp) {
    let visitor = app.browser();
    let before = app.count("proposals").await;
    let huge = "x".repeat(2_000_000);
    let mut cases: Vec<(Vec<(&str, &str)>, &str)> = Vec::new();
    let with = |field: &'static str, value: &'static str| {
        let mut fields = NEW_ENTRY.to_vec();
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        fields.extend([
            ("proposer_name", "Awa"),
            ("proposer_email", "awa@exemple.fr"),
        ]);
        fields
    };
    cases.push((
        with("siret", "ABCDEFGHIJKLMN"),
        "Le SIRET compte 14 chiffres",
    ));
    cases.push((with("commune", "atlantide"), "Choisissez la commune"));
    cases.push((with("sectors", "inconnu"), "secteurs"));
    cases.push((with("website", "javascript:alert(1)"), "https://"));
    cases.push((with("name", "=HYPERLINK(\"x\")"), ""));
    for (fields, message) in &cases {
        let answer = post(&app, &visitor, "/annuaire/referencer", fields).await;
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap();
        if message.is_empty() {
            // A formula-looking name is only text: it waits for a moderator, escaped.
            assert_eq!(status, 303);
        } else {
            assert_eq!(status, 422, "{message}");
            assert!(text.contains(message), "{message}");
        }
    }
    let mut big = NEW_ENTRY.to_vec();
    big.push(("description", &huge));
    let answer = post(&app, &visitor, "/annuaire/referencer", &big).await;
    assert!(
        [413, 422].contains(&answer.status().as_u16()),
        "{}",
        answer.status()
    );
    assert_eq!(app.count("proposals").await, before + 1);
    // The same SIRET as an entry: refused, pointing at it.
    let siret: Option<String> =
        sqlx::query_scalar("SELECT siret FROM structures WHERE siret IS NOT NULL LIMIT 1")
            .fetch_optional(&app.db.pool)
            .await
            .unwrap();
    if let Some(siret) = siret {
        let mut fields = with("siret", "");
        fields.retain(|(f, _)| *f != "siret");
        fields.push(("siret", &siret));
        let answer = post(&app, &visitor, "/annuaire/referencer", &fields).await;
        assert_eq!(answer.status(), 422);
        assert!(
            answer
                .text()
                .await
                .unwrap()
                .contains("proposez-y plutôt une correction")
        );
    }
    // A name like an entry's in the same commune: shown first, then accepted when the
    // proposer says it is another structure.
    let (name, commune): (String, String) = sqlx::query_as(
        "SELECT s.name, c.slug FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE s.slug = $1",
    )
    .bind(demo::MANAGED_SLUG)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut alike = with("name", "");
    alike.retain(|(f, _)| *f != "name" && *f != "commune");
    let lookalike = format!("{name} !");
    alike.push(("name", &lookalike));
    alike.push(("commune", &commune));
    let answer = post(&app, &visitor, "/annuaire/referencer", &alike).await;
    assert_eq!(answer.status(), 422);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("Une fiche semblable existe déjà")
    );
    alike.push(("autre_structure", "oui"));
    let answer = post(&app, &visitor, "/annuaire/referencer", &alike).await;
    assert_eq!(answer.status(), 303);
    // A correction of an entry deleted meanwhile cannot be accepted.
    let doomed = common::create_structure(&app, "Structure bientôt supprimée").await;
    let fields: std::collections::BTreeMap<String, String> =
        [("phone".to_owned(), "03 20 00 00 00".to_owned())].into();
    let (id, _) = dessine::features::moderation::db::file(
        &app.db,
        &dessine::features::moderation::db::NewProposal {
            kind: dessine::features::moderation::ProposalKind::Correction,
            structure_id: Some(doomed),
            departement: None,
            fields: &fields,
            proposer_id: None,
            proposer_name: "Awa",
            proposer_email: "awa@exemple.fr",
        },
        true,
    )
    .await
    .unwrap();
    sqlx::query("DELETE FROM structures WHERE id = $1")
        .bind(doomed)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let checker = moderator(&app, "moderation3@exemple.fr").await;
    let id = id.to_string();
    let answer = post(
        &app,
        &checker,
        &format!("/moderation/{id}/decision"),
        &[("id", &id), ("verdict", "accepter"), ("accepted", "phone")],
    )
    .await;
    assert_eq!(answer.status(), 409);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("supprimée entre-temps")
    );
}

/// Moderators take an entry out of the directory and back; site admins change its managers and
/// delete it, told first what goes with it.
async fn entries_are_looked_after_in_the_page(app: TestApp) {
    let slug = demo::MANAGED_SLUG;
    let checker = moderator(&app, "moderation4@exemple.fr").await;
    let admin_page = format!("/annuaire/{slug}/administration");
    assert!(
        page(&app, &checker, &admin_page)
            .await
            .contains("Retirer de l'annuaire")
    );
    let withdrawn = post(
        &app,
        &checker,
        &format!("{admin_page}/publication"),
        &[("slug", slug), ("publication", "retirer")],
    )
    .await;
    assert_eq!(withdrawn.status(), 303);
    let (status, _) = app.get_text(&format!("/annuaire/{slug}")).await;
    assert_eq!(status, 404);
    app.search_caught_up().await;
    let (_, found) = app.get_text("/annuaire?q=courses+asteur").await;
    assert!(!found.contains(&format!("/annuaire/{slug}\"")));
    post(
        &app,
        &checker,
        &format!("{admin_page}/publication"),
        &[("slug", slug), ("publication", "publier")],
    )
    .await;
    let (status, _) = app.get_text(&format!("/annuaire/{slug}")).await;
    assert_eq!(status, 200);
    // A moderator neither deletes nor changes managers; a site admin does, told what goes.
    let refused = post(
        &app,
        &checker,
        &format!("{admin_page}/suppression"),
        &[("slug", slug), ("confirmation", "oui")],
    )
    .await;
    assert_eq!(refused.status(), 403);
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let html = page(&app, &site_admin, &admin_page).await;
    assert!(html.contains("gestionnaire(s)") && html.contains("adhésion(s) à un club"));
    create_member(&app, "nouveau-gerant@exemple.fr", None).await;
    let added = post(
        &app,
        &site_admin,
        &format!("{admin_page}/gestionnaires"),
        &[
            ("slug", slug),
            ("change", "ajouter"),
            ("email", "nouveau-gerant@exemple.fr"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    assert!(
        page(&app, &site_admin, &admin_page)
            .await
            .contains("nouveau-gerant@exemple.fr")
    );
    let unticked = post(
        &app,
        &site_admin,
        &format!("{admin_page}/suppression"),
        &[("slug", slug)],
    )
    .await;
    assert_eq!(unticked.status(), 422);
    let deleted = post(
        &app,
        &site_admin,
        &format!("{admin_page}/suppression"),
        &[("slug", slug), ("confirmation", "oui")],
    )
    .await;
    assert_eq!(deleted.status(), 303);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

/// Entries not verified for two years: their managers are asked once a year, the page and the
/// moderators say so, and they come after fresher entries of equal relevance.
async fn stale_entries_are_asked_about_and_rank_after_fresh_ones(app: TestApp) {
    use dessine::features::moderation::freshness;
    use dessine::timestamp::Timestamp;
    let old = Timestamp::now()
        .plus(time::Duration::days(-1100))
        .to_string();
    let alpha = common::create_structure(&app, "Ressource Alpha").await;
    common::create_structure(&app, "Ressource Bravo").await;
    let manager = create_member(&app, "gerant-alpha@exemple.fr", None).await;
    common::make_manager(&app, manager, alpha).await;
    // Naming sort_key logs the change for the search index.
    sqlx::query(
        "UPDATE structures SET verified_at = $1, created_at = $1, sort_key = sort_key WHERE id = $2",
    )
    .bind(&old)
    .bind(alpha)
    .execute(&app.db.pool)
    .await
    .unwrap();
    app.search_caught_up().await;
    let (_, found) = app.get_text("/annuaire?q=ressource").await;
    let (a, b) = (found.find("Ressource Alpha"), found.find("Ressource Bravo"));
    assert!(
        a.is_some() && b.is_some() && b < a,
        "the stale entry comes second"
    );
    let (_, entry) = app.get_text("/annuaire/ressource-alpha").await;
    assert!(entry.contains("pas été vérifiées depuis plus de deux ans"));
    let checker = moderator(&app, "moderation5@exemple.fr").await;
    assert!(
        page(&app, &checker, "/moderation")
            .await
            .contains("Ressource Alpha")
    );
    // One mail per manager and year, whichever server sweeps.
    let now = Timestamp::now();
    let sent = freshness::sweep(&app.state, now).await.unwrap();
    assert!(sent >= 1);
    assert_eq!(freshness::sweep(&app.state, now).await.unwrap(), 0);
    let token = token_in_mails(&app, "/annuaire/toujours-exact");
    let visitor = app.browser();
    let form = page(
        &app,
        &visitor,
        &format!("/annuaire/toujours-exact?jeton={token}"),
    )
    .await;
    assert!(form.contains("Ma fiche est toujours exacte"));
    let confirmed = post(
        &app,
        &visitor,
        "/annuaire/toujours-exact",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    assert!(location(&confirmed).ends_with("/annuaire/ressource-alpha?message=fiche-verifiee"));
    let again = post(
        &app,
        &visitor,
        "/annuaire/toujours-exact",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(again.status(), 400);
    app.search_caught_up().await;
    let (_, entry) = app.get_text("/annuaire/ressource-alpha").await;
    assert!(!entry.contains("pas été vérifiées depuis plus de deux ans"));
    let (_, found) = app.get_text("/annuaire?q=ressource").await;
    let (a, b) = (found.find("Ressource Alpha"), found.find("Ressource Bravo"));
    assert!(a < b, "verified again, back in name order");
}

/// A member asks to manage an entry nobody manages: the entry's public address gets a link
/// that makes them manager at once (once).
async fn an_unmanaged_entry_is_claimed_through_its_public_address(app: TestApp) {
    let structure = common::create_structure(&app, "Épicerie sans gérant").await;
    sqlx::query("UPDATE structures SET email = 'contact@epicerie.example' WHERE id = $1")
        .bind(structure)
        .execute(&app.db.pool)
        .await
        .unwrap();
    create_member(&app, "benevole@exemple.fr", None).await;
    let member = log_in(&app, "benevole@exemple.fr", PASSWORD).await;
    let asked = post(
        &app,
        &member,
        "/annuaire/epicerie-sans-gerant/gerer",
        &[("slug", "epicerie-sans-gerant")],
    )
    .await;
    assert!(location(&asked).ends_with("message=demande-envoyee-structure"));
    let token = token_in_mails(&app, "/annuaire/confirmer-gestion");
    assert!(
        app.mails()
            .iter()
            .any(|m| common::decoded(m).contains("contact@epicerie.example"))
    );
    let stranger = app.browser();
    let confirmed = post(
        &app,
        &stranger,
        "/annuaire/confirmer-gestion",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    let manages: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM structure_managers m JOIN users u ON u.id = m.user_id \
         WHERE m.structure_id = $1 AND u.email = 'benevole@exemple.fr'",
    )
    .bind(structure)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(manages, 1);
    let again = post(
        &app,
        &stranger,
        "/annuaire/confirmer-gestion",
        &[("jeton", &token)],
    )
    .await;
    assert_eq!(again.status(), 400);
    // Managed now: the next member's request waits for a manager or an admin.
    create_member(&app, "second@exemple.fr", None).await;
    let second = log_in(&app, "second@exemple.fr", PASSWORD).await;
    let asked = post(
        &app,
        &second,
        "/annuaire/epicerie-sans-gerant/gerer",
        &[("slug", "epicerie-sans-gerant")],
    )
    .await;
    assert!(location(&asked).ends_with("message=demande-envoyee"));
}

/// A merge keeps every reference: what pointed at the merged entry points at the kept one, in
/// one transaction, and the merged address answers with a permanent redirect.
async fn a_merge_keeps_every_reference(app: TestApp) {
    let merged_slug = "jardins-du-littoral";
    let merged: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
        .bind(merged_slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let kept = common::create_structure(&app, "Jardins du Littoral (fiche en double)").await;
    let manager = create_member(&app, "gerant-jardins@exemple.fr", None).await;
    common::make_manager(&app, manager, merged).await;
    let tables = [
        "structure_managers",
        "club_members",
        "registrations",
        "label_journeys",
        "need_suppliers",
        "article_mentions",
        "proposals",
    ];
    let count = |table: &'static str, id: i64| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!(
                "SELECT COUNT(*) FROM {table} WHERE structure_id = $1"
            ))
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let mut before = Vec::new();
    for table in tables {
        before.push(count(table, merged).await);
    }
    assert!(
        before.iter().sum::<i64>() >= 4,
        "the demo entry is referred to: {before:?}"
    );
    let checker = moderator(&app, "moderation6@exemple.fr").await;
    let kept_slug = "jardins-du-littoral-fiche-en-double";
    let preview = page(
        &app,
        &checker,
        &format!("/moderation/fusion?garder={kept_slug}&fusionner={merged_slug}"),
    )
    .await;
    assert!(preview.contains("Passent à la fiche qui reste"));
    let done = post(
        &app,
        &checker,
        "/moderation/fusion",
        &[("garder", kept_slug), ("fusionner", merged_slug)],
    )
    .await;
    assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());
    for (table, before) in tables.iter().zip(&before) {
        assert_eq!(
            count(table, merged).await,
            0,
            "{table} still points at the merged entry"
        );
        assert_eq!(count(table, kept).await, *before, "{table} moved");
    }
    let history = page(&app, &checker, &format!("/annuaire/{kept_slug}/historique")).await;
    assert!(history.contains("Fusion de deux fiches"));
    let response = app
        .browser()
        .get(app.url(&format!("/annuaire/{merged_slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 301);
    assert_eq!(location(&response), format!("/annuaire/{kept_slug}"));
    // The same entry twice, or an entry outside the directory, is refused.
    let same = post(
        &app,
        &checker,
        "/moderation/fusion",
        &[("garder", kept_slug), ("fusionner", kept_slug)],
    )
    .await;
    assert_eq!(same.status(), 422);
}

/// A CSV import: a report by line before anything changes, hostile lines refused with their
/// reason, a managed entry's differences proposed to the moderators, and a second import of the
/// same file changing nothing.
async fn a_csv_import_reports_by_line_and_runs_twice_to_no_effect(app: TestApp) {
    use dessine::features::moderation::import::{Outcome, import};
    let (unmanaged, unmanaged_name, commune): (String, String, String) = sqlx::query_as(
        "SELECT s.slug, s.name, c.slug FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE s.status = 'published' AND NOT EXISTS (SELECT 1 FROM structure_managers m WHERE m.structure_id = s.id) \
         AND s.siret IS NULL ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let managed: (String, String) = sqlx::query_as(
        "SELECT s.name, c.slug FROM structures s JOIN territories c ON c.id = s.commune_id WHERE s.slug = $1",
    )
    .bind(demo::MANAGED_SLUG)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let wide = vec!["x"; 500].join(";");
    let text = format!(
        "nom;forme_juridique;commune;secteurs;telephone;siret;site_web\n\
         Recyclerie de l'Aa;association;Gravelines;recyclage|environnement;03 28 00 00 01;;https://recyclerie-aa.example\n\
         {unmanaged_name};association;{commune};recyclage;03 28 99 99 99;;\n\
         {};association;{};mobilite;03 28 11 11 11;;\n\
         Erreur SIRET;association;Gravelines;recyclage;;ABCDEFGHIJKLMN;\n\
         {wide}\n\
         =HYPERLINK(\"http://x\");association;Gravelines;recyclage;;;\n\
         \"Guillemet cassé;association;Gravelines;recyclage;;;\n\
         Ligne perdue;association;Gravelines;recyclage;;;\n",
        managed.0, managed.1
    );
    // Saved as Windows-1252 with a byte-order mark-free header, as French spreadsheets do.
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'è' => 0xE8,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect();
    let before = app.count("structures").await;
    let dry = import(&app.db, &bytes, false).await.unwrap();
    assert_eq!(
        app.count("structures").await,
        before,
        "a dry run changes nothing"
    );
    let outcomes: Vec<&Outcome> = dry.lines.iter().map(|(_, o)| o).collect();
    assert!(matches!(outcomes[0], Outcome::New(_)), "{outcomes:?}");
    assert!(matches!(outcomes[1], Outcome::Updated(..)), "{outcomes:?}");
    assert!(
        matches!(outcomes[2], Outcome::Proposed(..) | Outcome::Unchanged(_)),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[3], Outcome::Refused(why) if why.contains("SIRET")),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[4], Outcome::Refused(why) if why.contains("colonnes")),
        "{outcomes:?}"
    );
    assert!(matches!(outcomes[5], Outcome::New(_)), "{outcomes:?}");
    assert!(
        matches!(outcomes[6], Outcome::Refused(why) if why.contains("guillemet")),
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes.len(),
        7,
        "the unclosed quote takes the rest of the file"
    );
    let applied = import(&app.db, &bytes, true).await.unwrap();
    assert_eq!(
        app.count("structures").await,
        before + 2,
        "{}",
        applied.summary()
    );
    assert!(
        applied.summary().starts_with("2 nouvelles, 1 mises à jour"),
        "{}",
        applied.summary()
    );
    let phone: String = sqlx::query_scalar("SELECT phone FROM structures WHERE slug = $1")
        .bind(&unmanaged)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(phone, "03 28 99 99 99");
    let managed_phone: String = sqlx::query_scalar("SELECT phone FROM structures WHERE slug = $1")
        .bind(demo::MANAGED_SLUG)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(
        managed_phone, "03 28 11 11 11",
        "a managed entry is never overwritten"
    );
    let proposals = app.count("proposals").await;
    let formula: String =
        sqlx::query_scalar("SELECT name FROM structures WHERE name LIKE '=HYPERLINK%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(
        formula.starts_with("=HYPERLINK"),
        "stored as text, exports escape it"
    );
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM structure_revisions WHERE origin = 'import'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(revisions >= 3);
    // The same file again: nothing changes.
    let again = import(&app.db, &bytes, true).await.unwrap();
    assert_eq!(app.count("structures").await, before + 2);
    assert_eq!(app.count("proposals").await, proposals);
    assert!(
        again.lines.iter().all(|(_, o)| matches!(
            o,
            Outcome::Unchanged(_) | Outcome::Refused(_) | Outcome::ProbableDuplicate(..)
        )),
        "{:?}",
        again.lines
    );
    // A column the importer does not know is refused before any line.
    assert!(
        import(&app.db, b"nom;couleur\nX;bleu\n", true)
            .await
            .is_err()
    );
}

on_both_databases!(
    a_csv_import_reports_by_line_and_runs_twice_to_no_effect,
    a_merge_keeps_every_reference,
    an_unmanaged_entry_is_claimed_through_its_public_address,
    stale_entries_are_asked_about_and_rank_after_fresh_ones,
    entries_are_looked_after_in_the_page,
    a_visitor_proposes_a_structure_that_moderation_publishes,
    a_correction_is_accepted_field_by_field_and_the_history_shows_both,
    two_moderators_at_once_one_wins,
    hostile_proposals_are_refused_with_a_reason,
);
