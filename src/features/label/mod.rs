//! The « démarche progrès » label of the Pas-de-Calais: a structure applies, is admitted to a
//! cohort, follows the training days (events of the events engine, marked by the cohort's
//! referent), receives an identifier valid for the renewal period, keeps progressing through
//! follow-ups and review interviews, and is renewed, suspended, withdrawn or expires.
//!
//! A journey is a list of dated steps that is only ever appended to; [`Progress::apply`] is the
//! one place that says which step may follow which and what they add up to. The database keeps
//! that sum beside the steps (`label_journeys`), rewritten in the transaction that appends a
//! step. Anyone can check an identifier at `/label/verifier`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod views;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;

/// The label's public name.
pub const LABEL_NAME: &str = "Démarche progrès";
pub use crate::features::directory::LABEL_FILTER;

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

/// What a journey's steps add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub state: State,
    pub since: Timestamp,
    pub cohort_id: Option<i64>,
    /// The training days attended (1-based).
    pub days: BTreeSet<u32>,
    pub identifier: Option<String>,
    pub valid_until: Option<Timestamp>,
    /// The last review interview since the identifier was issued or last renewed.
    pub reviewed_at: Option<Timestamp>,
}

/// Adds `months` calendar months to an instant; a day that does not exist in the target month
/// (31 April) becomes the month's last day.
pub fn add_months(at: Timestamp, months: u32) -> Timestamp {
    let at = at.offset_date_time();
    let total = at.year() * 12 + i32::from(u8::from(at.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(month).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    let date = time::Date::from_calendar_date(year, month, at.day().min(last))
        .unwrap_or_else(|_| at.date());
    Timestamp::from_offset(at.replace_date(date))
}

impl Progress {
    /// The sum of `steps`, each checked against the ones before it. A stored journey always
    /// replays; an error names the first step that may not follow.
    pub fn replay(steps: &[Step], scheme: &Scheme) -> Result<Progress, &'static str> {
        let (first, rest) = steps.split_first().ok_or("Aucune étape.")?;
        let mut progress = Progress::start(first)?;
        for step in rest {
            progress.apply(step, scheme)?;
        }
        Ok(progress)
    }

    /// A journey's first step must be the application.
    pub fn start(step: &Step) -> Result<Progress, &'static str> {
        if step.kind != StepKind::Applied {
            return Err("Un parcours commence par une candidature.");
        }
        Ok(Progress {
            state: State::Applied,
            since: step.at,
            cohort_id: None,
            days: BTreeSet::new(),
            identifier: None,
            valid_until: None,
            reviewed_at: None,
        })
    }

    /// The state at `now`: a label or a suspension past its validity has expired, even before
    /// the server writes the expiry step.
    pub fn state_at(&self, now: Timestamp) -> State {
        match (self.state, self.valid_until) {
            (State::Labelled | State::Suspended, Some(until)) if until <= now => State::Expired,
            (state, _) => state,
        }
    }

    /// The training days still to attend.
    pub fn missing_days(&self, scheme: &Scheme) -> Vec<u32> {
        (1..=scheme.training_days)
            .filter(|day| !self.days.contains(day))
            .collect()
    }

    /// Appends `step`, or says in French why it may not follow.
    pub fn apply(&mut self, step: &Step, scheme: &Scheme) -> Result<(), &'static str> {
        let now = self.state_at(step.at);
        let labelled_or_suspended = matches!(now, State::Labelled | State::Suspended);
        match step.kind {
            StepKind::Applied => return Err("Cette structure a déjà candidaté."),
            StepKind::Admitted => {
                if self.state != State::Applied {
                    return Err(
                        "Seule une candidature en attente peut être admise dans une cohorte.",
                    );
                }
                self.cohort_id = Some(step.cohort_id.ok_or("Choisissez une cohorte.")?);
                self.state = State::Admitted;
            }
            StepKind::Attended | StepKind::AttendanceRemoved => {
                if self.state != State::Admitted {
                    return Err("Les présences se notent pendant la formation.");
                }
                let day = step
                    .day
                    .filter(|day| (1..=scheme.training_days).contains(day))
                    .ok_or("Cette journée ne fait pas partie de la formation.")?;
                let changed = if step.kind == StepKind::Attended {
                    self.days.insert(day)
                } else {
                    self.days.remove(&day)
                };
                if !changed {
                    return Err("Cette présence est déjà notée ainsi.");
                }
                // Attendance changes no state: `since` stays the admission's date.
                return Ok(());
            }
            StepKind::Issued => {
                if self.state != State::Admitted {
                    return Err("L'identifiant se délivre à la fin de la formation.");
                }
                if self.days.len() < scheme.training_days as usize {
                    return Err(
                        "Toutes les journées de formation doivent être suivies avant de délivrer l'identifiant.",
                    );
                }
                self.identifier = Some(step.identifier.clone().ok_or("Identifiant manquant.")?);
                self.valid_until = Some(add_months(step.at, scheme.renewal_months));
                self.reviewed_at = None;
                self.state = State::Labelled;
            }
            StepKind::FollowUp => {
                if !labelled_or_suspended {
                    return Err("Les suivis concernent les structures labellisées.");
                }
                return Ok(());
            }
            StepKind::Review => {
                // After an expiry too: the review that allows a late renewal.
                if !labelled_or_suspended && now != State::Expired {
                    return Err("Les entretiens de bilan concernent les structures labellisées.");
                }
                self.reviewed_at = Some(step.at);
                return Ok(());
            }
            StepKind::Renewed => {
                if !matches!(now, State::Labelled | State::Expired) || self.identifier.is_none() {
                    return Err("Seul un label en cours ou expiré peut être renouvelé.");
                }
                if self.reviewed_at.is_none() {
                    return Err(
                        "Un entretien de bilan doit avoir eu lieu depuis la délivrance ou le dernier renouvellement.",
                    );
                }
                // Renewed on time, the new period follows the old one; late, it starts now.
                let base = match self.valid_until {
                    Some(until) if until > step.at => until,
                    _ => step.at,
                };
                self.valid_until = Some(add_months(base, scheme.renewal_months));
                self.reviewed_at = None;
                self.state = State::Labelled;
            }
            StepKind::Suspended => {
                if now != State::Labelled {
                    return Err("Seul un label en cours peut être suspendu.");
                }
                self.state = State::Suspended;
            }
            StepKind::Reinstated => {
                if now != State::Suspended {
                    return Err("Ce label n'est pas suspendu.");
                }
                self.state = State::Labelled;
            }
            StepKind::Withdrawn => {
                if self.state == State::Withdrawn {
                    return Err("Ce label est déjà retiré.");
                }
                self.state = State::Withdrawn;
            }
            StepKind::Expired => {
                if now != State::Expired || self.state == State::Expired {
                    return Err("Ce label n'est pas arrivé à échéance.");
                }
                self.state = State::Expired;
            }
        }
        self.since = step.at;
        Ok(())
    }
}

