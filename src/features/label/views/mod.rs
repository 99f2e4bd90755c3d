//! The label's pages, one file per page.

mod attendance;
mod desk;
mod journey;
mod overview;
mod verify;

pub use attendance::AttendancePage;
pub use desk::DeskPage;
pub use journey::{LabelBox, MyJourneys};
pub use overview::LabelPage;
pub use verify::VerifyPage;

use crate::features::label::JourneySummary;
use crate::features::label::State;

fn state_text(summary: &JourneySummary, training_days: u32) -> String {
    match summary.state {
        State::Admitted => format!(
            "en formation ({} journée(s) sur {training_days})",
            summary.days_attended
        ),
        State::Labelled => match summary.valid_until {
            Some(until) => format!("labellisée jusqu'au {}", until.french_date()),
            None => State::Labelled.label().to_owned(),
        },
        state => state.label().to_owned(),
    }
}
