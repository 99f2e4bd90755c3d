//! A visitor's message to a structure, and the managers' switch that turns the form off.

use crate::error::{AppError, FieldErrors};
use crate::mail::{Letter, Mail, quoted};
use crate::ui::notice::{Done, Notices};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// At most this many characters in a message.
pub const MAX_MESSAGE_CHARS: usize = 5000;
/// The hidden field holding when the form was shown (seconds since 1970): it changes at every
/// rendering without changing the page (left out of its validator).
pub const OPENED_FIELD: &str = "ouvert";

/// A form sent back sooner than this after it was shown was not filled by a person.
pub const MIN_FILL_SECONDS: i64 = 3;

pub const CONTACT_NOTICES: Notices = &[
    (
        "message-envoye",
        "Votre message est transmis à la structure ; une copie vous est envoyée. Sa réponse vous parviendra directement par courriel.",
    ),
    (
        "formulaire-ferme",
        "Le formulaire de contact est désactivé : les visiteurs ne peuvent plus vous écrire depuis la fiche.",
    ),
    (
        "formulaire-ouvert",
        "Le formulaire de contact est de nouveau ouvert sur la fiche.",
    ),
];

/// The form as typed. `site_web` is a field people do not see (robots fill it); `ouvert` is
/// when the page showed the form (seconds since 1970).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub site_web: String,
    #[serde(default)]
    pub ouvert: String,
}

/// A message ready to relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub name: String,
    pub email: String,
    pub message: String,
}

/// What a robot's post is answered: the same success as a person's, nothing sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Person,
    Robot,
}

impl ContactForm {
    /// The message, or every bad field with its French message; `Robot` for a filled hidden
    /// field. `now` is in seconds since 1970.
    pub fn validated(self, now: i64) -> Result<(ValidContact, Verdict), AppError> {
        let mut errors = FieldErrors::default();
        let name = crate::features::accounts::normalise_name(&self.name)
            .map_err(|message| errors.add("name", message))
            .unwrap_or_default();
        let email = crate::features::accounts::normalise_email(&self.email)
            .map_err(|message| errors.add("email", message))
            .unwrap_or_default();
        let message = self.message.trim().replace("\r\n", "\n");
        match message.chars().count() {
            0 => errors.add("message", "Écrivez votre message."),
            n if n > MAX_MESSAGE_CHARS => errors.add(
                "message",
                format!(
                    "Le message ne doit pas dépasser {MAX_MESSAGE_CHARS} caractères (il en compte {n})."
                ),
            ),
            _ => {}
        }
        let opened = self.ouvert.trim().parse::<i64>().ok();
        if opened.is_none_or(|at| now - at < MIN_FILL_SECONDS) {
            errors.add(
                "",
                "Le formulaire est reparti trop vite pour avoir été rempli : relisez votre message et envoyez-le de nouveau.",
            );
        }
        let verdict = if self.site_web.trim().is_empty() {
            Verdict::Person
        } else {
            Verdict::Robot
        };
        errors.finish((
            ValidContact {
                name,
                email,
                message,
            },
            verdict,
        ))
    }
}

/// The letter to the structure: the portal's sentence, then the visitor's words quoted as
/// theirs; answering the mail answers the visitor.
pub fn relayed(to: &str, name: &str, structure: &str, contact: &ValidContact) -> Mail {
    let first = format!(
        "Un visiteur de DESSINE écrit à {structure} depuis la fiche de l'annuaire. Le portail ne lui a pas montré votre adresse."
    );
    let author = format!("Message de « {} » ({})", contact.name, contact.email);
    let words = quoted(&author, &contact.message).unwrap_or_default();
    Letter::new(
        &format!("Message d'un visiteur pour {structure}"),
        &[
            &first,
            &words,
            "Pour lui répondre, répondez simplement à ce courriel : la réponse part vers son adresse. Pour ne plus recevoir de messages par ce formulaire, désactivez-le sur la fiche, une fois connecté·e.",
        ],
        None,
    )
    .to(to, name)
    .reply_to(&contact.email)
}

/// The visitor's copy.
pub fn copy(structure: &str, contact: &ValidContact) -> Mail {
    let first = format!(
        "Votre message à {structure} lui a été transmis par DESSINE. Sa réponse vous parviendra directement, à cette adresse."
    );
    let words = quoted("Votre message", &contact.message).unwrap_or_default();
    Letter::new(
        &format!("Copie de votre message à {structure}"),
        &[
            &first,
            &words,
            "Si vous n'avez rien écrit, ignorez ce courriel : quelqu'un a saisi votre adresse, et le portail ne lui en enverra pas davantage.",
        ],
        None,
    )
    .to(&contact.email, &contact.name)
}

