//! The membership status machine: which change leads from which status to which, with the
//! French sentence that says why a change does not apply. Pure: the database layer asks it
//! inside the club's locked transaction.

use super::model::{Answer, Decision, HistoryAction, MemberStatus};

/// A change of a structure's membership.
#[derive(Debug, Clone)]
pub enum Change {
    /// Its manager asks to join (or accepts, when the structure was invited).
    Request { message: String },
    /// An active member invites it.
    Invite { message: String },
    /// An admin answers a request or withdraws an invitation.
    Decide { decision: Decision, reason: String },
    /// Its manager answers an invitation.
    Answer(Answer),
    /// An admin removes it.
    Remove { reason: String },
    /// Its manager takes it out.
    Leave,
}

/// The status a change leads to from `current`, the history action, or the sentence that says
/// why it does not apply.
pub fn next_status(
    change: &Change,
    current: Option<MemberStatus>,
    name: &str,
    by_admin: bool,
) -> Result<(MemberStatus, HistoryAction), String> {
    use MemberStatus::*;
    let fresh = current.is_none_or(MemberStatus::may_start_over);
    match (change, current) {
        // Removed by the admins: back only by their decision (an admin's invitation, or their
        // approval of the structure's own request), never by another member's invitation.
        (Change::Invite { .. }, Some(Removed)) if !by_admin => Err(removed_sentence(name)),
        (Change::Request { .. }, Some(Invited)) => Ok((Active, HistoryAction::Accepted)),
        (Change::Request { .. }, _) if fresh => Ok((Requested, HistoryAction::Requested)),
        (Change::Request { .. }, Some(Requested)) => Err(format!(
            "Une demande d'adhésion de {name} attend déjà la réponse des administrateurs du club."
        )),
        (Change::Invite { .. }, _) if fresh => Ok((Invited, HistoryAction::Invited)),
        (Change::Invite { .. }, Some(Requested)) => Err(format!(
            "{name} a déjà demandé à rejoindre le club : les administrateurs vont répondre."
        )),
        (Change::Invite { .. }, Some(Invited)) => Err(format!(
            "{name} a déjà été invitée : l'invitation attend la réponse de ses gérants."
        )),
        (Change::Request { .. } | Change::Invite { .. }, _) => {
            Err(format!("{name} est déjà membre du club."))
        }
        (Change::Decide { decision, .. }, Some(status)) if status.is_pending() => {
            Ok(match decision {
                Decision::Approve if status == Requested => (Active, HistoryAction::Approved),
                // An admin cannot accept an invitation in the invited side's place.
                Decision::Approve => {
                    return Err(format!(
                        "L'invitation de {name} attend la réponse de ses gérants : vous pouvez seulement la retirer."
                    ));
                }
                Decision::Decline => (Declined, HistoryAction::Declined),
            })
        }
        (Change::Answer(answer), Some(Invited)) => Ok(match answer {
            Answer::Accept => (Active, HistoryAction::Accepted),
            Answer::Decline => (Declined, HistoryAction::Refused),
        }),
        (Change::Remove { .. }, Some(Active)) => Ok((Removed, HistoryAction::Removed)),
        (Change::Leave, Some(Active)) => Ok((Left, HistoryAction::Left)),
        (Change::Decide { .. } | Change::Answer(_), _) => Err(String::new()),
        (Change::Remove { .. } | Change::Leave, _) => {
            Err(format!("{name} n'est pas membre du club."))
        }
    }
}

/// Why a removed structure cannot be brought back by an ordinary member.
pub fn removed_sentence(name: &str) -> String {
    format!(
        "{name} a été retirée du club par ses administrateurs : elle n'y revient que par leur décision. Ses gérants peuvent demander à rejoindre le club."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Change {
        Change::Request {
            message: String::new(),
        }
    }

    #[test]
    fn every_transition_goes_where_it_should() {
        use MemberStatus::*;
        let next = |change: Change, from: Option<MemberStatus>| {
            next_status(&change, from, "Work&Co", true).map(|(status, _)| status)
        };
        assert_eq!(next(request(), None), Ok(Requested));
        assert_eq!(next(request(), Some(Left)), Ok(Requested));
        assert_eq!(next(request(), Some(Invited)), Ok(Active));
        assert!(next(request(), Some(Requested)).is_err());
        assert!(next(request(), Some(Active)).is_err());
        let invite = || Change::Invite {
            message: String::new(),
        };
        assert_eq!(next(invite(), Some(Removed)), Ok(Invited));
        // Issue 27, finding 3: another member cannot bring a removed structure back.
        assert!(next_status(&invite(), Some(Removed), "Work&Co", false).is_err());
        assert!(next_status(&invite(), Some(Left), "Work&Co", false).is_ok());
        assert!(next(invite(), Some(Requested)).is_err());
        assert!(next(invite(), Some(Invited)).is_err());
        assert!(next(invite(), Some(Active)).is_err());
        let decide = |decision| Change::Decide {
            decision,
            reason: String::new(),
        };
        assert_eq!(next(decide(Decision::Approve), Some(Requested)), Ok(Active));
        assert!(next(decide(Decision::Approve), Some(Invited)).is_err());
        assert_eq!(next(decide(Decision::Decline), Some(Invited)), Ok(Declined));
        assert_eq!(
            next(decide(Decision::Decline), Some(Requested)),
            Ok(Declined)
        );
        // Decided meanwhile: an empty sentence, which the caller completes from the history.
        assert_eq!(
            next_status(&decide(Decision::Approve), Some(Active), "Work&Co", true),
            Err(String::new())
        );
        assert_eq!(
            next(Change::Answer(Answer::Accept), Some(Invited)),
            Ok(Active)
        );
        assert_eq!(
            next(Change::Answer(Answer::Decline), Some(Invited)),
            Ok(Declined)
        );
        assert!(next(Change::Answer(Answer::Accept), Some(Requested)).is_err());
        let remove = || Change::Remove { reason: "x".into() };
        assert_eq!(next(remove(), Some(Active)), Ok(Removed));
        assert!(next(remove(), Some(Left)).is_err());
        assert_eq!(next(Change::Leave, Some(Active)), Ok(Left));
        assert!(next(Change::Leave, None).is_err());
    }
}
