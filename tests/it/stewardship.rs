//! Managing directory entries and administering users, over HTTP on both databases: requests to
//! manage an entry, approval, editing (no JavaScript, with several sectors), admin actions.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, location, log_in, main_of, page, post};
use dessine::features::accounts::{db as accounts, demo, password};

const PASSWORD: &str = common::MEMBER_PASSWORD;

/// A verified member, optionally manager of the entry `manages`, logged in.
async fn member(app: &TestApp, email: &str, manages: Option<&str>) -> reqwest::Client {
    common::create_member(app, email, manages).await;
    log_in(app, email, PASSWORD).await
}

/// Whether the page's checkbox with `value` is ticked.
fn checkbox_is_checked(html: &str, value: &str) -> bool {
    let at = html
        .find(&format!("value=\"{value}\""))
        .unwrap_or_else(|| panic!("a checkbox for {value}"));
    let start = html[..at].rfind("<input").unwrap();
    let end = at + html[at..].find('>').unwrap();
    html[start..end].contains("checked")
}

async fn pending_request_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM manager_requests WHERE status = 'pending' ORDER BY id DESC")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn member_asks_manager_approves_member_edits(app: TestApp) {
    let lea = member(&app, "lea@exemple.fr", None).await;
    let entry = page(&app, &lea, "/annuaire/les-courses-asteur").await;
    assert!(entry.contains("Demander à gérer cette fiche"));
    let asked = post(&app, &lea, "/annuaire/les-courses-asteur/gerer", &[]).await;
    assert_eq!(
        location(&asked),
        "/annuaire/les-courses-asteur?message=demande-envoyee"
    );
    post(&app, &lea, "/annuaire/les-courses-asteur/gerer", &[]).await;
    assert_eq!(
        app.count("manager_requests").await,
        1,
        "one pending request per member"
    );
    assert!(
        page(&app, &lea, "/annuaire/les-courses-asteur")
            .await
            .contains("en attente")
    );

    // Léa may not decide on her own request, nor edit yet.
    let id = pending_request_id(&app).await;
    let self_approval = post(
        &app,
        &lea,
        &format!("/gestion/demandes/{id}"),
        &[("decision", "approuver")],
    )
    .await;
    assert_eq!(self_approval.status(), 403);
    let early = post(
        &app,
        &lea,
        "/annuaire/les-courses-asteur/modifier",
        &[("name", "Piraté")],
    )
    .await;
    assert_eq!(early.status(), 403);

    // The entry's current manager approves from the entry's page.
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let entry = page(&app, &manager, "/annuaire/les-courses-asteur").await;
    assert!(entry.contains("lea@exemple.fr") && entry.contains("Modifier la fiche"));
    let approved = post(
        &app,
        &manager,
        &format!("/gestion/demandes/{id}"),
        &[
            ("decision", "approuver"),
            ("retour", "/annuaire/les-courses-asteur"),
        ],
    )
    .await;
    assert_eq!(
        location(&approved),
        "/annuaire/les-courses-asteur?message=demande-approuvee"
    );

    let bad = post(
        &app,
        &lea,
        "/annuaire/les-courses-asteur/modifier",
        &[
            ("name", "Les Courses Asteur"),
            ("offer", "Livraisons à vélo cargo"),
            ("postal_code", "59A"),
            ("website", "asteur.example"),
            ("sectors", "mobilite"),
            ("sectors", "environnement"),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        main_of(&html).contains("Le code postal compte 5 chiffres"),
        "the form and its messages are in the page itself, not in a streamed template"
    );
    assert!(html.contains("Livraisons à vélo cargo"), "typed text kept");
    for (sector, ticked) in [
        ("environnement", true),
        ("mobilite", true),
        ("culture", false),
    ] {
        assert_eq!(
            checkbox_is_checked(&html, sector),
            ticked,
            "{sector} as typed"
        );
    }
    let saved = post(
        &app,
        &lea,
        "/annuaire/les-courses-asteur/modifier",
        &[
            ("name", "Les Courses Asteur"),
            ("offer", "Livraisons à vélo cargo dans tout le Dunkerquois"),
            ("postal_code", "59140"),
            ("website", "https://asteur.example"),
            // A repeated field: several checkboxes with one name.
            ("sectors", "mobilite"),
            ("sectors", "circuits-courts"),
            ("sectors", "environnement"),
        ],
    )
    .await;
    assert_eq!(
        location(&saved),
        "/annuaire/les-courses-asteur?message=fiche-enregistree"
    );
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT se.slug FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         JOIN structures s ON s.id = ss.structure_id WHERE s.slug = 'les-courses-asteur' ORDER BY se.slug",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(sectors, ["circuits-courts", "environnement", "mobilite"]);
    // The sector bit set follows: the directory's sector filter finds the entry under a new
    // sector and no longer under the one removed.
    assert!(
        page(&app, &app.browser(), "/annuaire?secteur=environnement")
            .await
            .contains("Les Courses Asteur")
    );
    assert!(
        !page(
            &app,
            &app.browser(),
            "/annuaire?secteur=services-a-la-personne"
        )
        .await
        .contains("Les Courses Asteur")
    );
    let entry = page(
        &app,
        &lea,
        "/annuaire/les-courses-asteur?message=fiche-enregistree",
    )
    .await;
    assert!(
        entry.contains("La fiche a été enregistrée.")
            && entry.contains("vélo cargo dans tout le Dunkerquois")
    );
    let notice = entry.find("La fiche a été enregistrée.").unwrap();
    assert!(
        notice < entry.find("<h1").unwrap(),
        "the confirmation comes first, seen without scrolling"
    );
    // The search sees the edit at once on this server.
    assert!(
        page(&app, &app.browser(), "/annuaire?q=cargo")
            .await
            .contains("Les Courses Asteur")
    );
    assert!(
        page(&app, &lea, "/compte")
            .await
            .contains("Les Courses Asteur")
    );
}

