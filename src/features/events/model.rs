//! The event's types: kinds, statuses and choices (each mapped to its stored text here), and what the pages show.

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: u32 = 20;

/// The confirmations of the event pages.
pub const EVENT_NOTICES: crate::ui::notice::Notices = &[
    (
        "inscrit",
        "Votre inscription est confirmée. Un e-mail de confirmation vous a été envoyé.",
    ),
    (
        "liste-attente",
        "L'événement est complet : vous êtes sur la liste d'attente. Vous recevrez un e-mail si une place se libère.",
    ),
    (
        "verifiez-mail",
        "Un e-mail vient de vous être envoyé : ouvrez le lien qu'il contient pour confirmer votre inscription.",
    ),
    ("annulee", "L'inscription a été annulée."),
    ("fermees", "Les inscriptions sont fermées."),
    ("ouvertes", "Les inscriptions sont ouvertes."),
    ("enregistre", "L'événement a été enregistré."),
    ("atelier-ajoute", "L'atelier a été ajouté."),
    ("atelier-retire", "L'atelier a été retiré."),
    ("question-ajoutee", "La question a été ajoutée."),
    ("question-retiree", "La question a été retirée."),
    ("present", "Présence enregistrée."),
    ("absent", "Présence retirée."),
];

/// The kinds of event. Stored as the slug; this is the one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "salon")]
    Fair,
    #[serde(rename = "atelier")]
    Workshop,
    #[serde(rename = "table-ronde")]
    RoundTable,
    #[serde(rename = "reunion-club")]
    ClubMeeting,
    #[serde(rename = "mois-ess")]
    EssMonth,
    #[serde(rename = "formation")]
    Training,
    #[serde(rename = "autre")]
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Fair,
        EventKind::Workshop,
        EventKind::RoundTable,
        EventKind::ClubMeeting,
        EventKind::EssMonth,
        EventKind::Training,
        EventKind::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            EventKind::Fair => "salon",
            EventKind::Workshop => "atelier",
            EventKind::RoundTable => "table-ronde",
            EventKind::ClubMeeting => "reunion-club",
            EventKind::EssMonth => "mois-ess",
            EventKind::Training => "formation",
            EventKind::Other => "autre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Fair => "Salon",
            EventKind::Workshop => "Atelier",
            EventKind::RoundTable => "Table ronde",
            EventKind::ClubMeeting => "Réunion de club",
            EventKind::EssMonth => "Mois de l'ESS",
            EventKind::Training => "Formation",
            EventKind::Other => "Autre",
        }
    }

    pub fn from_slug(slug: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// Who may see an event. Stored as text; this is the one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    #[serde(rename = "public")]
    Public,
    #[serde(rename = "membres")]
    Members,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
        }
    }
    pub fn form_value(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "membres",
        }
    }
    pub fn from_stored(text: &str) -> Visibility {
        if text == "members" {
            Visibility::Members
        } else {
            Visibility::Public
        }
    }
}

/// A registration's state. Stored as text; this is the one place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    /// A guest who has not yet confirmed their address: holds no seat.
    Pending,
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_stored(text: &str) -> RegistrationStatus {
        match text {
            "confirmed" => RegistrationStatus::Confirmed,
            "waitlisted" => RegistrationStatus::Waitlisted,
            "cancelled" => RegistrationStatus::Cancelled,
            _ => RegistrationStatus::Pending,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "en attente de confirmation de l'adresse",
            RegistrationStatus::Confirmed => "inscrit·e",
            RegistrationStatus::Waitlisted => "liste d'attente",
            RegistrationStatus::Cancelled => "annulée",
        }
    }
}

/// The kinds of question asked at registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    #[serde(rename = "texte")]
    Text,
    #[serde(rename = "choix")]
    Choice,
    #[serde(rename = "oui-non")]
    YesNo,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Text => "texte",
            QuestionKind::Choice => "choix",
            QuestionKind::YesNo => "oui-non",
        }
    }
    pub fn from_stored(text: &str) -> QuestionKind {
        match text {
            "choix" => QuestionKind::Choice,
            "oui-non" => QuestionKind::YesNo,
            _ => QuestionKind::Text,
        }
    }
}

