//! The directory's map (`/annuaire/carte`, `/annuaire/carte.json`) and what works without it
//! (« dans cette zone », « près de… »), on both databases, against the JSON export's coordinates.

use crate::common::TestApp;

/// The JSON export's entries for a search: (url, longitude, latitude) of those placed.
async fn placed(app: &TestApp, query: &str) -> Vec<(String, f64, f64)> {
    let items: Vec<serde_json::Value> = app
        .get(&format!("/annuaire.json?{query}"))
        .await
        .json()
        .await
        .unwrap();
    items
        .iter()
        .filter_map(|item| {
            Some((
                item["url"].as_str()?.to_owned(),
                item["longitude"].as_f64()?,
                item["latitude"].as_f64()?,
            ))
        })
        .collect()
}

fn inside(zone: [f64; 4], lon: f64, lat: f64) -> bool {
    // The index keeps single-precision coordinates: the test's boxes stay clear of the edges.
    lon >= zone[0] && lon <= zone[2] && lat >= zone[1] && lat <= zone[3]
}

fn zone_param(zone: [f64; 4]) -> String {
    zone.map(|d| format!("{d:.5}")).join(",")
}

async fn groups(app: &TestApp, query: &str) -> (u16, serde_json::Value) {
    let response = app.get(&format!("/annuaire/carte.json?{query}")).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Whatever the search and the box, the groups hold exactly the search's placed entries inside
/// the box, each once; a lone entry carries its card; the list with the same box counts the
/// same; zooming in gives more, smaller groups.
async fn the_map_groups_the_search_inside_the_box(app: TestApp) {
    for query in ["", "q=recycl", "secteur=culture", "q=zzzzqq"] {
        let all = placed(&app, query).await;
        let whole = [-5.0, 41.0, 10.0, 52.0];
        let mut zones = vec![whole];
        // A small box around each of a few entries.
        for (_, lon, lat) in all.iter().step_by(7).take(4) {
            zones.push([lon - 0.02, lat - 0.015, lon + 0.02, lat + 0.015]);
        }
        for zone in zones {
            let expected: Vec<&(String, f64, f64)> = all
                .iter()
                .filter(|(_, lon, lat)| inside(zone, *lon, *lat))
                .collect();
            let separator = if query.is_empty() { "" } else { "&" };
            let box_query = format!("{query}{separator}zone={}", zone_param(zone));
            for zoom in [3, 9, 13, 19] {
                let (status, answer) = groups(&app, &format!("{box_query}&zoom={zoom}")).await;
                assert_eq!(status, 200, "{box_query}");
                assert_eq!(
                    answer["total"],
                    expected.len() as u64,
                    "{box_query} zoom {zoom}"
                );
                let clusters = answer["clusters"].as_array().unwrap();
                let counted: u64 = clusters.iter().map(|c| c["count"].as_u64().unwrap()).sum();
                assert_eq!(counted, expected.len() as u64, "{box_query}");
                for cluster in clusters {
                    let (lon, lat) = (
                        cluster["lon"].as_f64().unwrap(),
                        cluster["lat"].as_f64().unwrap(),
                    );
                    let bounds: Vec<f64> = cluster["bounds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|b| b.as_f64().unwrap())
                        .collect();
                    assert!(
                        bounds[0] <= lon + 1e-4 && lon <= bounds[2] + 1e-4,
                        "{cluster}"
                    );
                    assert!(
                        bounds[1] <= lat + 1e-4 && lat <= bounds[3] + 1e-4,
                        "{cluster}"
                    );
                    let entry = &cluster["entry"];
                    if cluster["count"] == 1 {
                        let href = entry["href"].as_str().unwrap();
                        assert!(href.starts_with("/annuaire/"), "{href}");
                        assert!(
                            expected.iter().any(|(url, _, _)| url.ends_with(href)),
                            "{href} is not one of the box's entries"
                        );
                        assert!(!entry["name"].as_str().unwrap().is_empty());
                        assert!(entry["sectors"].is_array());
                    } else {
                        assert!(entry.is_null(), "{cluster}");
                    }
                }
            }
            // The list « dans cette zone » counts the same entries.
            let (status, html) = app.get_text(&format!("/annuaire?{box_query}")).await;
            assert_eq!(status, 200);
            assert_eq!(
                crate::directory::total(&html),
                expected.len() as i64,
                "{box_query}"
            );
            assert!(html.contains("Dans la zone de la carte"), "{box_query}");
        }
        if query.is_empty() {
            assert!(
                all.len() > 40,
                "the demo's entries are placed: {}",
                all.len()
            );
            let wide = |zoom: u32| {
                let app = &app;
                async move {
                    let (_, answer) =
                        groups(app, &format!("zone={}&zoom={zoom}", zone_param(whole))).await;
                    answer["clusters"].as_array().unwrap().len()
                }
            };
            let (far, near) = (wide(5).await, wide(14).await);
            assert!(far < near, "{far} groups at zoom 5, {near} at zoom 14");
        }
    }
}

/// Bad boxes and zooms get a clear answer, never an error page or every point.
async fn the_map_refuses_what_is_not_a_box(app: TestApp) {
    for query in [
        "",
        "zoom=10",
        "zone=",
        "zone=NaN,0,1,1",
        "zone=1,2,3",
        "zone=4,52,1,49",
        "zone=-200,0,1,1",
        "zone=%3Cscript%3E,0,1,1",
        "zone=1e999,0,1,1",
    ] {
        let (status, answer) = groups(&app, query).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            answer["erreur"].as_str().unwrap().contains("zone"),
            "{query}"
        );
    }
    // A zoom that makes no sense falls back to the default; hostile words are only words.
    for query in [
        "zone=1,49,4,52&zoom=abc",
        "zone=1,49,4,52&zoom=999",
        "zone=1,49,4,52&zoom=-3",
        "zone=1,49,4,52&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&secteur=%27%3B--",
        "zone=-180,-90,180,90&zoom=19",
    ] {
        let (status, answer) = groups(&app, query).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            answer["clusters"].as_array().unwrap().len() <= 1024,
            "{query}"
        );
    }
}

