//! Clubs of ESS structures (« Clubs »): the list and each club's page (charter, member
//! structures, meetings), joining by request or invitation, and the membership page where club
//! admins decide, remove and appoint admins in place. Members are structures, represented by
//! their managers; admins are people who manage a member structure. Every change is recorded in
//! the club's history, and a club never loses its last admin.
//!
//! One file per thing a person does: `listing` (find a club), `requests` (ask to join, leave),
//! `invitations` (bring in a structure or a person), `decisions` (club admins approve, decline,
//! remove, appoint), `editing` (the club's page). Which change leads where is the status machine
//! in `membership`; `db::changes` applies it in one locked transaction.

pub mod decisions;
pub mod editing;
pub mod invitations;
pub mod listing;
pub mod model;
pub mod requests;
pub mod views;

pub mod db;
pub mod demo;
mod mails;
pub mod membership;
pub mod rights;

pub use editing::{ClubEdit, ClubForm, NewEntry};
pub use model::*;

/// The club's pages that receive form posts, for the plain-form adapter.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes};
    fn club_page(path: &str, _: &FormFields) -> String {
        let slug = path.trim_start_matches("/clubs/");
        format!("/clubs/{}", slug.split('/').next().unwrap_or(""))
    }
    fn membership(path: &str, fields: &FormFields) -> String {
        format!("{}/membres", club_page(path, fields))
    }
    fn invitation(path: &str, fields: &FormFields) -> String {
        crate::ui::href::with_query(path, "jeton", fields.get("token"))
    }
    Routes::new()
        .form::<editing::CreateClub>(crate::web::forms::same_page)
        .form::<editing::SaveClub>(crate::web::forms::same_page)
        .form::<requests::RequestToJoin>(club_page)
        .form::<invitations::InviteStructure>(club_page)
        .form::<invitations::InviteByEmail>(club_page)
        .form::<invitations::AnswerInvitation>(club_page)
        .form::<requests::LeaveClub>(club_page)
        .form::<decisions::DecideMembership>(membership)
        .form::<decisions::RemoveMember>(membership)
        .form::<decisions::SetClubAdmin>(membership)
        .form::<invitations::JoinByEmailInvitation>(invitation)
}

/// Clubs ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Clubs",
    tables: &[
        "club_members",
        "club_admins",
        "club_history",
        "club_email_invitations",
    ],
    data: "Les structures membres et qui les a invitées ou acceptées, les administrateurs du club, les adresses e-mail invitées et le message de l'invitation.",
    purpose: "Faire vivre le club : adhésions, invitations, décisions de ses administrateurs.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que le club existe ; une invitation par courriel expire après 14 jours et son adresse est alors effacée avec le lien.",
    recipients: "Les membres et les administrateurs du club, les administrateurs du portail.",
};
