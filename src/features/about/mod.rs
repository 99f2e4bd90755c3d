//! The information pages: the three of the main menu (what the ESS is, what DESSINE is, who
//! runs it) and those French law asks for, linked from every footer (legal notice, personal
//! data, accessibility statement), plus the site plan for people.
//! Their text ships with the portal (the Markdown files beside this module) and editors change
//! it in the page (`/redaction/pages/{slug}`), each save kept as a revision.

pub mod api;
pub mod model;
pub mod views;

pub mod db;

pub use model::*;
pub use views::{
    AccessibilityPage, CooperatePage, InfoPageEditorPage, InfoPageLinks, LegalNoticePage,
    PersonalDataPage, SitePlanPage, WhatIsDessinePage, WhatIsEssPage, WhoWeArePage,
};

/// The page editor's form posts.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn editor(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/restaurer").to_owned()
    }
    Routes::new()
        .form::<api::SaveInfoPage>(same_page)
        .form::<api::RestorePageRevision>(editor)
}
