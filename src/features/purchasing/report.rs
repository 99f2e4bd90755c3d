//! The yearly report: needs posted, sent, answered and won by ESS suppliers.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the report: a sector, a territory, or the total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub name: String,
    pub needs: i64,
    pub answers: i64,
    pub won: i64,
    pub amount: i64,
}

/// `/achats/bilan`: a year's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub year: i32,
    pub years: Vec<i32>,
    pub total: ReportRow,
    pub by_sector: Vec<ReportRow>,
    pub by_territory: Vec<ReportRow>,
}

/// `/achats/bilan`: a year's figures (`annee` 0: the latest year with a need, or this year).
#[server(endpoint = "achats/bilan")]
pub async fn load_report(#[server(default)] annee: i32) -> Result<Report, AppError> {
    // Public: aggregates only, nothing that names a buyer or a structure.
    let state = crate::state::app_state()?;
    super::export::report(&state, annee).await
}
