//! The « démarche progrès » label of the Pas-de-Calais: a structure applies, is admitted to a
//! cohort, follows the training days (events of the events engine, marked by the cohort's
//! referent), receives an identifier valid for the renewal period, keeps progressing through
//! follow-ups and review interviews, and is renewed, suspended, withdrawn or expires.
//!
//! A journey is a list of dated steps that is only ever appended to; [`Progress::apply`] is the
//! one place that says which step may follow which and what they add up to. The database keeps
//! that sum beside the steps (`label_journeys`), rewritten in the transaction that appends a
//! step. Anyone can check an identifier at `/label/verifier`.
//!
//! One file per thing a person does: `applying` (a structure applies and follows its journey),
//! `cohorts` (the referents' desk), `attendance` (training days), `follow_up` (the referent
//! records steps), `verification` (anyone checks an identifier); `reminders` mails what is due.
//! The rule of the journey is `journey`.

pub mod applying;
pub mod attendance;
pub mod cohorts;
pub mod follow_up;
pub mod journey;
pub mod model;
pub mod verification;
pub mod views;

pub mod db;
pub mod demo;
pub mod reminders;
pub mod rights;

pub use cohorts::{CohortForm, ValidCohort};
pub use follow_up::JourneyAction;
pub use journey::Progress;
pub use model::*;
pub use verification::new_identifier;
pub use verification::{Verification, normalise_identifier};

/// The plain forms' posts (without JavaScript).
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
        .form::<applying::ApplyForLabel>(entry)
        .form::<cohorts::CreateCohort>(desk)
        .form::<cohorts::AdmitToCohort>(back)
        .form::<attendance::SaveAttendance>(same_page)
        .form::<follow_up::RecordStep>(back)
}

/// The label ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Label « démarche progrès »",
    tables: &[
        "label_cohorts",
        "label_journeys",
        "label_steps",
        "label_reminders",
    ],
    data: "Le parcours de chaque structure (présences aux journées, revue, identifiant, échéance) et la personne qui a enregistré chaque étape ; les référents des promotions.",
    purpose: "Suivre les six journées de formation, délivrer et renouveler le label.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que la structure suit ou détient le label, puis deux ans après son échéance.",
    recipients: "Les référents du label et les administrateurs du portail ; l'identifiant et l'échéance d'un label sont publics.",
};
