//! Who looks after a directory entry: a member asks to manage an entry from its page, a site
//! admin or a current manager approves; managers then edit the entry (a form without
//! JavaScript, in place with it).

pub mod api;
pub mod model;
pub mod views;

pub mod db;

pub use model::*;

/// The management forms' posts (without JavaScript).
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn entry(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/gerer").to_owned()
    }
    fn back(_: &str, fields: &FormFields) -> String {
        crate::ui::href::local_path(fields.get("retour")).unwrap_or_else(|| "/compte".to_owned())
    }
    fn claim(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query("/annuaire/confirmer-gestion", "jeton", fields.get("jeton"))
    }
    Routes::new()
        .form::<api::RequestManagement>(entry)
        .form::<api::SaveEntry>(same_page)
        .form::<api::DecideRequest>(back)
        .form::<api::ConfirmClaim>(claim)
}

/// Requests to manage an entry ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Demandes de gestion d'une fiche",
    tables: &["manager_requests"],
    data: "Le compte qui demande à gérer une fiche, son message, la décision et sa date.",
    purpose: "Permettre aux gestionnaires d'une fiche et aux administrateurs de décider qui la gère.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que le compte existe ; supprimées avec lui.",
    recipients: "Les gestionnaires de la fiche et les administrateurs du portail.",
};
