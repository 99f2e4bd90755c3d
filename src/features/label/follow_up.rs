//! The referent records a journey's steps: admission, follow-ups, review interviews, renewal,
//! suspension, withdrawal.

use super::cohorts::back;
use super::rights::now;
use crate::error::AppError;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::State;
use crate::features::label::StepKind;
use crate::features::label::rights::require_referent;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The actions a referent records on a journey (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JourneyAction {
    #[serde(rename = "delivrer")]
    Issue,
    #[serde(rename = "suivi")]
    FollowUp,
    #[serde(rename = "bilan")]
    Review,
    #[serde(rename = "renouveler")]
    Renew,
    #[serde(rename = "suspendre")]
    Suspend,
    #[serde(rename = "retablir")]
    Reinstate,
    #[serde(rename = "retirer")]
    Withdraw,
}

impl JourneyAction {
    pub fn kind(self) -> StepKind {
        match self {
            JourneyAction::Issue => StepKind::Issued,
            JourneyAction::FollowUp => StepKind::FollowUp,
            JourneyAction::Review => StepKind::Review,
            JourneyAction::Renew => StepKind::Renewed,
            JourneyAction::Suspend => StepKind::Suspended,
            JourneyAction::Reinstate => StepKind::Reinstated,
            JourneyAction::Withdraw => StepKind::Withdrawn,
        }
    }

    /// The actions offered for a journey in `state` (the referent's buttons).
    pub fn offered(
        state: State,
        complete: bool,
    ) -> Vec<(JourneyAction, &'static str, &'static str)> {
        use JourneyAction::*;
        let all = [
            (Issue, "delivrer", "Délivrer l'identifiant"),
            (FollowUp, "suivi", "Noter un suivi collectif"),
            (Review, "bilan", "Noter un entretien de bilan"),
            (Renew, "renouveler", "Renouveler"),
            (Suspend, "suspendre", "Suspendre"),
            (Reinstate, "retablir", "Lever la suspension"),
            (Withdraw, "retirer", "Retirer le label"),
        ];
        all.into_iter()
            .filter(|(action, _, _)| match (action, state) {
                (Issue, State::Admitted) => complete,
                (FollowUp, State::Labelled | State::Suspended) => true,
                (Review, State::Labelled | State::Suspended | State::Expired) => true,
                (Renew, State::Labelled | State::Expired) => true,
                (Suspend, State::Labelled) => true,
                (Reinstate, State::Suspended) => true,
                (Withdraw, State::Withdrawn) => false,
                (Withdraw, _) => true,
                _ => false,
            })
            .map(|(action, value, label)| {
                // Before the identifier, there is no label to withdraw: the journey ends.
                let ends_journey = matches!(state, State::Applied | State::Admitted);
                if action == Withdraw && ends_journey {
                    (action, value, "Mettre fin au parcours")
                } else {
                    (action, value, label)
                }
            })
            .collect()
    }
}

/// A referent's note on a step, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub note: String,
}

impl NoteForm {
    /// The note, trimmed (it may be empty): at most 1,000 characters.
    pub fn validated(self) -> Result<String, AppError> {
        let mut errors = crate::error::FieldErrors::default();
        let note = crate::text::check::lines(&self.note);
        errors.at_most("note", &note, 1000, "La note");
        errors.finish(note)
    }
}

/// Records a referent's step on a journey: issue the identifier, a follow-up, a review
/// interview, a renewal, a suspension and its end, a withdrawal. `note` is kept with the step.
#[server(endpoint = "label/parcours")]
pub async fn record_step(
    journey: i64,
    action: JourneyAction,
    #[server(flatten)] note: NoteForm,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    let note = note.validated()?;
    let scheme = super::db::scheme(&state.db).await?;
    let step = super::Step {
        note,
        ..super::Step::new(action.kind(), now())
    };
    super::db::append(&state.db, &scheme, journey, step, Some(user.id)).await?;
    // The badge and the directory's label facet show the change on the next page.
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(&back(&retour), "etape", LABEL_NOTICES))
}

crate::form_path!(RecordStep => "/label/parcours/{journey}");
