//! Shared means: what a structure offers or looks for, the bookings of an offer, and the rules
//! of their forms.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{AppError, FieldErrors};
use crate::text::check::{lines, one_line};

/// What is shared, stored as text; the French names in the same table.
pub const KINDS: &[(&str, &str)] = &[
    ("salle", "Salle"),
    ("vehicule", "Véhicule"),
    ("materiel", "Matériel"),
    ("competence", "Compétence"),
];

/// An offer, or a request for a mean nobody offers yet (« nous cherchons… »).
pub const DIRECTIONS: &[(&str, &str)] =
    &[("offre", "Nous proposons"), ("recherche", "Nous cherchons")];

/// On what terms.
pub const TERMS: &[(&str, &str)] = &[
    ("gratuit", "Gratuit"),
    ("partage-des-frais", "Partage des frais"),
    ("echange", "Échange (de services, de temps)"),
];

/// A booking's state, stored as text in `mean_bookings.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingStatus {
    Pending,
    Accepted,
    Refused,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "en-attente",
            BookingStatus::Accepted => "acceptee",
            BookingStatus::Refused => "refusee",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            BookingStatus::Pending,
            BookingStatus::Accepted,
            BookingStatus::Refused,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Pending => "en attente de réponse",
            BookingStatus::Accepted => "acceptée",
            BookingStatus::Refused => "refusée",
        }
    }
}

use crate::text::choices::is_choice as known;
pub use crate::text::choices::label_of;

/// A mean as typed in `/moyens/proposer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeanForm {
    /// The slug of the structure that offers or looks for it (one its author manages).
    #[serde(default)]
    pub structure: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A commune's slug, or "" (the structure's own).
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub terms: String,
}

/// A mean, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMean {
    pub structure: String,
    pub direction: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub commune: String,
    pub terms: String,
}

pub const MAX_DESCRIPTION: usize = 3000;

impl MeanForm {
    pub fn validated(self) -> Result<ValidMean, AppError> {
        let mut errors = FieldErrors::default();
        let title = one_line(&self.title);
        let description = lines(&self.description);
        if errors.required(
            "title",
            &title,
            "Donnez un titre (par exemple : Salle de réunion de 30 places).",
        ) {
            errors.at_most("title", &title, 120, "Le titre");
        }
        errors.at_most(
            "description",
            &description,
            MAX_DESCRIPTION,
            "La description",
        );
        let pick = |errors: &mut FieldErrors, field: &str, value: &str, table, message: &str| {
            let value = value.trim().to_owned();
            if !known(table, &value) {
                errors.add(field, message.to_owned());
            }
            value
        };
        let direction = pick(
            &mut errors,
            "direction",
            &self.direction,
            DIRECTIONS,
            "Dites si vous proposez ou si vous cherchez.",
        );
        let kind = pick(
            &mut errors,
            "kind",
            &self.kind,
            KINDS,
            "Choisissez ce qui est partagé : salle, véhicule, matériel ou compétence.",
        );
        let terms = pick(
            &mut errors,
            "terms",
            &self.terms,
            TERMS,
            "Choisissez les conditions dans la liste.",
        );
        errors.finish(ValidMean {
            structure: self.structure.trim().to_owned(),
            direction,
            kind,
            title,
            description,
            commune: self.commune.trim().to_owned(),
            terms,
        })
    }
}

/// A booking as typed on an offer's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingForm {
    /// The slug of the structure that borrows (one its author manages).
    #[serde(default)]
    pub structure: String,
    #[serde(default)]
    pub first_day: String,
    #[serde(default)]
    pub last_day: String,
    #[serde(default)]
    pub message: String,
}

/// The longest booking, in days.
pub const MAX_DAYS: i64 = 31;
/// How far ahead a booking may start, in days.
pub const AHEAD_DAYS: i64 = 366;

/// A booking, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBooking {
    pub structure: String,
    pub first_day: Date,
    pub last_day: Date,
    pub message: String,
}

