//! The shared means' letters, in French, and the calendar file of an accepted booking (sent to
//! both structures and downloadable from the mean's page).

use crate::features::events::ics;
use crate::mail::{Attachment, Letter, quoted};

/// « du 15 mars 2027 au 16 mars 2027 », or « le 15 mars 2027 », from stored days.
pub fn period(first: &str, last: &str) -> String {
    let french = crate::timestamp::french_day;
    if first == last {
        format!("le {}", french(first))
    } else {
        format!("du {} au {}", french(first), french(last))
    }
}

/// To the managers of the mean's structure: a structure asks to book it.
pub fn requested(title: &str, borrower: &str, period: &str, message: &str, url: &str) -> Letter {
    let first = format!("{borrower} demande à réserver « {title} » {period}.");
    let words = quoted("Son message", message).unwrap_or_default();
    Letter::new(
        &format!("Demande de réservation : {title}"),
        &[
            first.as_str(),
            words.as_str(),
            "Acceptez ou refusez la demande sur la page du moyen, une fois connecté·e.",
        ],
        Some(("Répondre à la demande", url)),
    )
}

/// To the managers of the structure that asked: the answer.
pub fn decided(title: &str, owner: &str, period: &str, accepted: bool, url: &str) -> Letter {
    let first = if accepted {
        format!(
            "{owner} accepte votre réservation de « {title} » {period}. Le fichier joint l'ajoute à votre agenda."
        )
    } else {
        format!(
            "{owner} ne peut pas vous prêter « {title} » {period}. D'autres dates, ou un autre moyen, sont peut-être possibles."
        )
    };
    Letter::new(
        &format!(
            "Réservation {} : {title}",
            if accepted { "acceptée" } else { "refusée" }
        ),
        &[first.as_str()],
        Some(("Voir le moyen", url)),
    )
}

/// An accepted booking as a calendar file: `(mean title, owner, borrower, first day, last day)`.
pub fn calendar(
    base: &str,
    booking: i64,
    mean: i64,
    (title, owner, borrower, first, last): &(String, String, String, String, String),
) -> Option<String> {
    let (first_day, last_day) = (
        crate::timestamp::parse_date(first)?,
        crate::timestamp::parse_date(last)?,
    );
    let uid = format!("reservation-{booking}@{}", crate::config::host_of(base));
    let url = format!("{base}/moyens/{mean}");
    let description = format!(
        "{title}, prêté par {owner} à {borrower}, {}.",
        period(first, last)
    );
    Some(ics::days(&ics::Days {
        uid: &uid,
        summary: &format!("{title} ({borrower})"),
        description: &description,
        first: first_day,
        last: last_day,
        stamp: crate::timestamp::Timestamp::now(),
        url: &url,
    }))
}

/// The calendar file as a mail attachment.
pub fn attachment(calendar: String) -> Attachment {
    Attachment {
        filename: "reservation.ics".to_owned(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        body: calendar.into_bytes(),
    }
}
