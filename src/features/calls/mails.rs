//! The consortia's letters, in French: an invitation to the invited structure's managers, an
//! answer to the lead's managers, and the reminder before the call's deadline to every member.

use crate::error::AppError;
use crate::mail::{Letter, quoted};
use crate::state::AppState;

fn consortium_url(base: &str, id: i64) -> String {
    format!("{base}/consortiums/{id}")
}

/// To the managers of a structure invited into a consortium.
pub fn invited(
    base: &str,
    id: i64,
    lead: &str,
    consortium: &str,
    call: &str,
    role: &str,
) -> Letter {
    let first = format!(
        "{lead} invite votre structure à rejoindre le consortium « {consortium} », qui répond à l'appel « {call} »."
    );
    let role = quoted("Rôle proposé", role).unwrap_or_default();
    Letter::new(
        &format!("Invitation à un consortium : {consortium}"),
        &[
            first.as_str(),
            role.as_str(),
            "Acceptez ou déclinez l'invitation sur la page du consortium, une fois connecté·e.",
        ],
        Some(("Répondre à l'invitation", &consortium_url(base, id))),
    )
}

/// To the lead's managers: a structure answered.
pub fn answered(base: &str, id: i64, structure: &str, consortium: &str, accepted: bool) -> Letter {
    let first = if accepted {
        format!("{structure} rejoint le consortium « {consortium} ».")
    } else {
        format!("{structure} décline l'invitation au consortium « {consortium} ».")
    };
    Letter::new(
        &format!("Réponse à votre invitation : {structure}"),
        &[first.as_str()],
        Some(("Voir le consortium", &consortium_url(base, id))),
    )
}

/// Mails the reminder to the managers of each member structure of consortium `id`; how many
/// mails went out.
pub async fn remind(state: &AppState, id: i64) -> Result<u64, AppError> {
    let Some(consortium) = super::db::consortium(&state.db, id).await? else {
        return Ok(0);
    };
    let first = format!(
        "L'appel « {} » se termine le {} : le consortium « {} » a encore quelques jours pour finaliser sa réponse.",
        consortium.call_title,
        crate::timestamp::french_day(&consortium.deadline),
        consortium.name
    );
    let letter = Letter::new(
        &format!("Date limite proche : {}", consortium.call_title),
        &[
            first.as_str(),
            "La liste des choses à faire et les contacts des partenaires sont sur la page du consortium.",
        ],
        Some((
            "Voir le consortium",
            &consortium_url(&state.config.base_url, id),
        )),
    );
    let mut sent = 0;
    for (_, name, email) in super::db::member_contacts(&state.db, id).await? {
        state.send_mail(letter.to(&email, &name)).await;
        sent += 1;
    }
    Ok(sent)
}
