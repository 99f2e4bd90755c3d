//! « Lettre d'information »: a visitor subscribes with an address, a frequency (weekly or
//! monthly) and optionally a territory; nothing is sent before the link mailed to that address
//! confirms it (double opt-in). A digest of the new articles and the coming public events is
//! written once per frequency and period and delivered to confirmed subscribers only, at a
//! configured pace, whatever the number of servers; a run that stops half-way resumes without
//! sending anyone the same digest twice. Every letter unsubscribes in one click (RFC 8058).
//!
//! `subscription` (subscribe, confirm, unsubscribe), `digest` (the letters and their job),
//! `views` (the pages).

pub mod digest;
pub mod subscription;
pub mod views;

pub mod db;

pub use views::{ConfirmSubscriptionPage, NewsletterPage, SubscribersPage, UnsubscribePage};

/// The form posts, and the one-click unsubscription that mail clients post.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes};
    fn newsletter(_: &str, _: &FormFields) -> String {
        "/lettre".to_owned()
    }
    fn confirm(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query("/lettre/confirmer", "jeton", fields.get("token"))
    }
    fn unsubscribe(_: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query("/lettre/desinscription", "jeton", fields.get("token"))
    }
    Routes::new()
        .form::<subscription::Subscribe>(newsletter)
        .form::<subscription::ConfirmSubscription>(confirm)
        .form::<subscription::Unsubscribe>(unsubscribe)
        .post(
            subscription::ONE_CLICK_PATH,
            subscription::one_click_unsubscribe,
        )
}

/// Subscribers ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Lettre d'information",
    tables: &["subscribers", "digest_deliveries"],
    data: "L'adresse e-mail, la fréquence et le territoire choisis, la date de confirmation, les lettres envoyées.",
    purpose: "Vous envoyer la lettre d'information que vous avez demandée.",
    basis: crate::privacy::CONSENT,
    retention: "Jusqu'à votre désinscription (un clic dans chaque lettre) ; une adresse non confirmée est effacée après 7 jours.",
    recipients: "Les administrateurs du portail ; les rédacteurs ne voient que le nombre d'abonnés par territoire.",
};
