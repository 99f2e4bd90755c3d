//! Calls for projects (`/appels`) and consortia (`/consortiums/{id}`): a site admin, an editor
//! or a structure's manager publishes a call (funder, deadline, themes, territory, the official
//! text); structures form a consortium around it, the lead invites partners from the directory,
//! each accepts or declines, roles are set, the members share a checklist; the call's page
//! counts the consortia and names those that choose to be named; the members are reminded once
//! before the deadline.

pub mod api;
pub mod consortia;
pub mod db;
pub mod demo;
pub mod mails;
pub mod model;
pub mod views;

/// The forms' posts (without JavaScript).
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn call_page(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/consortiums").to_owned()
    }
    fn consortium_page(path: &str, _: &FormFields) -> String {
        let id = path
            .trim_start_matches("/consortiums/")
            .split('/')
            .next()
            .unwrap_or_default();
        format!("/consortiums/{id}")
    }
    Routes::new()
        .form::<api::PublishCall>(same_page)
        .form::<api::EditCall>(same_page)
        .form::<api::FormConsortium>(call_page)
        .form::<consortia::InvitePartner>(consortium_page)
        .form::<consortia::AnswerInvitation>(consortium_page)
        .form::<consortia::SetRole>(consortium_page)
        .form::<consortia::AddTask>(consortium_page)
        .form::<consortia::TickTask>(consortium_page)
        .form::<consortia::SetVisibility>(consortium_page)
}

/// Who formed and joined a consortium ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Appels à projets et consortiums",
    tables: &[
        "calls",
        "consortia",
        "consortium_members",
        "consortium_tasks",
    ],
    data: "Le compte qui publie un appel, forme un consortium, invite une structure ou coche une tâche ; aux membres d'un consortium, les noms et adresses e-mail des gestionnaires des structures membres.",
    purpose: "Permettre aux structures de répondre ensemble à un appel à projets et de se joindre.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que l'appel existe ; le compte qui a agi est effacé avec lui.",
    recipients: "Les gestionnaires des structures du consortium et les administrateurs du portail ; la page publique de l'appel ne montre que le nombre de consortiums et ceux qui choisissent d'y être nommés.",
};
