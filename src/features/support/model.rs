//! Support requests: what a project holder tells, the stages and needs to choose from, the
//! states of a request and the outcomes an advisor closes it with, and the rules of the forms.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::text::check::{lines, one_line};
use crate::ui::form::Many;

/// Where the project stands, stored as text; the French names in the same table.
pub const STAGES: &[(&str, &str)] = &[
    ("idee", "Une idée"),
    ("etude", "À l'étude (marché, faisabilité)"),
    ("creation", "En création"),
    ("developpement", "En développement"),
];

/// What the holder needs (several), and what a network covers.
pub const NEEDS: &[(&str, &str)] = &[
    ("financement", "Trouver un financement"),
    ("statut", "Choisir une forme juridique"),
    ("locaux", "Trouver un local"),
    ("partenaires", "Trouver des partenaires"),
    ("formation", "Se former"),
];

/// Stored needs in the order of [`NEEDS`] (unknown values dropped).
pub fn in_needs_order(stored: &[String]) -> Vec<String> {
    NEEDS
        .iter()
        .filter(|(need, _)| stored.iter().any(|s| s == need))
        .map(|(need, _)| (*need).to_owned())
        .collect()
}

/// How an advisor closes a request.
pub const OUTCOMES: &[(&str, &str)] = &[
    ("accompagnement", "Accompagnement engagé"),
    ("orientation", "Orienté vers un autre partenaire"),
    ("sans-suite", "Sans suite"),
    ("abandon", "Projet abandonné"),
];

use crate::text::choices::is_choice as known;
pub use crate::text::choices::label_of;

/// A request's state, stored as text in `support_requests.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Waits for its holder to confirm their address (the mailed link).
    Unconfirmed,
    /// Routed to networks, waiting for an advisor.
    Waiting,
    /// An advisor took it.
    Taken,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unconfirmed => "a-confirmer",
            Status::Waiting => "en-attente",
            Status::Taken => "prise",
            Status::Closed => "close",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Unconfirmed,
            Status::Waiting,
            Status::Taken,
            Status::Closed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Unconfirmed => "adresse à confirmer",
            Status::Waiting => "en attente d'un conseiller",
            Status::Taken => "suivie par un conseiller",
            Status::Closed => "close",
        }
    }
}

/// A request as typed in `/accompagnement`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    /// The holder's name and address (a member's come from their account).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub title: String,
    /// A sector's slug, or "" (not known yet).
    #[serde(default)]
    pub sector: String,
    /// A commune's slug.
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub needs: Many<String>,
    #[serde(default)]
    pub description: String,
}

/// A request, checked. Sector and commune are slugs; the database checks they exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub name: String,
    pub email: String,
    pub title: String,
    pub sector: String,
    pub commune: String,
    pub stage: String,
    pub needs: Vec<String>,
    pub description: String,
}

pub const MAX_DESCRIPTION: usize = 4000;
pub const MAX_MESSAGE: usize = 4000;

impl RequestForm {
    /// Checks every field; `member` when the holder is logged in (name and address are theirs).
    pub fn validated(self, member: bool) -> Result<ValidRequest, AppError> {
        let mut errors = FieldErrors::default();
        let name = one_line(&self.name);
        let mut email = String::new();
        if !member {
            if errors.required("name", &name, "Indiquez votre nom.") {
                errors.at_most("name", &name, 120, "Le nom");
            }
            email = errors
                .check(
                    "email",
                    crate::features::accounts::normalise_email(&self.email),
                )
                .unwrap_or_default();
        }
        let title = one_line(&self.title);
        if errors.required(
            "title",
            &title,
            "Donnez un titre à votre projet (par exemple : Épicerie solidaire à Grande-Synthe).",
        ) {
            errors.at_most("title", &title, 120, "Le titre");
        }
        let commune = self.commune.trim().to_owned();
        if commune.is_empty() {
            errors.add("commune", "Choisissez la commune où le projet se fera.");
        }
        let stage = self.stage.trim().to_owned();
        if !known(STAGES, &stage) {
            errors.add("stage", "Dites où en est le projet.");
        }
        let mut needs: Vec<String> = self.needs.0.iter().map(|n| n.trim().to_owned()).collect();
        needs.sort();
        needs.dedup();
        if needs.is_empty() {
            errors.add("needs", "Cochez au moins un besoin.");
        } else if needs.iter().any(|n| !known(NEEDS, n)) {
            errors.add("needs", "Cochez des besoins de la liste.");
        }
        let description = lines(&self.description);
        if errors.required(
            "description",
            &description,
            "Décrivez votre projet en quelques lignes : ce que vous voulez faire, pour qui, avec qui.",
        ) {
            errors.at_most(
                "description",
                &description,
                MAX_DESCRIPTION,
                "La description",
            );
        }
        errors.finish(ValidRequest {
            name,
            email,
            title,
            sector: self.sector.trim().to_owned(),
            commune,
            stage,
            needs,
            description,
        })
    }
}

