//! The directory as open data (`/donnees`): the CSV, JSON and GeoJSON read back with real
//! parsers and compared with the database's published entries, on both databases; no contact
//! of a person in them; the daily snapshot is dated, kept as it was, served gzip-compressed or
//! plain with its SHA-256, and old days are forgotten; the page carries its schema.org
//! `Dataset`. (The CSV against its Table Schema with a real validator, frictionless:
//! `scripts/check-opendata.sh`, a step of `make test`.)

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use crate::common::{self, TestApp, log_in, post};
use dessine::features::accounts::demo;
use dessine::features::opendata::model::{FIELDS, LICENCE_URL};
use dessine::timestamp::Timestamp;

/// The CSV's rows by `identifiant`, each a map of column to cell; the header as read.
fn read_csv(body: &[u8]) -> (Vec<String>, BTreeMap<String, BTreeMap<String, String>>) {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect();
            (row["identifiant"].clone(), row)
        })
        .collect();
    (header, rows)
}

async fn bytes(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.browser().get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

/// `(slug, email, phone, latitude, longitude)` of every published entry.
type Published = (String, String, String, Option<f64>, Option<f64>);

async fn published(app: &TestApp) -> Vec<Published> {
    sqlx::query_as(
        "SELECT slug, email, phone, latitude, longitude FROM structures WHERE status = 'published'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn files_match_the_database(app: TestApp) {
    app.search_caught_up().await;
    let entries = published(&app).await;
    assert!(entries.len() > 10);
    let slugs: BTreeSet<String> = entries.iter().map(|e| e.0.clone()).collect();

    // The schema names the CSV's columns, in order.
    let (headers, schema) = bytes(&app, "/donnees/schema-annuaire-ess.json").await;
    assert_eq!(headers["content-type"], "application/schema+json");
    let schema: serde_json::Value = serde_json::from_slice(&schema).unwrap();
    let names: Vec<String> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();

    let (headers, csv) = bytes(&app, "/donnees/annuaire-ess.csv").await;
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let (header, rows) = read_csv(&csv);
    assert_eq!(header, names, "the CSV's columns are the schema's");
    assert_eq!(
        rows.keys().cloned().collect::<BTreeSet<_>>(),
        slugs,
        "one row per published entry, no other"
    );
    // No contact that may be a person's, anywhere in the file.
    let text = String::from_utf8(csv.clone()).unwrap();
    for (slug, email, phone, ..) in &entries {
        for contact in [email, phone].into_iter().filter(|c| c.len() > 4) {
            assert!(!text.contains(contact.as_str()), "{slug}: {contact}");
        }
    }
    let asteur = &rows["les-courses-asteur"];
    assert_eq!(asteur["url"], app.url("/annuaire/les-courses-asteur"));
    assert_eq!(asteur["mise_a_jour"].len(), 10, "a date, AAAA-MM-JJ");

    // JSON: the same entries and fields.
    let (_, json) = bytes(&app, "/donnees/annuaire-ess.json").await;
    let json: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&json).unwrap();
    assert_eq!(json.len(), rows.len());
    for object in &json {
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, FIELDS.iter().map(|f| f.name).collect());
        let row = &rows[object["identifiant"].as_str().unwrap()];
        assert_eq!(object["nom"].as_str().unwrap(), row["nom"]);
        assert!(object["secteurs"].is_array());
    }

    // GeoJSON: a point per placed entry, longitude first, as in the database.
    let (headers, geojson) = bytes(&app, "/donnees/annuaire-ess.geojson").await;
    assert_eq!(headers["content-type"], "application/geo+json");
    let geojson: serde_json::Value = serde_json::from_slice(&geojson).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), entries.len());
    let places: BTreeMap<&str, (Option<f64>, Option<f64>)> = entries
        .iter()
        .map(|(slug, _, _, lat, lon)| (slug.as_str(), (*lat, *lon)))
        .collect();
    let mut placed = 0;
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        let slug = feature["properties"]["identifiant"].as_str().unwrap();
        match places[slug] {
            (Some(lat), Some(lon)) => {
                assert_eq!(feature["geometry"]["type"], "Point");
                let at = feature["geometry"]["coordinates"].as_array().unwrap();
                assert!((at[0].as_f64().unwrap() - lon).abs() < 1e-5, "{slug}");
                assert!((at[1].as_f64().unwrap() - lat).abs() < 1e-5, "{slug}");
                placed += 1;
            }
            _ => assert!(feature["geometry"].is_null(), "{slug}"),
        }
        assert!(feature["properties"].get("latitude").is_none());
    }
    assert!(placed > 0);
}

