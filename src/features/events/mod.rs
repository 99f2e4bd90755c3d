//! Events (« Événements »): the list and each event's page, calendar files, registration with
//! capacity and a waitlist, workshops and questions, guests confirmed by mail, cancellation,
//! organisers' pages (registrations, export, check-in at the door) and « Mes inscriptions ».

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod ics;
#[cfg(feature = "ssr")]
mod mails;
pub mod manage;
pub mod views;

use serde::{Deserialize, Serialize};
use time::{Date, Time};

use crate::error::{AppError, FieldErrors};
use crate::timestamp::{Timestamp, paris_wall_clock};
use crate::ui::form::Many;

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

/// What the visitor asked for on `/evenements`, as it appears in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub kind: Option<String>,
    /// A territory slug (département, intercommunality or commune).
    pub territory: Option<String>,
    /// `YYYY-MM`.
    pub month: Option<String>,
    /// The archive of past events instead of the upcoming ones.
    pub past: bool,
    /// 1-based.
    pub page: u32,
}

impl ListParams {
    /// Reads URL query pairs; unknown keys and malformed values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut params = ListParams {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "type" if EventKind::from_slug(value).is_some() => {
                    params.kind = Some(value.to_owned())
                }
                "territoire" if crate::features::directory::is_slug(value) => {
                    params.territory = Some(value.to_owned())
                }
                "mois" if parse_month(value).is_some() => params.month = Some(value.to_owned()),
                "passes" => params.past = value == "1",
                "page" => params.page = value.parse().unwrap_or(1).clamp(1, 10_000),
                _ => {}
            }
        }
        params
    }

    /// The URL query of these parameters (without `?`), keys in a fixed order.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(kind) = &self.kind {
            pairs.push(("type", kind.clone()));
        }
        if let Some(territory) = &self.territory {
            pairs.push(("territoire", territory.clone()));
        }
        if let Some(month) = &self.month {
            pairs.push(("mois", month.clone()));
        }
        if self.past {
            pairs.push(("passes", "1".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::ui::href::encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn href(&self, path: &str) -> String {
        match self.to_query() {
            query if query.is_empty() => path.to_owned(),
            query => format!("{path}?{query}"),
        }
    }

    pub fn with_page(&self, page: u32) -> Self {
        ListParams {
            page,
            ..self.clone()
        }
    }

    /// The instants `[from, to)` of the chosen month in Europe/Paris.
    pub fn month_range(&self) -> Option<(Timestamp, Timestamp)> {
        let (year, month) = parse_month(self.month.as_deref()?)?;
        let first = Date::from_calendar_date(year, month, 1).ok()?;
        let next = if month == time::Month::December {
            Date::from_calendar_date(year + 1, time::Month::January, 1).ok()?
        } else {
            Date::from_calendar_date(year, month.next(), 1).ok()?
        };
        Some((
            paris_wall_clock(first, Time::MIDNIGHT),
            paris_wall_clock(next, Time::MIDNIGHT),
        ))
    }
}

fn parse_month(text: &str) -> Option<(i32, time::Month)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    Some((year, time::Month::try_from(month).ok()?))
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

/// The event form, as typed. Dates are `YYYY-MM-DD`, times `HH:MM`, in Europe/Paris.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEdit {
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub place_name: String,
    #[serde(default)]
    pub address: String,
    /// A commune's slug.
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub online_url: String,
    /// The organiser structure's id, or "" for none (the portal itself).
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub per_structure_limit: String,
    #[serde(default)]
    pub opens_date: String,
    #[serde(default)]
    pub closes_date: String,
    #[serde(default)]
    pub visibility: String,
}

/// An event form once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    pub title: String,
    pub kind: EventKind,
    pub description: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place_name: String,
    pub address: String,
    pub commune: Option<String>,
    pub online_url: String,
    pub organiser: Option<i64>,
    pub capacity: Option<i64>,
    pub per_structure_limit: Option<i64>,
    pub opens_at: Option<Timestamp>,
    pub closes_at: Option<Timestamp>,
    pub visibility: Visibility,
    /// A club's meeting, for that club's members only (its slug; with `Visibility::Members`).
    pub club: Option<String>,
}

pub use crate::timestamp::{parse_date, parse_time};

/// A whole number of seats, or none for "" (no limit).
fn parse_seats(errors: &mut FieldErrors, field: &str, text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => Some(n),
        _ => {
            errors.add(
                field,
                "Indiquez un nombre de places entre 0 et 100 000, ou laissez vide pour ne pas limiter.",
            );
            None
        }
    }
}

