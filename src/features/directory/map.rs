//! `GET /annuaire/carte.json`: the map's groups for the directory's search (same words and
//! filters as `/annuaire`) inside the visible box `zone=west,south,east,north` at `zoom`,
//! computed by the search index on the server (`crate::search::Clusters`): the browser receives
//! a few hundred groups at most, never every entry. A group of one carries the entry's card.

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::hooks::use_query_map;
use serde::Serialize;

use super::SearchParams;
use super::api::search_directory;
use super::legal_form_label;
use super::live::LiveSearch;
use super::views::{MAP_PATH, Results, SearchForm};
use crate::search::{Clusters, Labels};
use crate::state::AppState;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;

/// The zoom a map opens at when the address gives none.
pub const DEFAULT_ZOOM: u8 = 10;
/// Leaflet's deepest zoom with OpenStreetMap's tiles.
pub const MAX_ZOOM: u8 = 19;

#[derive(Debug, Serialize)]
pub struct MapAnswer {
    /// Entries in the box, all groups together.
    pub total: u64,
    pub clusters: Vec<MapCluster>,
}

#[derive(Debug, Serialize)]
pub struct MapCluster {
    pub count: u64,
    pub lon: f32,
    pub lat: f32,
    /// West, south, east, north of its entries: where choosing it zooms to.
    pub bounds: [f32; 4],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<MapEntry>,
}

/// What the small card of a lone entry shows.
#[derive(Debug, Serialize)]
pub struct MapEntry {
    pub name: String,
    pub href: String,
    pub form: String,
    pub commune: String,
    pub sectors: Vec<String>,
}

/// The index's groups with the names people read.
pub fn answer(labels: &Labels, clusters: Clusters) -> MapAnswer {
    MapAnswer {
        total: clusters.total,
        clusters: clusters
            .clusters
            .into_iter()
            .map(|cluster| MapCluster {
                count: cluster.count,
                lon: cluster.center[0],
                lat: cluster.center[1],
                bounds: cluster.bounds,
                entry: cluster.single.map(|hit| MapEntry {
                    href: format!("/annuaire/{}", hit.card.slug),
                    name: hit.card.name,
                    form: legal_form_label(&hit.form).to_owned(),
                    commune: super::queries::place_name(labels, hit.commune),
                    sectors: super::queries::sector_names(labels, hit.sectors),
                }),
            })
            .collect(),
    }
}

pub async fn clusters_json(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = crate::ui::href::decode_query(&query.unwrap_or_default());
    let params = SearchParams::from_decoded(&pairs);
    let zoom = pairs
        .iter()
        .find(|(key, _)| key == "zoom")
        .and_then(|(_, value)| value.trim().parse::<u8>().ok())
        .filter(|zoom| *zoom <= MAX_ZOOM)
        .unwrap_or(DEFAULT_ZOOM);
    if params.zone.is_none() {
        let error = serde_json::json!({
            "erreur": "Indiquez la zone visible : zone=ouest,sud,est,nord (en degrés)."
        });
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            error.to_string(),
        )
            .into_response();
    }
    let answer = super::queries::clusters(&state, &params, zoom).await;
    match serde_json::to_string(&answer) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                // The directory changes within seconds of an edit; a short life is enough for
                // a map panned back and forth.
                (header::CACHE_CONTROL, "public, max-age=30"),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "map: the answer could not be written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `/annuaire/carte`: the same search as `/annuaire`, with a map above its list. The page is
/// the list (server-rendered, complete without JavaScript); the map is an island of plain
/// JavaScript — Leaflet and `public/carte/carte.js`, loaded by this page only — that asks
/// [`clusters_json`] for the groups of the visible box and, when the visitor moves it, puts
/// the box in the address (`zone=`) and refreshes the list to « dans cette zone ».
#[component]
pub fn MapPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|map| SearchParams::from_pairs(map.into_iter().map(|(k, v)| (k.as_ref(), v))))
    };
    let results = Resource::new_blocking(params, search_directory);
    // Pages render on the server only (islands): the settings are read there.
    let tiles = crate::state::app_state()
        .ok()
        .and_then(|state| state.config.tiles.clone());
    view! {
        <Title text="Carte des acteurs de l'ESS" />
        <Description text="Les structures de l'ESS du territoire sur une carte : cherchez, filtrez, zoomez et ouvrez leur fiche ; la liste sous la carte donne les mêmes structures." />
        <Stylesheet id="feuille-leaflet" href="/carte/leaflet.css" />
        <Stylesheet id="feuille-carte" href="/carte/carte.css" />
        <h1>"Carte des acteurs de l'ESS"</h1>
        <Suspense>
            {move || {
                let tiles = tiles.clone();
                Suspend::new(async move {
                    let params = params();
                    match results.await {
                        Ok(results) => {
                            // The groups follow the words and filters, not the box or the page:
                            // the map sends its own box.
                            let groups = SearchParams { zone: None, near: String::new(), ..params.with_page(1) }
                                .href("/annuaire/carte.json");
                            let list = params.with_page(1).href("/annuaire");
                            let zone = params.zone.map(|zone| zone.to_param()).unwrap_or_default();
                            let (tiles_url, attribution) = tiles
                                .map(|t| (t.url, t.attribution))
                                .unwrap_or_default();
                            let form_params = params.clone();
                            view! {
                                <p class="page-action"><a href=list>"Revenir à la liste"</a></p>
                                <LiveSearch><SearchForm params=form_params near=true action=MAP_PATH /></LiveSearch>
                                <a class="skip-map" href="#resultats">"Passer la carte et aller à la liste"</a>
                                <div
                                    id="carte"
                                    class="map"
                                    data-groups=groups
                                    data-zone=zone
                                    data-tiles=tiles_url
                                    data-attribution=attribution
                                >
                                    <p class="map-fallback">"La carte s'affiche avec JavaScript. La liste ci-dessous donne les mêmes structures, avec le lien de chaque fiche."</p>
                                </div>
                                <p id="carte-etat" class="visually-hidden" role="status" aria-live="polite"></p>
                                <Results params results base=MAP_PATH />
                                <script src="/carte/leaflet.js" defer></script>
                                <script src="/carte/carte.js" defer></script>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
