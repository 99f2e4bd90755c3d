//! The directory's types: publication status, legal forms and SIAE kinds (with their French
//! labels), the SIRET check, and what the pages show.

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: u32 = 20;
/// The `label` filter of the directory: structures whose « démarche progrès » label is valid.
pub const LABEL_FILTER: &str = "demarche-progres";

/// The confirmations an entry's page shows at its top, after a post about the entry (saved,
/// request sent, decided): the features that act on entries answer with these codes.
pub const ENTRY_NOTICES: crate::ui::notice::Notices = &[
    ("fiche-enregistree", "La fiche a été enregistrée."),
    (
        "demande-envoyee",
        "Votre demande a été envoyée : un administrateur ou un gestionnaire de la fiche va l'examiner.",
    ),
    ("demande-approuvee", "La demande a été acceptée."),
    ("demande-refusee", "La demande a été refusée."),
];

/// Whether an entry shows in the directory. Stored as text in `structures.status`; this is the
/// one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationStatus {
    Published,
    Draft,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::Published => "published",
            PublicationStatus::Draft => "draft",
        }
    }
}
/// Words of a query beyond this are ignored: nobody types more, and it bounds the work.
pub const MAX_TERMS: usize = 8;

/// Legal forms: `(slug, French label)`. The slug is stored and used in URLs.
pub const LEGAL_FORMS: &[(&str, &str)] = &[
    ("association", "Association"),
    ("scop", "SCOP"),
    ("scic", "SCIC"),
    ("cooperative", "Autre coopérative"),
    ("mutuelle", "Mutuelle"),
    ("fondation", "Fondation"),
    ("esus", "Entreprise ESUS"),
    ("siae", "Structure d'insertion (SIAE)"),
    ("esat-ea", "ESAT / entreprise adaptée"),
    ("autre", "Autre forme"),
];

/// Kinds of insertion structure (SIAE).
pub const SIAE_KINDS: &[(&str, &str)] = &[
    ("ACI", "Atelier et chantier d'insertion"),
    ("EI", "Entreprise d'insertion"),
    ("ETTI", "Entreprise de travail temporaire d'insertion"),
    ("AI", "Association intermédiaire"),
];

pub fn legal_form_label(slug: &str) -> &'static str {
    LEGAL_FORMS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or("Autre forme", |(_, label)| label)
}

pub fn siae_kind_label(code: &str) -> Option<&'static str> {
    SIAE_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// A SIRET is 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments, SIREN
/// 356 000 000, use a digit sum that is a multiple of 5 instead).
pub fn is_valid_siret(siret: &str) -> bool {
    let digits: Vec<u32> = siret.chars().filter_map(|c| c.to_digit(10)).collect();
    if siret.len() != 14 || digits.len() != 14 {
        return false;
    }
    if siret.starts_with("356000000") {
        return digits.iter().sum::<u32>().is_multiple_of(5);
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// One line of the result list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureSummary {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub legal_form: String,
    pub commune: String,
    pub sectors: Vec<String>,
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub slug: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub sectors: Vec<FacetCount>,
    pub territories: Vec<FacetCount>,
    pub forms: Vec<FacetCount>,
    pub clubs: Vec<FacetCount>,
    /// Structures whose « démarche progrès » label is valid, with the other filters.
    #[serde(default)]
    pub labelled: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub items: Vec<StructureSummary>,
    pub total: i64,
    pub page: u32,
    pub facets: Facets,
}

impl SearchResults {
    pub fn page_count(&self) -> u32 {
        (self.total.max(0) as u64).div_ceil(PER_PAGE as u64).max(1) as u32
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// Everything public about one structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureDetail {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub siret: Option<String>,
    pub legal_form: String,
    pub siae_kind: Option<String>,
    pub sectors: Vec<Named>,
    /// The clubs the structure is an active member of.
    pub clubs: Vec<Named>,
    pub commune: Named,
    pub intercommunality: Option<Named>,
    pub departement: Named,
    pub address: String,
    pub postal_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: String,
    pub offer: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub staff_band: String,
    pub year_founded: Option<i64>,
    pub updated_at: Timestamp,
    pub verified_at: Option<Timestamp>,
    /// The « démarche progrès » identifier and its end of validity, while valid.
    #[serde(default)]
    pub label: Option<(String, Timestamp)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_luhn_key_is_checked() {
        assert!(is_valid_siret("73282932000074"));
        assert!(!is_valid_siret("73282932000075"));
        assert!(!is_valid_siret("7328293200007"));
        assert!(!is_valid_siret("7328293200007a"));
        assert!(is_valid_siret("35600000049837"));
        assert!(!is_valid_siret("35600000000048"));
    }
}
