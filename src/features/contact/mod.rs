//! « Écrire à cette structure »: a visitor writes to an entry of the directory from its page;
//! the portal relays the message to the entry's managers (or, without managers, to its contact
//! address) with `Reply-To` set to the visitor, so the structure's address is never shown, and
//! sends the visitor a copy. Spam is kept out without a third-party captcha (a field people do
//! not see, a minimum time to fill the form) and by the mail budget; a structure's managers can
//! turn the form off.

pub mod views;
pub mod writing;

pub mod db;

pub use views::ContactBox;

/// The form posts.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes};
    fn entry(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/ecrire")
            .trim_end_matches("/formulaire-contact")
            .to_owned()
    }
    Routes::new()
        .form::<writing::WriteToStructure>(entry)
        .form::<writing::SetContactForm>(entry)
}