async fn other_managers_and_members_cannot_edit(app: TestApp) {
    let other = member(&app, "autre@exemple.fr", Some("work-co")).await;
    let plain = member(&app, "simple@exemple.fr", None).await;
    for client in [&other, &plain] {
        let response = post(
            &app,
            client,
            "/annuaire/les-courses-asteur/modifier",
            &[("name", "Piraté")],
        )
        .await;
        assert_eq!(response.status(), 403);
        let edit_page = client
            .get(app.url("/annuaire/les-courses-asteur/modifier"))
            .send()
            .await
            .unwrap();
        assert_eq!(edit_page.status(), 403);
    }
    let anonymous = post(
        &app,
        &app.browser(),
        "/annuaire/les-courses-asteur/modifier",
        &[("name", "Piraté")],
    )
    .await;
    assert!(location(&anonymous).starts_with("/connexion"));
    let name: String =
        sqlx::query_scalar("SELECT name FROM structures WHERE slug = 'les-courses-asteur'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(name, "Les Courses Asteur", "nothing changed");
}

async fn admin_manages_roles_and_disables_accounts(app: TestApp) {
    let admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let lea = member(&app, "lea@exemple.fr", None).await;
    let listing = page(&app, &admin, "/admin/utilisateurs?q=LEA").await;
    assert!(listing.contains("lea@exemple.fr") && !listing.contains(demo::MANAGER_EMAIL));
    let all = page(&app, &admin, "/admin/utilisateurs").await;
    assert!(
        all.contains("Les Courses Asteur"),
        "a user's entries are shown"
    );

    let lea_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'lea@exemple.fr'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let promoted = post(
        &app,
        &admin,
        &format!("/admin/utilisateurs/{lea_id}/role"),
        &[("role", "admin")],
    )
    .await;
    assert_eq!(
        location(&promoted),
        "/admin/utilisateurs?message=admin-ajoute"
    );
    assert_eq!(
        lea.get(app.url("/admin/utilisateurs"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "Léa is admin now"
    );
    post(
        &app,
        &admin,
        &format!("/admin/utilisateurs/{lea_id}/role"),
        &[("role", "membre")],
    )
    .await;
    assert_eq!(
        lea.get(app.url("/admin/utilisateurs"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let disabled = post(
        &app,
        &admin,
        &format!("/admin/utilisateurs/{lea_id}/statut"),
        &[("status", "desactive")],
    )
    .await;
    assert_eq!(
        location(&disabled),
        "/admin/utilisateurs?message=compte-desactive"
    );
    assert!(
        page(&app, &lea, "/compte")
            .await
            .contains("Connectez-vous pour voir votre compte"),
        "session ended"
    );
    let again = post(
        &app,
        &app.browser(),
        "/connexion",
        &[("email", "lea@exemple.fr"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(again.status(), 401, "disabled accounts cannot log in");

    // Admins cannot lock themselves out; members cannot use the admin forms.
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let itself = post(
        &app,
        &admin,
        &format!("/admin/utilisateurs/{admin_id}/statut"),
        &[("status", "desactive")],
    )
    .await;
    assert_eq!(itself.status(), 409);
    assert!(
        main_of(&itself.text().await.unwrap())
            .contains("Vous ne pouvez pas retirer vos propres droits"),
        "the admin page says why"
    );
    assert_eq!(
        admin
            .get(app.url("/admin/utilisateurs"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let forbidden = post(
        &app,
        &manager,
        &format!("/admin/utilisateurs/{admin_id}/role"),
        &[("role", "membre")],
    )
    .await;
    assert_eq!(forbidden.status(), 403);
}

async fn active_admins(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT id FROM users WHERE site_role = 1 AND disabled_at IS NULL ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

/// Two admins demoting each other at the same moment: one wins, the site keeps an admin. The
/// last admin cannot delete their account either.
async fn the_site_always_keeps_an_active_admin(app: TestApp) {
    let hash = password::hash(PASSWORD.to_owned()).await.unwrap();
    let second = accounts::create_user(
        &app.db,
        accounts::NewUser {
            email: "seconde.admin@exemple.fr",
            name: "Seconde Admin",
            password_hash: &hash,
            verified: true,
            role: dessine::features::accounts::SiteRole::Admin,
        },
    )
    .await
    .unwrap()
    .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    for round in 0..6 {
        let a = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
        let b = log_in(&app, "seconde.admin@exemple.fr", PASSWORD).await;
        let (path_a, path_b) = (
            format!("/admin/utilisateurs/{second}/role"),
            format!("/admin/utilisateurs/{first}/role"),
        );
        let (ra, rb) = tokio::join!(
            post(&app, &a, &path_a, &[("role", "membre")]),
            post(&app, &b, &path_b, &[("role", "membre")]),
        );
        let statuses = [ra.status().as_u16(), rb.status().as_u16()];
        let admins = active_admins(&app).await;
        assert_eq!(
            admins.len(),
            1,
            "round {round}: {statuses:?} left {admins:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 303).count(),
            1,
            "round {round}: exactly one demotion succeeds, the other is refused: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| [303, 403, 409].contains(s)),
            "{statuses:?}"
        );
        // The survivor names the other admin again for the next round.
        let survivor = if admins[0] == first { &a } else { &b };
        let other = if admins[0] == first { second } else { first };
        let restored = post(
            &app,
            survivor,
            &format!("/admin/utilisateurs/{other}/role"),
            &[("role", "admin")],
        )
        .await;
        assert_eq!(restored.status(), 303);
    }
    // Alone again: the last admin cannot delete their own account.
    let a = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let demoted = post(
        &app,
        &a,
        &format!("/admin/utilisateurs/{second}/role"),
        &[("role", "membre")],
    )
    .await;
    assert_eq!(demoted.status(), 303);
    let deleted = post(
        &app,
        &a,
        "/compte/supprimer",
        &[("confirm_password", demo::ADMIN_PASSWORD)],
    )
    .await;
    assert_eq!(deleted.status(), 422);
    assert!(main_of(&deleted.text().await.unwrap()).contains("dernier administrateur actif"));
    assert_eq!(active_admins(&app).await, [first]);
}

on_both_databases!(
    the_site_always_keeps_an_active_admin,
    member_asks_manager_approves_member_edits,
    other_managers_and_members_cannot_edit,
    admin_manages_roles_and_disables_accounts,
);
