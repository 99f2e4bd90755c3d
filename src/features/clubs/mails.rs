//! The clubs' letters, in French: to the structures a decision concerns, to people invited by
//! mail, and to the club's admins. Each function answers a [`Letter`]; [`send`] and
//! [`tell_admins`] address it.

use super::db;
use crate::error::AppError;
use crate::features::clubs::Decision;
use crate::mail::Letter;
use crate::mail::quoted;
use crate::state::AppState;

/// The club a letter speaks of: its address (`/clubs/{slug}`) and its name.
pub struct Club<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

impl Club<'_> {
    fn url(&self, base: &str, tail: &str) -> String {
        format!("{base}/clubs/{}{tail}", self.slug)
    }
}

/// `sentence`, then the sender's words when they wrote some, then `last`.
fn paragraphs<'a>(
    sentence: &'a str,
    words: &'a Option<String>,
    last: &'a [&'a str],
) -> Vec<&'a str> {
    let mut paragraphs = vec![sentence];
    paragraphs.extend(words.as_deref());
    paragraphs.extend(last);
    paragraphs
}

/// To the managers of a structure of the directory that a member invites.
pub fn invited(base: &str, club: &Club, inviter: &str, structure: &str, message: &str) -> Letter {
    let first = format!(
        "{inviter} invite {structure} à rejoindre le club « {} ».",
        club.name
    );
    let words = quoted("Son message", message);
    Letter::new(
        &format!("Invitation : {}", club.name),
        &paragraphs(
            &first,
            &words,
            &[
                "Vous pouvez accepter ou décliner l'invitation sur la page du club, une fois connecté·e.",
            ],
        ),
        Some(("Répondre à l'invitation", &club.url(base, ""))),
    )
}

/// To someone invited by mail, whose structure is not in the directory yet; `link` carries the
/// token.
pub fn invited_by_email(
    base: &str,
    club: &Club,
    inviter: &str,
    message: &str,
    token: &str,
) -> Letter {
    let first = format!(
        "{inviter} vous invite à faire entrer votre structure dans le club « {} », sur DESSINE, le portail de l'économie sociale et solidaire du territoire.",
        club.name
    );
    let words = quoted("Son message", message);
    let link = format!("{base}/clubs/invitation?jeton={token}");
    Letter::new(
        &format!("Invitation : {}", club.name),
        &paragraphs(
            &first,
            &words,
            &[
                "Le lien ci-dessous, valable 30 jours, vous permet de créer votre compte puis la fiche de votre structure dans l'annuaire ; elle rejoint alors le club. Si vous ne connaissez pas cette personne, ignorez ce message.",
            ],
        ),
        Some(("Rejoindre le club", &link)),
    )
}

/// To the club's admins: a structure asks to join.
pub fn join_request(
    base: &str,
    club: &Club,
    requester: &str,
    structure: &str,
    message: &str,
) -> Letter {
    let first = format!(
        "{requester} demande que {structure} rejoigne le club « {} ».",
        club.name
    );
    let words = quoted("Son message", message);
    Letter::new(
        &format!("Demande d'adhésion : {structure}"),
        &paragraphs(
            &first,
            &words,
            &["Vous pouvez approuver ou décliner la demande sur la page des membres du club."],
        ),
        Some(("Répondre à la demande", &club.url(base, "/membres"))),
    )
}

/// To the managers of a structure whose request was decided, or whose invitation was withdrawn
/// (`was_invited`).
pub fn decided(
    base: &str,
    club: &Club,
    structure: &str,
    admin: &str,
    decision: Decision,
    was_invited: bool,
    reason: &str,
) -> Letter {
    let (subject, sentence) = match (decision, was_invited) {
        (Decision::Approve, _) => (
            format!("Bienvenue au club « {} »", club.name),
            format!(
                "{structure} est maintenant membre du club « {} » : la demande a été approuvée par {admin}.",
                club.name
            ),
        ),
        (Decision::Decline, false) => (
            format!("Demande d'adhésion : {}", club.name),
            format!(
                "La demande de {structure} pour rejoindre le club « {} » n'a pas été retenue.",
                club.name
            ),
        ),
        (Decision::Decline, true) => (
            format!("Invitation retirée : {}", club.name),
            format!(
                "L'invitation de {structure} à rejoindre le club « {} » a été retirée.",
                club.name
            ),
        ),
    };
    let why = quoted("Motif", reason);
    Letter::new(
        &subject,
        &paragraphs(&sentence, &why, &[]),
        Some(("Voir le club", &club.url(base, ""))),
    )
}

