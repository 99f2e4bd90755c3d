//! The purchasing mails, in French. Links are built from `DESSINE_BASE_URL`.

use super::{AMOUNT_BANDS, Answer, CLAUSES, Meeting, NEED_KINDS, NeedSummary, label_of};
use crate::features::events::EventDetail;
use crate::features::events::ics::{Appointment, appointment};
use crate::mail::{Attachment, Letter, Mail, quoted};

/// A need was sent to a structure the person manages.
pub fn need_sent(to: &str, name: &str, structure: &str, need: &NeedSummary, url: &str) -> Mail {
    let first = format!(
        "{} a un besoin qui correspond à {structure} : « {} ».",
        need.buyer_named(),
        need.title
    );
    let details = format!(
        "{} · {} · {} · lieu : {} · réponses attendues jusqu'au {}.",
        label_of(NEED_KINDS, &need.kind),
        label_of(AMOUNT_BANDS, &need.amount_band),
        label_of(CLAUSES, &need.clause),
        need.commune,
        need.deadline_text()
    );
    Letter::new(&format!("Un acheteur vous sollicite : {}", need.title), &[
            first.as_str(),
            details.as_str(),
            "Lisez la demande et répondez depuis le portail, que vous soyez intéressés ou non : l'acheteur voit toutes les réponses.",
        ], Some(("Lire et répondre", url))).to(to, name)
}

/// A structure answered the buyer's need.
pub fn answer_received(
    to: &str,
    name: &str,
    need: &NeedSummary,
    structure: &str,
    answer: Answer,
    url: &str,
) -> Mail {
    let first = format!(
        "{structure} a répondu à « {} » : {}.",
        need.title,
        answer.label()
    );
    Letter::new(
        &format!("Nouvelle réponse : {}", need.title),
        &[
            first.as_str(),
            "Les réponses sont côte à côte sur la page du besoin.",
        ],
        Some(("Voir les réponses", url)),
    )
    .to(to, name)
}

/// The buyer's message to a structure.
#[allow(clippy::too_many_arguments)]
pub fn buyer_message(
    to: &str,
    name: &str,
    structure: &str,
    need: &NeedSummary,
    buyer_name: &str,
    buyer_email: &str,
    message: &str,
    url: &str,
) -> Mail {
    let first = format!(
        "Un acheteur de {} écrit à {structure} au sujet du besoin « {} ».",
        need.buyer_named(),
        need.title
    );
    let author = format!("Message de « {buyer_name} »");
    let words = quoted(&author, message).unwrap_or_default();
    let reply = format!("Pour lui répondre, écrivez à {buyer_email}.");
    Letter::new(
        &format!("Message d'un acheteur : « {} »", need.title),
        &[first.as_str(), words.as_str(), reply.as_str()],
        Some(("Voir le besoin", url)),
    )
    .to(to, name)
}

/// The calendar file of a meeting.
pub fn meeting_calendar(meeting: &Meeting, event: &EventDetail, base_url: &str) -> Attachment {
    let host = crate::config::host_of(base_url);
    let uid = format!("rendez-vous-{}@{host}", meeting.id);
    let summary = format!("Rendez-vous : {} et {}", meeting.buyer, meeting.structure);
    let description = format!(
        "Rendez-vous d'affaires au {}, sur le stand de {}.",
        event.title, meeting.structure
    );
    let location = crate::features::events::ics::address(event);
    let url = format!("{base_url}/evenements/{}/rendez-vous", event.slug);
    Attachment {
        filename: format!("rendez-vous-{}.ics", meeting.id),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        body: appointment(&Appointment {
            uid: &uid,
            summary: &summary,
            description: &description,
            location: &location,
            starts_at: meeting.starts_at,
            ends_at: meeting.ends_at,
            stamp: crate::timestamp::Timestamp::now(),
            url: &url,
        })
        .into_bytes(),
    }
}

/// A meeting was booked: to the buyer and to the structure's managers (`with`: the other side).
pub fn meeting_booked(
    to: &str,
    name: &str,
    meeting: &Meeting,
    event_title: &str,
    with: &str,
    url: &str,
    calendar: Attachment,
) -> Mail {
    let first = format!(
        "Un rendez-vous d'affaires est réservé au {event_title} : avec {with}, le {}, sur le stand de {}.",
        meeting.starts_at.french_date_time(),
        meeting.structure
    );
    Letter::new(
        &format!("Rendez-vous réservé : {with}"),
        &[
            first.as_str(),
            "Le fichier joint ajoute le rendez-vous à votre agenda.",
        ],
        Some(("Votre programme de la journée", url)),
    )
    .to(to, name)
    .attach(calendar)
}
