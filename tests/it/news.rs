//! News over HTTP, on both databases: what visitors see (drafts and scheduled articles never,
//! in lists, pages, feeds, the site map or mentions), keywords, the Atom feeds and the site map
//! read back by real parsers, writing in the page without JavaScript (save, preview, revisions,
//! restore, hostile Markdown, links to unknown pages), image uploads, info pages, the home page.
#![cfg(feature = "ssr")]

use crate::common;

use common::{TestApp, location, log_in, main_of, page, post};
use dessine::features::accounts::demo;

/// A published demo article, a scheduled one and the draft.
const PUBLISHED: &str = "premier-salon-de-l-achat-responsable-l-ess-fait-des-affaires";
const SCHEDULED: &str = "mois-de-l-ess-le-programme-sur-le-dunkerquois";
const DRAFT: &str = "bilan-de-l-annee-du-club-brouillon";

async fn editor(app: &TestApp) -> reqwest::Client {
    log_in(app, demo::EDITOR_EMAIL, demo::EDITOR_PASSWORD).await
}

/// The article slugs a page links to, in order.
fn article_links(html: &str) -> Vec<String> {
    html.split("href=\"/actualites/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

/// Posts the article form as a browser without JavaScript does; the answer.
async fn write_article(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![
        ("title", "Un article de test"),
        ("summary", "Son résumé."),
        ("body", "Son **texte**."),
        ("keywords", "Test"),
        ("publication", "publie"),
        ("date", ""),
        ("time", ""),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    post(app, client, path, &form).await
}

/// The id of the article a save redirected to.
fn saved_id(response: &reqwest::Response) -> i64 {
    let to = location(response);
    assert!(to.starts_with("/redaction/articles/"), "{to}");
    to.trim_start_matches("/redaction/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn visitors_never_see_drafts_or_scheduled_articles(app: TestApp) {
    let visitor = app.browser();
    let list = page(&app, &visitor, "/actualites").await;
    let slugs = article_links(main_of(&list));
    assert!(slugs.contains(&PUBLISHED.to_owned()), "{slugs:?}");
    assert!(!slugs.contains(&SCHEDULED.to_owned()));
    assert!(!slugs.contains(&DRAFT.to_owned()));
    for hidden in [SCHEDULED, DRAFT] {
        let (status, _) = app.get_text(&format!("/actualites/{hidden}")).await;
        assert_eq!(status, 404, "{hidden}");
        for path in ["/actualites.atom", "/sitemap.xml"] {
            let (_, text) = app.get_text(path).await;
            assert!(!text.contains(hidden), "{hidden} in {path}");
            assert!(text.contains(PUBLISHED), "{path}");
        }
    }
    // The editor sees them, marked as such.
    let editor = editor(&app).await;
    let draft = page(&app, &editor, &format!("/actualites/{DRAFT}")).await;
    assert!(draft.contains("Brouillon : les visiteurs ne voient pas encore cet article."));
    let scheduled = page(&app, &editor, &format!("/actualites/{SCHEDULED}")).await;
    assert!(scheduled.contains("Programmé : les visiteurs"));
    // Newest first, ten per page.
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM articles WHERE status = 'published' AND published_at <= $1",
    )
    .bind(dessine::timestamp::Timestamp::now())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(main_of(&list).contains(&format!("{total} articles")));
    let second = page(&app, &visitor, "/actualites?page=2").await;
    let mut all = slugs.clone();
    all.extend(article_links(main_of(&second)));
    assert_eq!(all.len() as i64, total);
    assert_eq!(
        all[0],
        "en-artois-le-club-des-entrepreneurs-de-l-ess-se-structure"
    );
}

async fn a_scheduled_article_appears_when_its_date_comes(app: TestApp) {
    let editor = editor(&app).await;
    // In a minute, then moved to a minute ago: the date alone decides.
    let later = dessine::timestamp::Timestamp::now()
        .plus(time::Duration::minutes(2))
        .in_paris();
    let (date, hour) = (
        format!(
            "{:04}-{:02}-{:02}",
            later.year(),
            u8::from(later.month()),
            later.day()
        ),
        format!("{:02}:{:02}", later.hour(), later.minute()),
    );
    let response = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[("title", "Bientôt"), ("date", &date), ("time", &hour)],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).ends_with("message=article-programme"));
    assert_eq!(app.get_text("/actualites/bientot").await.0, 404);
    sqlx::query("UPDATE articles SET published_at = $1 WHERE slug = 'bientot'")
        .bind(dessine::timestamp::Timestamp::now().plus(time::Duration::minutes(-1)))
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.get_text("/actualites/bientot").await.0, 200);
}