/// To the managers of a structure an admin removed, with the reason.
pub fn removed(base: &str, club: &Club, structure: &str, reason: &str) -> Letter {
    let sentence = format!("{structure} ne fait plus partie du club « {} ».", club.name);
    let why = quoted("Motif", reason);
    Letter::new(
        &format!("Retrait du club « {} »", club.name),
        &paragraphs(&sentence, &why, &[]),
        Some(("Voir le club", &club.url(base, ""))),
    )
}

/// What the club's admins are told about, each time with a link to the membership page.
pub enum AdminNews<'a> {
    /// A member invited a structure (`by` is the member's name).
    InvitationSent { structure: &'a str, by: &'a str },
    /// An invited structure accepted on the club's page.
    Accepted { structure: &'a str },
    /// An invited structure asked to join, which accepted the invitation.
    AcceptedByRequest { structure: &'a str },
    /// Someone invited by mail brought their structure in.
    JoinedByEmail { structure: &'a str },
    /// An invited structure declined.
    Declined { structure: &'a str },
    /// A manager took their structure out of the club.
    Left { structure: &'a str, by: &'a str },
}

/// To the club's admins.
pub fn admin_news(base: &str, club: &Club, news: &AdminNews) -> Letter {
    let name = club.name;
    let (subject, sentence) = match *news {
        AdminNews::InvitationSent { structure, by } => (
            format!("Invitation envoyée : {structure}"),
            format!("{by} a invité {structure} à rejoindre le club « {name} »."),
        ),
        AdminNews::Accepted { structure } => (
            format!("Nouveau membre : {structure}"),
            format!("{structure} a accepté l'invitation et rejoint le club « {name} »."),
        ),
        AdminNews::AcceptedByRequest { structure } => (
            format!("Nouveau membre : {structure}"),
            format!(
                "{structure} a accepté l'invitation : la structure est maintenant membre du club « {name} »."
            ),
        ),
        AdminNews::JoinedByEmail { structure } => (
            format!("Nouveau membre : {structure}"),
            format!(
                "{structure} a rejoint le club « {name} » grâce à une invitation envoyée par e-mail."
            ),
        ),
        AdminNews::Declined { structure } => (
            format!("Invitation déclinée : {structure}"),
            format!("{structure} a décliné l'invitation à rejoindre le club « {name} »."),
        ),
        AdminNews::Left { structure, by } => (
            format!("Départ : {structure}"),
            format!("{by} a fait quitter le club « {name} » à {structure}."),
        ),
    };
    Letter::new(
        &subject,
        &[&sentence],
        Some(("Voir les membres", &club.url(base, "/membres"))),
    )
}

/// Sends `letter` to each recipient, `(address, name)`.
pub async fn send(state: &AppState, recipients: Vec<(String, String)>, letter: &Letter) {
    state.send_letter(recipients, letter).await;
}

/// Tells the club's admins.
pub async fn tell_admins(
    state: &AppState,
    club_id: i64,
    club: &Club<'_>,
    news: AdminNews<'_>,
) -> Result<(), AppError> {
    let admins = db::admin_addresses(&state.db, club_id).await?;
    send(
        state,
        admins,
        &admin_news(&state.config.base_url, club, &news),
    )
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_quote_the_sender_only_when_they_wrote_something() {
        let club = Club {
            slug: "club-ess-dunkerquois",
            name: "Club de l'ESS du dunkerquois",
        };
        let base = "https://dessine.example";
        let plain = invited(base, &club, "Awa", "Les Courses Asteur", "");
        assert_eq!(plain.paragraphs.len(), 2);
        assert_eq!(
            plain.link.as_ref().unwrap().1,
            "https://dessine.example/clubs/club-ess-dunkerquois"
        );
        let with_words = invited(base, &club, "Awa", "Les Courses Asteur", "Bienvenue !");
        assert_eq!(with_words.paragraphs[1], "Son message : « Bienvenue ! »");
        let removal = removed(base, &club, "Les Courses Asteur", "Charte non signée");
        assert_eq!(removal.paragraphs[1], "Motif : « Charte non signée »");
        let news = admin_news(
            base,
            &club,
            &AdminNews::Left {
                structure: "Les Courses Asteur",
                by: "Awa",
            },
        );
        assert!(
            news.link
                .unwrap()
                .1
                .ends_with("/clubs/club-ess-dunkerquois/membres")
        );
        let mail = decided(base, &club, "X", "Awa", Decision::Decline, true, "")
            .to("a@exemple.fr", "Awa <b>");
        assert!(mail.subject.starts_with("Invitation retirée"));
        assert!(mail.html.contains("Awa &lt;b&gt;"));
    }
}
