//! Clubs over HTTP, posted as a browser without JavaScript does and through the server functions
//! as the page's island does, on both databases: the public pages and the directory's club
//! filter, every membership transition with its history and mails, refusals of what no longer
//! applies, the last-admin rule, concurrent decisions, e-mail invitations, hostile input, and
//! club meetings seen only by the club's members (page, list, calendar feed).
#![cfg(feature = "ssr")]

use crate::common;

use common::{
    TestApp, create_member, create_structure, decoded, location, log_in, main_of, page, post,
};
use dessine::features::accounts::demo;

const PASSWORD: &str = common::MEMBER_PASSWORD;
const CLUB: &str = "club-de-l-ess-du-dunkerquois";
const ARTOIS: &str = "club-des-entrepreneurs-de-l-ess-d-artois";

fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    app.mails()
        .iter()
        .map(|m| decoded(m))
        .filter(|m| m.contains(&format!("To: {to}")))
        .collect()
}

async fn status_of(app: &TestApp, club: &str, structure: i64) -> Option<String> {
    sqlx::query_scalar(
        "SELECT m.status FROM club_members m JOIN clubs c ON c.id = m.club_id \
         WHERE c.slug = $1 AND m.structure_id = $2",
    )
    .bind(club)
    .bind(structure)
    .fetch_optional(&app.db.pool)
    .await
    .unwrap()
}

async fn structure_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The club's history, oldest first: `(actor, action, structure or person, reason)`.
async fn history(app: &TestApp, club: &str) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "SELECT h.actor_name, h.action, CASE WHEN h.subject_name = '' THEN h.structure_name ELSE h.subject_name END, h.reason \
         FROM club_history h JOIN clubs c ON c.id = h.club_id WHERE c.slug = $1 ORDER BY h.id",
    )
    .bind(club)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

/// Posts to a server function as the island does; `(status, JSON answer)`.
async fn api(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.url(path))
        .header("origin", &app.base)
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

async fn sophie(app: &TestApp) -> reqwest::Client {
    log_in(app, demo::CLUB_ADMIN_EMAIL, demo::CLUB_ADMIN_PASSWORD).await
}

async fn public_pages_and_the_directory(app: TestApp) {
    let (status, list) = app.get_text("/clubs").await;
    assert_eq!(status, 200);
    let list = main_of(&list);
    assert!(
        list.contains("Club de l&#x27;ESS du dunkerquois")
            || list.contains("Club de l'ESS du dunkerquois")
    );
    assert!(list.contains("14 structures membres"), "{list}");
    assert!(list.contains("18 structures membres"), "{list}");

    let (status, html) = app.get_text(&format!("/clubs/{CLUB}")).await;
    assert_eq!(status, 200);
    let main = main_of(&html);
    assert!(main.contains("La charte"));
    assert!(main.contains("href=\"/annuaire/les-courses-asteur\""));
    assert!(main.contains("href=\"/annuaire/les-papillons-blancs-de-dunkerque\""));
    // The coming meeting is for members: a visitor neither sees it nor may invite.
    assert!(!main.contains("Réunion trimestrielle"), "{main}");
    assert!(!main.contains("id=\"inviter\""));
    assert!(main.contains("Connectez-vous"));
    // A manager of a member structure sees it, and may invite.
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let member_view = page(&app, &karim, &format!("/clubs/{CLUB}")).await;
    let member_view = main_of(&member_view);
    assert!(member_view.contains("Réunion trimestrielle"));
    assert!(member_view.contains("id=\"inviter\""));
    assert!(member_view.contains("Quitter le club"));
    assert!(!member_view.contains("Gérer les membres"));
    assert!(
        main_of(&page(&app, &sophie(&app).await, &format!("/clubs/{CLUB}")).await)
            .contains("Gérer les membres")
    );
    // The invitation search finds structures outside the club only.
    let search = page(&app, &karim, &format!("/clubs/{CLUB}?inviter=ressourcerie")).await;
    assert!(
        !main_of(&search).contains("Ressourcerie du Dunkerquois"),
        "pending requests are not proposed"
    );
    let search = page(&app, &karim, &format!("/clubs/{CLUB}?inviter=reseau")).await;
    assert!(main_of(&search).contains("Réseau Alliances"));
    let search = page(&app, &karim, &format!("/clubs/{CLUB}?inviter=papillons")).await;
    assert!(
        !main_of(&search).contains("value=\"Inviter"),
        "members are not proposed"
    );
    // A visitor's search is ignored.
    let (_, anonymous_search) = app.get_text(&format!("/clubs/{CLUB}?inviter=reseau")).await;
    assert!(!main_of(&anonymous_search).contains("Réseau Alliances"));

    // The structure's page lists its clubs; the directory filters by club.
    let (_, entry) = app.get_text("/annuaire/les-courses-asteur").await;
    assert!(main_of(&entry).contains(&format!("href=\"/clubs/{CLUB}\"")));
    let (_, filtered) = app.get_text(&format!("/annuaire?club={CLUB}")).await;
    let filtered = main_of(&filtered);
    assert!(filtered.contains("14 structures"), "{filtered}");
    assert!(filtered.contains("Club : Club de l"));
    let (_, with_words) = app
        .get_text(&format!("/annuaire?club={CLUB}&q=papillons"))
        .await;
    assert!(main_of(&with_words).contains("1 structure"));
    let (status, unknown) = app.get_text("/annuaire?club=club-inconnu").await;
    assert_eq!(status, 200);
    assert!(main_of(&unknown).contains("Aucune structure trouvée"));
    let (status, _) = app.get_text("/clubs/club-inconnu").await;
    assert_eq!(status, 404);
}