/// The letters of an identifier: no 0/O, 1/I/L, so that it can be read aloud and typed back.
const CODE_LETTERS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A fresh identifier, `PREFIX-XXXX-XXXX` (eight random letters of 31: about 8.5 × 10¹¹
/// possibilities, so that guessing one is hopeless under the verification page's rate limit).
#[cfg(feature = "ssr")]
pub fn new_identifier(prefix: &str) -> String {
    let letters: [u8; 8] =
        std::array::from_fn(|_| CODE_LETTERS[rand::random_range(0..CODE_LETTERS.len())]);
    let letters = String::from_utf8_lossy(&letters).into_owned();
    format!("{prefix}-{}-{}", &letters[..4], &letters[4..])
}

/// An identifier as typed (spaces, lower case, a missing dash) in its printed form, or `None`
/// when it cannot be one.
pub fn normalise_identifier(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // DP 62 XXXX XXXX
    if compact.len() != 2 + 2 + 8 || !compact.is_char_boundary(4) {
        return None;
    }
    let (prefix, code) = compact.split_at(4);
    if !prefix[..2].chars().all(|c| c.is_ascii_uppercase())
        || !prefix[2..].chars().all(|c| c.is_ascii_digit())
        || !code.bytes().all(|b| CODE_LETTERS.contains(&b))
    {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}",
        &prefix[..2],
        &prefix[2..],
        &code[..4],
        &code[4..]
    ))
}

/// What `/label/verifier` answers about an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// Nothing typed yet.
    Nothing,
    Valid {
        identifier: String,
        structure: PublicEntry,
        until: Timestamp,
    },
    Suspended {
        identifier: String,
        structure: PublicEntry,
        since: Timestamp,
    },
    Expired {
        identifier: String,
        structure: PublicEntry,
        on: Timestamp,
    },
    Withdrawn {
        identifier: String,
        structure: PublicEntry,
        on: Timestamp,
    },
    Unknown {
        typed: String,
    },
}

