//! An event's workshops (each with its own seats) and the questions asked at registration.

use super::db;
use super::editing::parse_seats;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::QuestionInfo;
use crate::features::events::QuestionKind;
use crate::features::events::rights::organiser_of;
use crate::timestamp::Timestamp;
use crate::timestamp::paris_wall_clock;
use crate::timestamp::parse_date;
use crate::timestamp::parse_time;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
        errors.at_most("session_title", &title, 200, "Le titre");
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
        errors.at_most("room", &room, 100, "La salle");
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
        errors.at_most("label", &label, 300, "La question");
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

/// Adds a workshop to an event (organisers, site admins).
#[server(endpoint = "evenements/ateliers")]
pub async fn add_session(
    slug: String,
    #[server(flatten)] session: SessionEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
    let session = session.validated()?;
    db::add_session(&state.db, id, &session).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "atelier-ajoute",
        EVENT_NOTICES,
    ))
}

crate::form_path!(AddSession => "/evenements/{slug}/ateliers");

/// Removes a workshop (organisers, site admins); its registrations keep their event seat.
#[server(endpoint = "evenements/ateliers/retirer")]
pub async fn remove_session(slug: String, session: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
    if !db::remove_session(&state.db, id, session).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "atelier-retire",
        EVENT_NOTICES,
    ))
}

crate::form_path!(RemoveSession => "/evenements/{slug}/ateliers/{session}/retirer");

/// Adds a question asked at registration (organisers, site admins).
#[server(endpoint = "evenements/questions")]
pub async fn add_question(
    slug: String,
    #[server(flatten)] question: QuestionEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
    let question = question.validated()?;
    db::add_question(&state.db, id, &question).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "question-ajoutee",
        EVENT_NOTICES,
    ))
}

crate::form_path!(AddQuestion => "/evenements/{slug}/questions");

/// Removes a question and its answers (organisers, site admins).
#[server(endpoint = "evenements/questions/retirer")]
pub async fn remove_question(slug: String, question: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, id) = organiser_of(&state, &slug).await?;
    if !db::remove_question(&state.db, id, question).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/modifier"),
        "question-retiree",
        EVENT_NOTICES,
    ))
}

crate::form_path!(RemoveQuestion => "/evenements/{slug}/questions/{question}/retirer");
