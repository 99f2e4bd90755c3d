//! Moderation's letters, in French: to a visitor who must confirm their address, to the
//! moderators when a proposal waits, to the proposer and the managers once it is decided.

use crate::mail::Letter;

/// To a visitor who proposed an entry or a correction: confirm the address first.
pub fn confirm_address(base: &str, entry: &str, token: &str) -> Letter {
    let first = format!(
        "Vous avez proposé « {entry} » à l'annuaire de l'économie sociale et solidaire de DESSINE."
    );
    Letter::new(
        "Confirmez votre proposition",
        &[
            &first,
            "Pour qu'elle parte à la modération, confirmez votre adresse : le lien est valable 48 heures et ne sert qu'une fois.",
            "Si vous n'avez rien proposé, ignorez ce message : rien ne sera publié.",
        ],
        Some((
            "Confirmer ma proposition",
            &format!("{base}/annuaire/proposition/confirmer?jeton={token}"),
        )),
    )
}

/// To the moderators of the territory: a proposal waits.
pub fn waiting(base: &str, what: &str, entry: &str, id: i64) -> Letter {
    let first = format!("Une proposition attend votre décision : {what} « {entry} ».");
    Letter::new(
        &format!("À modérer : {entry}"),
        &[&first],
        Some((
            "Examiner la proposition",
            &format!("{base}/moderation/{id}"),
        )),
    )
}

/// To the proposer: accepted (the fields kept), with the entry's address.
pub fn accepted(
    base: &str,
    entry: &str,
    slug: &str,
    kept: &[&str],
    manager: NewEntryManager,
) -> Letter {
    let first = format!("Votre proposition pour « {entry} » a été acceptée par la modération.");
    let fields = format!("Champs retenus : {}.", kept.join(", "));
    let mut paragraphs = vec![first.as_str(), fields.as_str()];
    match manager {
        NewEntryManager::Account => paragraphs.push(
            "Vous gérez maintenant cette fiche : vous pouvez la compléter et la modifier à tout moment.",
        ),
        NewEntryManager::NoAccount => paragraphs.push(
            "Pour gérer cette fiche, créez votre compte sur le portail avec cette adresse, puis, sur la fiche, demandez à la gérer : si l'adresse de la fiche est la vôtre, le lien que vous recevrez vous la confie aussitôt.",
        ),
        NewEntryManager::NotNew => {}
    }
    Letter::new(
        &format!("Proposition acceptée : {entry}"),
        &paragraphs,
        Some(("Voir la fiche", &format!("{base}/annuaire/{slug}"))),
    )
}

/// Who manages a new entry once accepted (what the acceptance mail says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewEntryManager {
    /// The proposer's account does.
    Account,
    /// The proposer has no account yet.
    NoAccount,
    /// A correction: nothing to say.
    NotNew,
}

/// To the proposer: refused, with the reason.
pub fn refused(entry: &str, reason: &str) -> Letter {
    let first =
        format!("Votre proposition pour « {entry} » n'a pas été retenue par la modération.");
    let why = format!("Motif : « {reason} »");
    Letter::new(
        &format!("Proposition non retenue : {entry}"),
        &[&first, &why],
        None,
    )
}

/// To an entry's managers: a correction of their entry was accepted.
pub fn entry_corrected(base: &str, entry: &str, slug: &str, kept: &[&str]) -> Letter {
    let first = format!(
        "Une correction proposée pour la fiche « {entry} », que vous gérez, a été acceptée par la modération."
    );
    let fields = format!("Champs modifiés : {}.", kept.join(", "));
    Letter::new(
        &format!("Fiche corrigée : {entry}"),
        &[
            &first,
            &fields,
            "L'historique de la fiche garde les valeurs précédentes ; vous pouvez revenir à une version antérieure.",
        ],
        Some((
            "Voir l'historique",
            &format!("{base}/annuaire/{slug}/historique"),
        )),
    )
}