impl Verification {
    /// The outcome's name, for logs and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            Verification::Nothing => "nothing",
            Verification::Valid { .. } => "valid",
            Verification::Suspended { .. } => "suspended",
            Verification::Expired { .. } => "expired",
            Verification::Withdrawn { .. } => "withdrawn",
            Verification::Unknown { .. } => "unknown",
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

/// The actions a referent records on a journey (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JourneyAction {
    #[serde(rename = "delivrer")]
    Issue,
    #[serde(rename = "suivi")]
    FollowUp,
    #[serde(rename = "bilan")]
    Review,
    #[serde(rename = "renouveler")]
    Renew,
    #[serde(rename = "suspendre")]
    Suspend,
    #[serde(rename = "retablir")]
    Reinstate,
    #[serde(rename = "retirer")]
    Withdraw,
}

impl JourneyAction {
    pub fn kind(self) -> StepKind {
        match self {
            JourneyAction::Issue => StepKind::Issued,
            JourneyAction::FollowUp => StepKind::FollowUp,
            JourneyAction::Review => StepKind::Review,
            JourneyAction::Renew => StepKind::Renewed,
            JourneyAction::Suspend => StepKind::Suspended,
            JourneyAction::Reinstate => StepKind::Reinstated,
            JourneyAction::Withdraw => StepKind::Withdrawn,
        }
    }

    /// The actions offered for a journey in `state` (the referent's buttons).
    pub fn offered(
        state: State,
        complete: bool,
    ) -> Vec<(JourneyAction, &'static str, &'static str)> {
        use JourneyAction::*;
        let all = [
            (Issue, "delivrer", "Délivrer l'identifiant"),
            (FollowUp, "suivi", "Noter un suivi collectif"),
            (Review, "bilan", "Noter un entretien de bilan"),
            (Renew, "renouveler", "Renouveler"),
            (Suspend, "suspendre", "Suspendre"),
            (Reinstate, "retablir", "Lever la suspension"),
            (Withdraw, "retirer", "Retirer le label"),
        ];
        all.into_iter()
            .filter(|(action, _, _)| match (action, state) {
                (Issue, State::Admitted) => complete,
                (FollowUp, State::Labelled | State::Suspended) => true,
                (Review, State::Labelled | State::Suspended | State::Expired) => true,
                (Renew, State::Labelled | State::Expired) => true,
                (Suspend, State::Labelled) => true,
                (Reinstate, State::Suspended) => true,
                (Withdraw, State::Withdrawn) => false,
                (Withdraw, _) => true,
                _ => false,
            })
            .map(|(action, value, label)| {
                // Before the identifier, there is no label to withdraw: the journey ends.
                let ends_journey = matches!(state, State::Applied | State::Admitted);
                if action == Withdraw && ends_journey {
                    (action, value, "Mettre fin au parcours")
                } else {
                    (action, value, label)
                }
            })
            .collect()
    }
}

/// The referent's cohort form, as typed. `days` are `YYYY-MM-DD`, one per training day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortForm {
    pub name: String,
    #[serde(default)]
    pub territory: String,
    #[serde(default)]
    pub referent: String,
    #[serde(default)]
    pub place_name: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub days: crate::ui::form::Many<String>,
}

/// A cohort form once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCohort {
    pub name: String,
    pub territory: String,
    pub referent: Option<i64>,
    pub place_name: String,
    pub commune: String,
    /// Each day's start and end.
    pub days: Vec<(Timestamp, Timestamp)>,
}