/// Relays a visitor's message to the entry's managers, with a copy to the visitor.
#[server(endpoint = "annuaire/ecrire")]
pub async fn write_to_structure(
    slug: String,
    #[server(flatten)] form: ContactForm,
) -> Result<Done, AppError> {
    // Public: anyone may write; the limits below bound it.
    let state = crate::state::app_state()?;
    let entry = super::db::contact_state(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !entry.open {
        return Err(AppError::Conflict(
            "Cette structure ne reçoit pas de messages par le portail.".to_owned(),
        ));
    }
    let structure = entry.structure;
    let now = crate::timestamp::Timestamp::now();
    let (contact, verdict) = form.validated(now.unix())?;
    let page = format!("/annuaire/{slug}");
    if verdict == Verdict::Robot {
        return Ok(Done::notice(&page, "message-envoye", CONTACT_NOTICES));
    }
    let recipients = super::db::recipients(&state.db, structure).await?;
    if recipients.is_empty() {
        return Err(AppError::Conflict(
            "Cette structure n'a pas d'adresse où recevoir un message.".to_owned(),
        ));
    }
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(
            crate::rate_limit::STRUCTURE_CONTACT,
            &ip,
            &format!("structure:{structure}"),
        )
        .await?;
    crate::web::client::spend_mails(
        &state,
        crate::rate_limit::Sender::Address(&contact.email),
        2,
    )
    .await?;
    let name = entry.name;
    for (email, person) in &recipients {
        state
            .send_mail(relayed(email, person, &name, &contact))
            .await;
    }
    state.send_mail(copy(&name, &contact)).await;
    Ok(Done::notice(&page, "message-envoye", CONTACT_NOTICES))
}

crate::form_path!(WriteToStructure => "/annuaire/{slug}/ecrire");

/// Turns the entry's contact form off (`ouvert` = « non ») or on again (its managers and the
/// site admins).
#[server(endpoint = "annuaire/formulaire-contact")]
pub async fn set_contact_form(slug: String, ouvert: String) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure = crate::features::stewardship::db::structure_id(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::features::stewardship::api::require_steward(&state, structure).await?;
    let closed = ouvert == "non";
    super::db::set_closed(
        &state.db,
        structure,
        closed,
        crate::timestamp::Timestamp::now(),
    )
    .await?;
    Ok(Done::notice(
        &format!("/annuaire/{slug}"),
        if closed {
            "formulaire-ferme"
        } else {
            "formulaire-ouvert"
        },
        CONTACT_NOTICES,
    ))
}

crate::form_path!(SetContactForm => "/annuaire/{slug}/formulaire-contact");

/// What the contact box shows: whether the form is open, whether the person looking manages
/// the entry, and the time the form is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactBoxData {
    pub open: bool,
    /// Someone to receive a message: managers, or a contact address.
    pub reachable: bool,
    pub steward: bool,
    pub shown_at: i64,
}

#[server(endpoint = "annuaire/ecrire/charger")]
pub async fn load_contact_box(slug: String) -> Result<ContactBoxData, AppError> {
    // Public data; `steward` says only whether the asker manages the entry.
    let state = crate::state::app_state()?;
    let found = super::db::contact_state(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let steward = match crate::features::accounts::auth::current_user() {
        Some(_) => crate::features::stewardship::api::require_steward(&state, found.structure)
            .await
            .is_ok(),
        None => false,
    };
    Ok(ContactBoxData {
        open: found.open,
        reachable: found.reachable,
        steward,
        shown_at: crate::timestamp::Timestamp::now().unix(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: &str, message: &str, hidden: &str, opened: i64) -> ContactForm {
        ContactForm {
            name: name.into(),
            email: email.into(),
            message: message.into(),
            site_web: hidden.into(),
            ouvert: opened.to_string(),
        }
    }

    #[test]
    fn a_person_filling_the_form_passes() {
        let (valid, verdict) = form("Marie Martin", "Marie@Exemple.fr", " Bonjour ", "", 100)
            .validated(110)
            .unwrap();
        assert_eq!(verdict, Verdict::Person);
        assert_eq!(valid.email, "marie@exemple.fr");
        assert_eq!(valid.message, "Bonjour");
    }

    #[test]
    fn too_fast_or_without_time_is_refused() {
        assert!(form("A", "a@b.fr", "x", "", 100).validated(101).is_err());
        let mut no_time = form("A", "a@b.fr", "x", "", 0);
        no_time.ouvert = "demain".into();
        assert!(no_time.validated(100).is_err());
    }

    #[test]
    fn the_hidden_field_marks_a_robot() {
        let (_, verdict) = form("A", "a@b.fr", "x", "https://spam.example", 0)
            .validated(100)
            .unwrap();
        assert_eq!(verdict, Verdict::Robot);
    }

    #[test]
    fn headers_in_the_name_and_huge_messages_are_refused_or_flattened() {
        let (valid, _) = form("Nom\r\nBcc: x@y.fr", "a@b.fr", "x", "", 0)
            .validated(100)
            .unwrap();
        assert!(!valid.name.contains('\n') && !valid.name.contains('\r'));
        assert!(
            form("A", "Nom <a@b.fr>", "x", "", 0)
                .validated(100)
                .is_err()
        );
        assert!(
            form("A", "a@b.fr", &"x".repeat(MAX_MESSAGE_CHARS + 1), "", 0)
                .validated(100)
                .is_err()
        );
    }
}
