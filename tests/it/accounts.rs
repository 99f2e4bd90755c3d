//! Accounts over HTTP, posted the way a browser without JavaScript posts forms, on both
//! databases: sign-up, verification, login, logout, forgotten password, account page, the
//! enumeration rule, token expiry and reuse, rate limits, cookie flags, cross-origin refusal,
//! and who may call what.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, location, log_in, main_of, page, post};
use dessine::features::accounts::demo;

const PASSWORD: &str = "cheval agrafe batterie";

use common::decoded;

fn mails(app: &TestApp) -> Vec<String> {
    app.mails().iter().map(|m| decoded(m)).collect()
}

/// The token of the last mail whose link goes to `path`.
fn token_from_mails(app: &TestApp, path: &str) -> String {
    let marker = format!("{}{path}?token=", app.base);
    let mail = mails(app)
        .into_iter()
        .rev()
        .find(|m| m.contains(&marker))
        .unwrap_or_else(|| panic!("no mail with a {path} link"));
    let start = mail.find(&marker).unwrap() + marker.len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn sign_up_verify_log_in_and_out(app: TestApp) {
    let client = app.browser();
    let response = post(
        &app,
        &client,
        "/inscription",
        &[
            ("name", "Marie Dupont"),
            ("email", "Marie.Dupont@Exemple.fr"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/inscription?message=verifiez");
    assert!(
        page(&app, &client, "/inscription?message=verifiez")
            .await
            .contains("Consultez votre messagerie")
    );

    // Not verified yet: the password is right but the login is refused with a new link.
    let early = post(
        &app,
        &client,
        "/connexion",
        &[("email", "marie.dupont@exemple.fr"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(early.status(), 403);
    assert!(early.text().await.unwrap().contains("pas encore confirmée"));

    let token = token_from_mails(&app, "/verifier");
    assert!(token.len() >= 43, "at least 256 bits: {token}");
    let mail = mails(&app)
        .into_iter()
        .find(|m| m.contains("Confirmez votre adresse"))
        .unwrap();
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "two bodies"
    );
    let verified = post(&app, &client, "/verifier", &[("token", &token)]).await;
    assert_eq!(verified.status(), 303);
    // Confirming proves the mailbox, not the password: no session, the member logs in next.
    assert_eq!(location(&verified), "/connexion?message=adresse-confirmee");
    assert!(
        verified.headers().get("set-cookie").is_none(),
        "not logged in"
    );
    assert!(
        page(&app, &client, "/compte")
            .await
            .contains("Connectez-vous pour voir votre compte")
    );
    assert!(
        page(&app, &client, "/connexion?message=adresse-confirmee")
            .await
            .contains("Votre adresse est confirmée : connectez-vous")
    );
    let logged = post(
        &app,
        &client,
        "/connexion",
        &[("email", "marie.dupont@exemple.fr"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&logged), "/compte?message=connecte");
    let cookie = logged.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("dessine_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http base URL: {cookie}");

    let account = page(&app, &client, "/compte?message=connecte").await;
    assert!(account.contains("Vous êtes connecté."));
    assert!(
        account.contains("marie.dupont@exemple.fr"),
        "stored lower-cased"
    );
    assert!(
        account.contains("Marie Dupont") && account.contains("Déconnexion"),
        "header shows the member"
    );

    // The link is single use.
    let again = post(&app, &app.browser(), "/verifier", &[("token", &token)]).await;
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains("n'est plus valable"));

    let out = post(&app, &client, "/deconnexion", &[]).await;
    assert_eq!(out.status(), 303);
    let after = page(&app, &client, "/compte").await;
    assert!(after.contains("Connectez-vous pour voir votre compte"));
    assert!(after.contains(">Connexion</a>"));

    let client = log_in(&app, "MARIE.DUPONT@exemple.fr", PASSWORD).await;
    assert!(
        page(&app, &client, "/compte")
            .await
            .contains("Mes structures")
    );
}

async fn bad_sign_up_keeps_what_was_typed(app: TestApp) {
    let demo_accounts = app.count("users").await;
    let response = post(
        &app,
        &app.browser(),
        "/inscription",
        &[
            ("name", "  Jean  Martin "),
            ("email", "jean.martin@"),
            ("password", "azertyuiop"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("value=\"  Jean  Martin \"") || html.contains("value=\"  Jean  Martin \""),
        "name kept"
    );
    assert!(html.contains("value=\"jean.martin@\""), "e-mail kept");
    assert!(
        html.contains("n&#x27;a pas la bonne forme") || html.contains("n'a pas la bonne forme")
    );
    assert!(html.contains("plus courants"), "common password refused");
    assert!(
        !html.contains("azertyuiop"),
        "passwords are never sent back"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(
        app.count("users").await,
        demo_accounts,
        "only the demo accounts"
    );
}

async fn answers_do_not_reveal_which_emails_have_accounts(app: TestApp) {
    // Sign-up with a taken address: same answer, and the owner is told by mail.
    let taken = post(
        &app,
        &app.browser(),
        "/inscription",
        &[
            ("name", "Intrus"),
            ("email", demo::ADMIN_EMAIL),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(taken.status(), 303);
    assert_eq!(location(&taken), "/inscription?message=verifiez");
    assert!(mails(&app).iter().any(|m| m.contains("qui en a déjà un")));

    let unknown = post(
        &app,
        &app.browser(),
        "/connexion",
        &[("email", "personne@exemple.fr"), ("password", PASSWORD)],
    )
    .await;
    let wrong = post(
        &app,
        &app.browser(),
        "/connexion",
        &[("email", demo::ADMIN_EMAIL), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    let (unknown, wrong) = (unknown.text().await.unwrap(), wrong.text().await.unwrap());
    assert!(unknown.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(wrong.contains("Adresse e-mail ou mot de passe incorrect."));

    let mails_before = app.mails().len();
    let a = post(
        &app,
        &app.browser(),
        "/mot-de-passe-oublie",
        &[("email", "personne@exemple.fr")],
    )
    .await;
    let b = post(
        &app,
        &app.browser(),
        "/mot-de-passe-oublie",
        &[("email", demo::ADMIN_EMAIL)],
    )
    .await;
    assert_eq!((a.status(), location(&a)), (b.status(), location(&b)));
    assert_eq!(
        app.mails().len(),
        mails_before + 1,
        "a mail only for the real account"
    );
}

async fn password_reset_ends_other_sessions_and_links_expire(app: TestApp) {
    let elsewhere = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    assert!(
        page(&app, &elsewhere, "/compte")
            .await
            .contains("Les Courses Asteur")
    );

    let client = app.browser();
    post(
        &app,
        &client,
        "/mot-de-passe-oublie",
        &[("email", demo::MANAGER_EMAIL)],
    )
    .await;
    let token = token_from_mails(&app, "/reinitialiser");
    let weak = post(
        &app,
        &client,
        "/reinitialiser",
        &[("token", &token), ("password", "court")],
    )
    .await;
    assert_eq!(
        weak.status(),
        422,
        "a bad password does not use the link up"
    );
    let done = post(
        &app,
        &client,
        "/reinitialiser",
        &[("token", &token), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/connexion?message=mot-de-passe-change");
    assert!(
        mails(&app)
            .iter()
            .any(|m| m.contains("vient d'être changé")),
        "notice mailed"
    );

    assert!(
        page(&app, &elsewhere, "/compte")
            .await
            .contains("Connectez-vous pour voir votre compte"),
        "other session ended"
    );
    let reused = post(
        &app,
        &client,
        "/reinitialiser",
        &[("token", &token), ("password", "une autre phrase secrete")],
    )
    .await;
    assert_eq!(reused.status(), 400);
    let old = post(
        &app,
        &app.browser(),
        "/connexion",
        &[
            ("email", demo::MANAGER_EMAIL),
            ("password", demo::MANAGER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(old.status(), 401);
    log_in(&app, demo::MANAGER_EMAIL, PASSWORD).await;

    // An expired link is refused.
    post(
        &app,
        &client,
        "/mot-de-passe-oublie",
        &[("email", demo::ADMIN_EMAIL)],
    )
    .await;
    let token = token_from_mails(&app, "/reinitialiser");
    sqlx::query("UPDATE tokens SET expires_at = '2000-01-01T00:00:00Z' WHERE used_at IS NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let expired = post(
        &app,
        &client,
        "/reinitialiser",
        &[("token", &token), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(expired.status(), 400);
}

async fn repeated_failures_are_rate_limited(app: TestApp) {
    let client = app.browser();
    for _ in 0..5 {
        let response = post(
            &app,
            &client,
            "/connexion",
            &[
                ("email", demo::ADMIN_EMAIL),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await;
        assert_eq!(response.status(), 401);
    }
    let limited = post(
        &app,
        &client,
        "/connexion",
        &[
            ("email", demo::ADMIN_EMAIL),
            ("password", demo::ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!(limited.status(), 429, "even the right password waits");
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 900);
    assert!(limited.text().await.unwrap().contains("Trop de tentatives"));
    // Another account from the same address is not blocked.
    log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
}

async fn sign_ups_per_address_are_limited_and_forged_headers_do_not_help(app: TestApp) {
    for i in 0..5 {
        let email = format!("personne{i}@exemple.fr");
        let response = post(
            &app,
            &app.browser(),
            "/inscription",
            &[
                ("name", "Personne"),
                ("email", &email),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
    }
    // Without DESSINE_TRUST_PROXY, X-Forwarded-For is the client's own claim: ignored.
    let forged = app
        .browser()
        .post(app.url("/inscription"))
        .header("origin", &app.base)
        .header("x-forwarded-for", "203.0.113.7")
        .form(&[
            ("name", "Personne"),
            ("email", "personne9@exemple.fr"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 429);
    assert!(forged.headers().contains_key("retry-after"));
    let html = forged.text().await.unwrap();
    assert!(html.contains("Trop de tentatives") && html.contains("lang=\"fr\""));
}

async fn repeated_sign_ups_for_one_address_stop_mailing_it(app: TestApp) {
    for _ in 0..3 {
        let response = post(
            &app,
            &app.browser(),
            "/inscription",
            &[
                ("name", "Intrus"),
                ("email", demo::ADMIN_EMAIL),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
    }
    let sent = app.mails().len();
    assert_eq!(sent, 3, "one notice per attempt so far");
    let limited = post(
        &app,
        &app.browser(),
        "/inscription",
        &[
            ("name", "Intrus"),
            ("email", demo::ADMIN_EMAIL),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(limited.status(), 429);
    assert_eq!(app.mails().len(), sent, "no fourth mail");
}

async fn cross_origin_posts_are_refused(app: TestApp) {
    let client = app.browser();
    let forged = client
        .post(app.url("/connexion"))
        .header("origin", "http://evil.example")
        .form(&[
            ("email", demo::ADMIN_EMAIL),
            ("password", demo::ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("Accès refusé"));
    let cross_site = client
        .post(app.url("/deconnexion"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let api = client
        .post(app.url("/api/compte"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403, "server functions too");
}

async fn account_forms_need_a_login_and_work_with_one(app: TestApp) {
    let (users_before, managers_before) = (
        app.count("users").await,
        app.count("structure_managers").await,
    );
    let anonymous = app.browser();
    let refused = post(&app, &anonymous, "/compte/profil", &[("name", "Pirate")]).await;
    assert_eq!(refused.status(), 303);
    assert!(location(&refused).starts_with("/connexion"));
    let data = anonymous
        .get(app.url("/compte/donnees.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(data.status(), 303);

    let client = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let renamed = post(&app, &client, "/compte/profil", &[("name", "Karim B.")]).await;
    assert_eq!(location(&renamed), "/compte?message=profil");
    let data: serde_json::Value = client
        .get(app.url("/compte/donnees.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(data["nom"], "Karim B.");
    assert_eq!(data["structures_gerees"][0]["nom"], "Les Courses Asteur");
    assert!(data.get("password_hash").is_none() && !data.to_string().contains("argon2"));

    let wrong = post(
        &app,
        &client,
        "/compte/mot-de-passe",
        &[
            ("current_password", "faux mot de passe"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.unwrap();
    assert!(main_of(&html).contains("Le mot de passe actuel est incorrect."));
    let changed = post(
        &app,
        &client,
        "/compte/mot-de-passe",
        &[
            ("current_password", demo::MANAGER_PASSWORD),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&changed), "/compte?message=mot-de-passe");
    assert!(
        page(&app, &client, "/compte")
            .await
            .contains("Mes structures"),
        "this session stays"
    );

    let kept = post(
        &app,
        &client,
        "/compte/supprimer",
        &[("confirm_password", "faux mot de passe")],
    )
    .await;
    assert_eq!(kept.status(), 422);
    let deleted = post(
        &app,
        &client,
        "/compte/supprimer",
        &[("confirm_password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&deleted), "/?message=compte-supprime");
    // The account and its one managed entry's link are gone; nobody else's.
    assert_eq!(app.count("users").await, users_before - 1);
    assert_eq!(app.count("structure_managers").await, managers_before - 1);
    assert!(
        app.count("structures").await > 0,
        "the entry stays in the directory"
    );
}

async fn email_change_needs_the_new_mailbox(app: TestApp) {
    let client = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let wrong = post(
        &app,
        &client,
        "/compte/adresse",
        &[
            ("new_email", "karim@exemple.fr"),
            ("email_password", "pas le bon"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("value=\"karim@exemple.fr\""),
        "typed address kept"
    );

    // A taken address gets the same answer and no mail.
    let sent_before = app.mails().len();
    let taken = post(
        &app,
        &client,
        "/compte/adresse",
        &[
            ("new_email", demo::ADMIN_EMAIL),
            ("email_password", demo::MANAGER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&taken), "/compte?message=adresse-envoyee");
    assert_eq!(app.mails().len(), sent_before);

    let asked = post(
        &app,
        &client,
        "/compte/adresse",
        &[
            ("new_email", "Karim@Exemple.fr"),
            ("email_password", demo::MANAGER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&asked), "/compte?message=adresse-envoyee");
    let token = token_from_mails(&app, "/confirmer-adresse");
    assert!(
        mails(&app).last().unwrap().contains("To: karim@exemple.fr"),
        "the link goes to the new address"
    );
    // Until confirmed, the old address stays the login.
    log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;

    let confirmed = post(&app, &client, "/confirmer-adresse", &[("token", &token)]).await;
    assert_eq!(location(&confirmed), "/compte?message=adresse-changee");
    assert!(
        mails(&app)
            .iter()
            .any(|m| m.contains("To: gerance@courses-asteur.example")
                && m.contains("karim@exemple.fr")),
        "old address told"
    );
    log_in(&app, "karim@exemple.fr", demo::MANAGER_PASSWORD).await;
    let old = post(
        &app,
        &app.browser(),
        "/connexion",
        &[
            ("email", demo::MANAGER_EMAIL),
            ("password", demo::MANAGER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(old.status(), 401);
    let reused = post(&app, &client, "/confirmer-adresse", &[("token", &token)]).await;
    assert_eq!(reused.status(), 400);
}

/// After a login only a path of this site is followed: hostile `suivant` values (a second slash
/// hidden behind a tab, a new line, a backslash, an absolute URL) lead to « Mon compte ».
async fn login_never_redirects_off_site(app: TestApp) {
    for hostile in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ /evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\u{a0}/evil.example",
    ] {
        let client = app.browser();
        let response = post(
            &app,
            &client,
            "/connexion",
            &[
                ("email", demo::MANAGER_EMAIL),
                ("password", demo::MANAGER_PASSWORD),
                ("suivant", hostile),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{hostile:?}");
        assert_eq!(
            location(&response),
            "/compte?message=connecte",
            "{hostile:?}"
        );
    }
    let client = app.browser();
    let response = post(
        &app,
        &client,
        "/connexion",
        &[
            ("email", demo::MANAGER_EMAIL),
            ("password", demo::MANAGER_PASSWORD),
            ("suivant", "/annuaire?q=vélo"),
        ],
    )
    .await;
    assert_eq!(
        location(&response),
        "/annuaire?q=v%C3%A9lo",
        "local paths are kept, encoded"
    );
}

/// A member whose password was hashed with the earlier Argon2 settings (19 MiB, 2 passes) logs in
/// as before; the login stores a hash of today's settings, and the member's session goes on.
async fn older_password_hashes_are_replaced_at_login(app: TestApp) {
    let older = password_auth::generate_hash(demo::MANAGER_PASSWORD);
    // The stored hash and security stamp.
    let stored = || async {
        sqlx::query_as::<_, (String, String)>(
            "SELECT password_hash, security_stamp FROM users WHERE email = $1",
        )
        .bind(demo::MANAGER_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(&older)
        .bind(demo::MANAGER_EMAIL)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, stamp) = stored().await;
    // A wrong password changes nothing.
    let client = app.browser();
    let wrong = post(
        &app,
        &client,
        "/connexion",
        &[("email", demo::MANAGER_EMAIL), ("password", "pas le bon")],
    )
    .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(stored().await.0, older);
    let first = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let (now, stamp_now) = stored().await;
    assert!(now.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{now}");
    assert_eq!(stamp_now, stamp, "the member's sessions go on");
    let account = first.get(app.url("/compte")).send().await.unwrap();
    assert_eq!(account.status(), 200, "still logged in");
    // The new hash lets the member in, and is not made again.
    log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    assert_eq!(stored().await.0, now);
}

/// The session cookie a response sets (name=value).
fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// A client that sends `cookie` and nothing else: someone who copied it.
fn with_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Every login gets a new session id, a login over a login too; a password change ends a copied
/// cookie even though the member's own session goes on.
async fn session_ids_change_at_every_login_and_password_change(app: TestApp) {
    let client = app.browser();
    let login = |client: reqwest::Client| {
        let app = &app;
        async move {
            post(
                app,
                &client,
                "/connexion",
                &[
                    ("email", demo::MANAGER_EMAIL),
                    ("password", demo::MANAGER_PASSWORD),
                ],
            )
            .await
        }
    };
    let first = session_cookie(&login(client.clone()).await);
    let second = login(client.clone()).await;
    assert_eq!(second.status(), 303);
    let second = session_cookie(&second);
    assert_ne!(first, second, "a login over a login gets a new id");
    let stolen = with_cookie(&second);
    assert!(
        page(&app, &stolen, "/compte")
            .await
            .contains("Mes structures"),
        "the copy works before"
    );

    let changed = post(
        &app,
        &client,
        "/compte/mot-de-passe",
        &[
            ("current_password", demo::MANAGER_PASSWORD),
            ("password", "une toute autre phrase"),
        ],
    )
    .await;
    assert_eq!(location(&changed), "/compte?message=mot-de-passe");
    assert_ne!(
        session_cookie(&changed),
        second,
        "new id after a password change"
    );
    assert!(
        page(&app, &client, "/compte")
            .await
            .contains("Mes structures"),
        "the member stays logged in"
    );
    assert!(
        page(&app, &stolen, "/compte")
            .await
            .contains("Connectez-vous pour voir votre compte"),
        "the copied cookie is dead"
    );
}

/// `Nom <adresse>` forms are refused (their mail would reach someone else), and a megabyte in the
/// e-mail field costs a short answer, not memory.
async fn hostile_account_fields_are_refused_cheaply(app: TestApp) {
    let client = app.browser();
    for email in [
        "x<victim@corp.example>",
        "Victime <victim@corp.example>",
        "a@b.fr, c@d.fr",
    ] {
        let response = post(
            &app,
            &client,
            "/inscription",
            &[("name", "Pirate"), ("email", email), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(response.status(), 422, "{email}");
        assert!(main_of(&response.text().await.unwrap()).contains("pas la bonne forme"));
    }
    assert!(app.mails().is_empty(), "no mail sent to any of them");
    let huge = format!("{}@exemple.fr", "a".repeat(900_000));
    for _ in 0..30 {
        let response = post(
            &app,
            &client,
            "/connexion",
            &[
                ("email", huge.as_str()),
                ("password", "mauvais mot de passe"),
            ],
        )
        .await;
        let status = response.status().as_u16();
        assert!([413, 422].contains(&status), "{status}");
        assert!(
            response.bytes().await.unwrap().len() < 20_000,
            "not echoed back"
        );
    }
    let long_but_accepted = format!("{}@exemple.fr", "b".repeat(100_000));
    let response = post(
        &app,
        &client,
        "/connexion",
        &[
            ("email", long_but_accepted.as_str()),
            ("password", "mauvais mot de passe"),
        ],
    )
    .await;
    assert_eq!(response.status(), 401);
    assert!(
        response.bytes().await.unwrap().len() < 60_000,
        "the value shown again is cut"
    );
}

/// Deleting the account checks the password like a login does: guessing it there is limited too.
async fn account_deletion_guesses_are_rate_limited(app: TestApp) {
    let demo_accounts = app.count("users").await;
    let client = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = post(
            &app,
            &client,
            "/compte/supprimer",
            &[("confirm_password", "essai au hasard")],
        )
        .await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    assert_eq!(
        app.count("users").await,
        demo_accounts,
        "nothing deleted: the demo accounts are all still there"
    );
}

on_both_databases!(
    account_deletion_guesses_are_rate_limited,
    hostile_account_fields_are_refused_cheaply,
    session_ids_change_at_every_login_and_password_change,
    login_never_redirects_off_site,
    older_password_hashes_are_replaced_at_login,
    sign_up_verify_log_in_and_out,
    bad_sign_up_keeps_what_was_typed,
    answers_do_not_reveal_which_emails_have_accounts,
    password_reset_ends_other_sessions_and_links_expire,
    repeated_failures_are_rate_limited,
    sign_ups_per_address_are_limited_and_forged_headers_do_not_help,
    repeated_sign_ups_for_one_address_stop_mailing_it,
    cross_origin_posts_are_refused,
    account_forms_need_a_login_and_work_with_one,
    email_change_needs_the_new_mailbox,
);

/// Issue 30, item 3: on PostgreSQL the counts live in the database, so wrong passwords spread
/// over two app servers draw on one allowance (5 per account from one address), where two
/// servers counting on their own would have allowed ten.
#[tokio::test]
async fn limits_hold_across_two_servers_on_postgres() {
    let app = common::spawn(common::DatabaseKind::Postgres).await;
    let other = app.another_server().await;
    common::create_member(&app, "deux-serveurs@exemple.fr", None).await;
    let client = app.browser();
    let mut statuses = Vec::new();
    for n in 0..6 {
        let base = if n % 2 == 0 {
            app.base.clone()
        } else {
            other.clone()
        };
        let response = client
            .post(format!("{base}/connexion"))
            .header("origin", &base)
            .form(&[
                ("email", "deux-serveurs@exemple.fr"),
                ("password", "pas le bon mot de passe"),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_counters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        rows >= 3,
        "per address, per account from it, per account: {rows}"
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT key FROM rate_counters")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|k| k.len() == 32 && !k.contains('@')),
        "keys are hashes: {stored:?}"
    );
}
