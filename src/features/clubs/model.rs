//! The clubs' types: statuses and history actions (each mapped to its stored text here),
//! the choices of the forms, and what the pages show.

use crate::error::AppError;
use crate::error::FieldErrors;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// The confirmations of the club pages.
pub const CLUB_NOTICES: crate::ui::notice::Notices = &[
    ("club-enregistre", "Le club a été enregistré."),
    (
        "demande-envoyee",
        "Votre demande d'adhésion a été envoyée aux administrateurs du club.",
    ),
    (
        "invitation-envoyee",
        "L'invitation a été envoyée aux gérants de la structure.",
    ),
    (
        "invitation-sans-gerant",
        "L'invitation est enregistrée. Cette structure n'a pas encore de gérant sur DESSINE : elle la trouvera sur la page du club. Vous pouvez aussi l'inviter par e-mail.",
    ),
    (
        "invitation-courriel",
        "L'invitation a été envoyée à cette adresse.",
    ),
    (
        "bienvenue",
        "Votre structure est maintenant membre du club.",
    ),
    (
        "fiche-a-verifier",
        "Votre structure est membre du club. Sa fiche, nouvelle, sera publiée dans l'annuaire et sur la page du club dès que l'équipe de modération l'aura vérifiée.",
    ),
    ("invitation-refusee", "Vous avez décliné l'invitation."),
    ("depart", "Votre structure a quitté le club."),
    ("approuvee", "La structure est maintenant membre du club."),
    ("refusee", "La demande a été déclinée."),
    ("invitation-retiree", "L'invitation a été retirée."),
    ("retiree", "La structure a été retirée du club."),
    (
        "admin-nomme",
        "La personne est maintenant administratrice du club.",
    ),
    (
        "admin-retire",
        "La personne n'est plus administratrice du club.",
    ),
];

/// A structure's membership of a club. Stored as text in `club_members.status`; this is the one
/// place that maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberStatus {
    Requested,
    Invited,
    Active,
    Declined,
    Left,
    Removed,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Requested => "requested",
            MemberStatus::Invited => "invited",
            MemberStatus::Active => "active",
            MemberStatus::Declined => "declined",
            MemberStatus::Left => "left",
            MemberStatus::Removed => "removed",
        }
    }

    pub fn from_stored(text: &str) -> Option<MemberStatus> {
        [
            MemberStatus::Requested,
            MemberStatus::Invited,
            MemberStatus::Active,
            MemberStatus::Declined,
            MemberStatus::Left,
            MemberStatus::Removed,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// Pending: a request or an invitation that waits for an answer.
    pub fn is_pending(self) -> bool {
        matches!(self, MemberStatus::Requested | MemberStatus::Invited)
    }

    /// A structure in this state may ask again or be invited again.
    pub fn may_start_over(self) -> bool {
        matches!(
            self,
            MemberStatus::Declined | MemberStatus::Left | MemberStatus::Removed
        )
    }
}

/// What happened, in the club's history. Stored as text in `club_history.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryAction {
    Created,
    Requested,
    Invited,
    InvitedByEmail,
    Approved,
    Declined,
    Accepted,
    Refused,
    Removed,
    Left,
    AdminAdded,
    AdminRemoved,
}

impl HistoryAction {
    const ALL: [HistoryAction; 12] = [
        HistoryAction::Created,
        HistoryAction::Requested,
        HistoryAction::Invited,
        HistoryAction::InvitedByEmail,
        HistoryAction::Approved,
        HistoryAction::Declined,
        HistoryAction::Accepted,
        HistoryAction::Refused,
        HistoryAction::Removed,
        HistoryAction::Left,
        HistoryAction::AdminAdded,
        HistoryAction::AdminRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Created => "created",
            HistoryAction::Requested => "requested",
            HistoryAction::Invited => "invited",
            HistoryAction::InvitedByEmail => "invited-by-email",
            HistoryAction::Approved => "approved",
            HistoryAction::Declined => "declined",
            HistoryAction::Accepted => "accepted",
            HistoryAction::Refused => "refused",
            HistoryAction::Removed => "removed",
            HistoryAction::Left => "left",
            HistoryAction::AdminAdded => "admin-added",
            HistoryAction::AdminRemoved => "admin-removed",
        }
    }

    pub fn from_stored(text: &str) -> Option<HistoryAction> {
        Self::ALL.into_iter().find(|action| action.as_str() == text)
    }

    /// The French verb phrase: « {actor} {phrase} {target} ».
    pub fn phrase(self) -> &'static str {
        match self {
            HistoryAction::Created => "a créé l'entrée de",
            HistoryAction::Requested => "a demandé l'adhésion de",
            HistoryAction::Invited => "a invité",
            HistoryAction::InvitedByEmail => "a invité par e-mail",
            HistoryAction::Approved => "a approuvé l'adhésion de",
            HistoryAction::Declined => "a décliné la demande ou l'invitation de",
            HistoryAction::Accepted => "a accepté l'invitation pour",
            HistoryAction::Refused => "a décliné l'invitation pour",
            HistoryAction::Removed => "a retiré du club",
            HistoryAction::Left => "a fait quitter le club à",
            HistoryAction::AdminAdded => "a nommé administrateur ou administratrice",
            HistoryAction::AdminRemoved => "a retiré le rôle d'administrateur à",
        }
    }
}

/// An admin's answer to a request or an invitation (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    #[serde(rename = "approuver")]
    Approve,
    #[serde(rename = "decliner")]
    Decline,
}

pub use crate::ui::form::Answer;

/// Making or unmaking a club admin (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminChange {
    #[serde(rename = "nommer")]
    Appoint,
    #[serde(rename = "retirer")]
    Revoke,
}

