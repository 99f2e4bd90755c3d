//! Creating and editing an event: its form, its checks, who may name which organiser or club.

use super::db;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::EventKind;
use crate::features::events::QuestionInfo;
use crate::features::events::SessionInfo;
use crate::features::events::Visibility;
use crate::features::events::cancellation::announce;
use crate::features::events::rights::check_club;
use crate::features::events::rights::check_organiser;
use crate::features::events::rights::club_choices;
use crate::features::events::rights::organiser_choices;
use crate::features::events::rights::organiser_of;
use crate::features::events::rights::require_event_creator;
use crate::features::events::rights::unknown_commune;
use crate::timestamp::Timestamp;
use crate::timestamp::paris_wall_clock;
use crate::timestamp::parse_date;
use crate::timestamp::parse_time;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Time;

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

/// A whole number of seats, or none for "" (no limit).
pub(super) fn parse_seats(errors: &mut FieldErrors, field: &str, text: &str) -> Option<i64> {
    errors.whole_number(
        field,
        text,
        0..=100_000,
        "Indiquez un nombre de places entre 0 et 100 000, ou laissez vide pour ne pas limiter.",
    )
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
        errors.at_most("title", &title, 200, "Le titre");
        let kind = EventKind::from_slug(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choisissez le type d'événement.");
        }
        let description = t(&self.description);
        errors.at_most("description", &description, 10_000, "La présentation");
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
        errors.at_most("place_name", &place_name, 200, "Le lieu");
        let address = t(&self.address);
        errors.at_most("address", &address, 300, "L'adresse");
        let commune = Some(t(&self.commune)).filter(|c| !c.is_empty());
        let online_url = t(&self.online_url);
        if !online_url.is_empty() && !crate::text::check::is_web_address(&online_url) {
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

/// What the event form page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFormData {
    /// "" for a new event.
    pub slug: String,
    pub edit: EventEdit,
    /// `(slug, name)` of every commune.
    pub communes: Vec<(String, String)>,
    /// `(id, name)` of the structures the person may name as organiser.
    pub organisers: Vec<(i64, String)>,
    pub sessions: Vec<SessionInfo>,
    pub questions: Vec<QuestionInfo>,
    /// `(slug, name)` of the clubs whose meetings the person may organise.
    pub clubs: Vec<(String, String)>,
}

/// The event form: an existing event's values (its organisers) or an empty one (`slug` "",
/// members who manage a structure and site admins).
#[server(endpoint = "evenements/modifier/charger")]
pub async fn load_event_form(slug: String) -> Result<EventFormData, AppError> {
    let state = crate::state::app_state()?;
    let (user, edit, sessions, questions) = if slug.is_empty() {
        let user = require_event_creator(&state).await?;
        let edit = EventEdit {
            kind: "autre".to_owned(),
            visibility: "public".to_owned(),
            ..Default::default()
        };
        (user, edit, Vec::new(), Vec::new())
    } else {
        let (user, id) = organiser_of(&state, &slug).await?;
        let edit = db::event_for_edit(&state.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = db::find(&state.db, &slug)
            .await?
            .ok_or(AppError::NotFound)?;
        (user, edit, event.sessions, event.questions)
    };
    let mut organisers = organiser_choices(&state, &user).await?;
    // The current organiser stays choosable, whoever edits.
    if let Ok(current) = edit.organiser.parse::<i64>()
        && !organisers.iter().any(|(id, _)| *id == current)
        && let Some(name) =
            sqlx::query_scalar::<_, String>("SELECT name FROM structures WHERE id = $1")
                .bind(current)
                .fetch_optional(&state.db.pool)
                .await?
    {
        organisers.insert(0, (current, name));
    }
    Ok(EventFormData {
        clubs: club_choices(&state, &user).await?,
        slug,
        edit,
        communes: db::communes(&state.db).await?,
        organisers,
        sessions,
        questions,
    })
}

/// Creates an event (members who manage a structure, site admins); its creator organises it.
#[server(endpoint = "evenements/nouveau")]
pub async fn create_event(#[server(flatten)] edit: EventEdit) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_event_creator(&state).await?;
    let event = edit.validated()?;
    check_organiser(&state, &user, &event).await?;
    check_club(&state, &user, &event).await?;
    let slug = db::create_event(&state.db, &event, user.id)
        .await?
        .ok_or_else(unknown_commune)?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "enregistre",
        EVENT_NOTICES,
    ))
}

crate::form_path!(CreateEvent => "/evenements/nouveau");

/// Saves an event's fields (organisers, site admins). A larger capacity gives seats to the
/// people waiting, who are told by mail.
#[server(endpoint = "evenements/modifier")]
pub async fn save_event(
    slug: String,
    #[server(flatten)] edit: EventEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, id) = organiser_of(&state, &slug).await?;
    let event = edit.validated()?;
    let current = db::event_for_edit(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if event.organiser.map(|o| o.to_string()).unwrap_or_default() != current.organiser {
        check_organiser(&state, &user, &event).await?;
    }
    // An organiser who does not run the club keeps the club the event already had.
    if event.club.as_ref().map(|c| format!("club:{c}")) != Some(current.visibility.clone()) {
        check_club(&state, &user, &event).await?;
    }
    let promotions = db::update_event(&state.db, id, &event)
        .await?
        .ok_or_else(unknown_commune)?;
    announce(&state, &slug, promotions).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "enregistre",
        EVENT_NOTICES,
    ))
}

crate::form_path!(SaveEvent => "/evenements/{slug}/modifier");

#[cfg(test)]
mod tests {
    use super::*;

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
}
