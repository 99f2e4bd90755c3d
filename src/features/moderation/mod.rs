//! Keeping the directory true: anyone proposes a new entry (« Référencer ma structure ») or a
//! correction (« Proposer une correction »); moderators (chosen by site admins, for a
//! territory) accept field by field or refuse; every change of an entry leaves a revision that
//! its managers and the moderators can read and restore. Entries change only through the
//! directory's functions (`directory::db::revisions`).

pub mod db;
pub mod deciding;
pub mod demo;
pub mod entries;
pub mod freshness;
pub mod history;
pub mod import;
pub mod imports;
pub mod mails;
pub mod merging;
pub mod model;
pub mod moderators;
pub mod proposing;
pub mod rights;
pub mod sirene;
pub mod views;

pub use model::*;

/// The plain forms' posts.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn confirm(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query(
            "/annuaire/proposition/confirmer",
            "jeton",
            fields.get("jeton"),
        )
    }
    fn proposal(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/decision").to_owned()
    }
    fn history(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/restaurer").to_owned()
    }
    fn merge(_: &str, fields: &FormFields) -> String {
        let page =
            crate::ui::href::with_query("/moderation/fusion", "garder", fields.get("garder"));
        crate::ui::href::with_query(&page, "fusionner", fields.get("fusionner"))
    }
    fn still_accurate(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query("/annuaire/toujours-exact", "jeton", fields.get("jeton"))
    }
    fn admin_page(path: &str, _: &FormFields) -> String {
        let end = path
            .find("/administration")
            .map_or(path.len(), |i| i + "/administration".len());
        path[..end].to_owned()
    }
    fn import_report(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/appliquer").to_owned()
    }
    Routes::new()
        .form::<proposing::ProposeStructure>(same_page)
        .form::<proposing::ProposeCorrection>(same_page)
        .form::<proposing::ConfirmProposal>(confirm)
        .form::<deciding::DecideProposal>(proposal)
        .form::<history::RestoreRevision>(history)
        .form::<moderators::ChangeModerator>(same_page)
        .form::<entries::SetPublication>(admin_page)
        .form::<entries::DeleteStructure>(admin_page)
        .form::<entries::ChangeEntryManager>(admin_page)
        .form::<freshness::ConfirmStillAccurate>(still_accurate)
        .form::<merging::MergeEntries>(merge)
        .form::<imports::ApplyImport>(import_report)
        .post(imports::IMPORT_PATH, imports::upload)
}

/// Proposals, moderation and imports ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Propositions et modération de l'annuaire",
    tables: &["proposals", "moderators", "imports"],
    data: "Le nom et l'adresse e-mail de qui propose une fiche ou une correction, son message, la décision et son motif ; les modérateurs et leur territoire ; les fichiers importés par les administrateurs.",
    purpose: "Vérifier ce qui entre dans l'annuaire et répondre à qui l'a proposé.",
    basis: crate::privacy::LEGITIMATE_INTEREST,
    retention: "Une proposition est gardée avec l'historique de la fiche ; une proposition dont l'adresse n'est pas confirmée n'est jamais lue ; un fichier importé est effacé un jour après son import.",
    recipients: "Les modérateurs et les administrateurs du portail.",
};
