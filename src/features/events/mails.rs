//! The registration mails, in French. Links are built from `DESSINE_BASE_URL`.

use super::EventDetail;
use crate::mail::{Attachment, Letter, Mail};

fn when(event: &EventDetail) -> String {
    let place = if event.place_name.is_empty() {
        "en ligne".to_owned()
    } else if event.commune.is_empty() {
        event.place_name.clone()
    } else {
        format!("{}, {}", event.place_name, event.commune)
    };
    format!("{} ({place})", event.starts_at.french_date_time())
}

fn calendar_file(event: &EventDetail, base_url: &str) -> Attachment {
    Attachment {
        filename: format!("{}.ics", event.slug),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        body: super::ics::calendar(std::slice::from_ref(event), base_url, &event.title)
            .into_bytes(),
    }
}

fn workshops(sessions: &[String]) -> Option<String> {
    (!sessions.is_empty()).then(|| format!("Ateliers : {}.", sessions.join(", ")))
}

/// A seat is yours: the calendar file attached, the cancel link.
pub fn confirmed(
    base_url: &str,
    event: &EventDetail,
    to: &str,
    name: &str,
    sessions: &[String],
    cancel_token: &str,
    promoted: bool,
) -> Mail {
    let url = format!("{base_url}/evenements/annuler?jeton={cancel_token}");
    let first = if promoted {
        format!(
            "Une place s'est libérée : vous êtes maintenant inscrit·e à « {} ».",
            event.title
        )
    } else {
        format!("Votre inscription à « {} » est confirmée.", event.title)
    };
    let date = format!("Rendez-vous le {}.", when(event));
    let workshops = workshops(sessions);
    let mut paragraphs = vec![first.as_str(), date.as_str()];
    if let Some(workshops) = &workshops {
        paragraphs.push(workshops);
    }
    paragraphs.push("Le fichier joint ajoute l'événement à votre agenda.");
    paragraphs.push("Si vous ne pouvez plus venir, annulez votre inscription : la place ira à la personne suivante sur la liste d'attente.");
    let subject = if promoted {
        format!("Une place s'est libérée : {}", event.title)
    } else {
        format!("Inscription confirmée : {}", event.title)
    };
    Letter::new(
        &subject,
        &paragraphs,
        Some(("Annuler mon inscription", &url)),
    )
    .to(to, name)
    .attach(calendar_file(event, base_url))
}

/// The event is full: your place on the waitlist.
pub fn waitlisted(
    base_url: &str,
    event: &EventDetail,
    to: &str,
    name: &str,
    position: i64,
    cancel_token: &str,
) -> Mail {
    let url = format!("{base_url}/evenements/annuler?jeton={cancel_token}");
    let first = format!(
        "« {} » est complet : vous êtes sur la liste d'attente, en position {position}.",
        event.title
    );
    let date = format!("L'événement a lieu le {}.", when(event));
    Letter::new(&format!("Liste d'attente : {}", event.title), &[
            &first,
            &date,
            "Dès qu'une place se libère, elle est donnée à la première personne de la liste et un e-mail la prévient.",
            "Si vous ne souhaitez plus venir, retirez-vous de la liste :",
        ], Some(("Me retirer de la liste d'attente", &url))).to(to, name)
}

/// A workshop seat came free for someone already registered.
pub fn workshop_seat(
    base_url: &str,
    event: &EventDetail,
    to: &str,
    name: &str,
    sessions: &[String],
) -> Mail {
    let url = format!("{base_url}/evenements/{}", event.slug);
    let first = format!(
        "Une place s'est libérée dans {} : « {} ». Elle est à vous.",
        if sessions.len() > 1 {
            "ces ateliers"
        } else {
            "l'atelier"
        },
        sessions.join(" », « ")
    );
    Letter::new(
        &format!("Place en atelier : {}", event.title),
        &[&first],
        Some(("Voir l'événement", &url)),
    )
    .to(to, name)
}

/// A guest confirms their address to register.
pub fn confirm_guest(
    base_url: &str,
    event: &EventDetail,
    to: &str,
    name: &str,
    token: &str,
) -> Mail {
    let url = format!("{base_url}/evenements/confirmer?jeton={token}");
    let first = format!(
        "Vous avez demandé à vous inscrire à « {} », le {}.",
        event.title,
        when(event)
    );
    // The name was typed by whoever filled the form, maybe not the address's owner: it is
    // quoted, not used as a greeting.
    let typed = crate::mail::quoted("Nom indiqué dans le formulaire", name).unwrap_or_default();
    Letter::new(&format!("Confirmez votre inscription : {}", event.title), &[
            &first,
            &typed,
            "Pour confirmer votre inscription, ouvrez le lien ci-dessous. Il est valable 48 heures. Les places sont attribuées dans l'ordre des confirmations.",
            "Si vous n'avez rien demandé, ignorez ce message : aucune inscription ne sera faite.",
        ], Some(("Confirmer mon inscription", &url))).to(to, "")
}

/// Someone asked to register an address that already holds a seat or a waitlist place.
pub fn already_registered(base_url: &str, event: &EventDetail, to: &str, name: &str) -> Mail {
    let url = format!("{base_url}/evenements/{}", event.slug);
    let first = format!(
        "Une nouvelle inscription à « {} » a été demandée avec cette adresse, qui est déjà inscrite (ou sur la liste d'attente).",
        event.title
    );
    let typed = crate::mail::quoted("Nom indiqué dans le formulaire", name).unwrap_or_default();
    Letter::new(&format!("Déjà inscrit·e : {}", event.title), &[
            &first,
            &typed,
            "Rien n'a changé : votre inscription reste valable. Pour l'annuler, utilisez le lien de l'e-mail de confirmation.",
        ], Some(("Voir l'événement", &url))).to(to, "")
}
