//! The observatory (`/observatoire`): the territory's ESS at a glance — structures by sector, by
//! legal form and by size, new entries per quarter, the label, events and their attendance,
//! responsible purchasing — each figure a chart drawn on the server as SVG, with its numbers in
//! a table, a sentence that reads it, its source and date, and its CSV.

#[cfg(feature = "ssr")]
pub mod chart;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod views;

/// `GET /observatoire.csv?figure=…&territoire=…`: one figure's numbers.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    crate::web::forms::Routes::new().get("/observatoire.csv", views::figure_csv)
}
