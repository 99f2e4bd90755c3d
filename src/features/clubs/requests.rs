//! A structure's managers ask to join a club (or accept its invitation), or leave it.

use super::db;
use super::membership::Change;
use crate::error::AppError;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::mails::notify;
use crate::features::clubs::mails::tell_admins;
use crate::features::clubs::one_text;
use crate::features::clubs::rights::apply;
use crate::features::clubs::rights::club;
use crate::features::clubs::rights::structure_name;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// A structure's manager asks for it to join the club, with a message for the admins (or
/// accepts, when the structure was invited).
#[server(endpoint = "clubs/adherer")]
pub async fn request_to_join(
    slug: String,
    structure: i64,
    #[server(default)] message: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = club(&state, &slug).await?;
    let message = one_text("message", &message, None)?;
    let name = structure_name(&state, structure).await?;
    let changed = apply(
        &state,
        &club,
        structure,
        &user,
        Change::Request {
            message: message.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    if changed.to == MemberStatus::Active {
        let first = format!(
            "{name} a accepté l'invitation : la structure est maintenant membre du club « {} ».",
            club.name
        );
        tell_admins(
            &state,
            club.id,
            &format!("Nouveau membre : {name}"),
            &first,
            &page,
        )
        .await?;
        return Ok(Done::notice(&page, "bienvenue", CLUB_NOTICES));
    }
    let first = format!(
        "{} demande que {name} rejoigne le club « {} ».",
        user.name, club.name
    );
    let words = (!message.is_empty()).then(|| format!("Son message : « {message} »"));
    let mut paragraphs = vec![first.as_str()];
    paragraphs.extend(words.as_deref());
    paragraphs
        .push("Vous pouvez approuver ou décliner la demande sur la page des membres du club.");
    let admins = db::admin_addresses(&state.db, club.id).await?;
    notify(
        &state,
        admins,
        &format!("Demande d'adhésion : {name}"),
        &paragraphs,
        ("Répondre à la demande", &format!("{page}/membres")),
    )
    .await;
    Ok(Done::notice(&page, "demande-envoyee", CLUB_NOTICES))
}

crate::form_path!(RequestToJoin => "/clubs/{slug}/adhesion");

/// A structure's manager takes it out of the club.
#[server(endpoint = "clubs/quitter")]
pub async fn leave_club(slug: String, structure: i64) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = club(&state, &slug).await?;
    let name = structure_name(&state, structure).await?;
    apply(&state, &club, structure, &user, Change::Leave).await?;
    let page = format!("/clubs/{}", club.slug);
    let sentence = format!(
        "{} a fait quitter le club « {} » à {name}.",
        user.name, club.name
    );
    tell_admins(
        &state,
        club.id,
        &format!("Départ : {name}"),
        &sentence,
        &page,
    )
    .await?;
    Ok(Done::notice(&page, "depart", CLUB_NOTICES))
}

crate::form_path!(LeaveClub => "/clubs/{slug}/depart");