async fn keywords_filter_the_list_and_link_back(app: TestApp) {
    let html = page(&app, &app.browser(), "/actualites?mot-cle=demarche-progres").await;
    let main = main_of(&html);
    let slugs = article_links(main);
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT a.slug FROM articles a JOIN article_keywords ak ON ak.article_id = a.id \
         JOIN keywords k ON k.id = ak.keyword_id WHERE k.slug = 'demarche-progres' \
         AND a.status = 'published' AND a.published_at <= $1 ORDER BY a.published_at DESC",
    )
    .bind(dessine::timestamp::Timestamp::now())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(slugs, expected);
    assert_eq!(slugs.len(), 2);
    assert!(
        main.contains("<h1>Actualités : Démarche progrès</h1>"),
        "{main}"
    );
    assert!(main.contains("/actualites.atom?mot-cle=demarche-progres"));
    // An article's keywords link to the filtered list.
    let article = page(&app, &app.browser(), &format!("/actualites/{}", slugs[0])).await;
    assert!(article.contains("href=\"/actualites?mot-cle=demarche-progres\""));
    // Unknown or hostile keywords list nothing, and never fail.
    for hostile in [
        "inconnu",
        "%27%3B+DROP+TABLE+articles%3B--",
        "%3Cscript%3E",
        &"a".repeat(500),
    ] {
        let (status, html) = app
            .get_text(&format!("/actualites?mot-cle={hostile}"))
            .await;
        assert_eq!(status, 200, "{hostile}");
        assert!(article_links(main_of(&html)).is_empty(), "{hostile}");
        assert!(!html.contains("<script>alert"));
    }
}