impl CohortForm {
    /// Checks the form for a scheme of `training_days` days; every bad field gets its message.
    pub fn validated(self, training_days: u32) -> Result<ValidCohort, crate::error::AppError> {
        use crate::timestamp::{paris_wall_clock, parse_date, parse_time};
        let mut errors = crate::error::FieldErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.add(
                "name",
                "Indiquez le nom de la cohorte (exemple : Artois 2027).",
            );
        } else if name.chars().count() > 120 {
            errors.add("name", "Le nom ne doit pas dépasser 120 caractères.");
        }
        if self.territory.trim().is_empty() {
            errors.add("territory", "Choisissez le territoire de la cohorte.");
        }
        let referent = match self.referent.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("referent", "Choisissez un référent dans la liste.");
                    None
                }
            },
        };
        let place_name = self.place_name.trim().to_owned();
        if place_name.chars().count() > 200 {
            errors.add("place_name", "Le lieu ne doit pas dépasser 200 caractères.");
        }
        let start = parse_time(&self.start_time);
        let end = parse_time(&self.end_time);
        if start.is_none() {
            errors.add("start_time", "Indiquez l'heure de début (exemple : 09:00).");
        }
        match (start, end) {
            (_, None) => errors.add("end_time", "Indiquez l'heure de fin (exemple : 17:00)."),
            (Some(start), Some(end)) if end <= start => {
                errors.add("end_time", "La fin doit suivre le début.")
            }
            _ => {}
        }
        let texts = self.days.0;
        let mut days = Vec::new();
        if texts.len() != training_days as usize || texts.iter().any(|t| t.trim().is_empty()) {
            errors.add(
                "days",
                format!("Indiquez la date de chacune des {training_days} journées de formation."),
            );
        } else {
            let mut previous = None;
            for text in &texts {
                let Some(date) = parse_date(text) else {
                    errors.add(
                        "days",
                        "Une des dates n'est pas valide (format : AAAA-MM-JJ).",
                    );
                    break;
                };
                if previous.is_some_and(|p| date <= p) {
                    errors.add(
                        "days",
                        "Les journées se suivent : chaque date après la précédente.",
                    );
                    break;
                }
                previous = Some(date);
                if let (Some(start), Some(end)) = (start, end) {
                    days.push((paris_wall_clock(date, start), paris_wall_clock(date, end)));
                }
            }
        }
        errors.finish(ValidCohort {
            name,
            territory: self.territory.trim().to_owned(),
            referent,
            place_name,
            commune: self.commune.trim().to_owned(),
            days,
        })
    }
}

