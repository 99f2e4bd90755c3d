//! The referents' desk: cohorts of structures that follow the six training days together
//! (each day an event of the events engine).

use super::rights::now;
use crate::error::AppError;
use crate::features::label::Desk;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::rights::require_referent;
use crate::timestamp::Timestamp;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The referent's cohort form, as typed. `days` are `YYYY-MM-DD`, one per training day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortForm {
    pub name: String,
    #[serde(default)]
    pub territory: String,
    #[serde(default)]
    pub referent: String,
    #[serde(default)]
    pub place_name: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub days: crate::ui::form::Many<String>,
}

/// A cohort form once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCohort {
    pub name: String,
    pub territory: String,
    pub referent: Option<i64>,
    pub place_name: String,
    pub commune: String,
    /// Each day's start and end.
    pub days: Vec<(Timestamp, Timestamp)>,
}

impl CohortForm {
    /// Checks the form for a scheme of `training_days` days; every bad field gets its message.
    pub fn validated(self, training_days: u32) -> Result<ValidCohort, crate::error::AppError> {
        use crate::timestamp::{paris_wall_clock, parse_date, parse_time};
        let mut errors = crate::error::FieldErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.add(
                "name",
                "Indiquez le nom de la cohorte (exemple : Artois 2027).",
            );
        } else if name.chars().count() > 120 {
            errors.add("name", "Le nom ne doit pas dépasser 120 caractères.");
        }
        if self.territory.trim().is_empty() {
            errors.add("territory", "Choisissez le territoire de la cohorte.");
        }
        let referent = match self.referent.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("referent", "Choisissez un référent dans la liste.");
                    None
                }
            },
        };
        let place_name = self.place_name.trim().to_owned();
        if place_name.chars().count() > 200 {
            errors.add("place_name", "Le lieu ne doit pas dépasser 200 caractères.");
        }
        let start = parse_time(&self.start_time);
        let end = parse_time(&self.end_time);
        if start.is_none() {
            errors.add("start_time", "Indiquez l'heure de début (exemple : 09:00).");
        }
        match (start, end) {
            (_, None) => errors.add("end_time", "Indiquez l'heure de fin (exemple : 17:00)."),
            (Some(start), Some(end)) if end <= start => {
                errors.add("end_time", "La fin doit suivre le début.")
            }
            _ => {}
        }
        let texts = self.days.0;
        let mut days = Vec::new();
        if texts.len() != training_days as usize || texts.iter().any(|t| t.trim().is_empty()) {
            errors.add(
                "days",
                format!("Indiquez la date de chacune des {training_days} journées de formation."),
            );
        } else {
            let mut previous = None;
            for text in &texts {
                let Some(date) = parse_date(text) else {
                    errors.add(
                        "days",
                        "Une des dates n'est pas valide (format : AAAA-MM-JJ).",
                    );
                    break;
                };
                if previous.is_some_and(|p| date <= p) {
                    errors.add(
                        "days",
                        "Les journées se suivent : chaque date après la précédente.",
                    );
                    break;
                }
                previous = Some(date);
                if let (Some(start), Some(end)) = (start, end) {
                    days.push((paris_wall_clock(date, start), paris_wall_clock(date, end)));
                }
            }
        }
        errors.finish(ValidCohort {
            name,
            territory: self.territory.trim().to_owned(),
            referent,
            place_name,
            commune: self.commune.trim().to_owned(),
            days,
        })
    }
}

/// The referents' desk: cohorts, applications, every journey.
#[server(endpoint = "label/gestion")]
pub async fn load_label_desk() -> Result<Desk, AppError> {
    let state = crate::state::app_state()?;
    require_referent(&state).await?;
    Ok(Desk {
        scheme: super::db::scheme(&state.db).await?,
        cohorts: super::db::cohorts(&state.db).await?,
        journeys: super::db::journeys(&state.db).await?,
        referents: super::db::referents(&state.db).await?,
        territories: crate::features::reference::db::wide_territories(&state.db).await?,
        communes: crate::features::reference::db::communes(&state.db).await?,
    })
}

/// Creates a cohort and its training days (events organised by its referent).
#[server(endpoint = "label/cohortes")]
pub async fn create_cohort(#[server(flatten)] form: CohortForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    let scheme = super::db::scheme(&state.db).await?;
    let cohort = form.validated(scheme.training_days)?;
    let referent = match cohort.referent {
        None => user.id,
        Some(id) if super::db::is_referent(&state.db, id).await? => id,
        Some(_) => {
            return Err(AppError::validation(
                "referent",
                "Choisissez un référent du label dans la liste.",
            ));
        }
    };
    super::db::create_cohort(&state.db, &scheme, &cohort, referent).await?;
    Ok(Done::notice(
        "/label/gestion",
        "cohorte-creee",
        LABEL_NOTICES,
    ))
}

crate::form_path!(CreateCohort => "/label/cohortes");

/// Admits an application into a cohort.
#[server(endpoint = "label/admission")]
pub async fn admit_to_cohort(
    journey: i64,
    cohort: i64,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let user = require_referent(&state).await?;
    if super::db::cohort(&state.db, cohort).await?.is_none() {
        return Err(AppError::validation(
            "cohort",
            "Choisissez une cohorte dans la liste.",
        ));
    }
    let scheme = super::db::scheme(&state.db).await?;
    let step = super::Step {
        cohort_id: Some(cohort),
        ..super::Step::new(super::StepKind::Admitted, now())
    };
    super::db::append(&state.db, &scheme, journey, step, Some(user.id)).await?;
    Ok(Done::notice(&back(&retour), "admise", LABEL_NOTICES))
}

crate::form_path!(AdmitToCohort => "/label/admission");

pub(super) fn back(retour: &str) -> String {
    crate::ui::href::local_path(retour).unwrap_or_else(|| "/label/gestion".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::label::journey::tests::at;

    #[test]
    fn cohort_forms_are_checked() {
        let form = CohortForm {
            name: " Artois 2027 ".into(),
            territory: "pas-de-calais".into(),
            start_time: "09:00".into(),
            end_time: "17:00".into(),
            days: crate::ui::form::Many(
                [
                    "2027-04-06",
                    "2027-04-20",
                    "2027-05-04",
                    "2027-05-18",
                    "2027-06-01",
                    "2027-06-15",
                ]
                .map(String::from)
                .to_vec(),
            ),
            ..Default::default()
        };
        let valid = form.clone().validated(6).unwrap();
        assert_eq!(valid.name, "Artois 2027");
        assert_eq!(valid.days.len(), 6);
        assert_eq!(
            valid.days[0].0,
            at("2027-04-06T07:00:00Z"),
            "09:00 in Paris summer time"
        );
        let fields = |form: CohortForm| -> Vec<String> {
            form.validated(6)
                .unwrap_err()
                .field_errors()
                .into_iter()
                .map(|(field, _)| field)
                .collect()
        };
        let mut unordered = form.clone();
        unordered.days.0.swap(0, 1);
        assert_eq!(fields(unordered), ["days"]);
        let mut five = form.clone();
        five.days.0.pop();
        assert_eq!(fields(five), ["days"]);
        let bad = CohortForm {
            name: String::new(),
            territory: String::new(),
            referent: "x".into(),
            end_time: "08:00".into(),
            start_time: "09:00".into(),
            ..form
        };
        assert_eq!(fields(bad), ["name", "territory", "referent", "end_time"]);
    }
}