/// A manager states the workforce band in the entry form; a band not in the list is refused
/// with the typed text kept; the dataset shows the new band.
async fn managers_state_the_workforce(app: TestApp) {
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let form = common::page(&app, &manager, "/annuaire/les-courses-asteur/modifier").await;
    assert!(form.contains(r#"<select id="champ-staff_band" name="staff_band""#));
    let fields = |band: &'static str| {
        [
            ("name", "Les Courses Asteur"),
            ("offer", "Livraisons à vélo cargo"),
            ("postal_code", "59140"),
            ("sectors", "mobilite"),
            ("staff_band", band),
        ]
    };
    let refused = post(
        &app,
        &manager,
        "/annuaire/les-courses-asteur/modifier",
        &fields("beaucoup"),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Choisissez l'effectif dans la liste"));
    assert!(html.contains("Livraisons à vélo cargo"), "typed text kept");
    let saved = post(
        &app,
        &manager,
        "/annuaire/les-courses-asteur/modifier",
        &fields("20-49"),
    )
    .await;
    assert_eq!(saved.status(), 303);
    let (band, revisions): (String, i64) = sqlx::query_as(
        "SELECT s.staff_band, (SELECT COUNT(*) FROM structure_revisions r WHERE r.structure_id = s.id \
         AND r.fields_after LIKE '%staff_band%') FROM structures s WHERE s.slug = 'les-courses-asteur'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (band.as_str(), revisions),
        ("20-49", 1),
        "saved with its revision"
    );
    let entry = common::page(&app, &app.browser(), "/annuaire/les-courses-asteur").await;
    assert!(entry.contains("20 à 49 salariés"));
    app.search_caught_up().await;
    let (_, csv) = bytes(&app, "/donnees/annuaire-ess.csv").await;
    assert_eq!(read_csv(&csv).1["les-courses-asteur"]["effectif"], "20-49");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn snapshots_are_dated_and_kept(app: TestApp) {
    use dessine::features::opendata::db::take_snapshot;
    app.search_caught_up().await;
    // A snapshot left from long ago, to be forgotten.
    sqlx::query(
        "INSERT INTO open_data_snapshots (day, created_at, row_count, size, sha256, gzip) \
         VALUES ('2001-01-01', '2001-01-01T00:00:00Z', 0, 0, '', $1)",
    )
    .bind(Vec::<u8>::new())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let now = Timestamp::now();
    let day = now.iso_date();
    let entries = published(&app).await.len() as u64;
    // The server's own job may have written today's already.
    let written = take_snapshot(&app.state, now).await.unwrap();
    assert!(written == entries || written == 0);
    assert_eq!(
        take_snapshot(&app.state, now).await.unwrap(),
        0,
        "once a day"
    );
    let days: Vec<String> = sqlx::query_scalar("SELECT day FROM open_data_snapshots")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(days, std::slice::from_ref(&day), "the old day forgotten");

    let path = format!("/donnees/instantanes/annuaire-ess-{day}.csv");
    let compressed = app
        .browser()
        .get(app.url(&path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), 200);
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let etag = compressed.headers()["etag"].to_str().unwrap().to_owned();
    let snapshot = gunzip(&compressed.bytes().await.unwrap());
    let (_, plain) = bytes(&app, &path).await;
    assert_eq!(plain, snapshot, "the same file without compression");
    assert_eq!(etag, format!("\"{}\"", sha256(&plain)));
    let (_, rows) = read_csv(&plain);
    assert_eq!(rows.len() as u64, entries);

    // A later edit changes the live file, not the day's snapshot.
    common::edit_asteur(
        &app,
        "lea@exemple.fr",
        "Les Courses Asteur",
        "Après l'instantané",
    )
    .await;
    app.search_caught_up().await;
    let (_, live) = bytes(&app, "/donnees/annuaire-ess.csv").await;
    assert_eq!(
        read_csv(&live).1["les-courses-asteur"]["offre"],
        "Après l'instantané"
    );
    let (_, again) = bytes(&app, &path).await;
    assert_eq!(again, plain, "a snapshot never changes");

    // The page lists it with its fingerprint, and describes the dataset for search engines.
    let (status, html) = app.get_text("/donnees").await;
    assert_eq!(status, 200);
    assert!(html.contains(&path) && html.contains(&sha256(&plain)));
    let json_ld = html
        .split(r#"<script type="application/ld+json""#)
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .expect("JSON-LD in the page");
    let dataset: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(dataset["@type"], "Dataset");
    assert_eq!(dataset["license"], LICENCE_URL);
    assert_eq!(dataset["dateModified"], day);
    let downloads: Vec<&str> = dataset["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["contentUrl"].as_str().unwrap())
        .collect();
    assert_eq!(
        downloads,
        ["csv", "json", "geojson"].map(|ext| app.url(&format!("/donnees/annuaire-ess.{ext}")))
    );

    for wrong in [
        "annuaire-ess-2001-01-01.csv",
        "annuaire-ess-2026-13-45.csv",
        "annuaire-ess-..%2F..%2Fetc.csv",
        "autre-2026-01-01.csv",
    ] {
        let response = app
            .browser()
            .get(app.url(&format!("/donnees/instantanes/{wrong}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{wrong}");
    }
}

on_both_databases!(
    files_match_the_database,
    managers_state_the_workforce,
    snapshots_are_dated_and_kept,
);
