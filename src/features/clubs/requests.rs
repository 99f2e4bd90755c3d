//! A structure's managers ask to join a club (or accept its invitation), or leave it.

use super::db;
use super::membership::Change;
use crate::error::AppError;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::MessageForm;
use crate::features::clubs::mails;
use crate::features::clubs::mails::AdminNews;
use crate::features::clubs::mails::tell_admins;
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
    #[server(flatten)] message: MessageForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = club(&state, &slug).await?;
    let message = message.validated()?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
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
    let about = mails::Club {
        slug: &club.slug,
        name: &club.name,
    };
    if changed.to == MemberStatus::Active {
        let news = AdminNews::AcceptedByRequest { structure: &name };
        tell_admins(&state, club.id, &about, news).await?;
        return Ok(Done::notice(&page, "bienvenue", CLUB_NOTICES));
    }
    let letter = mails::join_request(&state.config.base_url, &about, &user.name, &name, &message);
    let admins = db::admin_addresses(&state.db, club.id).await?;
    mails::send(&state, admins, &letter).await;
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
    let about = mails::Club {
        slug: &club.slug,
        name: &club.name,
    };
    let news = AdminNews::Left {
        structure: &name,
        by: &user.name,
    };
    tell_admins(&state, club.id, &about, news).await?;
    Ok(Done::notice(&page, "depart", CLUB_NOTICES))
}

crate::form_path!(LeaveClub => "/clubs/{slug}/depart");