fn check_length(errors: &mut FieldErrors, field: &str, text: &str, max: usize, what: &str) {
    if text.chars().count() > max {
        errors.add(
            field,
            format!("{what} ne doit pas dépasser {max} caractères."),
        );
    }
}

/// `https://…` or `http://…` without spaces, or "".
pub fn is_web_address(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > 10
        && !text.contains(char::is_whitespace)
}

impl EventEdit {
    /// Trims and checks every field; every bad field gets its French message.
    pub fn validated(self) -> Result<ValidEvent, AppError> {
        let mut errors = FieldErrors::default();
        let t = |s: &str| s.trim().to_owned();
        let title = t(&self.title);
        if title.is_empty() {
            errors.add("title", "Indiquez le titre de l'événement.");
        }
        check_length(&mut errors, "title", &title, 200, "Le titre");
        let kind = EventKind::from_slug(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choisissez le type d'événement.");
        }
        let description = t(&self.description);
        check_length(
            &mut errors,
            "description",
            &description,
            10_000,
            "La présentation",
        );
        let start_date = parse_date(&self.start_date);
        if start_date.is_none() {
            errors.add(
                "start_date",
                "Indiquez la date de début (exemple : 2026-11-28).",
            );
        }
        let start_time = parse_time(&self.start_time);
        if start_time.is_none() {
            errors.add("start_time", "Indiquez l'heure de début (exemple : 09:30).");
        }
        let end_date = if self.end_date.trim().is_empty() {
            start_date
        } else {
            let date = parse_date(&self.end_date);
            if date.is_none() {
                errors.add(
                    "end_date",
                    "Indiquez la date de fin (exemple : 2026-11-28).",
                );
            }
            date
        };
        let end_time = parse_time(&self.end_time);
        if end_time.is_none() {
            errors.add("end_time", "Indiquez l'heure de fin (exemple : 17:00).");
        }
        let starts_at = start_date
            .zip(start_time)
            .map(|(d, t)| paris_wall_clock(d, t));
        let ends_at = end_date.zip(end_time).map(|(d, t)| paris_wall_clock(d, t));
        if let (Some(starts), Some(ends)) = (starts_at, ends_at)
            && ends <= starts
        {
            errors.add("end_time", "La fin doit venir après le début.");
        }
        let place_name = t(&self.place_name);
        check_length(&mut errors, "place_name", &place_name, 200, "Le lieu");
        let address = t(&self.address);
        check_length(&mut errors, "address", &address, 300, "L'adresse");
        let commune = Some(t(&self.commune)).filter(|c| !c.is_empty());
        let online_url = t(&self.online_url);
        if !online_url.is_empty() && !is_web_address(&online_url) {
            errors.add(
                "online_url",
                "Le lien de connexion commence par https:// (exemple : https://visio.exemple.fr/salle).",
            );
        }
        if place_name.is_empty() && online_url.is_empty() {
            errors.add(
                "place_name",
                "Indiquez le lieu, ou un lien de connexion pour un événement en ligne.",
            );
        }
        let organiser = match self.organiser.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add(
                        "organiser",
                        "Choisissez la structure organisatrice dans la liste.",
                    );
                    None
                }
            },
        };
        let capacity = parse_seats(&mut errors, "capacity", &self.capacity);
        let per_structure_limit = parse_seats(
            &mut errors,
            "per_structure_limit",
            &self.per_structure_limit,
        );
        if per_structure_limit == Some(0) {
            errors.add(
                "per_structure_limit",
                "Une structure doit pouvoir inscrire au moins une personne (ou laissez vide).",
            );
        }
        let opens_at = match self.opens_date.trim() {
            "" => None,
            text => match parse_date(text) {
                Some(date) => Some(paris_wall_clock(date, Time::MIDNIGHT)),
                None => {
                    errors.add(
                        "opens_date",
                        "Date d'ouverture illisible (exemple : 2026-10-01).",
                    );
                    None
                }
            },
        };
        let closes_at = match self.closes_date.trim() {
            "" => None,
            text => match parse_date(text).and_then(|d| d.next_day()) {
                // Registration stays open all of the closing day.
                Some(date) => Some(paris_wall_clock(date, Time::MIDNIGHT)),
                None => {
                    errors.add(
                        "closes_date",
                        "Date de clôture illisible (exemple : 2026-11-26).",
                    );
                    None
                }
            },
        };
        if let (Some(opens), Some(closes)) = (opens_at, closes_at)
            && closes <= opens
        {
            errors.add("closes_date", "La clôture doit venir après l'ouverture.");
        }
        let (visibility, club) = match self.visibility.trim() {
            "" | "public" => (Visibility::Public, None),
            "membres" => (Visibility::Members, None),
            other => match other.strip_prefix("club:") {
                Some(club) if crate::features::directory::is_slug(club) => {
                    (Visibility::Members, Some(club.to_owned()))
                }
                _ => {
                    errors.add("visibility", "Choisissez qui peut voir l'événement.");
                    (Visibility::Public, None)
                }
            },
        };
        let valid = match (kind, starts_at, ends_at) {
            (Some(kind), Some(starts_at), Some(ends_at)) => Some(ValidEvent {
                title,
                kind,
                description,
                starts_at,
                ends_at,
                place_name,
                address,
                commune,
                online_url,
                organiser,
                capacity,
                per_structure_limit,
                opens_at,
                closes_at,
                visibility,
                club,
            }),
            _ => None,
        };
        let valid = errors.finish(valid)?;
        valid.ok_or_else(|| AppError::form("Le formulaire est incomplet."))
    }
}