/// The plain forms' posts (without JavaScript).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn desk(_: &str, _: &FormFields) -> String {
        "/label/gestion".to_owned()
    }
    fn entry(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/label").to_owned()
    }
    fn back(_: &str, fields: &FormFields) -> String {
        crate::ui::href::local_path(fields.get("retour"))
            .unwrap_or_else(|| "/label/gestion".to_owned())
    }
    Routes::new()
        .form::<api::ApplyForLabel>("/annuaire/{slug}/label", entry)
        .form::<api::CreateCohort>("/label/cohortes", desk)
        .form::<api::AdmitToCohort>("/label/admission", back)
        .form::<api::SaveAttendance>("/label/cohortes/{cohort}/journees/{day}", same_page)
        .form::<api::RecordStep>("/label/parcours/{journey}", back)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> Scheme {
        Scheme {
            id: 1,
            name: LABEL_NAME.into(),
            training_days: 6,
            renewal_months: 24,
            code_prefix: "DP-62".into(),
        }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn step(kind: StepKind, when: &str) -> Step {
        Step::new(kind, at(when))
    }

    fn day(n: u32, when: &str) -> Step {
        Step {
            day: Some(n),
            ..step(StepKind::Attended, when)
        }
    }

    /// Applied, admitted, six days, issued on 2027-06-30.
    fn labelled() -> Vec<Step> {
        let mut steps = vec![
            step(StepKind::Applied, "2027-03-09T10:00:00Z"),
            Step {
                cohort_id: Some(7),
                ..step(StepKind::Admitted, "2027-03-20T10:00:00Z")
            },
        ];
        for n in 1..=6 {
            steps.push(day(n, &format!("2027-0{}-01T09:00:00Z", 3 + n / 2)));
        }
        steps.push(Step {
            identifier: Some("DP-62-7KQ3-XM4P".into()),
            ..step(StepKind::Issued, "2027-06-30T12:00:00Z")
        });
        steps
    }

    #[test]
    fn the_whole_lifecycle_adds_up() {
        let s = scheme();
        let mut steps = labelled();
        let progress = Progress::replay(&steps, &s).unwrap();
        assert_eq!(progress.state, State::Labelled);
        assert_eq!(progress.cohort_id, Some(7));
        assert_eq!(progress.valid_until, Some(at("2029-06-30T12:00:00Z")));
        assert_eq!(progress.identifier.as_deref(), Some("DP-62-7KQ3-XM4P"));
        steps.push(step(StepKind::FollowUp, "2027-10-01T09:00:00Z"));
        steps.push(step(StepKind::Suspended, "2027-11-01T09:00:00Z"));
        let suspended = Progress::replay(&steps, &s).unwrap();
        assert_eq!(suspended.state, State::Suspended);
        steps.push(step(StepKind::Reinstated, "2027-12-01T09:00:00Z"));
        steps.push(step(StepKind::Review, "2029-05-01T09:00:00Z"));
        steps.push(step(StepKind::Renewed, "2029-06-01T09:00:00Z"));
        let renewed = Progress::replay(&steps, &s).unwrap();
        assert_eq!(renewed.state, State::Labelled);
        // Renewed a month early: the new period follows the old one.
        assert_eq!(renewed.valid_until, Some(at("2031-06-30T12:00:00Z")));
        assert_eq!(
            renewed.reviewed_at, None,
            "the next renewal needs a new review"
        );
        steps.push(step(StepKind::Withdrawn, "2030-01-01T09:00:00Z"));
        let withdrawn = Progress::replay(&steps, &s).unwrap();
        assert_eq!(withdrawn.state, State::Withdrawn);
        assert_eq!(withdrawn.since, at("2030-01-01T09:00:00Z"));
        let mut again = withdrawn.clone();
        assert!(
            again
                .apply(&step(StepKind::Renewed, "2030-02-01T09:00:00Z"), &s)
                .is_err()
        );
    }

    #[test]
    fn the_identifier_needs_every_training_day() {
        let s = scheme();
        let mut steps = labelled();
        let issued = steps.pop().unwrap();
        let mut progress = Progress::replay(&steps[..steps.len() - 1], &s).unwrap();
        assert_eq!(progress.missing_days(&s), vec![6]);
        assert!(progress.apply(&issued, &s).is_err(), "five days of six");
        // A correction: day 6 marked then removed then marked again.
        progress.apply(&day(6, "2027-06-01T09:00:00Z"), &s).unwrap();
        let removed = Step {
            day: Some(6),
            ..step(StepKind::AttendanceRemoved, "2027-06-01T10:00:00Z")
        };
        progress.apply(&removed, &s).unwrap();
        assert!(progress.apply(&issued, &s).is_err());
        progress.apply(&day(6, "2027-06-02T09:00:00Z"), &s).unwrap();
        assert!(
            progress.apply(&day(6, "2027-06-02T09:00:00Z"), &s).is_err(),
            "twice"
        );
        assert!(
            progress.apply(&day(7, "2027-06-02T09:00:00Z"), &s).is_err(),
            "no day 7"
        );
        assert!(
            progress.apply(&day(0, "2027-06-02T09:00:00Z"), &s).is_err(),
            "no day 0"
        );
        progress.apply(&issued, &s).unwrap();
        assert_eq!(progress.state, State::Labelled);
        // A scheme of four days issues after four.
        let short = Scheme {
            training_days: 4,
            ..scheme()
        };
        let mut four = labelled();
        four.retain(|s| s.day.is_none_or(|d| d <= 4));
        assert_eq!(
            Progress::replay(&four, &short).unwrap().state,
            State::Labelled
        );
    }

    #[test]
    fn expiry_follows_the_dates() {
        let s = scheme();
        let mut steps = labelled();
        let progress = Progress::replay(&steps, &s).unwrap();
        assert_eq!(
            progress.state_at(at("2029-06-30T11:59:59Z")),
            State::Labelled
        );
        assert_eq!(
            progress.state_at(at("2029-06-30T12:00:00Z")),
            State::Expired
        );
        // An expiry step is refused before its time, accepted after.
        let mut early = progress.clone();
        assert!(
            early
                .apply(&step(StepKind::Expired, "2029-06-01T00:00:00Z"), &s)
                .is_err()
        );
        steps.push(step(StepKind::Expired, "2029-07-01T00:00:00Z"));
        let expired = Progress::replay(&steps, &s).unwrap();
        assert_eq!(expired.state, State::Expired);
        // Renewing late needs a review, then starts a new period from the renewal.
        let mut late = expired.clone();
        assert!(
            late.apply(&step(StepKind::Renewed, "2029-08-01T00:00:00Z"), &s)
                .is_err()
        );
        late.apply(&step(StepKind::Review, "2029-07-15T00:00:00Z"), &s)
            .unwrap();
        steps.push(step(StepKind::Review, "2029-07-15T00:00:00Z"));
        steps.push(step(StepKind::Renewed, "2029-08-01T00:00:00Z"));
        let renewed = Progress::replay(&steps, &s).unwrap();
        assert_eq!(renewed.valid_until, Some(at("2031-08-01T00:00:00Z")));
        assert_eq!(
            renewed.state_at(at("2030-01-01T00:00:00Z")),
            State::Labelled
        );
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(
            add_months(at("2027-08-31T10:00:00Z"), 6),
            at("2028-02-29T10:00:00Z")
        );
        assert_eq!(
            add_months(at("2027-01-15T10:00:00Z"), 24),
            at("2029-01-15T10:00:00Z")
        );
        assert_eq!(
            add_months(at("2027-12-01T00:00:00Z"), 1),
            at("2028-01-01T00:00:00Z")
        );
    }

    #[test]
    fn steps_in_the_wrong_order_are_refused() {
        let s = scheme();
        assert!(Progress::replay(&[step(StepKind::Admitted, "2027-01-01T00:00:00Z")], &s).is_err());
        let applied = vec![step(StepKind::Applied, "2027-01-01T00:00:00Z")];
        let mut progress = Progress::replay(&applied, &s).unwrap();
        for kind in [
            StepKind::Applied,
            StepKind::Attended,
            StepKind::Issued,
            StepKind::FollowUp,
            StepKind::Review,
            StepKind::Renewed,
            StepKind::Suspended,
            StepKind::Reinstated,
            StepKind::Expired,
        ] {
            let mut candidate = Step {
                day: Some(1),
                identifier: Some("DP-62-AAAA-AAAA".into()),
                ..step(kind, "2027-02-01T00:00:00Z")
            };
            candidate.cohort_id = Some(1);
            assert!(
                progress.apply(&candidate, &s).is_err(),
                "{kind:?} after applying"
            );
        }
        assert_eq!(
            progress.state,
            State::Applied,
            "a refused step changes nothing"
        );
        progress
            .apply(&step(StepKind::Withdrawn, "2027-02-01T00:00:00Z"), &s)
            .unwrap();
        assert_eq!(progress.state, State::Withdrawn);
    }

    #[test]
    fn identifiers_are_read_back_as_typed() {
        let code = new_identifier("DP-62");
        assert_eq!(code.len(), "DP-62-XXXX-XXXX".len());
        assert_eq!(normalise_identifier(&code).as_deref(), Some(code.as_str()));
        assert_ne!(new_identifier("DP-62"), code, "random");
        assert_eq!(
            normalise_identifier(" dp 62 7kq3 xm4p ").as_deref(),
            Some("DP-62-7KQ3-XM4P")
        );
        for bad in [
            "",
            "DP-62",
            "DP-62-7KQ3-XM4",
            "DP-62-7KQ3-XM4PP",
            "DP-62-0KQ3-XM4P",
            "<script>",
            "DP-62-7KQ3-XMéP",
        ] {
            assert_eq!(normalise_identifier(bad), None, "{bad}");
        }
    }

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

    #[test]
    fn cohort_forms_are_checked() {
        let form = CohortForm {
            name: " Artois 2027 ".into(),
            territory: "pas-de-calais".into(),
            start_time: "09:00".into(),
            end_time: "17:00".into(),
            days: crate::ui::form::Many(
                [
                    "2027-04-06",
                    "2027-04-20",
                    "2027-05-04",
                    "2027-05-18",
                    "2027-06-01",
                    "2027-06-15",
                ]
                .map(String::from)
                .to_vec(),
            ),
            ..Default::default()
        };
        let valid = form.clone().validated(6).unwrap();
        assert_eq!(valid.name, "Artois 2027");
        assert_eq!(valid.days.len(), 6);
        assert_eq!(
            valid.days[0].0,
            at("2027-04-06T07:00:00Z"),
            "09:00 in Paris summer time"
        );
        let fields = |form: CohortForm| -> Vec<String> {
            form.validated(6)
                .unwrap_err()
                .field_errors()
                .into_iter()
                .map(|(field, _)| field)
                .collect()
        };
        let mut unordered = form.clone();
        unordered.days.0.swap(0, 1);
        assert_eq!(fields(unordered), ["days"]);
        let mut five = form.clone();
        five.days.0.pop();
        assert_eq!(fields(five), ["days"]);
        let bad = CohortForm {
            name: String::new(),
            territory: String::new(),
            referent: "x".into(),
            end_time: "08:00".into(),
            start_time: "09:00".into(),
            ..form
        };
        assert_eq!(fields(bad), ["name", "territory", "referent", "end_time"]);
    }
}
