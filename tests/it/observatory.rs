//! The observatory's figures, read back from their CSV (a real parser) and recounted here from
//! the database's rows, for the whole portal and for a territory, on both databases; a later
//! edit does not move a past quarter; the page draws every figure as SVG with its table.

use std::collections::BTreeMap;

use crate::common::TestApp;

async fn figure(
    app: &TestApp,
    base: &str,
    key: &str,
    territory: &str,
) -> BTreeMap<String, Vec<i64>> {
    let response = app
        .browser()
        .get(format!(
            "{base}/observatoire.csv?figure={key}&territoire={territory}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{key}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let body = response.bytes().await.unwrap();
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(&body[3..]);
    assert!(reader.headers().unwrap().len() >= 2);
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let values = record
                .iter()
                .skip(1)
                .map(|v| v.parse::<i64>().unwrap())
                .collect();
            (record[0].to_owned(), values)
        })
        .collect()
}

fn first(rows: &BTreeMap<String, Vec<i64>>) -> BTreeMap<String, i64> {
    rows.iter().map(|(k, v)| (k.clone(), v[0])).collect()
}

/// `(département id, intercommunality id, legal form, staff band, created_at)` of the published
/// entries, and `(structure id, sector name)` pairs.
type Entry = (i64, i64, Option<i64>, String, String, String);