async fn request_approval_history_and_mails(app: TestApp) {
    let applicant = create_member(&app, "candidate@exemple.fr", None).await;
    let structure = create_structure(&app, "Recyclerie des Dunes").await;
    common::make_manager(&app, applicant, structure).await;
    let client = log_in(&app, "candidate@exemple.fr", PASSWORD).await;
    let id = structure.to_string();
    let response = post(
        &app,
        &client,
        &format!("/clubs/{CLUB}/adhesion"),
        &[
            ("slug", CLUB),
            ("structure", &id),
            ("message", "Nous réparons des vélos <b>solidaires</b>."),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?message=demande-envoyee")
    );
    assert_eq!(
        status_of(&app, CLUB, structure).await.as_deref(),
        Some("requested")
    );
    let mail = mails_to(&app, demo::CLUB_ADMIN_EMAIL);
    assert!(mail.last().unwrap().contains("Recyclerie des Dunes"));
    assert!(
        mail.last()
            .unwrap()
            .contains(&format!("/clubs/{CLUB}/membres"))
    );
    // The page says the request waits; the message is shown escaped to the admins.
    let own = page(
        &app,
        &client,
        &format!("/clubs/{CLUB}?message=demande-envoyee"),
    )
    .await;
    assert!(main_of(&own).contains("attend la réponse des administrateurs"));
    let admin = sophie(&app).await;
    let management = page(&app, &admin, &format!("/clubs/{CLUB}/membres")).await;
    let management = main_of(&management);
    assert!(management.contains("Recyclerie des Dunes"));
    assert!(management.contains("&lt;b&gt;solidaires&lt;/b&gt;"));
    assert!(!management.contains("<b>solidaires"));

    let response = post(
        &app,
        &admin,
        &format!("/clubs/{CLUB}/membres/decision"),
        &[
            ("slug", CLUB),
            ("structure", &id),
            ("decision", "approuver"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}/membres?message=approuvee")
    );
    assert_eq!(
        status_of(&app, CLUB, structure).await.as_deref(),
        Some("active")
    );
    assert!(
        mails_to(&app, "candidate@exemple.fr")
            .last()
            .unwrap()
            .contains("est maintenant membre du club")
    );
    let lines = history(&app, CLUB).await;
    let tail: Vec<(&str, &str)> = lines[lines.len() - 2..]
        .iter()
        .map(|(actor, action, _, _)| (actor.as_str(), action.as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            ("Membre Test", "requested"),
            ("Sophie Animatrice", "approved")
        ]
    );
    assert!(
        lines
            .iter()
            .rev()
            .take(2)
            .all(|(_, _, target, _)| target == "Recyclerie des Dunes")
    );
    // Public at once: the club's page, the entry's page, the directory filter.
    let (_, club_page) = app.get_text(&format!("/clubs/{CLUB}")).await;
    assert!(main_of(&club_page).contains("15 structures membres"));
    let (_, filtered) = app.get_text(&format!("/annuaire?club={CLUB}")).await;
    assert!(main_of(&filtered).contains("15 structures"));

    // The member leaves (its manager's own step), then asks again: a new cycle.
    let response = post(
        &app,
        &client,
        &format!("/clubs/{CLUB}/depart"),
        &[("slug", CLUB), ("structure", &id)],
    )
    .await;
    assert_eq!(location(&response), format!("/clubs/{CLUB}?message=depart"));
    assert_eq!(
        status_of(&app, CLUB, structure).await.as_deref(),
        Some("left")
    );
    let (status, _) = api(
        &app,
        &client,
        "/api/clubs/adherer",
        &[("slug", CLUB), ("structure", &id), ("message", "")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        status_of(&app, CLUB, structure).await.as_deref(),
        Some("requested")
    );
    // Declined, with a reason the structure receives.
    let (status, answer) = api(
        &app,
        &admin,
        "/api/clubs/decider",
        &[
            ("slug", CLUB),
            ("structure", &id),
            ("decision", "decliner"),
            ("reason", "Le club est complet cette année."),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["message"], "La demande a été déclinée.");
    assert_eq!(
        status_of(&app, CLUB, structure).await.as_deref(),
        Some("declined")
    );
    assert!(
        mails_to(&app, "candidate@exemple.fr")
            .last()
            .unwrap()
            .contains("Le club est complet cette année.")
    );
    let actions: Vec<String> = history(&app, CLUB).await.into_iter().map(|l| l.1).collect();
    assert_eq!(
        &actions[actions.len() - 4..],
        ["approved", "left", "requested", "declined"]
    );
}

async fn invitations_are_answered_by_the_invited_side(app: TestApp) {
    // The demo: Les Courses Asteur invited to the Artois club.
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let asteur = structure_id(&app, "les-courses-asteur").await;
    let view = page(&app, &karim, &format!("/clubs/{ARTOIS}")).await;
    assert!(main_of(&view).contains("Accepter l'invitation"));
    let id = asteur.to_string();
    // Someone else cannot answer in its place.
    let other = {
        create_member(&app, "intrus@exemple.fr", Some("work-co")).await;
        log_in(&app, "intrus@exemple.fr", PASSWORD).await
    };
    let (status, _) = api(
        &app,
        &other,
        "/api/clubs/repondre",
        &[("slug", ARTOIS), ("structure", &id), ("answer", "accepter")],
    )
    .await;
    assert_eq!(status, 403);
    let response = post(
        &app,
        &karim,
        &format!("/clubs/{ARTOIS}/reponse"),
        &[("slug", ARTOIS), ("structure", &id), ("answer", "accepter")],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{ARTOIS}?message=bienvenue")
    );
    assert_eq!(
        status_of(&app, ARTOIS, asteur).await.as_deref(),
        Some("active")
    );
    assert!(
        mails_to(&app, demo::ARTOIS_ADMIN_EMAIL)
            .last()
            .unwrap()
            .contains("a accepté l'invitation")
    );
    // Answering twice: told what happened.
    let (status, answer) = api(
        &app,
        &karim,
        "/api/clubs/repondre",
        &[("slug", ARTOIS), ("structure", &id), ("answer", "decliner")],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("Karim Gérant a accepté l'invitation pour Les Courses Asteur"),
        "{answer}"
    );

    // A member invites a structure of the directory; its managers are told and decline.
    let invited = create_structure(&app, "Atelier Vélo Solidaire").await;
    let manager = create_member(&app, "velo@exemple.fr", None).await;
    common::make_manager(&app, manager, invited).await;
    let invited_id = invited.to_string();
    let response = post(
        &app,
        &karim,
        &format!("/clubs/{CLUB}/invitations"),
        &[
            ("slug", CLUB),
            ("structure", &invited_id),
            ("message", "Rejoignez-nous"),
            ("retour", &format!("/clubs/{CLUB}?inviter=velo")),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?inviter=velo&message=invitation-envoyee")
    );
    assert_eq!(
        status_of(&app, CLUB, invited).await.as_deref(),
        Some("invited")
    );
    assert!(
        mails_to(&app, "velo@exemple.fr")
            .last()
            .unwrap()
            .contains("Karim Gérant invite Atelier Vélo Solidaire")
    );
    assert!(
        mails_to(&app, demo::CLUB_ADMIN_EMAIL)
            .last()
            .unwrap()
            .contains("a invité Atelier Vélo Solidaire")
    );
    // An off-site `retour` is not followed.
    let again = create_structure(&app, "Épicerie Solidaire du Port").await;
    let (_, answer) = api(
        &app,
        &karim,
        "/api/clubs/inviter",
        &[
            ("slug", CLUB),
            ("structure", &again.to_string()),
            ("retour", "//evil.example/x"),
        ],
    )
    .await;
    assert_eq!(
        answer["location"],
        format!("/clubs/{CLUB}?message=invitation-sans-gerant")
    );
    // Inviting again, or a structure that asked already: told so.
    let (status, answer) = api(
        &app,
        &karim,
        "/api/clubs/inviter",
        &[("slug", CLUB), ("structure", &invited_id)],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("a déjà été invitée")
    );
    let ressourcerie = structure_id(&app, "ressourcerie-du-dunkerquois")
        .await
        .to_string();
    let (status, answer) = api(
        &app,
        &karim,
        "/api/clubs/inviter",
        &[("slug", CLUB), ("structure", &ressourcerie)],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("a déjà demandé")
    );
    // An admin may not accept in the invited side's place, only withdraw.
    let admin = sophie(&app).await;
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/decider",
        &[
            ("slug", CLUB),
            ("structure", &invited_id),
            ("decision", "approuver"),
        ],
    )
    .await;
    assert_eq!(status, 409);
    let velo = log_in(&app, "velo@exemple.fr", PASSWORD).await;
    let response = post(
        &app,
        &velo,
        &format!("/clubs/{CLUB}/reponse"),
        &[
            ("slug", CLUB),
            ("structure", &invited_id),
            ("answer", "decliner"),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?message=invitation-refusee")
    );
    assert_eq!(
        status_of(&app, CLUB, invited).await.as_deref(),
        Some("declined")
    );
    // Asking to join while invited is accepting.
    let (status, _) = api(
        &app,
        &karim,
        "/api/clubs/inviter",
        &[("slug", CLUB), ("structure", &invited_id)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, answer) = api(
        &app,
        &velo,
        "/api/clubs/adherer",
        &[("slug", CLUB), ("structure", &invited_id)],
    )
    .await;
    assert_eq!(
        (status, answer["message"].as_str().unwrap()),
        (200, "Votre structure est maintenant membre du club.")
    );
    assert_eq!(
        status_of(&app, CLUB, invited).await.as_deref(),
        Some("active")
    );
    // A member of another structure may not invite; nor may a visitor.
    let (status, _) = api(
        &app,
        &other,
        "/api/clubs/inviter",
        &[("slug", ARTOIS), ("structure", &invited_id)],
    )
    .await;
    assert_eq!(status, 403);
}

/// Issue 27, finding 3: after the admins remove a structure, another member's invitation does
/// not bring it back; the admins' own invitation does.
async fn a_removed_structure_comes_back_only_by_the_admins(app: TestApp) {
    let admin = sophie(&app).await;
    let work_co = structure_id(&app, "work-co").await;
    let id = work_co.to_string();
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/retirer",
        &[
            ("slug", CLUB),
            ("structure", &id),
            ("reason", "Aucune participation."),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        status_of(&app, CLUB, work_co).await.as_deref(),
        Some("removed")
    );
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let (status, answer) = api(
        &app,
        &karim,
        "/api/clubs/inviter",
        &[("slug", CLUB), ("structure", &id)],
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("retirée du club par ses administrateurs"),
        "{answer}"
    );
    assert_eq!(
        status_of(&app, CLUB, work_co).await.as_deref(),
        Some("removed")
    );
    // Nor does a member's invitation by mail, used by the structure's manager.
    create_member(&app, "gerant-work@exemple.fr", Some("work-co")).await;
    post(
        &app,
        &karim,
        &format!("/clubs/{CLUB}/invitations/courriel"),
        &[
            ("slug", CLUB),
            ("email", "gerant-work@exemple.fr"),
            ("message", ""),
        ],
    )
    .await;
    let mail = mails_to(&app, "gerant-work@exemple.fr")
        .pop()
        .expect("the invitation mail");
    let marker = "/clubs/invitation?jeton=";
    let start = mail.find(marker).unwrap() + marker.len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let manager = log_in(&app, "gerant-work@exemple.fr", PASSWORD).await;
    let joined = post(
        &app,
        &manager,
        "/clubs/invitation",
        &[("token", &token), ("structure", &id)],
    )
    .await;
    assert_eq!(joined.status(), 409);
    assert!(
        joined
            .text()
            .await
            .unwrap()
            .contains("retirée du club par ses administrateurs")
    );
    assert_eq!(
        status_of(&app, CLUB, work_co).await.as_deref(),
        Some("removed")
    );
    // The admins may invite it back.
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/inviter",
        &[("slug", CLUB), ("structure", &id)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        status_of(&app, CLUB, work_co).await.as_deref(),
        Some("invited")
    );
}

async fn removal_needs_a_reason(app: TestApp) {
    let admin = sophie(&app).await;
    let work_co = structure_id(&app, "work-co").await.to_string();
    create_member(&app, "work@exemple.fr", Some("work-co")).await;
    let path = format!("/clubs/{CLUB}/membres/retrait");
    let response = post(
        &app,
        &admin,
        &path,
        &[("slug", CLUB), ("structure", &work_co), ("reason", "   ")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    let main = main_of(&html);
    // The message stands next to that row's reason field, and the page is the membership page.
    assert!(
        main.contains(&format!("id=\"motif-retrait-{work_co}-erreur\"")),
        "{main}"
    );
    assert!(main.contains("Indiquez la raison du retrait"));
    assert_eq!(
        status_of(&app, CLUB, work_co.parse().unwrap())
            .await
            .as_deref(),
        Some("active")
    );
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/retirer",
        &[
            ("slug", CLUB),
            ("structure", &work_co),
            ("reason", &"x".repeat(2001)),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let response = post(
        &app,
        &admin,
        &path,
        &[
            ("slug", CLUB),
            ("structure", &work_co),
            ("reason", "Aucune participation depuis deux ans."),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}/membres?message=retiree")
    );
    assert_eq!(
        status_of(&app, CLUB, work_co.parse().unwrap())
            .await
            .as_deref(),
        Some("removed")
    );
    assert!(
        mails_to(&app, "work@exemple.fr")
            .last()
            .unwrap()
            .contains("Aucune participation depuis deux ans.")
    );
    let last = history(&app, CLUB).await.pop().unwrap();
    assert_eq!(
        (last.1.as_str(), last.2.as_str(), last.3.as_str()),
        (
            "removed",
            "Work&Co",
            "Aucune participation depuis deux ans."
        )
    );
    // Removed twice: told so.
    let (status, answer) = api(
        &app,
        &admin,
        "/api/clubs/retirer",
        &[
            ("slug", CLUB),
            ("structure", &work_co),
            ("reason", "encore"),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("n'est pas membre du club")
    );
    // Hostile values are refused, never a server error.
    for structure in ["abc", "", "-1", "99999999", "1;DROP TABLE clubs"] {
        let (status, _) = api(
            &app,
            &admin,
            "/api/clubs/retirer",
            &[("slug", CLUB), ("structure", structure), ("reason", "x")],
        )
        .await;
        assert!((400..500).contains(&status), "{structure}: {status}");
        let response = post(
            &app,
            &admin,
            &path,
            &[("slug", CLUB), ("structure", structure), ("reason", "x")],
        )
        .await;
        assert!(
            (400..500).contains(&response.status().as_u16()),
            "{structure}"
        );
    }
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/decider",
        &[
            ("slug", CLUB),
            ("structure", &work_co),
            ("decision", "<script>"),
        ],
    )
    .await;
    assert!((400..500).contains(&status));
}

async fn the_last_admin_stays(app: TestApp) {
    let admin = sophie(&app).await;
    let sophie_id = user_id(&app, demo::CLUB_ADMIN_EMAIL).await.to_string();
    let karim_id = user_id(&app, demo::MANAGER_EMAIL).await.to_string();
    let admins = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT u.email FROM club_admins a JOIN users u ON u.id = a.user_id JOIN clubs c ON c.id = a.club_id \
                 WHERE c.slug = $1 ORDER BY u.email",
            )
            .bind(CLUB)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let path = format!("/clubs/{CLUB}/membres/administrateurs");
    // Alone, Sophie cannot step down, nor take her structure out of the club.
    let response = post(
        &app,
        &admin,
        &path,
        &[("slug", CLUB), ("user", &sophie_id), ("change", "retirer")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("au moins un administrateur")
    );
    // Nor delete her account, nor be disabled by a site admin.
    let response = post(
        &app,
        &admin,
        "/compte/supprimer",
        &[("confirm_password", demo::CLUB_ADMIN_PASSWORD)],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("la dernière personne à administrer le club")
    );
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let (status, answer) = api(
        &app,
        &site_admin,
        "/api/admin/utilisateurs/statut",
        &[("user", &sophie_id), ("status", "desactive")],
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(
        user_id(&app, demo::CLUB_ADMIN_EMAIL).await.to_string(),
        sophie_id
    );
    let entreprendre = structure_id(&app, "entreprendre-ensemble").await;
    let (status, answer) = api(
        &app,
        &admin,
        "/api/clubs/quitter",
        &[("slug", CLUB), ("structure", &entreprendre.to_string())],
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(
        status_of(&app, CLUB, entreprendre).await.as_deref(),
        Some("active")
    );
    assert_eq!(admins(&app).await, [demo::CLUB_ADMIN_EMAIL]);
    // Only a representative of a member structure may be made admin.
    let outsider = create_member(&app, "dehors@exemple.fr", Some("reseau-alliances"))
        .await
        .to_string();
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/administrateurs",
        &[("slug", CLUB), ("user", &outsider), ("change", "nommer")],
    )
    .await;
    assert_eq!(status, 409);
    // Karim becomes admin; then Sophie may step down.
    let response = post(
        &app,
        &admin,
        &path,
        &[("slug", CLUB), ("user", &karim_id), ("change", "nommer")],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}/membres?message=admin-nomme")
    );
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/administrateurs",
        &[("slug", CLUB), ("user", &karim_id), ("change", "nommer")],
    )
    .await;
    assert_eq!(status, 409, "twice");
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/administrateurs",
        &[("slug", CLUB), ("user", &sophie_id), ("change", "retirer")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(admins(&app).await, [demo::MANAGER_EMAIL]);
    // Sophie is no longer admin: the membership page and its actions are closed to her.
    let (status, _) = api(&app, &admin, "/api/clubs/membres", &[("slug", CLUB)]).await;
    assert_eq!(status, 403);
    // Karim's structure cannot leave while he is the only admin.
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let asteur = structure_id(&app, "les-courses-asteur").await.to_string();
    let (status, _) = api(
        &app,
        &karim,
        "/api/clubs/quitter",
        &[("slug", CLUB), ("structure", &asteur)],
    )
    .await;
    assert_eq!(status, 409);
    // With Sophie back as admin, his structure leaves and he loses the role with it.
    let (status, _) = api(
        &app,
        &karim,
        "/api/clubs/administrateurs",
        &[("slug", CLUB), ("user", &sophie_id), ("change", "nommer")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = api(
        &app,
        &karim,
        "/api/clubs/quitter",
        &[("slug", CLUB), ("structure", &asteur)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(admins(&app).await, [demo::CLUB_ADMIN_EMAIL]);
    let last: Vec<(String, String)> = history(&app, CLUB)
        .await
        .into_iter()
        .rev()
        .take(2)
        .map(|l| (l.1, l.2))
        .collect();
    assert_eq!(
        last,
        [
            ("admin-removed".to_owned(), "Karim Gérant".to_owned()),
            ("left".to_owned(), "Les Courses Asteur".to_owned())
        ]
    );
    // Two admins each taking the other's role at the same moment: one stays.
    create_member(
        &app,
        "entreprendre@exemple.fr",
        Some("entreprendre-ensemble"),
    )
    .await;
    let (status, _) = api(
        &app,
        &admin,
        "/api/clubs/administrateurs",
        &[
            ("slug", CLUB),
            (
                "user",
                &user_id(&app, "entreprendre@exemple.fr").await.to_string(),
            ),
            ("change", "nommer"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let second = log_in(&app, "entreprendre@exemple.fr", PASSWORD).await;
    let second_id = user_id(&app, "entreprendre@exemple.fr").await.to_string();
    let revoke_second = [
        ("slug", CLUB),
        ("user", second_id.as_str()),
        ("change", "retirer"),
    ];
    let revoke_sophie = [
        ("slug", CLUB),
        ("user", sophie_id.as_str()),
        ("change", "retirer"),
    ];
    let (one, two) = tokio::join!(
        api(&app, &admin, "/api/clubs/administrateurs", &revoke_second),
        api(&app, &second, "/api/clubs/administrateurs", &revoke_sophie),
    );
    let successes = [one.0, two.0].iter().filter(|s| **s == 200).count();
    assert!(successes <= 1, "{one:?} {two:?}");
    assert_eq!(admins(&app).await.len(), 1, "{one:?} {two:?}");
}

async fn concurrent_decisions_end_in_one_state(app: TestApp) {
    let sophie = sophie(&app).await;
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let ressourcerie = structure_id(&app, "ressourcerie-du-dunkerquois").await;
    let id = ressourcerie.to_string();
    let before = history(&app, CLUB).await.len();
    let decisions = [
        "approuver",
        "decliner",
        "approuver",
        "decliner",
        "approuver",
        "decliner",
    ];
    let calls = decisions.iter().enumerate().map(|(i, decision)| {
        let client = if i % 2 == 0 { &sophie } else { &site_admin };
        let app = &app;
        let id = id.clone();
        async move {
            api(
                app,
                client,
                "/api/clubs/decider",
                &[("slug", CLUB), ("structure", &id), ("decision", decision)],
            )
            .await
        }
    });
    let answers = futures::future::join_all(calls).await;
    let won: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 200)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    let lost: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 409)
        .collect();
    assert_eq!(lost.len(), decisions.len() - 1, "{answers:?}");
    let status = status_of(&app, CLUB, ressourcerie).await.unwrap();
    let lines = history(&app, CLUB).await;
    assert_eq!(lines.len(), before + 1, "one decision recorded");
    let (actor, action, _, _) = lines.last().unwrap();
    assert_eq!(
        (status.as_str(), action.as_str()),
        if won[0].1["message"] == "La structure est maintenant membre du club." {
            ("active", "approved")
        } else {
            ("declined", "declined")
        }
    );
    // Each loser is told who decided what, and when.
    for (_, answer) in lost {
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.starts_with("Cette demande a déjà été traitée : "),
            "{message}"
        );
        assert!(
            message.contains(actor.as_str()) && message.contains("Ressourcerie du Dunkerquois"),
            "{message}"
        );
    }
}

async fn email_invitations(app: TestApp) {
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let path = format!("/clubs/{CLUB}/invitations/courriel");
    let response = post(
        &app,
        &karim,
        &path,
        &[
            ("slug", CLUB),
            ("email", "Pas une adresse"),
            ("message", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("value=\"Pas une adresse\""),
        "the typed value is kept"
    );
    let response = post(
        &app,
        &karim,
        &path,
        &[
            ("slug", CLUB),
            ("email", "Nouvelle@Asso.example"),
            ("message", "Bienvenue !"),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?message=invitation-courriel")
    );
    let mail = mails_to(&app, "nouvelle@asso.example")
        .pop()
        .expect("the invitation mail");
    let marker = "/clubs/invitation?jeton=";
    let start = mail.find(marker).unwrap() + marker.len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let link = format!("/clubs/invitation?jeton={token}");
    // A visitor is asked to log in first.
    let (status, html) = app.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(main_of(&html).contains("Se connecter"));
    let (status, _) = app.get_text("/clubs/invitation?jeton=forge").await;
    assert_eq!(status, 400);
    create_member(&app, "nouvelle@asso.example", None).await;
    let newcomer = log_in(&app, "nouvelle@asso.example", PASSWORD).await;
    let form = page(&app, &newcomer, &link).await;
    assert!(main_of(&form).contains("Rejoindre le club"));
    // Bad input keeps what was typed and names each field.
    let response = post(
        &app,
        &newcomer,
        "/clubs/invitation",
        &[
            ("token", &token),
            ("structure", "nouvelle"),
            ("name", "<script>alert(1)</script>"),
            ("legal_form", "sarl"),
            ("commune", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Choisissez la forme juridique dans la liste."));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && !html.contains("<script>alert(1)")
    );
    let response = post(
        &app,
        &newcomer,
        "/clubs/invitation",
        &[
            ("token", &token),
            ("structure", "nouvelle"),
            ("name", "Les Jardins du Port"),
            ("legal_form", "association"),
            ("commune", "gravelines"),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?message=fiche-a-verifier")
    );
    let created = structure_id(&app, "les-jardins-du-port").await;
    // The side door is closed: the new entry waits, unpublished, for a moderator; it shows
    // neither in the directory nor on the club's page.
    let status: String = sqlx::query_scalar("SELECT status FROM structures WHERE id = $1")
        .bind(created)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "draft");
    let (_, club_page) = app.get_text(&format!("/clubs/{CLUB}")).await;
    assert!(!club_page.contains("Les Jardins du Port"));
    let (status, _) = app.get_text("/annuaire/les-jardins-du-port").await;
    assert_eq!(status, 404);
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    assert!(
        page(&app, &site_admin, "/moderation")
            .await
            .contains("Les Jardins du Port")
    );
    let published = post(
        &app,
        &site_admin,
        "/annuaire/les-jardins-du-port/administration/publication",
        &[("slug", "les-jardins-du-port"), ("publication", "publier")],
    )
    .await;
    assert_eq!(published.status(), 303);
    let (_, club_page) = app.get_text(&format!("/clubs/{CLUB}")).await;
    assert!(club_page.contains("Les Jardins du Port"));
    assert_eq!(
        status_of(&app, CLUB, created).await.as_deref(),
        Some("active")
    );
    assert!(
        main_of(&page(&app, &newcomer, &format!("/clubs/{CLUB}")).await)
            .contains("Quitter le club"),
        "the newcomer manages the new entry"
    );
    // The link works once.
    let response = post(
        &app,
        &newcomer,
        "/clubs/invitation",
        &[
            ("token", &token),
            ("structure", "nouvelle"),
            ("name", "Deuxième"),
            ("legal_form", "association"),
            ("commune", "dunkerque"),
        ],
    )
    .await;
    assert_eq!(response.status(), 400);
    let actions: Vec<String> = history(&app, CLUB)
        .await
        .into_iter()
        .rev()
        .take(3)
        .map(|l| l.1)
        .collect();
    assert_eq!(actions, ["accepted", "created", "invited-by-email"]);
}

async fn meetings_are_for_the_club_s_members(app: TestApp) {
    let meeting = "reunion-trimestrielle-du-club-de-l-ess-du-dunkerquois";
    let member = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    create_member(&app, "ailleurs@exemple.fr", Some("reseau-alliances")).await;
    let outsider = log_in(&app, "ailleurs@exemple.fr", PASSWORD).await;
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let visitor = app.browser();
    let status = |client: &reqwest::Client, path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    // The page.
    assert_eq!(status(&member, format!("/evenements/{meeting}")).await, 200);
    assert_eq!(
        status(&site_admin, format!("/evenements/{meeting}")).await,
        200
    );
    assert_eq!(
        status(&outsider, format!("/evenements/{meeting}")).await,
        404
    );
    let (_, visitor_page) = app.get_text(&format!("/evenements/{meeting}")).await;
    assert!(
        main_of(&visitor_page).contains("Connectez-vous")
            && !main_of(&visitor_page).contains("Point sur les projets")
    );
    // The list and the calendar feeds.
    for path in ["/evenements", "/evenements.ics"] {
        let seen = |html: String| html.contains("Réunion trimestrielle du Club");
        assert!(seen(page(&app, &member, path).await), "member, {path}");
        assert!(!seen(page(&app, &outsider, path).await), "outsider, {path}");
        assert!(!seen(page(&app, &visitor, path).await), "visitor, {path}");
    }
    assert_eq!(
        status(&member, format!("/evenements/{meeting}.ics")).await,
        200
    );
    assert_eq!(
        status(&outsider, format!("/evenements/{meeting}.ics")).await,
        404
    );
    assert_eq!(
        status(&visitor, format!("/evenements/{meeting}.ics")).await,
        404
    );
    // Registering: members from the club page's link; nobody else.
    let response = post(
        &app,
        &outsider,
        &format!("/evenements/{meeting}/inscription"),
        &[("slug", meeting)],
    )
    .await;
    assert_eq!(response.status(), 404);
    let response = post(
        &app,
        &member,
        &format!("/evenements/{meeting}/inscription"),
        &[("slug", meeting)],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with(&format!("/evenements/{meeting}?message=")));
    let club_page = page(&app, &member, &format!("/clubs/{CLUB}")).await;
    assert!(main_of(&club_page).contains(&format!("href=\"/evenements/{meeting}\"")));
    // A club admin sets up a meeting for the club's members from the event form; someone who
    // does not run the club may not.
    let sophie = sophie(&app).await;
    let fields = |title: &'static str| {
        vec![
            ("title", title),
            ("kind", "reunion-club"),
            ("start_date", "2030-03-12"),
            ("start_time", "18:00"),
            ("end_time", "20:00"),
            ("place_name", "Entreprendre Ensemble"),
            ("commune", "dunkerque"),
            ("visibility", "club:club-de-l-ess-du-dunkerquois"),
        ]
    };
    let response = post(
        &app,
        &member,
        "/evenements/nouveau",
        &fields("Réunion pirate"),
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Choisissez un club que vous administrez.")
    );
    let response = post(
        &app,
        &sophie,
        "/evenements/nouveau",
        &fields("Réunion de printemps du club"),
    )
    .await;
    assert_eq!(response.status(), 303, "{:?}", location(&response));
    let spring = "reunion-de-printemps-du-club";
    assert_eq!(status(&member, format!("/evenements/{spring}")).await, 200);
    assert_eq!(
        status(&outsider, format!("/evenements/{spring}")).await,
        404
    );
    let edit = page(&app, &sophie, &format!("/evenements/{spring}/modifier")).await;
    assert!(
        edit.contains("value=\"club:club-de-l-ess-du-dunkerquois\" checked"),
        "the form shows the club"
    );
    assert!(
        main_of(&page(&app, &member, &format!("/clubs/{CLUB}")).await)
            .contains("Réunion de printemps du club")
    );

    // Once the structure leaves the club, the meeting is gone for its manager.
    let asteur = structure_id(&app, "les-courses-asteur").await.to_string();
    let (code, _) = api(
        &app,
        &sophie,
        "/api/clubs/retirer",
        &[("slug", CLUB), ("structure", &asteur), ("reason", "Test")],
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(status(&member, format!("/evenements/{meeting}")).await, 404);
    assert!(
        !page(&app, &member, "/evenements")
            .await
            .contains("Réunion trimestrielle du Club")
    );
}

async fn clubs_are_created_and_edited_in_the_page(app: TestApp) {
    let site_admin = log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let sophie = sophie(&app).await;
    let karim = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    // Only a site admin creates a club.
    let form = [
        ("name", "Club de l'ESS du Calaisis"),
        ("territory", "pas-de-calais"),
        (
            "description",
            "Un club <script>alert(1)</script> tout neuf.",
        ),
        ("charter", "S'entraider."),
        ("meetings", "Chaque mois."),
    ];
    let response = post(&app, &sophie, "/clubs/nouveau", &form).await;
    assert_eq!(response.status(), 403);
    let response = post(
        &app,
        &site_admin,
        "/clubs/nouveau",
        &[("name", "  "), ("territory", "lune"), ("charter", "Gardée")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Indiquez le nom du club.") && html.contains(">Gardée</textarea>"),
        "the typed charter is kept"
    );
    let response = post(
        &app,
        &site_admin,
        "/clubs/nouveau",
        &[("name", "Club lunaire"), ("territory", "lune")],
    )
    .await;
    assert_eq!(response.status(), 422, "an unknown territory");
    let response = post(&app, &site_admin, "/clubs/nouveau", &form).await;
    assert_eq!(
        location(&response),
        "/clubs/club-de-l-ess-du-calaisis?message=club-enregistre"
    );
    // Issue 27, finding 13: the page the save leads to says so.
    let (_, saved) = app
        .get_text("/clubs/club-de-l-ess-du-calaisis?message=club-enregistre")
        .await;
    assert!(main_of(&saved).contains("Le club a été enregistré."));
    let (status, html) = app.get_text("/clubs/club-de-l-ess-du-calaisis").await;
    assert_eq!(status, 200);
    let main = main_of(&html);
    assert!(
        main.contains("Pas-de-Calais")
            && (main.contains("S&#x27;entraider.") || main.contains("S'entraider."))
    );
    assert!(main.contains("&lt;script&gt;") && !main.contains("<script>alert"));
    // The same name again gets its own address; so would a name that reads « nouveau ».
    let response = post(&app, &site_admin, "/clubs/nouveau", &form).await;
    assert_eq!(
        location(&response),
        "/clubs/club-de-l-ess-du-calaisis-2?message=club-enregistre"
    );
    let response = post(&app, &site_admin, "/clubs/nouveau", &[("name", "Nouveau")]).await;
    assert_eq!(
        location(&response),
        "/clubs/nouveau-2?message=club-enregistre"
    );
    // A club's admin edits its charter; a member of the club may not.
    let path = format!("/clubs/{CLUB}/modifier");
    let edit = [
        ("slug", CLUB),
        ("name", "Club de l'ESS du dunkerquois"),
        ("territory", "communaute-urbaine-de-dunkerque"),
        ("description", "Présentation revue."),
        ("charter", "Charte revue."),
        ("meetings", "Chaque trimestre."),
    ];
    assert_eq!(post(&app, &karim, &path, &edit).await.status(), 403);
    assert!(!page(&app, &karim, &path).await.contains("Charte revue."));
    let form_page = page(&app, &sophie, &path).await;
    assert!(
        main_of(&form_page).contains("Les membres partagent leurs besoins"),
        "the form shows the charter"
    );
    let response = post(&app, &sophie, &path, &edit).await;
    assert_eq!(
        location(&response),
        format!("/clubs/{CLUB}?message=club-enregistre")
    );
    let (_, html) = app.get_text(&format!("/clubs/{CLUB}")).await;
    assert!(
        main_of(&html).contains("Charte revue.")
            && main_of(&html).contains("14 structures membres")
    );
}

on_both_databases!(
    a_removed_structure_comes_back_only_by_the_admins,
    clubs_are_created_and_edited_in_the_page,
    public_pages_and_the_directory,
    request_approval_history_and_mails,
    invitations_are_answered_by_the_invited_side,
    removal_needs_a_reason,
    the_last_admin_stays,
    concurrent_decisions_end_in_one_state,
    email_invitations,
    meetings_are_for_the_club_s_members,
);