/// A message as typed on a request's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    pub body: String,
}

impl MessageForm {
    pub fn validated(self) -> Result<String, AppError> {
        let mut errors = FieldErrors::default();
        let body = lines(&self.body);
        if errors.required("body", &body, "Écrivez votre message.") {
            errors.at_most("body", &body, MAX_MESSAGE, "Le message");
        }
        errors.finish(body)
    }
}

/// What a network covers, as typed in `/accompagnement/reglages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkForm {
    /// The structure's slug.
    #[serde(default)]
    pub structure: String,
    /// Slugs of départements and intercommunalities.
    #[serde(default)]
    pub territories: Many<String>,
    #[serde(default)]
    pub needs: Many<String>,
}

/// What a network covers, checked (territories are checked by the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNetwork {
    pub structure: String,
    pub territories: Vec<String>,
    pub needs: Vec<String>,
}

impl NetworkForm {
    pub fn validated(self) -> Result<ValidNetwork, AppError> {
        let mut errors = FieldErrors::default();
        let clean = |values: &[String]| {
            let mut values: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
            values.sort();
            values.dedup();
            values
        };
        let territories = clean(&self.territories.0);
        let needs = clean(&self.needs.0);
        if territories.is_empty() {
            errors.add("territories", "Cochez au moins un territoire.");
        }
        if needs.is_empty() {
            errors.add("needs", "Cochez au moins un besoin.");
        } else if needs.iter().any(|n| !known(NEEDS, n)) {
            errors.add("needs", "Cochez des besoins de la liste.");
        }
        errors.finish(ValidNetwork {
            structure: self.structure.trim().to_owned(),
            territories,
            needs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: AppError) -> Vec<String> {
        error.field_errors().into_iter().map(|(f, _)| f).collect()
    }

    fn request() -> RequestForm {
        RequestForm {
            name: " Camille\nDurand ".into(),
            email: "Camille@Exemple.fr".into(),
            title: "Épicerie solidaire".into(),
            sector: "".into(),
            commune: "grande-synthe".into(),
            stage: "idee".into(),
            needs: Many(vec!["locaux".into(), "financement".into(), "locaux".into()]),
            description: "Une épicerie pour le quartier.".into(),
        }
    }

    #[test]
    fn a_request_names_its_holder_stage_needs_and_project() {
        let valid = request().validated(false).unwrap();
        assert_eq!(valid.name, "Camille Durand");
        assert_eq!(valid.email, "camille@exemple.fr");
        assert_eq!(valid.needs, ["financement", "locaux"], "sorted, once each");
        // A member's name and address are their account's: not asked.
        let member = RequestForm {
            name: String::new(),
            email: String::new(),
            ..request()
        }
        .validated(true)
        .unwrap();
        assert_eq!(member.email, "");
        let wrong = RequestForm {
            name: String::new(),
            email: "pas-une-adresse".into(),
            title: "x".repeat(121),
            sector: "=1+1".into(),
            commune: String::new(),
            stage: "<b>".into(),
            needs: Many(vec!["argent".into()]),
            description: String::new(),
        }
        .validated(false)
        .unwrap_err();
        assert_eq!(
            fields(wrong),
            [
                "name",
                "email",
                "title",
                "commune",
                "stage",
                "needs",
                "description"
            ]
        );
        let none = RequestForm {
            needs: Many(vec![]),
            ..request()
        };
        assert_eq!(fields(none.validated(false).unwrap_err()), ["needs"]);
    }

    #[test]
    fn messages_are_required_and_bounded() {
        assert_eq!(
            MessageForm {
                body: "  Bonjour\r\n\r\nÀ bientôt  ".into()
            }
            .validated()
            .unwrap(),
            "Bonjour\n\nÀ bientôt"
        );
        assert!(MessageForm { body: " ".into() }.validated().is_err());
        assert!(
            MessageForm {
                body: "a".repeat(MAX_MESSAGE + 1)
            }
            .validated()
            .is_err()
        );
    }

    #[test]
    fn states_read_back() {
        for status in [
            Status::Unconfirmed,
            Status::Waiting,
            Status::Taken,
            Status::Closed,
        ] {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("ouverte"), None);
        assert_eq!(
            label_of(OUTCOMES, "orientation"),
            "Orienté vers un autre partenaire"
        );
    }
}
