//! Registering for an event: a member takes a seat (or a waitlist place) at once; a guest is
//! sent a link that confirms the address first (see `guests`). Answers to the event's questions
//! and workshop choices come with the registration.

use super::db;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::EventDetail;
use crate::features::events::MyRegistration;
use crate::features::events::Openness;
use crate::features::events::QuestionInfo;
use crate::features::events::QuestionKind;
use crate::features::events::Visibility;
use crate::features::events::listing::visible_event;
use crate::state::AppState;
use crate::ui::form::Many;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// A registration checked against its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    /// The workshops chosen, each once.
    pub sessions: Vec<i64>,
    /// `(question id, answer)` of each answered question.
    pub answers: Vec<(i64, String)>,
    /// A member's structure (whether they manage it is checked against the database).
    pub structure: Option<i64>,
    /// A guest's name and address, normalised (empty for a member: the account's are used).
    pub name: String,
    pub email: String,
}

impl RegistrationForm {
    /// Checks the form against `event`: workshops among its sessions, answers to its
    /// questions, and for a guest (`member` false) the name and the address.
    pub fn validated(
        self,
        event: &EventDetail,
        member: bool,
    ) -> Result<ValidRegistration, AppError> {
        let mut errors = FieldErrors::default();
        let mut sessions: Vec<i64> = Vec::new();
        for id in &self.sessions.0 {
            if !event.sessions.iter().any(|s| s.id == *id) {
                errors.add(
                    "sessions",
                    "Un des ateliers choisis n'existe plus : rechargez la page.",
                );
            } else if !sessions.contains(id) {
                sessions.push(*id);
            }
        }
        let answers = checked_answers(&event.questions, &self, &mut errors);
        let structure = match self.structure.trim() {
            "" => None,
            id => {
                let id = id.parse::<i64>().ok();
                if id.is_none() {
                    errors.add("structure", "Choisissez une des structures que vous gérez.");
                }
                id
            }
        };
        let (mut name, mut email) = (String::new(), String::new());
        if !member {
            let normalise = crate::features::accounts::normalise_name;
            name = errors
                .check("name", normalise(&self.name))
                .unwrap_or_default();
            email = errors
                .check(
                    "email",
                    crate::features::accounts::normalise_email(&self.email),
                )
                .unwrap_or_default();
        }
        errors.finish(ValidRegistration {
            sessions,
            answers,
            structure,
            name,
            email,
        })
    }
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

/// The answer to a registration that got a seat or a waitlist place: the mail, then back to
/// the event's page with the matching notice.
pub async fn answer_seat(
    state: &AppState,
    event: &EventDetail,
    registration_id: i64,
    seat: db::Seat,
    name: &str,
    email: &str,
) -> Result<Done, AppError> {
    let base = state.config.base_url.clone();
    let token = db::add_cancel_token(&state.db, registration_id).await?;
    let page = format!("/evenements/{}", event.slug);
    let (mail, code) = match seat {
        db::Seat::Confirmed => {
            let sessions = db::confirmed_sessions(&state.db, registration_id).await?;
            (
                super::mails::confirmed(&base, event, email, name, &sessions, &token, false),
                "inscrit",
            )
        }
        db::Seat::Waitlisted(position) => (
            super::mails::waitlisted(&base, event, email, name, position, &token),
            "liste-attente",
        ),
    };
    state.send_mail(mail).await;
    let mut done = Done::notice(&page, code, EVENT_NOTICES);
    if let db::Seat::Waitlisted(position) = seat {
        done.message = format!(
            "L'événement est complet : vous êtes sur la liste d'attente, en position {position}. Vous recevrez un e-mail si une place se libère."
        );
    }
    Ok(done)
}

/// Registers for an event: a member (optionally for one of their structures) gets a seat or a
/// waitlist place at once; a guest gets a mail whose link confirms the address first.
#[server(endpoint = "evenements/inscription")]
pub async fn register_for_event(
    slug: String,
    #[server(flatten)] form: RegistrationForm,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event = visible_event(&state, &slug, user.as_ref()).await?;
    match event.openness(crate::timestamp::Timestamp::now()) {
        Openness::Open => {}
        Openness::NotYet(at) => {
            return Err(AppError::Conflict(format!(
                "Les inscriptions ouvrent le {}.",
                at.french_date_time()
            )));
        }
        Openness::Closed | Openness::Over => {
            return Err(AppError::Conflict(
                "Les inscriptions à cet événement sont fermées.".to_owned(),
            ));
        }
    }
    // A members-only event takes no guests.
    if user.is_none() && event.visibility == Visibility::Members {
        return Err(AppError::Unauthorized);
    }
    let form = form.validated(&event, user.is_some())?;
    if let Some(user) = &user {
        if let Some(structure) = form.structure {
            let managed =
                crate::features::accounts::db::managed_structures(&state.db, user.id).await?;
            if !managed.iter().any(|(id, _, _)| *id == structure) {
                return Err(AppError::validation(
                    "structure",
                    "Choisissez une des structures que vous gérez.",
                ));
            }
        }
        let who = db::Registrant {
            user_id: Some(user.id),
            structure_id: form.structure,
            name: user.name.clone(),
            email: user.email.clone(),
        };
        let (id, seat) =
            db::register(&state.db, event.id, &who, &form.sessions, &form.answers).await?;
        return answer_seat(&state, &event, id, seat, &who.name, &who.email).await;
    }
    // A guest.
    let ValidRegistration {
        name,
        email,
        sessions,
        answers,
        ..
    } = form;
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(crate::rate_limit::GUEST_REGISTRATION, &ip, &email)
        .await?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Address(&email), 1).await?;
    let base = state.config.base_url.clone();
    if db::is_registered(&state.db, event.id, &email).await? {
        // Same answer as a new registration: the page does not tell who is registered.
        state
            .send_mail(super::mails::already_registered(
                &base, &event, &email, &name,
            ))
            .await;
    } else {
        let who = db::Registrant {
            user_id: None,
            structure_id: None,
            name: name.clone(),
            email: email.clone(),
        };
        let token = db::register_pending(&state.db, event.id, &who, &sessions, &answers).await?;
        state
            .send_mail(super::mails::confirm_guest(
                &base, &event, &email, &name, &token,
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}"),
        "verifiez-mail",
        EVENT_NOTICES,
    ))
}

crate::form_path!(RegisterForEvent => "/evenements/{slug}/inscription");

/// « Mes inscriptions »: the member's registrations.
#[server(endpoint = "evenements/mes-inscriptions")]
pub async fn load_my_registrations() -> Result<Vec<MyRegistration>, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    Ok(db::my_registrations(&state.db, user.id, crate::timestamp::Timestamp::now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

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