/// A workshop form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEdit {
    pub session_title: String,
    #[serde(default)]
    pub session_date: String,
    #[serde(default)]
    pub session_start: String,
    #[serde(default)]
    pub session_end: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub session_capacity: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub title: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub room: String,
    pub capacity: Option<i64>,
}

impl SessionEdit {
    pub fn validated(self) -> Result<ValidSession, AppError> {
        let mut errors = FieldErrors::default();
        let title = self.session_title.trim().to_owned();
        if title.is_empty() {
            errors.add("session_title", "Indiquez le titre de l'atelier.");
        }
        check_length(&mut errors, "session_title", &title, 200, "Le titre");
        let date = parse_date(&self.session_date);
        if date.is_none() {
            errors.add(
                "session_date",
                "Indiquez la date de l'atelier (exemple : 2026-11-28).",
            );
        }
        let start = parse_time(&self.session_start);
        if start.is_none() {
            errors.add(
                "session_start",
                "Indiquez l'heure de début (exemple : 14:00).",
            );
        }
        let end = parse_time(&self.session_end);
        if end.is_none() {
            errors.add("session_end", "Indiquez l'heure de fin (exemple : 15:30).");
        }
        if let (Some(start), Some(end)) = (start, end)
            && end <= start
        {
            errors.add("session_end", "La fin doit venir après le début.");
        }
        let room = self.room.trim().to_owned();
        check_length(&mut errors, "room", &room, 100, "La salle");
        let capacity = parse_seats(&mut errors, "session_capacity", &self.session_capacity);
        let valid = match (date, start, end) {
            (Some(date), Some(start), Some(end)) => Some(ValidSession {
                title,
                starts_at: paris_wall_clock(date, start),
                ends_at: paris_wall_clock(date, end),
                room,
                capacity,
            }),
            _ => None,
        };
        errors
            .finish(valid)?
            .ok_or_else(|| AppError::form("Le formulaire est incomplet."))
    }
}

/// A question form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEdit {
    pub label: String,
    #[serde(default)]
    pub question_kind: String,
    #[serde(default)]
    pub choices: String,
    #[serde(default)]
    pub required: String,
}

impl QuestionEdit {
    pub fn validated(self) -> Result<QuestionInfo, AppError> {
        let mut errors = FieldErrors::default();
        let label = self.label.trim().to_owned();
        if label.is_empty() {
            errors.add("label", "Indiquez la question.");
        }
        check_length(&mut errors, "label", &label, 300, "La question");
        let kind = match self.question_kind.trim() {
            "texte" | "" => QuestionKind::Text,
            "choix" => QuestionKind::Choice,
            "oui-non" => QuestionKind::YesNo,
            _ => {
                errors.add("question_kind", "Choisissez le type de réponse.");
                QuestionKind::Text
            }
        };
        let choices: Vec<String> = self
            .choices
            .lines()
            .map(|line| line.trim().to_owned())
            .filter(|line| !line.is_empty())
            .collect();
        if kind == QuestionKind::Choice && choices.len() < 2 {
            errors.add(
                "choices",
                "Indiquez au moins deux réponses possibles, une par ligne.",
            );
        }
        if choices.len() > 30 || choices.iter().any(|c| c.chars().count() > 200) {
            errors.add(
                "choices",
                "30 réponses au plus, de 200 caractères au plus chacune.",
            );
        }
        errors.finish(QuestionInfo {
            id: 0,
            label,
            kind,
            choices: if kind == QuestionKind::Choice {
                choices
            } else {
                Vec::new()
            },
            required: !self.required.is_empty(),
        })
    }
}

