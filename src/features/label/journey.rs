//! The label journey, a pure rule: [`Progress::apply`] is the one place that says which step
//! may follow which (application, admission, six training days, identifier, follow-ups, review,
//! renewal every two years, suspension, withdrawal, expiry) and what they add up to.

use crate::features::label::Scheme;
use crate::features::label::State;
use crate::features::label::Step;
use crate::features::label::StepKind;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a journey's steps add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub state: State,
    pub since: Timestamp,
    pub cohort_id: Option<i64>,
    /// The training days attended (1-based).
    pub days: BTreeSet<u32>,
    pub identifier: Option<String>,
    pub valid_until: Option<Timestamp>,
    /// The last review interview since the identifier was issued or last renewed.
    pub reviewed_at: Option<Timestamp>,
}

/// Adds `months` calendar months to an instant; a day that does not exist in the target month
/// (31 April) becomes the month's last day.
pub fn add_months(at: Timestamp, months: u32) -> Timestamp {
    let at = at.offset_date_time();
    let total = at.year() * 12 + i32::from(u8::from(at.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(month).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    let date = time::Date::from_calendar_date(year, month, at.day().min(last))
        .unwrap_or_else(|_| at.date());
    Timestamp::from_offset(at.replace_date(date))
}

impl Progress {
    /// The sum of `steps`, each checked against the ones before it. A stored journey always
    /// replays; an error names the first step that may not follow.
    pub fn replay(steps: &[Step], scheme: &Scheme) -> Result<Progress, &'static str> {
        let (first, rest) = steps.split_first().ok_or("Aucune étape.")?;
        let mut progress = Progress::start(first)?;
        for step in rest {
            progress.apply(step, scheme)?;
        }
        Ok(progress)
    }

    /// A journey's first step must be the application.
    pub fn start(step: &Step) -> Result<Progress, &'static str> {
        if step.kind != StepKind::Applied {
            return Err("Un parcours commence par une candidature.");
        }
        Ok(Progress {
            state: State::Applied,
            since: step.at,
            cohort_id: None,
            days: BTreeSet::new(),
            identifier: None,
            valid_until: None,
            reviewed_at: None,
        })
    }

    /// The state at `now`: a label or a suspension past its validity has expired, even before
    /// the server writes the expiry step.
    pub fn state_at(&self, now: Timestamp) -> State {
        match (self.state, self.valid_until) {
            (State::Labelled | State::Suspended, Some(until)) if until <= now => State::Expired,
            (state, _) => state,
        }
    }

    /// The training days still to attend.
    pub fn missing_days(&self, scheme: &Scheme) -> Vec<u32> {
        (1..=scheme.training_days)
            .filter(|day| !self.days.contains(day))
            .collect()
    }

    /// Appends `step`, or says in French why it may not follow.
    pub fn apply(&mut self, step: &Step, scheme: &Scheme) -> Result<(), &'static str> {
        let now = self.state_at(step.at);
        let labelled_or_suspended = matches!(now, State::Labelled | State::Suspended);
        match step.kind {
            StepKind::Applied => return Err("Cette structure a déjà candidaté."),
            StepKind::Admitted => {
                if self.state != State::Applied {
                    return Err(
                        "Seule une candidature en attente peut être admise dans une cohorte.",
                    );
                }
                self.cohort_id = Some(step.cohort_id.ok_or("Choisissez une cohorte.")?);
                self.state = State::Admitted;
            }
            StepKind::Attended | StepKind::AttendanceRemoved => {
                if self.state != State::Admitted {
                    return Err("Les présences se notent pendant la formation.");
                }
                let day = step
                    .day
                    .filter(|day| (1..=scheme.training_days).contains(day))
                    .ok_or("Cette journée ne fait pas partie de la formation.")?;
                let changed = if step.kind == StepKind::Attended {
                    self.days.insert(day)
                } else {
                    self.days.remove(&day)
                };
                if !changed {
                    return Err("Cette présence est déjà notée ainsi.");
                }
                // Attendance changes no state: `since` stays the admission's date.
                return Ok(());
            }
            StepKind::Issued => {
                if self.state != State::Admitted {
                    return Err("L'identifiant se délivre à la fin de la formation.");
                }
                if self.days.len() < scheme.training_days as usize {
                    return Err(
                        "Toutes les journées de formation doivent être suivies avant de délivrer l'identifiant.",
                    );
                }
                self.identifier = Some(step.identifier.clone().ok_or("Identifiant manquant.")?);
                self.valid_until = Some(add_months(step.at, scheme.renewal_months));
                self.reviewed_at = None;
                self.state = State::Labelled;
            }
            StepKind::FollowUp => {
                if !labelled_or_suspended {
                    return Err("Les suivis concernent les structures labellisées.");
                }
                return Ok(());
            }
            StepKind::Review => {
                // After an expiry too: the review that allows a late renewal.
                if !labelled_or_suspended && now != State::Expired {
                    return Err("Les entretiens de bilan concernent les structures labellisées.");
                }
                self.reviewed_at = Some(step.at);
                return Ok(());
            }
            StepKind::Renewed => {
                if !matches!(now, State::Labelled | State::Expired) || self.identifier.is_none() {
                    return Err("Seul un label en cours ou expiré peut être renouvelé.");
                }
                if self.reviewed_at.is_none() {
                    return Err(
                        "Un entretien de bilan doit avoir eu lieu depuis la délivrance ou le dernier renouvellement.",
                    );
                }
                // Renewed on time, the new period follows the old one; late, it starts now.
                let base = match self.valid_until {
                    Some(until) if until > step.at => until,
                    _ => step.at,
                };
                self.valid_until = Some(add_months(base, scheme.renewal_months));
                self.reviewed_at = None;
                self.state = State::Labelled;
            }
            StepKind::Suspended => {
                if now != State::Labelled {
                    return Err("Seul un label en cours peut être suspendu.");
                }
                self.state = State::Suspended;
            }
            StepKind::Reinstated => {
                if now != State::Suspended {
                    return Err("Ce label n'est pas suspendu.");
                }
                self.state = State::Labelled;
            }
            StepKind::Withdrawn => {
                if self.state == State::Withdrawn {
                    return Err("Ce label est déjà retiré.");
                }
                self.state = State::Withdrawn;
            }
            StepKind::Expired => {
                if now != State::Expired || self.state == State::Expired {
                    return Err("Ce label n'est pas arrivé à échéance.");
                }
                self.state = State::Expired;
            }
        }
        self.since = step.at;
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::features::label::model::LABEL_NAME;

    fn scheme() -> Scheme {
        Scheme {
            id: 1,
            name: LABEL_NAME.into(),
            training_days: 6,
            renewal_months: 24,
            code_prefix: "DP-62".into(),
        }
    }

    pub(crate) fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn step(kind: StepKind, when: &str) -> Step {
        Step::new(kind, at(when))
    }

    fn day(n: u32, when: &str) -> Step {
        Step {
            day: Some(n),
            ..step(StepKind::Attended, when)
        }
    }

    /// Applied, admitted, six days, issued on 2027-06-30.
    fn labelled() -> Vec<Step> {
        let mut steps = vec![
            step(StepKind::Applied, "2027-03-09T10:00:00Z"),
            Step {
                cohort_id: Some(7),
                ..step(StepKind::Admitted, "2027-03-20T10:00:00Z")
            },
        ];
        for n in 1..=6 {
            steps.push(day(n, &format!("2027-0{}-01T09:00:00Z", 3 + n / 2)));
        }
        steps.push(Step {
            identifier: Some("DP-62-7KQ3-XM4P".into()),
            ..step(StepKind::Issued, "2027-06-30T12:00:00Z")
        });
        steps
    }

    #[test]
    fn the_whole_lifecycle_adds_up() {
        let s = scheme();
        let mut steps = labelled();
        let progress = Progress::replay(&steps, &s).unwrap();
        assert_eq!(progress.state, State::Labelled);
        assert_eq!(progress.cohort_id, Some(7));
        assert_eq!(progress.valid_until, Some(at("2029-06-30T12:00:00Z")));
        assert_eq!(progress.identifier.as_deref(), Some("DP-62-7KQ3-XM4P"));
        steps.push(step(StepKind::FollowUp, "2027-10-01T09:00:00Z"));
        steps.push(step(StepKind::Suspended, "2027-11-01T09:00:00Z"));
        let suspended = Progress::replay(&steps, &s).unwrap();
        assert_eq!(suspended.state, State::Suspended);
        steps.push(step(StepKind::Reinstated, "2027-12-01T09:00:00Z"));
        steps.push(step(StepKind::Review, "2029-05-01T09:00:00Z"));
        steps.push(step(StepKind::Renewed, "2029-06-01T09:00:00Z"));
        let renewed = Progress::replay(&steps, &s).unwrap();
        assert_eq!(renewed.state, State::Labelled);
        // Renewed a month early: the new period follows the old one.
        assert_eq!(renewed.valid_until, Some(at("2031-06-30T12:00:00Z")));
        assert_eq!(
            renewed.reviewed_at, None,
            "the next renewal needs a new review"
        );
        steps.push(step(StepKind::Withdrawn, "2030-01-01T09:00:00Z"));
        let withdrawn = Progress::replay(&steps, &s).unwrap();
        assert_eq!(withdrawn.state, State::Withdrawn);
        assert_eq!(withdrawn.since, at("2030-01-01T09:00:00Z"));
        let mut again = withdrawn.clone();
        assert!(
            again
                .apply(&step(StepKind::Renewed, "2030-02-01T09:00:00Z"), &s)
                .is_err()
        );
    }

    #[test]
    fn the_identifier_needs_every_training_day() {
        let s = scheme();
        let mut steps = labelled();
        let issued = steps.pop().unwrap();
        let mut progress = Progress::replay(&steps[..steps.len() - 1], &s).unwrap();
        assert_eq!(progress.missing_days(&s), vec![6]);
        assert!(progress.apply(&issued, &s).is_err(), "five days of six");
        // A correction: day 6 marked then removed then marked again.
        progress.apply(&day(6, "2027-06-01T09:00:00Z"), &s).unwrap();
        let removed = Step {
            day: Some(6),
            ..step(StepKind::AttendanceRemoved, "2027-06-01T10:00:00Z")
        };
        progress.apply(&removed, &s).unwrap();
        assert!(progress.apply(&issued, &s).is_err());
        progress.apply(&day(6, "2027-06-02T09:00:00Z"), &s).unwrap();
        assert!(
            progress.apply(&day(6, "2027-06-02T09:00:00Z"), &s).is_err(),
            "twice"
        );
        assert!(
            progress.apply(&day(7, "2027-06-02T09:00:00Z"), &s).is_err(),
            "no day 7"
        );
        assert!(
            progress.apply(&day(0, "2027-06-02T09:00:00Z"), &s).is_err(),
            "no day 0"
        );
        progress.apply(&issued, &s).unwrap();
        assert_eq!(progress.state, State::Labelled);
        // A scheme of four days issues after four.
        let short = Scheme {
            training_days: 4,
            ..scheme()
        };
        let mut four = labelled();
        four.retain(|s| s.day.is_none_or(|d| d <= 4));
        assert_eq!(
            Progress::replay(&four, &short).unwrap().state,
            State::Labelled
        );
    }

    #[test]
    fn expiry_follows_the_dates() {
        let s = scheme();
        let mut steps = labelled();
        let progress = Progress::replay(&steps, &s).unwrap();
        assert_eq!(
            progress.state_at(at("2029-06-30T11:59:59Z")),
            State::Labelled
        );
        assert_eq!(
            progress.state_at(at("2029-06-30T12:00:00Z")),
            State::Expired
        );
        // An expiry step is refused before its time, accepted after.
        let mut early = progress.clone();
        assert!(
            early
                .apply(&step(StepKind::Expired, "2029-06-01T00:00:00Z"), &s)
                .is_err()
        );
        steps.push(step(StepKind::Expired, "2029-07-01T00:00:00Z"));
        let expired = Progress::replay(&steps, &s).unwrap();
        assert_eq!(expired.state, State::Expired);
        // Renewing late needs a review, then starts a new period from the renewal.
        let mut late = expired.clone();
        assert!(
            late.apply(&step(StepKind::Renewed, "2029-08-01T00:00:00Z"), &s)
                .is_err()
        );
        late.apply(&step(StepKind::Review, "2029-07-15T00:00:00Z"), &s)
            .unwrap();
        steps.push(step(StepKind::Review, "2029-07-15T00:00:00Z"));
        steps.push(step(StepKind::Renewed, "2029-08-01T00:00:00Z"));
        let renewed = Progress::replay(&steps, &s).unwrap();
        assert_eq!(renewed.valid_until, Some(at("2031-08-01T00:00:00Z")));
        assert_eq!(
            renewed.state_at(at("2030-01-01T00:00:00Z")),
            State::Labelled
        );
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(
            add_months(at("2027-08-31T10:00:00Z"), 6),
            at("2028-02-29T10:00:00Z")
        );
        assert_eq!(
            add_months(at("2027-01-15T10:00:00Z"), 24),
            at("2029-01-15T10:00:00Z")
        );
        assert_eq!(
            add_months(at("2027-12-01T00:00:00Z"), 1),
            at("2028-01-01T00:00:00Z")
        );
    }

    #[test]
    fn steps_in_the_wrong_order_are_refused() {
        let s = scheme();
        assert!(Progress::replay(&[step(StepKind::Admitted, "2027-01-01T00:00:00Z")], &s).is_err());
        let applied = vec![step(StepKind::Applied, "2027-01-01T00:00:00Z")];
        let mut progress = Progress::replay(&applied, &s).unwrap();
        for kind in [
            StepKind::Applied,
            StepKind::Attended,
            StepKind::Issued,
            StepKind::FollowUp,
            StepKind::Review,
            StepKind::Renewed,
            StepKind::Suspended,
            StepKind::Reinstated,
            StepKind::Expired,
        ] {
            let mut candidate = Step {
                day: Some(1),
                identifier: Some("DP-62-AAAA-AAAA".into()),
                ..step(kind, "2027-02-01T00:00:00Z")
            };
            candidate.cohort_id = Some(1);
            assert!(
                progress.apply(&candidate, &s).is_err(),
                "{kind:?} after applying"
            );
        }
        assert_eq!(
            progress.state,
            State::Applied,
            "a refused step changes nothing"
        );
        progress
            .apply(&step(StepKind::Withdrawn, "2027-02-01T00:00:00Z"), &s)
            .unwrap();
        assert_eq!(progress.state, State::Withdrawn);
    }
}
