//! Support for project holders (`/accompagnement`, « Je porte un projet »): a person, with or
//! without an account, describes a project; the request goes to the support networks that
//! cover its commune and needs; one of their advisors takes it (one at a time), holder and
//! advisor write to each other through the portal (addresses hidden), and the advisor closes it
//! with an outcome. The networks' figures are public.

pub mod api;
pub mod db;
pub mod demo;
pub mod mails;
pub mod model;
pub mod networks;
pub mod views;

/// The forms' posts (without JavaScript).
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    /// A request's page: the private link's for a holder who came by it.
    fn request_page(path: &str, fields: &FormFields) -> String {
        let jeton = fields.get("jeton").trim();
        if jeton.is_empty() {
            let id = path
                .trim_start_matches("/accompagnement/demandes/")
                .split('/')
                .next()
                .unwrap_or_default();
            format!("/accompagnement/demandes/{id}")
        } else {
            crate::ui::href::with_query("/accompagnement/suivi", "jeton", jeton)
        }
    }
    fn follow_page(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query("/accompagnement/suivi", "jeton", fields.get("jeton").trim())
    }
    fn settings_page(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query(
            "/accompagnement/reglages",
            "structure",
            fields.get("structure").trim(),
        )
    }
    Routes::new()
        .form::<api::AskSupport>(same_page)
        .form::<api::ConfirmSupport>(follow_page)
        .form::<api::TakeRequest>(request_page)
        .form::<api::WriteMessage>(request_page)
        .form::<api::CloseRequest>(request_page)
        .form::<api::SaveNetworkSettings>(settings_page)
}

/// The requests and their exchanges ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Demandes d'accompagnement",
    tables: &["support_requests", "support_messages", "support_links"],
    data: "Le nom et l'adresse e-mail de la personne qui porte le projet (ou son compte), la description du projet, ses besoins, les messages échangés avec le conseiller, les dates et l'issue.",
    purpose: "Transmettre la demande aux réseaux d'accompagnement qui couvrent le territoire, permettre l'échange sans communiquer les adresses, compter les demandes par réseau et par territoire.",
    basis: crate::privacy::CONTRACT,
    retention: "Une demande jamais confirmée est effacée après 7 jours ; deux ans après sa clôture, le nom, l'adresse, la description et les messages sont effacés (il ne reste que la commune, le secteur, les besoins et l'issue, pour les chiffres).",
    recipients: "Les conseillers des réseaux auxquels la demande est envoyée (jamais votre adresse e-mail) et les administrateurs du portail.",
};