async fn entries(app: &TestApp) -> Vec<Entry> {
    sqlx::query_as(
        "SELECT id, departement_id, intercommunality_id, legal_form, staff_band, created_at \
         FROM structures WHERE status = 'published'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn recount(app: &TestApp, base: &str, territory: Option<(i64, &str)>) {
    let slug = territory.map_or("", |(_, slug)| slug);
    let all = entries(app).await;
    let in_scope: Vec<_> = all
        .iter()
        .filter(|(_, _, intercommunality, ..)| {
            territory.is_none_or(|(id, _)| *intercommunality == Some(id))
        })
        .collect();
    assert!(!in_scope.is_empty());
    let ids: std::collections::HashSet<i64> = in_scope.iter().map(|e| e.0).collect();

    // Sectors.
    let pairs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ss.structure_id, sec.name FROM structure_sectors ss JOIN sectors sec ON sec.id = ss.sector_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut sectors: BTreeMap<String, i64> = BTreeMap::new();
    for (_, name) in pairs.iter().filter(|(id, _)| ids.contains(id)) {
        *sectors.entry(name.clone()).or_default() += 1;
    }
    assert_eq!(
        first(&figure(app, base, "secteurs", slug).await),
        sectors,
        "{slug}"
    );

    // Legal forms, by their French names.
    let mut forms: BTreeMap<String, i64> = BTreeMap::new();
    for entry in &in_scope {
        *forms
            .entry(dessine::features::directory::legal_form_label(&entry.3).to_owned())
            .or_default() += 1;
    }
    assert_eq!(
        first(&figure(app, base, "formes", slug).await),
        forms,
        "{slug}"
    );

    // Staff bands that are stated.
    let mut bands: BTreeMap<String, i64> = BTreeMap::new();
    for entry in in_scope.iter().filter(|e| !e.4.is_empty()) {
        *bands
            .entry(dessine::features::directory::staff_band_label(&entry.4))
            .or_default() += 1;
    }
    assert_eq!(
        first(&figure(app, base, "effectifs", slug).await),
        bands,
        "{slug}"
    );

    // New entries per quarter, from the creation dates; the twelve quarters are all there.
    let quarters = first(&figure(app, base, "nouvelles-fiches", slug).await);
    assert_eq!(quarters.len(), 12);
    for (quarter, count) in &quarters {
        let (year, q) = quarter.split_once("-T").unwrap();
        let q: u32 = q.parse().unwrap();
        let expected = in_scope
            .iter()
            .filter(|e| {
                let month: u32 = e.5[5..7].parse().unwrap();
                e.5[..4] == *year && (month - 1) / 3 + 1 == q
            })
            .count() as i64;
        assert_eq!(*count, expected, "{slug} {quarter}");
    }

    // Labelled structures (valid label) in scope.
    let labelled: Vec<i64> = sqlx::query_scalar(
        "SELECT structure_id FROM label_journeys WHERE state = 'labelled' AND valid_until > $1",
    )
    .bind(dessine::timestamp::Timestamp::now())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let label = first(&figure(app, base, "label", slug).await);
    assert_eq!(
        label["Labellisées (label valide)"],
        labelled.iter().filter(|id| ids.contains(id)).count() as i64,
        "{slug}"
    );
}

async fn figures_match_the_database(app: TestApp) {
    let base = app.url("");
    let base = base.trim_end_matches('/');
    recount(&app, base, None).await;
    let (id, slug): (i64, String) = sqlx::query_as(
        "SELECT id, slug FROM territories WHERE slug = 'communaute-urbaine-de-dunkerque'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    recount(&app, base, Some((id, &slug))).await;
    // An unknown territory is the whole portal; an unknown figure says which exist.
    assert_eq!(
        figure(&app, base, "formes", "%3Cscript%3E").await,
        figure(&app, base, "formes", "").await
    );
    let (status, body) = app.get_text("/observatoire.csv?figure=%3Cscript%3E").await;
    assert_eq!(status, 404);
    assert!(
        body.contains("secteurs") && !body.contains("<script>"),
        "{body}"
    );
}

/// A quarter's figure comes from dated facts: editing every entry later leaves past quarters as
/// they were; a new entry counts in the current quarter.
async fn history_holds_when_entries_are_edited(app: TestApp) {
    let before = first(&figure(&app, &app.another_server().await, "nouvelles-fiches", "").await);
    sqlx::query("UPDATE structures SET name = name || ' ', updated_at = $1")
        .bind(dessine::timestamp::Timestamp::now())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let after = first(&figure(&app, &app.another_server().await, "nouvelles-fiches", "").await);
    assert_eq!(before, after);
    crate::common::create_structure(&app, "Observatoire Nouvelle Fiche").await;
    let added = first(&figure(&app, &app.another_server().await, "nouvelles-fiches", "").await);
    let current = added.keys().last().unwrap().clone();
    assert_eq!(added[&current], before[&current] + 1);
    for (quarter, count) in &before {
        if *quarter != current {
            assert_eq!(added[quarter], *count, "{quarter}");
        }
    }
}

/// The page: every figure drawn as an SVG image named by its title and reading, its table behind
/// a summary in a region the keyboard reaches, its CSV; the territory chooser keeps the choice.
async fn the_page_draws_each_figure(app: TestApp) {
    let (status, html) = app
        .get_text("/observatoire?territoire=communaute-urbaine-de-dunkerque")
        .await;
    assert_eq!(status, 200);
    for key in [
        "secteurs",
        "formes",
        "effectifs",
        "nouvelles-fiches",
        "label",
        "evenements",
        "achats",
    ] {
        assert!(html.contains(&format!("id=\"titre-{key}\"")), "{key}");
        assert!(
            html.contains(&format!("aria-labelledby=\"titre-{key} lecture-{key}\"")),
            "{key}: an SVG named by its title and reading"
        );
        assert!(
            html.contains(&format!(
                "/observatoire.csv?figure={key}&amp;territoire=communaute-urbaine-de-dunkerque"
            )),
            "{key}"
        );
    }
    assert!(html.matches("<svg ").count() >= 6);
    // Purchasing in stacked bars: of each sector's answers, the contracts won and the rest, as
    // the CSV gives them; the rest hatched (a texture, not only a colour).
    let achats = figure(&app, &app.base, "achats", "").await;
    assert!(!achats.is_empty());
    for (sector, values) in &achats {
        let line = format!("{sector} : {} sur {}", values[0], values[0] + values[1]);
        assert!(html.contains(&line), "{line}");
    }
    assert!(html.contains("<pattern id=\"hachures-achats\""));
    assert!(html.contains("fill=\"url(#hachures-achats)\""));
    assert!(html.contains("role=\"region\" tabindex=\"0\""));
    assert!(html.contains("<option value=\"communaute-urbaine-de-dunkerque\" selected"));
    assert!(!html.contains("<script>alert"));
}

on_both_databases!(
    figures_match_the_database,
    history_holds_when_entries_are_edited,
    the_page_draws_each_figure,
);