/// « près de… »: a commune's name (any case, accents or not) or a postal code orders the list
/// by distance, nearest first, each result saying how far; an unknown place says so.
async fn near_orders_the_list_by_distance(app: TestApp) {
    let items: Vec<serde_json::Value> = app.get("/annuaire.json").await.json().await.unwrap();
    let example = items
        .iter()
        .find(|item| {
            item["latitude"].is_number()
                && item["code_postal"].as_str().is_some_and(|c| c.len() == 5)
        })
        .expect("a placed entry with a postal code");
    let commune = example["commune"].as_str().unwrap().to_owned();
    let postal = example["code_postal"].as_str().unwrap().to_owned();
    let shouted = commune.to_uppercase();
    for near in [commune.as_str(), shouted.as_str(), postal.as_str()] {
        let (status, html) = app
            .get_text(&format!("/annuaire?pres={}", urlencode(near)))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains(&format!("Triées par distance de {commune}")),
            "{near}"
        );
        let distances = distances(&html);
        assert!(distances.len() >= 10, "{near}: {distances:?}");
        assert!(
            distances.windows(2).all(|w| w[0] <= w[1] + 0.05),
            "{near}: not nearest first: {distances:?}"
        );
        assert!(distances[0] < 5.0, "{near}: {distances:?}");
        // Every entry is still listed: « près de » orders, it does not filter.
        assert_eq!(crate::directory::total(&html), items.len() as i64);
    }
    for unknown in ["Zzzville", "00000", "<script>alert(1)</script>"] {
        let (status, html) = app
            .get_text(&format!("/annuaire?pres={}", urlencode(unknown)))
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("Aucune structure publiée à « "), "{unknown}");
        assert!(!html.contains("<script>alert(1)"), "{unknown}");
        assert!(distances(&html).is_empty());
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The « à 3,2 km » of each result, in kilometres, in page order.
fn distances(html: &str) -> Vec<f64> {
    html.split(" · à ")
        .skip(1)
        .map(|rest| {
            let text = &rest[..rest.find("</p>").unwrap()];
            let (number, unit) = text.split_once(' ').unwrap();
            let value: f64 = number.replace(',', ".").parse().unwrap();
            if unit == "m" { value / 1000.0 } else { value }
        })
        .collect()
}

/// The map page is the list with a map above it: the same results, its script and styles
/// there only, a way past the map, and the link from the directory keeps the search.
async fn the_map_page_is_the_list_with_a_map(app: TestApp) {
    let (status, list) = app.get_text("/annuaire?q=recycl&secteur=recyclage").await;
    assert_eq!(status, 200);
    assert!(!list.contains("leaflet"), "the directory loads no map code");
    assert!(
        list.contains("href=\"/annuaire/carte?q=recycl&amp;secteur=recyclage\""),
        "« Voir sur la carte » keeps the search"
    );
    let (status, page) = app
        .get_text("/annuaire/carte?q=recycl&secteur=recyclage")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        crate::directory::total(&page),
        crate::directory::total(&list)
    );
    assert!(page.contains("<script src=\"/carte/leaflet.js\" defer"));
    assert!(page.contains("<script src=\"/carte/carte.js\" defer"));
    assert!(page.contains("/carte/leaflet.css"));
    assert!(page.contains("data-groups=\"/annuaire/carte.json?q=recycl&amp;secteur=recyclage\""));
    assert!(page.contains("href=\"#resultats\""), "a link past the map");
    // The script finds the map by its id: nothing else on the page may carry it.
    assert_eq!(page.matches("id=\"carte\"").count(), 1);
    assert!(page.contains("La liste ci-dessous donne les mêmes structures"));
    // Links of the map's list stay on the map.
    assert!(
        page.contains("href=\"/annuaire/carte?q=recycl\""),
        "removing a filter keeps the map"
    );
    assert!(!page.contains(">Voir sur la carte<"));
    // Without tiles configured, the page names none.
    assert!(page.contains("data-tiles=\"\""));
    for page in ["/", "/annuaire/les-courses-asteur", "/evenements"] {
        let (_, html) = app.get_text(page).await;
        assert!(!html.contains("/carte/"), "{page} loads map code");
    }
}

on_both_databases!(
    the_map_groups_the_search_inside_the_box,
    the_map_refuses_what_is_not_a_box,
    near_orders_the_list_by_distance,
    the_map_page_is_the_list_with_a_map,
);