/// Check-in at the door: the button's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    #[serde(rename = "present")]
    Present,
    #[serde(rename = "absent")]
    Absent,
}

/// Close or reopen registration: the button's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opening {
    #[serde(rename = "fermer")]
    Close,
    #[serde(rename = "ouvrir")]
    Open,
}

/// One event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub commune: String,
    pub online: bool,
    pub members_only: bool,
    /// Seats left, when the event has a capacity.
    pub seats_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub items: Vec<EventSummary>,
    pub total: i64,
    pub page: u32,
    /// `(slug, name)` of the territories where events take place, for the filter.
    pub territories: Vec<(String, String)>,
    /// Whether the viewer may create events (site admins, managers of a structure).
    pub may_create: bool,
}

impl EventList {
    pub fn page_count(&self) -> u32 {
        ((self.total.max(0) as u32).div_ceil(PER_PAGE)).max(1)
    }
}

/// A workshop inside an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    pub title: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub room: String,
    pub capacity: Option<i64>,
    pub taken: i64,
}

impl SessionInfo {
    pub fn seats_left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.taken).max(0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInfo {
    pub id: i64,
    pub label: String,
    pub kind: QuestionKind,
    pub choices: Vec<String>,
    pub required: bool,
}

/// Everything public about one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub description: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place_name: String,
    pub address: String,
    pub commune: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: String,
    /// `(slug, name)` of the organiser structure.
    pub organiser: Option<(String, String)>,
    pub capacity: Option<i64>,
    pub confirmed: i64,
    pub waiting: i64,
    pub per_structure_limit: Option<i64>,
    pub registration_opens_at: Option<Timestamp>,
    pub registration_closes_at: Option<Timestamp>,
    pub registration_closed: bool,
    pub visibility: Visibility,
    pub sequence: i64,
    pub updated_at: Timestamp,
    pub sessions: Vec<SessionInfo>,
    pub questions: Vec<QuestionInfo>,
}

/// Whether registration is open now, and if not why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Openness {
    Open,
    NotYet(Timestamp),
    Closed,
    Over,
}

impl EventDetail {
    pub fn seats_left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.confirmed).max(0))
    }

    pub fn is_full(&self) -> bool {
        self.seats_left() == Some(0) || self.waiting > 0
    }

    pub fn openness(&self, now: Timestamp) -> Openness {
        if now >= self.ends_at {
            Openness::Over
        } else if self.registration_closed
            || self.registration_closes_at.is_some_and(|at| now >= at)
        {
            Openness::Closed
        } else if let Some(at) = self.registration_opens_at.filter(|at| now < *at) {
            Openness::NotYet(at)
        } else {
            Openness::Open
        }
    }
}

/// The viewer's own registration to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRegistration {
    pub id: i64,
    pub status: RegistrationStatus,
    /// 1 for the first person waiting.
    pub waitlist_position: Option<i64>,
    /// `(title, status)` of each chosen workshop.
    pub sessions: Vec<(String, RegistrationStatus)>,
}

/// The event's page: the event, who is looking, and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub event: EventDetail,
    pub openness: Openness,
    /// The member looking, if any.
    pub member: Option<String>,
    /// The member's structures `(id, name)`, to register on behalf of one.
    pub structures: Vec<(i64, String)>,
    pub own: Option<OwnRegistration>,
    pub may_manage: bool,
}

/// One registration as organisers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub structure: String,
    pub status: RegistrationStatus,
    pub queue: Option<i64>,
    pub checked_in: bool,
    pub sessions: Vec<String>,
    pub answers: Vec<(String, String)>,
    pub created_at: Timestamp,
}

/// The organisers' page: the event and every registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Management {
    pub event: EventDetail,
    pub attendees: Vec<Attendee>,
}

impl Management {
    pub fn present(&self) -> usize {
        self.attendees
            .iter()
            .filter(|a| a.checked_in && a.status == RegistrationStatus::Confirmed)
            .count()
    }
    pub fn expected(&self) -> usize {
        self.attendees
            .iter()
            .filter(|a| a.status == RegistrationStatus::Confirmed)
            .count()
    }
}

/// A line of « Mes inscriptions ».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyRegistration {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub starts_at: Timestamp,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i64>,
    pub past: bool,
}
