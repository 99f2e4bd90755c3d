//! The label's types: the scheme, step kinds and journey states (each mapped to its stored
//! text here), and what the pages show.

use serde::{Deserialize, Serialize};

/// The label's public name.
pub const LABEL_NAME: &str = "Démarche progrès";
pub use crate::features::directory::LABEL_FILTER;
use crate::timestamp::Timestamp;

/// A scheme's settings (one row of `label_schemes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub id: i64,
    pub name: String,
    pub training_days: u32,
    pub renewal_months: u32,
    pub code_prefix: String,
}

/// What happened to a journey. Stored as text in `label_steps.kind`; this is the one place that
/// maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    Applied,
    Admitted,
    Attended,
    AttendanceRemoved,
    Issued,
    FollowUp,
    Review,
    Renewed,
    Suspended,
    Reinstated,
    Withdrawn,
    Expired,
}

impl StepKind {
    pub const ALL: [StepKind; 12] = [
        StepKind::Applied,
        StepKind::Admitted,
        StepKind::Attended,
        StepKind::AttendanceRemoved,
        StepKind::Issued,
        StepKind::FollowUp,
        StepKind::Review,
        StepKind::Renewed,
        StepKind::Suspended,
        StepKind::Reinstated,
        StepKind::Withdrawn,
        StepKind::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Applied => "applied",
            StepKind::Admitted => "admitted",
            StepKind::Attended => "attended",
            StepKind::AttendanceRemoved => "attendance_removed",
            StepKind::Issued => "issued",
            StepKind::FollowUp => "follow_up",
            StepKind::Review => "review",
            StepKind::Renewed => "renewed",
            StepKind::Suspended => "suspended",
            StepKind::Reinstated => "reinstated",
            StepKind::Withdrawn => "withdrawn",
            StepKind::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// How a step reads in a journey's history.
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Applied => "Candidature",
            StepKind::Admitted => "Admission dans une cohorte",
            StepKind::Attended => "Présence à une journée de formation",
            StepKind::AttendanceRemoved => "Présence retirée (correction)",
            StepKind::Issued => "Identifiant délivré",
            StepKind::FollowUp => "Suivi collectif",
            StepKind::Review => "Entretien de bilan",
            StepKind::Renewed => "Renouvellement",
            StepKind::Suspended => "Suspension",
            StepKind::Reinstated => "Fin de la suspension",
            StepKind::Withdrawn => "Retrait",
            StepKind::Expired => "Expiration",
        }
    }
}

/// One step as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub day: Option<u32>,
    pub cohort_id: Option<i64>,
    pub identifier: Option<String>,
    pub note: String,
    pub by: Option<String>,
    pub at: Timestamp,
}

impl Step {
    pub fn new(kind: StepKind, at: Timestamp) -> Step {
        Step {
            kind,
            day: None,
            cohort_id: None,
            identifier: None,
            note: String::new(),
            by: None,
            at,
        }
    }
}

/// Where a journey stands. Stored as text in `label_journeys.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Applied,
    Admitted,
    Labelled,
    Suspended,
    Withdrawn,
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Admitted => "admitted",
            State::Labelled => "labelled",
            State::Suspended => "suspended",
            State::Withdrawn => "withdrawn",
            State::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [
            State::Applied,
            State::Admitted,
            State::Labelled,
            State::Suspended,
            State::Withdrawn,
            State::Expired,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Applied => "candidature reçue",
            State::Admitted => "en formation",
            State::Labelled => "labellisée",
            State::Suspended => "suspendue",
            State::Withdrawn => "label retiré",
            State::Expired => "label expiré",
        }
    }
}

/// The only facts the verification gives about a structure: its public directory entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEntry {
    pub slug: String,
    pub name: String,
    pub commune: String,
}

/// A labelled structure in `/label`'s list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badge {
    pub entry: PublicEntry,
    pub identifier: String,
    pub valid_until: Timestamp,
}

/// A journey as the referent's and the manager's pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneySummary {
    pub id: i64,
    pub entry: PublicEntry,
    pub state: State,
    pub since: Timestamp,
    pub cohort: Option<String>,
    pub days_attended: u32,
    pub identifier: Option<String>,
    pub valid_until: Option<Timestamp>,
}

/// A journey with its history, for its managers and the referents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyDetail {
    pub summary: JourneySummary,
    pub steps: Vec<Step>,
    pub missing_days: Vec<u32>,
    /// The cohort's training days: number, event slug, start (registration and calendar file
    /// are on the event's page).
    pub cohort_days: Vec<(u32, String, Timestamp)>,
    pub reviewed: bool,
    pub training_days: u32,
}

/// A cohort in the referent's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub id: i64,
    pub name: String,
    pub territory: String,
    pub referent: String,
    /// Each training day: number, event slug, start.
    pub days: Vec<(u32, String, Timestamp)>,
    pub structures: usize,
}

/// One training day's attendance screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub cohort: Cohort,
    pub day: u32,
    /// Journey id, structure name, present.
    pub rows: Vec<(i64, String, bool)>,
}

/// The referents' page: cohorts, applications waiting, every journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub scheme: Scheme,
    pub cohorts: Vec<Cohort>,
    pub journeys: Vec<JourneySummary>,
    /// Label referents who may lead a cohort: id, name.
    pub referents: Vec<(i64, String)>,
    /// Départements and intercommunalities: slug, name.
    pub territories: Vec<(String, String)>,
    /// Communes where the training days may take place: slug, name.
    pub communes: Vec<(String, String)>,
}

/// What the label box of a structure's page shows (the badge itself is part of the entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelBox {
    /// For the structure's managers: their journey (or `None` before applying), and whether
    /// they may apply.
    pub journey: Option<JourneyDetail>,
    pub may_apply: bool,
    /// The person looking is a label referent or a site admin: the journey comes with actions.
    pub referent: bool,
}

/// `/label`: the scheme and the structures whose label is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub scheme: Scheme,
    pub labelled: Vec<Badge>,
}

/// The notices of the label's pages.
pub const LABEL_NOTICES: crate::ui::notice::Notices = &[
    (
        "candidature",
        "Votre candidature est envoyée : un référent du label vous contactera.",
    ),
    (
        "cohorte-creee",
        "La cohorte est créée, avec ses journées de formation.",
    ),
    ("admise", "La structure est admise dans la cohorte."),
    ("presences", "Les présences sont enregistrées."),
    ("etape", "L'étape est enregistrée."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_state_reads_back() {
        for kind in StepKind::ALL {
            assert_eq!(StepKind::parse(kind.as_str()), Some(kind));
        }
        for state in [
            "applied",
            "admitted",
            "labelled",
            "suspended",
            "withdrawn",
            "expired",
        ] {
            assert_eq!(State::parse(state).map(State::as_str), Some(state));
        }
    }
}
