//! Responsible purchasing: buyers (a local authority's purchasing service, a social landlord, a
//! works council…) publish a **need**; the portal finds the ESS structures that fit it and says
//! why ([`matching`]); the buyer removes or adds some and sends it; the kept structures answer in
//! the page; the buyer closes the need with an outcome per structure. `/achats` lists the open
//! public needs, `/achats/bilan` counts what the portal made happen. At a fair, buyers book
//! one-to-one meetings with the structures that hold a stand (`/evenements/{slug}/rendez-vous`).
//!
//! One file per thing a person does: `buyers` (declare who buys), `needs` (post and read
//! needs), `suppliers` (review the matched suppliers and send), `answers` (suppliers answer, the
//! buyer contacts and closes), `fair` (stands and meetings), `report` (the yearly figures).

pub mod answers;
pub mod buyers;
pub mod fair;
pub mod model;
pub mod needs;
pub mod report;
pub mod suppliers;
pub mod views;

pub mod db;
pub mod demo;
pub mod export;
mod mails;
pub mod matching;
pub mod rights;

pub use buyers::{Buyer, BuyerForm, ValidBuyer};
pub use fair::{Fair, MAX_SLOTS, Meeting, slot_times};
pub use model::*;
pub use needs::{NeedForm, ValidNeed};
pub use report::{Report, ReportRow};

/// The form posts of the purchasing pages.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn need_page(path: &str, _: &FormFields) -> String {
        // `/achats/{id}/…` answers with `/achats/{id}`.
        let mut parts = path.trim_start_matches('/').split('/');
        match (parts.next(), parts.next()) {
            (Some("achats"), Some(id)) => format!("/achats/{id}"),
            _ => "/achats".to_owned(),
        }
    }
    fn fair_page(path: &str, _: &FormFields) -> String {
        let end = path
            .find("/rendez-vous")
            .map_or(path.len(), |i| i + "/rendez-vous".len());
        path[..end].to_owned()
    }
    fn buyers_page(_: &str, _: &FormFields) -> String {
        "/achats/acheteurs".to_owned()
    }
    fn new_need(_: &str, _: &FormFields) -> String {
        "/achats/nouveau".to_owned()
    }
    Routes::new()
        .form::<buyers::DeclareBuyer>(new_need)
        .form::<buyers::ConfirmBuyer>(buyers_page)
        .form::<needs::CreateNeed>(same_page)
        .form::<suppliers::ChangeSupplier>(need_page)
        .form::<suppliers::AddSupplier>(need_page)
        .form::<suppliers::SendNeed>(need_page)
        .form::<answers::AnswerNeed>(need_page)
        .form::<answers::ContactSupplier>(need_page)
        .form::<answers::CloseNeed>(need_page)
        .form::<fair::OpenSlots>(fair_page)
        .form::<fair::AddStand>(fair_page)
        .form::<fair::BookMeeting>(same_page)
        .get("/achats/bilan.csv", export::report_csv)
}

/// Responsible purchasing ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Achats responsables",
    tables: &[
        "buyers",
        "needs",
        "need_suppliers",
        "need_history",
        "meetings",
    ],
    data: "Le compte acheteur et l'organisation déclarée, ses besoins, les réponses des structures et leurs messages, les rendez-vous d'affaires.",
    purpose: "Mettre en relation acheteurs et structures de l'ESS et compter ce que le portail fait naître.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que le compte acheteur existe ; les chiffres du bilan annuel ne nomment personne.",
    recipients: "L'acheteur, les structures à qui le besoin est envoyé, les administrateurs du portail.",
};
