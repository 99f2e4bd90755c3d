//! The directory of ESS structures (« Annuaire des acteurs de l'ESS »): the search page with
//! facets, each structure's page, the CSV and JSON exports, demo and synthetic data.

pub mod live;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod search_params;
#[cfg(feature = "ssr")]
pub mod views;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod map;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod synthetic;

#[cfg(feature = "ssr")]
pub use crate::slug::is_slug;
#[cfg(feature = "ssr")]
pub use model::*;
#[cfg(feature = "ssr")]
pub use search_params::{SearchParams, Zone, search_terms};

/// The exports (`GET`): every published entry matching a search, as CSV, JSON or GeoJSON;
/// and the map's groups for a search and a box.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    crate::web::forms::Routes::new()
        .get("/annuaire.csv", export::export_csv)
        .get("/annuaire.json", export::export_json)
        .get("/annuaire.geojson", export::export_geojson)
        .get("/annuaire/carte.json", map::clusters_json)
}

/// The directory ([`crate::privacy`]).
#[cfg(feature = "ssr")]
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Annuaire des structures",
    tables: &["structures", "structure_revisions"],
    data: "Les coordonnées publiées d'une structure (qui peuvent nommer une personne : téléphone, adresse e-mail de contact) et, pour chaque modification, le compte qui l'a faite.",
    purpose: "Tenir un annuaire exact des structures de l'ESS du territoire, savoir qui a changé quoi et pouvoir revenir en arrière.",
    basis: crate::privacy::LEGITIMATE_INTEREST,
    retention: "Tant que la fiche existe ; une structure peut demander à tout moment la correction ou le retrait de sa fiche.",
    recipients: "Tout visiteur pour les coordonnées publiées ; les modérateurs et les administrateurs pour l'historique.",
};