impl BookingForm {
    /// Whole days, from today on, at most [`MAX_DAYS`] long and [`AHEAD_DAYS`] ahead.
    pub fn validated(self, today: Date) -> Result<ValidBooking, AppError> {
        let mut errors = FieldErrors::default();
        let first = crate::timestamp::parse_date(&self.first_day);
        let last = if self.last_day.trim().is_empty() {
            first
        } else {
            crate::timestamp::parse_date(&self.last_day)
        };
        let message = lines(&self.message);
        errors.at_most("message", &message, 1000, "Le message");
        match (first, last) {
            (None, _) => errors.add(
                "first_day",
                "Indiquez le premier jour (exemple : 2027-03-15).",
            ),
            (_, None) => errors.add(
                "last_day",
                "Indiquez le dernier jour (exemple : 2027-03-16), ou laissez vide pour un seul jour.",
            ),
            (Some(first), Some(last)) => {
                if first < today {
                    errors.add("first_day", "Le premier jour est déjà passé.");
                } else if (first - today).whole_days() > AHEAD_DAYS {
                    errors.add(
                        "first_day",
                        "On réserve au plus un an à l'avance.",
                    );
                }
                if last < first {
                    errors.add(
                        "last_day",
                        "Le dernier jour vient après le premier.",
                    );
                } else if (last - first).whole_days() >= MAX_DAYS {
                    errors.add(
                        "last_day",
                        "Une réservation dure 31 jours au plus.",
                    );
                }
            }
        }
        let (Some(first_day), Some(last_day)) = (first, last) else {
            return Err(errors.finish(()).err().unwrap_or(AppError::Internal));
        };
        errors.finish(ValidBooking {
            structure: self.structure.trim().to_owned(),
            first_day,
            last_day,
            message,
        })
    }
}

/// Every day from `first` to `last`, as `AAAA-MM-JJ`.
pub fn days(first: Date, last: Date) -> Vec<String> {
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        out.push(crate::timestamp::iso_day(day));
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn booking(first: &str, last: &str) -> BookingForm {
        BookingForm {
            structure: "les-courses-asteur".into(),
            first_day: first.into(),
            last_day: last.into(),
            message: String::new(),
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        error.field_errors().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn bookings_are_whole_days_ahead_and_short() {
        let today = date!(2027 - 03 - 10);
        let one = booking("2027-03-15", "").validated(today).unwrap();
        assert_eq!(one.first_day, one.last_day, "one day when no last day");
        assert_eq!(days(one.first_day, one.last_day), ["2027-03-15"]);
        let week = booking("2027-03-29", "2027-04-02")
            .validated(today)
            .unwrap();
        assert_eq!(days(week.first_day, week.last_day).len(), 5);
        assert_eq!(
            fields(booking("2027-03-09", "").validated(today).unwrap_err()),
            ["first_day"]
        );
        assert_eq!(
            fields(
                booking("2027-03-15", "2027-03-14")
                    .validated(today)
                    .unwrap_err()
            ),
            ["last_day"]
        );
        assert_eq!(
            fields(
                booking("2027-03-15", "2027-05-15")
                    .validated(today)
                    .unwrap_err()
            ),
            ["last_day"]
        );
        assert_eq!(
            fields(booking("2029-03-15", "").validated(today).unwrap_err()),
            ["first_day"]
        );
        assert_eq!(
            fields(booking("15/03/2027", "").validated(today).unwrap_err()),
            ["first_day"]
        );
    }

    #[test]
    fn means_name_known_kinds_and_terms() {
        let valid = MeanForm {
            structure: "les-courses-asteur".into(),
            direction: "offre".into(),
            kind: "salle".into(),
            title: "  Salle de réunion\n30 places ".into(),
            terms: "gratuit".into(),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(valid.title, "Salle de réunion 30 places");
        let wrong = MeanForm {
            direction: "vente".into(),
            kind: "<script>".into(),
            title: "x".repeat(121),
            terms: "=1+1".into(),
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        assert_eq!(fields(wrong), ["title", "direction", "kind", "terms"]);
    }
}