/// A club in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubSummary {
    pub slug: String,
    pub name: String,
    pub territory: String,
    pub description: String,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubInfo {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub territory: String,
    pub description: String,
    pub charter: String,
    pub meetings: String,
}

/// A member structure as the public page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberStructure {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub commune: String,
    pub legal_form: String,
}

/// A club meeting on the club's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub slug: String,
    pub title: String,
    pub starts_at: Timestamp,
    pub place: String,
    pub members_only: bool,
}

/// A structure the viewer manages, and where it stands with the club.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnStructure {
    pub id: i64,
    pub name: String,
    pub status: Option<MemberStatus>,
    /// The invitation's words, for an invited structure.
    pub message: String,
}

/// Who is looking at a club's page, and what they may do there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubViewer {
    pub logged_in: bool,
    /// Manages an active member structure: sees members-only meetings, may invite.
    pub member: bool,
    /// Club admin or site admin: manages membership.
    pub admin: bool,
    pub own: Vec<OwnStructure>,
}

/// A structure that may be invited, found by the invitation search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub commune: String,
}

/// The data of `/clubs/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubPage {
    pub club: ClubInfo,
    pub members: Vec<MemberStructure>,
    pub meetings: Vec<Meeting>,
    pub viewer: ClubViewer,
    /// The invitation search's words and results (members only).
    pub search: String,
    pub candidates: Vec<Candidate>,
}

/// A request or an invitation waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRow {
    pub structure_id: i64,
    pub slug: String,
    pub name: String,
    pub status: MemberStatus,
    pub message: String,
    pub proposed_by: String,
    pub since: Timestamp,
}

/// A manager of an active member structure, and whether they administer the club.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub user_id: i64,
    pub name: String,
    pub admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveRow {
    pub structure_id: i64,
    pub slug: String,
    pub name: String,
    pub since: Timestamp,
    pub representatives: Vec<Representative>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at: Timestamp,
    pub actor: String,
    pub action: HistoryAction,
    /// The structure or the person the action was about.
    pub target: String,
    pub reason: String,
}

/// The data of `/clubs/{slug}/membres`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipPage {
    pub club: ClubInfo,
    pub pending: Vec<PendingRow>,
    pub active: Vec<ActiveRow>,
    pub history: Vec<HistoryRow>,
}

/// What the e-mail invitation page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailInvitation {
    pub club_slug: String,
    pub club_name: String,
    pub message: String,
    /// Structures the logged-in person manages, `(id, name)`: they may bring one of them in
    /// instead of creating an entry.
    pub own: Vec<(i64, String)>,
    /// `(slug, name)` of every commune.
    pub communes: Vec<(String, String)>,
}

/// At most this many characters in a request's or an invitation's message, and in a reason.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A join request's or an invitation's message, as typed (the form's `message`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    pub message: String,
}

impl MessageForm {
    /// The message, trimmed (it may be empty), or the field's error.
    pub fn validated(self) -> Result<String, AppError> {
        let mut errors = FieldErrors::default();
        let message = crate::text::check::lines(&self.message);
        errors.at_most("message", &message, MAX_MESSAGE_CHARS, "Ce texte");
        errors.finish(message)
    }
}

/// A club admin's reason for a decision or a removal, as typed (the form's `reason`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

impl ReasonForm {
    /// The reason, trimmed; `required` (the message when it is missing) for a removal, whose
    /// reason the structure receives.
    pub fn validated(self, required: Option<&str>) -> Result<String, AppError> {
        let mut errors = FieldErrors::default();
        let reason = crate::text::check::lines(&self.reason);
        if let Some(message) = required {
            errors.required("reason", &reason, message);
        }
        errors.at_most("reason", &reason, MAX_MESSAGE_CHARS, "Ce texte");
        errors.finish(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_actions_map_to_their_stored_text_and_back() {
        for status in [
            MemberStatus::Requested,
            MemberStatus::Invited,
            MemberStatus::Active,
            MemberStatus::Declined,
            MemberStatus::Left,
            MemberStatus::Removed,
        ] {
            assert_eq!(MemberStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(MemberStatus::from_stored("actif"), None);
        for action in HistoryAction::ALL {
            assert_eq!(HistoryAction::from_stored(action.as_str()), Some(action));
        }
        assert!(MemberStatus::Requested.is_pending() && MemberStatus::Invited.is_pending());
        assert!(!MemberStatus::Active.is_pending());
        assert!(MemberStatus::Left.may_start_over() && !MemberStatus::Active.may_start_over());
    }

    #[test]
    fn a_removal_needs_a_reason_and_long_texts_are_refused() {
        let message = |text: &str| {
            MessageForm {
                message: text.to_owned(),
            }
            .validated()
        };
        assert_eq!(message("  bonjour\r\n ").unwrap(), "bonjour");
        assert_eq!(message("").unwrap(), "");
        assert!(message(&"é".repeat(MAX_MESSAGE_CHARS)).is_ok());
        let long = message(&"é".repeat(MAX_MESSAGE_CHARS + 1)).unwrap_err();
        assert_eq!(long.field_errors()[0].0, "message");
        let reason = |text: &str, required| {
            ReasonForm {
                reason: text.to_owned(),
            }
            .validated(required)
        };
        assert_eq!(reason("   ", None).unwrap(), "");
        let missing = reason("   ", Some("Indiquez la raison.")).unwrap_err();
        assert_eq!(
            missing.field_errors(),
            [("reason".to_owned(), "Indiquez la raison.".to_owned())]
        );
        assert!(reason(&"x".repeat(MAX_MESSAGE_CHARS + 1), None).is_err());
    }
}
