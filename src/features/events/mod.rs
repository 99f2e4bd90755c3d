//! Events (« Événements »): the list and each event's page, calendar files, registration with
//! capacity and a waitlist, workshops and questions, guests confirmed by mail, cancellation,
//! organisers' pages (registrations, export, check-in at the door) and « Mes inscriptions ».
//!
//! One file per thing a person does: `listing` (find an event), `registration` (take a seat or
//! a waitlist place), `guests` (confirm by mail without an account), `cancellation` (give a
//! seat back; the next person waiting is promoted), `editing` and `workshops` (organisers set
//! an event up), `management` and `check_in` (organisers run it), `calendar` and `export`
//! (files). Who gets a seat is decided in `db::seats`, the seat engine.

pub mod cancellation;
pub mod check_in;
pub mod editing;
pub mod guests;
pub mod listing;
pub mod management;
pub mod model;
pub mod registration;
pub mod views;
pub mod workshops;

pub mod calendar;
pub mod db;
pub mod demo;
pub mod export;
pub mod ics;
mod mails;
pub mod rights;

pub use editing::{EventEdit, EventFormData, ValidEvent};
pub use listing::ListParams;
pub use model::*;
pub use registration::RegistrationForm;
pub use workshops::{QuestionEdit, SessionEdit, ValidSession};

/// The routes of events: form posts and downloads.
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
        .get("/evenements.ics", calendar::feed)
        .get("/evenements/{slug}/calendrier.ics", calendar::event_ics)
        .get("/evenements/{slug}/inscrits.csv", export::attendees_csv)
        .form::<registration::RegisterForEvent>(event_page)
        .form::<guests::ConfirmGuest>(with_token)
        .form::<cancellation::CancelByLink>(with_token)
        .form::<cancellation::CancelRegistration>(back)
        .form::<management::SetOpening>(management)
        .form::<check_in::CheckIn>(checkin)
        .form::<editing::CreateEvent>(same_page)
        .form::<editing::SaveEvent>(same_page)
        .form::<workshops::AddSession>(edit)
        .form::<workshops::RemoveSession>(edit)
        .form::<workshops::AddQuestion>(edit)
        .form::<workshops::RemoveQuestion>(edit)
}

/// Registrations ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Inscriptions aux événements",
    tables: &[
        "registrations",
        "registration_sessions",
        "registration_answers",
        "event_organisers",
    ],
    data: "Nom, adresse e-mail, structure représentée, ateliers choisis, réponses aux questions de l'organisateur, présence le jour venu ; pour les organisateurs, leur compte.",
    purpose: "Tenir la liste des inscrits, la liste d'attente et l'accueil ; envoyer la confirmation, le fichier d'agenda et les changements.",
    basis: crate::privacy::CONTRACT,
    retention: "Une inscription non confirmée par son lien est effacée après 48 heures. Le nom, l'adresse et les réponses sont effacés un an après l'événement (seuls des chiffres restent).",
    recipients: "Les organisateurs de l'événement et les administrateurs du portail.",
};
