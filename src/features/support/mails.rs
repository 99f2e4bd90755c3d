//! The support requests' letters, in French. Holder and advisor write to each other through
//! the portal: a letter quotes the other side's words and links to the request, never an
//! address. Every letter to the holder carries a private link of its own.

use crate::mail::{Letter, quoted};

/// The holder's private link.
pub fn follow_url(base: &str, token: &str) -> String {
    format!("{base}/accompagnement/suivi?jeton={token}")
}

/// An advisor's page of a request.
pub fn request_url(base: &str, id: i64) -> String {
    format!("{base}/accompagnement/demandes/{id}")
}

/// To the holder, just after they sent the request: confirm the address (a visitor), or follow
/// it (a member).
pub fn received(title: &str, confirmed: bool, link: &str) -> Letter {
    let first = format!("Votre demande d'accompagnement « {title} » est bien enregistrée.");
    if confirmed {
        Letter::new(
            &format!("Votre demande : {title}"),
            &[
                first.as_str(),
                "Elle est transmise aux réseaux d'accompagnement qui couvrent votre commune et vos besoins. Un conseiller la prendra en charge et vous écrira par le portail.",
                "Ce lien personnel vous permet de suivre votre demande et de répondre ; ne le transmettez pas.",
            ],
            Some(("Suivre ma demande", link)),
        )
    } else {
        Letter::new(
            &format!("Confirmez votre demande : {title}"),
            &[
                first.as_str(),
                "Pour qu'elle parte vers les réseaux d'accompagnement, confirmez votre adresse en ouvrant ce lien personnel (sans confirmation, la demande est effacée après 7 jours). Le même lien vous servira ensuite à suivre votre demande ; ne le transmettez pas.",
                "Si vous n'avez rien demandé, ignorez ce message.",
            ],
            Some(("Confirmer et suivre ma demande", link)),
        )
    }
}

/// To the advisors of the networks a request was sent to.
pub fn new_request(title: &str, commune: &str, needs: &str, url: &str) -> Letter {
    let first = format!(
        "Une nouvelle demande d'accompagnement vous est adressée : « {title} », à {commune}."
    );
    let needs = format!("Besoins : {needs}.");
    Letter::new(
        &format!("Nouvelle demande d'accompagnement : {title}"),
        &[
            first.as_str(),
            needs.as_str(),
            "Le premier conseiller qui la prend la suit ; les autres réseaux voient qu'elle est prise.",
        ],
        Some(("Lire la demande", url)),
    )
}

/// To the holder: an advisor took the request.
pub fn taken(title: &str, advisor: &str, network: &str, link: &str) -> Letter {
    let first = format!("{advisor}, de {network}, suit désormais votre demande « {title} ».");
    Letter::new(
        &format!("Votre demande est prise en charge : {title}"),
        &[
            first.as_str(),
            "Vous pouvez échanger par le portail : chaque message vous est signalé par courriel, sans que vos adresses soient communiquées.",
        ],
        Some(("Suivre ma demande", link)),
    )
}

/// To the other side of the exchange: a new message, quoted.
pub fn message(title: &str, from: &str, body: &str, url: &str) -> Letter {
    let first = format!("{from} vous a écrit au sujet de la demande « {title} ».");
    let words = quoted("Son message", body).unwrap_or_default();
    Letter::new(
        &format!("Nouveau message : {title}"),
        &[
            first.as_str(),
            words.as_str(),
            "Répondez depuis le portail (ne répondez pas à ce courriel) : votre adresse reste cachée.",
        ],
        Some(("Lire et répondre", url)),
    )
}

/// To the holder: the request is closed.
pub fn closed(title: &str, outcome: &str, link: &str) -> Letter {
    let first = format!("Votre demande « {title} » est close : {outcome}.");
    Letter::new(
        &format!("Demande close : {title}"),
        &[
            first.as_str(),
            "L'échange reste lisible par ce lien. Pour un nouveau besoin, déposez une nouvelle demande.",
        ],
        Some(("Relire l'échange", link)),
    )
}