/// A guest's or a member's registration, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// The id of one of the member's structures, or "".
    #[serde(default)]
    pub structure: String,
    #[serde(default)]
    pub sessions: Many<i64>,
    /// The question ids, in the order of `answer`.
    #[serde(default)]
    pub question: Many<i64>,
    #[serde(default)]
    pub answer: Many<String>,
}

/// Checks the answers against the event's questions: `(question id, answer)` for each
/// answered question, every required one answered, choices among the offered ones.
pub fn checked_answers(
    questions: &[QuestionInfo],
    form: &RegistrationForm,
    errors: &mut FieldErrors,
) -> Vec<(i64, String)> {
    let mut answers = Vec::new();
    for question in questions {
        let answer = form
            .question
            .0
            .iter()
            .position(|id| *id == question.id)
            .and_then(|index| form.answer.0.get(index))
            .map(|a| a.trim().to_owned())
            .unwrap_or_default();
        if answer.is_empty() {
            if question.required {
                errors.add(
                    "answer",
                    format!("Répondez à la question « {} ».", question.label),
                );
            }
            continue;
        }
        let ok = match question.kind {
            QuestionKind::Text => answer.chars().count() <= 1000,
            QuestionKind::Choice => question.choices.contains(&answer),
            QuestionKind::YesNo => answer == "oui" || answer == "non",
        };
        if ok {
            answers.push((question.id, answer));
        } else {
            errors.add(
                "answer",
                format!("Réponse non reconnue à la question « {} ».", question.label),
            );
        }
    }
    answers
}