async fn atom_feeds_parse_with_absolute_links_and_stable_ids(app: TestApp) {
    let response = app.get("/actualites.atom").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let feed = atom_syndication::Feed::read_from(text.as_bytes()).expect("a valid Atom feed");
    assert!(feed.title().as_str().starts_with("DESSINE"));
    assert!(!feed.entries().is_empty());
    let base = &app.base;
    for entry in feed.entries() {
        let link = &entry.links()[0];
        assert!(
            link.href().starts_with(&format!("{base}/actualites/")),
            "{}",
            link.href()
        );
        assert!(entry.id().starts_with("tag:127.0.0.1,2026:actualites:"));
        assert!(entry.published().is_some());
        let content = entry.content().unwrap().value().unwrap();
        // The body's links point to the site, absolute.
        assert!(!content.contains("href=\"/"), "{content}");
    }
    // Ids are stable: an edit changes the entry's update date, not its id.
    let first = feed.entries()[0].clone();
    sqlx::query("UPDATE articles SET updated_at = $1 WHERE slug = $2")
        .bind(dessine::timestamp::Timestamp::now().plus(time::Duration::seconds(5)))
        .bind(first.links()[0].href().rsplit('/').next().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Written behind the server's back: its shared pages learn of it only at their second.
    app.state.pages.changed();
    let again = atom_syndication::Feed::read_from(
        app.get("/actualites.atom")
            .await
            .text()
            .await
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let same = again
        .entries()
        .iter()
        .find(|e| e.id() == first.id())
        .unwrap();
    assert!(same.updated() > first.updated());
    // One feed per keyword: only that keyword's articles; an unknown keyword is a 404.
    let club = atom_syndication::Feed::read_from(
        app.get("/actualites.atom?mot-cle=artois")
            .await
            .text()
            .await
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    assert!(!club.entries().is_empty());
    for entry in club.entries() {
        assert!(entry.categories().iter().any(|c| c.term() == "artois"));
    }
    assert_eq!(
        app.get("/actualites.atom?mot-cle=inconnu").await.status(),
        404
    );
}

async fn the_sitemap_parses_and_lists_public_pages_only(app: TestApp) {
    // Issue 27, finding 10: eight crawlers at once get one rendering, the same document.
    let rush = futures::future::join_all((0..8).map(|_| app.get_text("/sitemap.xml"))).await;
    assert!(
        rush.iter()
            .all(|(status, body)| *status == 200 && *body == rush[0].1)
    );
    let text = rush[0].1.clone();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let base = &app.base;
    for expected in [
        format!("{base}/"),
        format!("{base}/annuaire/les-courses-asteur"),
        format!("{base}/clubs/club-de-l-ess-du-dunkerquois"),
        format!("{base}/evenements/salon-de-l-achat-responsable-du-dunkerquois"),
        format!("{base}/actualites/{PUBLISHED}"),
        format!("{base}/qui-sommes-nous"),
    ] {
        assert!(locs.contains(&expected.as_str()), "{expected} missing");
    }
    // Members-only meetings and unpublished articles stay out; every address is unique.
    let members_only: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM events WHERE visibility = 'members'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert!(!members_only.is_empty());
    for slug in members_only {
        assert!(!locs.iter().any(|l| l.ends_with(&format!("/{slug}"))));
    }
    let unique: std::collections::BTreeSet<&&str> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len());
    let structures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE status = 'published'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        locs.iter().filter(|l| l.contains("/annuaire/")).count() as i64,
        structures
    );
    // Rendered once for the next minutes: an entry added now is not listed yet.
    common::create_structure(&app, "Fiche toute neuve du plan du site").await;
    let again = app.get("/sitemap.xml").await.text().await.unwrap();
    assert_eq!(again, text, "served from the rendering of a moment ago");
    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
    assert!(robots.contains("Disallow: /redaction"));
}

async fn writing_saves_revisions_and_restores_one(app: TestApp) {
    let editor = editor(&app).await;
    let created = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[
            ("title", "Le club recrute"),
            (
                "body",
                "Première version, avec [la ressourcerie](/annuaire/ressourcerie-du-dunkerquois).",
            ),
            ("keywords", "Club, Recrutement"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let id = saved_id(&created);
    let path = format!("/redaction/articles/{id}");
    let saved = write_article(
        &app,
        &editor,
        &path,
        &[
            ("title", "Le club recrute encore"),
            ("body", "Seconde version."),
            ("keywords", "Club"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let article = page(&app, &app.browser(), "/actualites/le-club-recrute").await;
    assert!(article.contains("Seconde version."));
    assert!(!article.contains("Cités dans cet article"));
    let revisions: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM revisions WHERE article_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(revisions.len(), 2);
    let editor_page = page(&app, &editor, &path).await;
    assert!(editor_page.contains("Nadia Rédactrice"));
    assert!(editor_page.contains("version actuelle"));
    let restored = post(
        &app,
        &editor,
        &format!("{path}/restaurer"),
        &[
            ("id", &id.to_string()),
            ("revision", &revisions[0].to_string()),
        ],
    )
    .await;
    assert_eq!(restored.status(), 303);
    assert!(location(&restored).ends_with("message=revision-restauree"));
    let article = page(&app, &app.browser(), "/actualites/le-club-recrute").await;
    assert!(article.contains("Première version"), "{article}");
    assert!(article.contains("<h1>Le club recrute</h1>"));
    assert!(article.contains("Recrutement"));
    // The mention came back with the text; the structure's page lists the article.
    assert!(article.contains("Cités dans cet article"));
    let structure = page(
        &app,
        &app.browser(),
        "/annuaire/ressourcerie-du-dunkerquois",
    )
    .await;
    assert!(structure.contains("Dans l'actualité"));
    assert!(structure.contains("href=\"/actualites/le-club-recrute\""));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM revisions WHERE article_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 3);
    // A revision of another article is not found.
    let other = post(
        &app,
        &editor,
        "/redaction/articles/1/restaurer",
        &[("id", "1"), ("revision", &revisions[0].to_string())],
    )
    .await;
    assert_eq!(other.status(), 404);
}

async fn hostile_markdown_never_reaches_a_page_as_code(app: TestApp) {
    let editor = editor(&app).await;
    let body = "Texte <script>alert('x')</script> <img src=x onerror=alert(1)> \
                [lien](javascript:alert(1)) <a href=\"data:text/html,x\">d</a> \
                <svg onload=alert(1)></svg> <iframe src=\"https://evil.example\"></iframe>";
    let created = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[("title", "Hostile"), ("body", body)],
    )
    .await;
    assert_eq!(created.status(), 303);
    let html = page(&app, &app.browser(), "/actualites/hostile").await;
    let main = main_of(&html);
    for forbidden in [
        "<script>alert",
        "onerror",
        "javascript:",
        "data:text",
        "<svg",
        "<iframe",
        "<img src=\"x\"",
    ] {
        assert!(!main.contains(forbidden), "{forbidden} in {main}");
    }
    // The title and summary are text, escaped by the page.
    let created = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[
            ("title", "<b>Gras</b> & co"),
            ("summary", "<script>x</script>"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let html = page(&app, &app.browser(), "/actualites/b-gras-b-co").await;
    assert!(html.contains("&lt;b&gt;Gras&lt;/b&gt; &amp; co"));
    assert!(!html.contains("<script>x</script>"));
}

async fn bad_input_is_shown_again_with_field_messages(app: TestApp) {
    let editor = editor(&app).await;
    let response = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[
            ("title", ""),
            ("summary", "Un résumé que je ne veux pas perdre"),
            ("body", "Voir [une fiche](/annuaire/structure-inexistante)."),
            ("date", "2026-02-30"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Indiquez le titre de l'article."));
    assert!(html.contains("Indiquez la date de publication"));
    assert!(html.contains("Un résumé que je ne veux pas perdre"));
    assert!(html.contains("/annuaire/structure-inexistante"));
    // With a title and a date, the unknown link is named.
    let response = write_article(
        &app,
        &editor,
        "/redaction/articles/nouveau",
        &[("body", "Voir [une fiche](/annuaire/structure-inexistante).")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Le lien /annuaire/structure-inexistante ne mène à aucune page du portail")
    );
    assert_eq!(app.count("articles").await, 12, "nothing saved on refusal");
}

async fn the_preview_works_without_javascript(app: TestApp) {
    let editor = editor(&app).await;
    let response = post(
        &app,
        &editor,
        "/redaction/apercu",
        &[
            ("retour", "/redaction/articles/nouveau"),
            ("title", "Titre gardé"),
            ("summary", ""),
            (
                "body",
                "## Intertitre\n\nDu **gras** et </textarea><script>alert(1)</script>",
            ),
            ("publication", "brouillon"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"Titre gardé\""));
    let preview = &html[html.find("data-preview").unwrap()..];
    assert!(preview.contains("<h2>Intertitre</h2>"), "{preview}");
    assert!(preview.contains("<strong>gras</strong>"));
    let main = main_of(&html);
    assert!(!main.contains("<script>alert"), "{main}");
    // The text typed comes back in its field, whole and inert.
    assert!(main.contains(
        "Du **gras** et &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"
    ));
    assert_eq!(app.count("articles").await, 12, "a preview saves nothing");
    // Only pages of the editors' desk, and only for editors.
    let elsewhere = post(
        &app,
        &editor,
        "/redaction/apercu",
        &[("retour", "https://evil.example/")],
    )
    .await;
    assert_eq!(elsewhere.status(), 404);
    let member = app.browser();
    let anonymous = post(
        &app,
        &member,
        "/redaction/apercu",
        &[("retour", "/redaction/articles/nouveau")],
    )
    .await;
    assert_eq!(anonymous.status(), 303);
    // With JavaScript the island asks the server function.
    let api = editor
        .post(app.url("/api/redaction/apercu"))
        .header("origin", &app.base)
        .header("accept", "application/json")
        .form(&[("body", "*x* <img src=x onerror=alert(1)>")])
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    let html: String = api.json().await.unwrap();
    assert_eq!(html, "<p><em>x</em> </p>\n");
}

/// A multipart upload of `bytes` as the image of article `id`.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    bytes: Vec<u8>,
    alt: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part(
            "image",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("image.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("alt", alt.to_owned());
    client
        .post(app.url(&format!("/redaction/articles/{id}/image")))
        .header("origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// A real PNG of `width` × `height` (one grey row repeated), stored without compression.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    0xEDB8_8320 ^ (crc >> 1)
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn adler(bytes: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in bytes {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for _ in 0..height {
        raw.push(0);
        raw.extend(std::iter::repeat_n(0x80u8, width as usize));
    }
    // zlib with stored blocks of at most 65,535 bytes.
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i == blocks.len() - 1));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    zlib.extend(adler(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn images_are_checked_by_their_bytes_stored_and_served(app: TestApp) {
    let editor = editor(&app).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
        .bind(PUBLISHED)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let image = png(320, 180);
    let response = upload(&app, &editor, id, image.clone(), "Les stands du salon").await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let html = page(&app, &app.browser(), &format!("/actualites/{PUBLISHED}")).await;
    let start = html.find("class=\"article-image\"").expect("the image");
    let start = html[..start].rfind("<img").unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    assert!(tag.contains("alt=\"Les stands du salon\""), "{tag}");
    assert!(
        tag.contains("width=\"320\"") && tag.contains("height=\"180\""),
        "{tag}"
    );
    let src = &tag[tag.find("src=\"").unwrap() + 5..];
    let src = &src[..src.find('"').unwrap()];
    let served = app.get(src).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(
        served.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    let cache_control = served.headers()["cache-control"].clone();
    assert_eq!(served.bytes().await.unwrap().as_ref(), image.as_slice());
    // Another app server with the same media folder (DESSINE_MEDIA, shared) serves it alike.
    let other = app.another_server().await;
    let there = app
        .client
        .get(format!("{other}{src}"))
        .send()
        .await
        .unwrap();
    assert_eq!(there.status(), 200);
    assert_eq!(there.headers()["cache-control"], cache_control);
    assert_eq!(there.headers()["content-type"], "image/png");
    assert_eq!(there.bytes().await.unwrap().as_ref(), image.as_slice());
    // The same bytes again: one stored file.
    upload(&app, &editor, id, image.clone(), "Encore").await;
    assert_eq!(app.count("media").await, 1);
    // Refused by their bytes, whatever their name says; nothing stored.
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let html_file = b"<html><script>alert(1)</script></html>".to_vec();
    let truncated = image[..40].to_vec();
    for (bytes, message) in [
        (svg, "n'est pas une image PNG, JPEG ou WebP"),
        (html_file, "n'est pas une image PNG, JPEG ou WebP"),
        (truncated, "illisible ou incomplète"),
        (png(9000, 1), "8 000 pixels"),
        (png(1500, 1500), "2 Mo"),
    ] {
        let response = upload(&app, &editor, id, bytes, "Texte").await;
        assert_eq!(response.status(), 422, "{message}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    let response = upload(&app, &editor, id, image.clone(), "  ").await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.count("media").await, 1);
    // Above the server's body limit: refused before it is read.
    let huge = upload(
        &app,
        &editor,
        id,
        vec![0; dessine::server::MAX_BODY_BYTES + 1],
        "x",
    )
    .await;
    assert_eq!(huge.status(), 413);
    // Names that were never stored are not looked up.
    for name in [
        "../../etc/passwd",
        "00000000000000000000000000000000.png",
        "x.svg",
    ] {
        assert_eq!(
            app.get(&format!("/medias/{name}")).await.status(),
            404,
            "{name}"
        );
    }
    // Taking the image off.
    let removed = post(
        &app,
        &editor,
        &format!("/redaction/articles/{id}/image/retirer"),
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(removed.status(), 303);
    let html = page(&app, &app.browser(), &format!("/actualites/{PUBLISHED}")).await;
    assert!(!html.contains("class=\"article-image\""));
}

async fn info_pages_are_edited_and_restored_in_the_page(app: TestApp) {
    let before = page(&app, &app.browser(), "/qui-sommes-nous").await;
    assert!(before.contains("Entreprendre Ensemble"));
    let editor = editor(&app).await;
    let saved = post(
        &app,
        &editor,
        "/redaction/pages/qui-sommes-nous",
        &[
            ("title", "Qui sommes-nous ?"),
            ("summary", "Les réseaux qui animent le portail."),
            ("body", "Un texte **nouveau** <script>alert(1)</script>"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let after = page(&app, &app.browser(), "/qui-sommes-nous").await;
    assert!(after.contains("Un texte <strong>nouveau</strong>"));
    assert!(!main_of(&after).contains("<script>alert"));
    assert!(after.contains("content=\"Les réseaux qui animent le portail.\""));
    let first: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM revisions WHERE page_slug = 'qui-sommes-nous'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    post(
        &app,
        &editor,
        "/redaction/pages/qui-sommes-nous",
        &[
            ("title", "Qui sommes-nous ?"),
            ("summary", "Deux."),
            ("body", "Deuxième texte"),
        ],
    )
    .await;
    let restored = post(
        &app,
        &editor,
        "/redaction/pages/qui-sommes-nous/restaurer",
        &[
            ("slug", "qui-sommes-nous"),
            ("revision", &first.to_string()),
        ],
    )
    .await;
    assert_eq!(restored.status(), 303);
    let page_now = page(&app, &app.browser(), "/qui-sommes-nous").await;
    assert!(page_now.contains("Un texte <strong>nouveau</strong>"));
    // A page that is not one of the three is not found.
    let unknown = post(
        &app,
        &editor,
        "/redaction/pages/inconnue",
        &[("title", "x"), ("summary", "x"), ("body", "x")],
    )
    .await;
    assert_eq!(unknown.status(), 404);
    // A member may not.
    let member = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let refused = post(
        &app,
        &member,
        "/redaction/pages/qui-sommes-nous",
        &[("title", "x"), ("summary", "x"), ("body", "x")],
    )
    .await;
    assert_eq!(refused.status(), 403);
}

async fn the_home_page_shows_news_events_clubs_and_figures(app: TestApp) {
    let html = page(&app, &app.browser(), "/").await;
    let main = main_of(&html);
    assert!(main.contains("Dernières actualités"));
    let slugs = article_links(main);
    assert_eq!(slugs.len(), 3, "{slugs:?}");
    assert_eq!(
        slugs[0],
        "en-artois-le-club-des-entrepreneurs-de-l-ess-se-structure"
    );
    assert!(main.contains("Prochains événements"));
    assert!(main.contains("href=\"/clubs/club-de-l-ess-du-dunkerquois\""));
    let structures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE status = 'published'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(main.contains(&format!("{structures} structures dans l'annuaire")));
    // No script or WebAssembly on the home page.
    assert!(!html.contains(".wasm") && !html.contains("<script type=\"module\""));
    assert!(
        html.contains("<a href=\"/actualites\""),
        "the menu links the news"
    );
}

on_both_databases!(
    visitors_never_see_drafts_or_scheduled_articles,
    a_scheduled_article_appears_when_its_date_comes,
    keywords_filter_the_list_and_link_back,
    atom_feeds_parse_with_absolute_links_and_stable_ids,
    the_sitemap_parses_and_lists_public_pages_only,
    writing_saves_revisions_and_restores_one,
    hostile_markdown_never_reaches_a_page_as_code,
    bad_input_is_shown_again_with_field_messages,
    the_preview_works_without_javascript,
    images_are_checked_by_their_bytes_stored_and_served,
    info_pages_are_edited_and_restored_in_the_page,
    the_home_page_shows_news_events_clubs_and_figures,
);
