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
    ("fiche-publiee", "La fiche est publiée dans l'annuaire."),
    (
        "fiche-retiree",
        "La fiche est retirée de l'annuaire : elle n'apparaît plus dans les recherches.",
    ),
    (
        "gestionnaire-ajoute",
        "La personne gère maintenant la fiche.",
    ),
    ("gestionnaire-retire", "La personne ne gère plus la fiche."),
    (
        "fiche-verifiee",
        "Merci : la fiche est marquée comme vérifiée aujourd'hui.",
    ),
    (
        "demande-envoyee-structure",
        "Votre demande est envoyée à l'adresse publique de la structure : dès qu'elle est confirmée, vous gérez la fiche. Sans réponse, l'équipe du portail l'examinera.",
    ),
    (
        "gestion-confirmee",
        "C'est confirmé : cette personne gère maintenant la fiche.",
    ),
    (
        "fiches-fusionnees",
        "Les deux fiches n'en font plus qu'une : l'adresse de l'autre mène ici, et ses liens ont suivi.",
    ),
    (
        "version-restauree",
        "La version choisie a été restaurée : l'historique garde la trace du retour.",
    ),
    (
        "correction-envoyee",
        "Merci : votre proposition de correction a été transmise à la modération. Vous recevrez un e-mail quand elle sera examinée.",
    ),
    (
        "correction-a-confirmer",
        "Presque fini : ouvrez le lien que nous venons de vous envoyer par e-mail pour confirmer votre adresse. La correction part ensuite à la modération.",
    ),
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

/// The workforce bands (tranches d'effectif salarié) an entry may state: INSEE's, as SIRENE
/// gives them and as the portal stores them, with how a page reads each.
pub const STAFF_BANDS: &[(&str, &str)] = &[
    ("0", "Aucun salarié"),
    ("1-2", "1 ou 2 salariés"),
    ("3-5", "3 à 5 salariés"),
    ("6-9", "6 à 9 salariés"),
    ("10-19", "10 à 19 salariés"),
    ("20-49", "20 à 49 salariés"),
    ("50-99", "50 à 99 salariés"),
    ("100-199", "100 à 199 salariés"),
    ("200-249", "200 à 249 salariés"),
    ("250-499", "250 à 499 salariés"),
    ("500-999", "500 à 999 salariés"),
    ("1000-1999", "1 000 à 1 999 salariés"),
    ("2000-4999", "2 000 à 4 999 salariés"),
    ("5000-9999", "5 000 à 9 999 salariés"),
    ("10000 et plus", "10 000 salariés et plus"),
];

/// How a page reads a stored band (« 10 à 19 salariés »); a band from older data, as written.
pub fn staff_band_label(band: &str) -> String {
    STAFF_BANDS
        .iter()
        .find(|(value, _)| *value == band)
        .map_or_else(
            || format!("{band} salariés"),
            |(_, label)| (*label).to_owned(),
        )
}

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

pub use crate::text::check::is_valid_siret;

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
    /// From the « près de… » place, in kilometres.
    #[serde(default)]
    pub distance_km: Option<f32>,
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
    /// The place « près de… » was understood as (none when it was not found).
    #[serde(default)]
    pub near: Option<String>,
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

/// `/annuaire/…` addresses that are pages of their own: no entry may take them as its slug.
pub const RESERVED_SLUGS: &[&str] = &[
    "referencer",
    "carte",
    "proposition",
    "toujours-exact",
    "confirmer-gestion",
];

/// The fields of an entry that people propose, correct and see in its history, in the order
/// of the entry form, with their French names.
pub const ENTRY_FIELDS: &[(&str, &str)] = &[
    ("name", "Nom"),
    ("legal_form", "Forme juridique"),
    ("commune", "Commune"),
    ("sectors", "Secteurs d'activité"),
    ("address", "Adresse"),
    ("postal_code", "Code postal"),
    ("email", "E-mail"),
    ("phone", "Téléphone"),
    ("website", "Site web"),
    ("staff_band", "Effectif salarié"),
    ("siret", "SIRET"),
    ("offer", "Ce que la structure propose"),
    ("description", "Présentation"),
];

/// The French name of fields a revision may hold beyond [`ENTRY_FIELDS`].
const OTHER_FIELDS: &[(&str, &str)] = &[("status", "Publication"), ("merged", "Fiche fusionnée")];

/// The French name of an entry field (the field's own name when unknown).
pub fn field_label(field: &str) -> &str {
    ENTRY_FIELDS
        .iter()
        .chain(OTHER_FIELDS)
        .find(|(name, _)| *name == field)
        .map_or(field, |(_, label)| label)
}

/// What made a revision. Stored as text in `structure_revisions.origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevisionOrigin {
    Creation,
    Manager,
    Proposal,
    Import,
    Merge,
    Restore,
    Admin,
}

impl RevisionOrigin {
    pub const ALL: [RevisionOrigin; 7] = [
        RevisionOrigin::Creation,
        RevisionOrigin::Manager,
        RevisionOrigin::Proposal,
        RevisionOrigin::Import,
        RevisionOrigin::Merge,
        RevisionOrigin::Restore,
        RevisionOrigin::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionOrigin::Creation => "creation",
            RevisionOrigin::Manager => "manager",
            RevisionOrigin::Proposal => "proposal",
            RevisionOrigin::Import => "import",
            RevisionOrigin::Merge => "merge",
            RevisionOrigin::Restore => "restore",
            RevisionOrigin::Admin => "admin",
        }
    }

    /// An unknown text (a later version's) reads as an admin's change.
    pub fn from_stored(text: &str) -> RevisionOrigin {
        Self::ALL
            .into_iter()
            .find(|origin| origin.as_str() == text)
            .unwrap_or(RevisionOrigin::Admin)
    }

    /// « Modification par un gestionnaire », …
    pub fn label(self) -> &'static str {
        match self {
            RevisionOrigin::Creation => "Création de la fiche",
            RevisionOrigin::Manager => "Modification par un gestionnaire",
            RevisionOrigin::Proposal => "Proposition acceptée par la modération",
            RevisionOrigin::Import => "Import",
            RevisionOrigin::Merge => "Fusion de deux fiches",
            RevisionOrigin::Restore => "Retour à une version précédente",
            RevisionOrigin::Admin => "Modification par un administrateur",
        }
    }
}

/// One change of an entry: the values before and after of the fields it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub origin: RevisionOrigin,
    pub author: String,
    pub before: std::collections::BTreeMap<String, String>,
    pub after: std::collections::BTreeMap<String, String>,
    pub at: Timestamp,
}

/// `/annuaire/{slug}/historique`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub slug: String,
    pub name: String,
    pub revisions: Vec<Revision>,
    /// Corrections proposed by others, waiting for moderation: `(proposer, fields, date)`.
    pub pending: Vec<(
        String,
        std::collections::BTreeMap<String, String>,
        Timestamp,
    )>,
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
