//! Reference data that every feature points to: the territories the portal covers
//! (départements, intercommunalités, communes) and the ESS sectors.

pub mod api;
pub mod data;
pub mod db;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// An intercommunality and the communes of it the portal knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intercommunality {
    pub slug: String,
    pub name: String,
    pub departement: String,
    pub communes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceOverview {
    pub sectors: Vec<Sector>,
    pub intercommunalities: Vec<Intercommunality>,
}

/// The bit that stands for a sector in `structures.sector_mask`.
pub fn sector_bit(sector_id: i64) -> Result<i64, sqlx::Error> {
    if (0..63).contains(&sector_id) {
        Ok(1 << sector_id)
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sector id {sector_id} does not fit the sector bit set"
        )))
    }
}
