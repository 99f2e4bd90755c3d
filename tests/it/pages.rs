//! Reading pages as visitors get them: shared for a second between visitors without a session
//! (`page_cache`), never anyone's own page; validated by an `ETag`, so that a second visit costs
//! a 304 (`revalidation`).
#![cfg(feature = "ssr")]

use std::time::{Duration, Instant};

use crate::common;
use common::TestApp;

fn etag(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

async fn get_with(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// A page or a feed comes with a weak validator; sent back, it gets a bodiless 304 that leaves
/// the page's security policy alone; compressed or not, on either server, the validator of one
/// content is the same; a logged-in member's own page is validated too and stays private.
async fn a_second_visit_costs_a_304(app: TestApp) {
    let client = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    for path in [
        "/",
        "/annuaire/les-courses-asteur",
        "/evenements",
        "/actualites",
        "/actualites.atom",
        "/clubs",
    ] {
        let first = get_with(&client, &app.url(path), &[]).await;
        assert_eq!(first.status(), 200, "{path}");
        let tag = etag(&first);
        let lifetime = first.headers()["cache-control"].clone();
        assert!(tag.starts_with("W/\"") && tag.len() > 20, "{path}: {tag}");
        let again = get_with(&client, &app.url(path), &[("if-none-match", &tag)]).await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(etag(&again), tag);
        assert!(
            !again.headers().contains_key("content-security-policy"),
            "{path}: a 304 must not replace the policy of the page the browser holds"
        );
        assert_eq!(again.headers()["cache-control"], lifetime, "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
        // Compressed: the same validator, and the same 304.
        let compressed = get_with(&client, &app.url(path), &[("accept-encoding", "br")]).await;
        assert_eq!(compressed.headers()["content-encoding"], "br", "{path}");
        assert_eq!(etag(&compressed), tag, "{path}");
        let again = get_with(
            &client,
            &app.url(path),
            &[("accept-encoding", "br"), ("if-none-match", &tag)],
        )
        .await;
        assert_eq!(again.status(), 304, "{path}");
        // Another validator: the whole page.
        let other = get_with(&client, &app.url(path), &[("if-none-match", "W/\"autre\"")]).await;
        assert_eq!(other.status(), 200, "{path}");
        assert!(!other.bytes().await.unwrap().is_empty());
    }
    // Another server behind the same address renders the entry page on its own (another nonce,
    // another time in its contact form): the same validator.
    let twin = app.twin_server().await;
    let here = get_with(&client, &app.url("/annuaire/les-courses-asteur"), &[]).await;
    let there = get_with(&client, &format!("{twin}/annuaire/les-courses-asteur"), &[]).await;
    assert_eq!(etag(&here), etag(&there));
    // A member's own page: validated, private.
    let id = common::create_member(&app, "lecteur@exemple.fr", None).await;
    assert!(id > 0);
    let member = common::log_in(&app, "lecteur@exemple.fr", common::MEMBER_PASSWORD).await;
    let account = member.get(app.url("/compte")).send().await.unwrap();
    assert_eq!(account.status(), 200);
    assert!(
        account.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    let tag = etag(&account);
    let again = get_with(&member, &app.url("/compte"), &[("if-none-match", &tag)]).await;
    assert_eq!(again.status(), 304);
}

/// What a member sees is never served to a visitor, and a visitor's shared page is never served
/// to a member, whichever comes first.
async fn shared_pages_are_never_personal(app: TestApp) {
    common::create_member(&app, "claire@exemple.fr", None).await;
    let member = common::log_in(&app, "claire@exemple.fr", common::MEMBER_PASSWORD).await;
    for path in ["/", "/evenements", "/annuaire/les-courses-asteur"] {
        let visitor = app.get(path).await.text().await.unwrap();
        assert!(!visitor.contains("Mon compte"), "{path}");
        let own = common::page(&app, &member, path).await;
        assert!(own.contains("Mon compte"), "{path}: the member's own page");
        let visitor = app.get(path).await.text().await.unwrap();
        assert!(
            !visitor.contains("Mon compte"),
            "{path}: a visitor after the member"
        );
    }
    // The server counted pages served from memory.
    let (_, metrics) = app.get_text("/metrics").await;
    assert!(page_cache_hits(&metrics) >= 1, "{metrics}");
}

/// A change shows at once on the server that made it, and within two seconds on another
/// server, for the directory (its change log) as for anything else (written here straight to
/// the database, which no change log follows: the second a page is kept for).
async fn a_change_shows_at_once_here_and_within_two_seconds_elsewhere(app: TestApp) {
    let other = app.another_server().await;
    let entry = "/annuaire/les-courses-asteur";
    let visitor = reqwest::Client::new();
    let there = |path: &str| {
        let (visitor, url) = (visitor.clone(), format!("{other}{path}"));
        async move { visitor.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let wait_there = |path: &'static str, text: &'static str| {
        let there = &there;
        async move {
            let started = Instant::now();
            while !there(path).await.contains(text) {
                assert!(
                    started.elapsed() < Duration::from_secs(2),
                    "{path}: « {text} » not shown after 2 s"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            started.elapsed()
        }
    };
    // Both servers keep the page.
    for _ in 0..2 {
        assert!(
            !app.get(entry)
                .await
                .text()
                .await
                .unwrap()
                .contains("Zéphyrin")
        );
        assert!(!there(entry).await.contains("Zéphyrin"));
    }
    common::edit_asteur(
        &app,
        "gerante@asteur.example",
        "Les Courses Zéphyrin",
        "Livraisons à vélo cargo",
    )
    .await;
    let here = app.get(entry).await.text().await.unwrap();
    assert!(
        here.contains("Les Courses Zéphyrin"),
        "at once on this server"
    );
    let directory = wait_there(entry, "Les Courses Zéphyrin").await;
    // An article's title changed in the database itself.
    let (_, news) = app.get_text("/actualites").await;
    assert!(!news.contains("Titre changé en base"));
    assert!(!there("/actualites").await.contains("Titre changé en base"));
    sqlx::query(
        "UPDATE articles SET title = 'Titre changé en base' \
         WHERE id = (SELECT MIN(id) FROM articles WHERE status = 'published')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let database = wait_there("/actualites", "Titre changé en base").await;
    println!("entry edited: shown elsewhere after {directory:?}; article: after {database:?}");
}

fn page_cache_hits(metrics: &str) -> u64 {
    common::metric_samples(metrics)[r#"dessine_page_cache_total{outcome="hit"}"#] as u64
}

/// What a visitor without a session sends (here a guest registration, confirmed later by
/// mail) changes no public page at once: the kept pages stay; a change by someone with a
/// session drops them.
async fn a_visitors_form_keeps_the_shared_pages(app: TestApp) {
    // The index built at start-up drops the kept pages once: done before counting.
    app.search_caught_up().await;
    let (_, events) = app.get_text("/evenements").await;
    let event = events
        .split("href=\"/evenements/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let path = format!("/evenements/{event}");
    let hits = || async { page_cache_hits(&app.get_text("/metrics").await.1) };
    app.get(&path).await;
    app.get(&path).await;
    let before = hits().await;
    let registered = common::post(
        &app,
        &app.client,
        &format!("{path}/inscription"),
        &[
            ("slug", event.as_str()),
            ("name", "Invitée Sans Compte"),
            ("email", "invitee@exemple.fr"),
        ],
    )
    .await;
    assert!(
        registered.status().as_u16() < 400,
        "{}",
        registered.status()
    );
    app.get(&path).await;
    assert_eq!(hits().await, before + 1, "served as kept");
    // A change by a member with a session (an entry edited) drops them.
    app.get(&path).await;
    common::edit_asteur(
        &app,
        "gerant@asteur.example",
        "Les Courses Asteur",
        "Livraisons à vélo cargo, le samedi aussi",
    )
    .await;
    let after_edit = hits().await;
    app.get(&path).await;
    assert_eq!(hits().await, after_edit, "rendered again");
}

/// Rendering a page takes its connections from the pool and gives them back: an entry's page
/// (whose boxes each ask the database while the page renders) rendered again and again closes
/// no connection. It closed one or two per rendering when the boxes' work, started by
/// `Suspense`'s first walk over its children, was dropped in the middle of taking a connection.
async fn rendering_pages_keeps_the_pools_connections(app: TestApp) {
    let rendered = common::spawn_configured(
        app.db.backend().clone(),
        true,
        &[("DESSINE_PAGE_CACHE", "0")],
    )
    .await;
    let pages = [
        "/annuaire/les-courses-asteur",
        "/",
        "/evenements",
        "/clubs/club-de-l-ess-du-dunkerquois",
    ];
    for path in pages {
        let (status, html) = rendered.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("</html>"), "{path}");
    }
    // Opened minus held: the connections the pool closed. It may grow to serve several queries
    // at once (more when the tests run side by side); it must close none.
    let closed = |app: &TestApp| app.db.pool.opened() as i64 - i64::from(app.db.pool.size());
    let before = closed(&rendered);
    for _ in 0..10 {
        for path in pages {
            assert_eq!(rendered.get(path).await.status(), 200, "{path}");
        }
    }
    let (_, entry) = rendered.get_text(pages[0]).await;
    assert!(
        entry.contains("Écrire à cette structure") && entry.contains("Connectez-vous"),
        "the boxes are rendered"
    );
    assert_eq!(
        closed(&rendered) - before,
        0,
        "connections closed while rendering 41 pages ({} opened in all, {} held)",
        rendered.db.pool.opened(),
        rendered.db.pool.size()
    );
    let opened = rendered.db.pool.opened();
    let (_, metrics) = rendered.get_text("/metrics").await;
    let samples = common::metric_samples(&metrics);
    // Whoever waits at this moment (the index following its change log, another test's load):
    // a count, not a fixed figure; `db::pool`'s unit test checks the counting itself.
    assert!(
        samples
            .get("dessine_db_waiting")
            .is_some_and(|n| *n >= 0.0 && n.fract() == 0.0),
        "{metrics}"
    );
    let exposed = *samples
        .get("dessine_db_connections_opened_total")
        .expect("the opened connections in /metrics") as u64;
    assert!((opened..=rendered.db.pool.opened()).contains(&exposed));
}

crate::on_both_databases!(
    rendering_pages_keeps_the_pools_connections,
    a_visitors_form_keeps_the_shared_pages,
    a_second_visit_costs_a_304,
    shared_pages_are_never_personal,
    a_change_shows_at_once_here_and_within_two_seconds_elsewhere,
);