/// The routes of events: form posts and downloads.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn event_page(path: &str, _: &FormFields) -> String {
        let slug = path.trim_start_matches("/evenements/");
        format!("/evenements/{}", slug.split('/').next().unwrap_or(""))
    }
    fn management(path: &str, _: &FormFields) -> String {
        format!("{}/gestion", event_page(path, &FormFields::default()))
    }
    fn edit(path: &str, _: &FormFields) -> String {
        format!("{}/modifier", event_page(path, &FormFields::default()))
    }
    fn checkin(path: &str, _: &FormFields) -> String {
        format!("{}/accueil", event_page(path, &FormFields::default()))
    }
    fn with_token(path: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query(path, "jeton", fields.get("token"))
    }
    fn back(_: &str, fields: &FormFields) -> String {
        crate::ui::href::local_path(fields.get("retour")).unwrap_or_else(|| "/compte".to_owned())
    }
    Routes::new()
        .get("/evenements.ics", files::feed)
        .get("/evenements/{slug}/calendrier.ics", files::event_ics)
        .get("/evenements/{slug}/inscrits.csv", files::attendees_csv)
        .form::<api::RegisterForEvent>("/evenements/{slug}/inscription", event_page)
        .form::<api::ConfirmGuest>("/evenements/confirmer", with_token)
        .form::<api::CancelByLink>("/evenements/annuler", with_token)
        .form::<api::CancelRegistration>("/inscriptions/{registration}/annuler", back)
        .form::<api::SetOpening>("/evenements/{slug}/ouverture", management)
        .form::<api::CheckIn>("/evenements/{slug}/accueil/{registration}", checkin)
        .form::<api::CreateEvent>("/evenements/nouveau", same_page)
        .form::<api::SaveEvent>("/evenements/{slug}/modifier", same_page)
        .form::<api::AddSession>("/evenements/{slug}/ateliers", edit)
        .form::<api::RemoveSession>("/evenements/{slug}/ateliers/{session}/retirer", edit)
        .form::<api::AddQuestion>("/evenements/{slug}/questions", edit)
        .form::<api::RemoveQuestion>("/evenements/{slug}/questions/{question}/retirer", edit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_params_read_and_write_the_url() {
        let params = ListParams::from_pairs([
            ("type", "salon"),
            ("territoire", "communaute-urbaine-de-dunkerque"),
            ("mois", "2026-11"),
            ("passes", "1"),
            ("page", "2"),
            ("type", "<script>"),
        ]);
        assert_eq!(params.kind.as_deref(), Some("salon"));
        assert!(params.past);
        assert_eq!(
            params.to_query(),
            "type=salon&territoire=communaute-urbaine-de-dunkerque&mois=2026-11&passes=1&page=2"
        );
        let bad = ListParams::from_pairs([("mois", "2026-13"), ("type", "fete"), ("page", "x")]);
        assert_eq!(
            bad,
            ListParams {
                page: 1,
                ..Default::default()
            }
        );
    }

    #[test]
    fn a_month_is_bounded_by_paris_midnights() {
        let params = ListParams::from_pairs([("mois", "2026-11")]);
        let (from, to) = params.month_range().unwrap();
        // 1 November 00:00 in Paris is 23:00 UTC the day before (winter time).
        assert_eq!(from.to_string(), "2026-10-31T23:00:00Z");
        assert_eq!(to.to_string(), "2026-11-30T23:00:00Z");
        let july = ListParams::from_pairs([("mois", "2026-07")])
            .month_range()
            .unwrap();
        assert_eq!(july.0.to_string(), "2026-06-30T22:00:00Z", "summer time");
    }

    fn salon() -> EventEdit {
        EventEdit {
            title: " Salon de l'achat responsable ".into(),
            kind: "salon".into(),
            start_date: "2026-11-28".into(),
            start_time: "09:00".into(),
            end_time: "17:30".into(),
            place_name: "Communauté urbaine de Dunkerque".into(),
            capacity: "120".into(),
            ..Default::default()
        }
    }

    #[test]
    fn event_forms_are_checked_and_times_are_paris_times() {
        let event = salon().validated().unwrap();
        assert_eq!(event.title, "Salon de l'achat responsable");
        assert_eq!(event.starts_at.to_string(), "2026-11-28T08:00:00Z");
        assert_eq!(event.ends_at.to_string(), "2026-11-28T16:30:00Z");
        assert_eq!(event.capacity, Some(120));
        // Across the October change: 02:30 happens twice; 10:00 on 25 October is UTC+1.
        let autumn = EventEdit {
            start_date: "2026-10-24".into(),
            end_date: "2026-10-25".into(),
            start_time: "10:00".into(),
            end_time: "10:00".into(),
            ..salon()
        }
        .validated()
        .unwrap();
        assert_eq!(autumn.starts_at.to_string(), "2026-10-24T08:00:00Z");
        assert_eq!(autumn.ends_at.to_string(), "2026-10-25T09:00:00Z");
        let errors = EventEdit {
            title: "".into(),
            kind: "fete".into(),
            start_date: "28/11/2026".into(),
            end_time: "25:00".into(),
            place_name: "".into(),
            online_url: "javascript:alert(1)".into(),
            capacity: "-3".into(),
            ..salon()
        }
        .validated()
        .unwrap_err()
        .field_errors();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "kind",
                "start_date",
                "end_time",
                "online_url",
                "capacity"
            ]
        );
        let backwards = EventEdit {
            end_time: "08:00".into(),
            ..salon()
        }
        .validated()
        .unwrap_err()
        .field_errors();
        assert_eq!(backwards[0].0, "end_time");
    }

    #[test]
    fn answers_are_matched_to_their_questions() {
        let questions = vec![
            QuestionInfo {
                id: 7,
                label: "Repas".into(),
                kind: QuestionKind::YesNo,
                choices: vec![],
                required: true,
            },
            QuestionInfo {
                id: 9,
                label: "Atelier préféré".into(),
                kind: QuestionKind::Choice,
                choices: vec!["RSE".into(), "Mécénat".into()],
                required: false,
            },
        ];
        let form = RegistrationForm {
            question: Many(vec![9, 7]),
            answer: Many(vec!["Mécénat".into(), "oui".into()]),
            ..Default::default()
        };
        let mut errors = FieldErrors::default();
        assert_eq!(
            checked_answers(&questions, &form, &mut errors),
            [(7, "oui".to_owned()), (9, "Mécénat".to_owned())]
        );
        assert!(errors.finish(()).is_ok());
        let bad = RegistrationForm {
            question: Many(vec![9]),
            answer: Many(vec!["Autre".into()]),
            ..Default::default()
        };
        let mut errors = FieldErrors::default();
        checked_answers(&questions, &bad, &mut errors);
        assert_eq!(errors.finish(()).unwrap_err().field_errors().len(), 2);
    }
}
