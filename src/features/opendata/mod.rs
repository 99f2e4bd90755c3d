//! Open data (`/donnees`): the directory as a dataset others may reuse under the Licence
//! Ouverte 2.0 — its fields and their meaning, the files in CSV, JSON and GeoJSON, the Table
//! Schema the CSV follows, schema.org `Dataset` metadata, and a dated snapshot each day.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod views;

/// The files of `/donnees` (`GET`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    crate::web::forms::Routes::new()
        .get("/donnees/annuaire-ess.csv", views::live_csv)
        .get("/donnees/annuaire-ess.json", views::live_json)
        .get("/donnees/annuaire-ess.geojson", views::live_geojson)
        .get("/donnees/schema-annuaire-ess.json", views::schema)
        .get("/donnees/instantanes/{name}", views::snapshot_file)
}
