//! Shared means (`/moyens`): structures offer a room, a vehicle, equipment or a skill, or say
//! what they look for; another structure asks to book an offer for whole days; the offer's
//! structure accepts or refuses, and the database never lets two accepted bookings of one mean
//! hold the same day.

pub mod api;
pub mod db;
pub mod demo;
pub mod mails;
pub mod model;
pub mod views;

/// The forms' posts (without JavaScript).
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn mean_page(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/reserver").to_owned()
    }
    fn back(_: &str, fields: &FormFields) -> String {
        crate::ui::href::local_path(fields.get("retour")).unwrap_or_else(|| "/moyens".to_owned())
    }
    Routes::new()
        .form::<api::ProposeMean>(same_page)
        .form::<api::RequestBooking>(mean_page)
        .form::<api::DecideBooking>(back)
        .get(
            "/moyens/reservations/{id}/calendrier.ics",
            api::calendar_file,
        )
}

/// Booking requests ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Moyens partagés et réservations",
    tables: &["shared_means", "mean_bookings"],
    data: "Le compte qui publie un moyen ou demande une réservation, son message, les dates et la décision.",
    purpose: "Permettre aux structures de se prêter des moyens et de savoir qui a demandé quoi.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que le moyen existe ; le compte qui a écrit est effacé avec lui.",
    recipients: "Les gestionnaires des deux structures et les administrateurs du portail ; les autres visiteurs voient seulement les jours réservés.",
};
