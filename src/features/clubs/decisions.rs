//! Club admins manage membership in the page: approve or decline requests, withdraw
//! invitations, remove a member (with a reason), name or remove admins.

use super::db;
use super::membership::Change;
use crate::error::AppError;
use crate::features::clubs::AdminChange;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::Decision;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::MembershipPage;
use crate::features::clubs::ReasonForm;
use crate::features::clubs::mails;
use crate::features::clubs::rights::apply;
use crate::features::clubs::rights::club;
use crate::features::clubs::rights::require_club_admin;
use crate::features::clubs::rights::structure_name;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// The membership page: requests and invitations, members and their representatives, history
/// (club admins and site admins).
#[server(endpoint = "clubs/membres")]
pub async fn load_membership(slug: String) -> Result<MembershipPage, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    require_club_admin(&state, club.id).await?;
    Ok(db::membership(&state.db, club).await?)
}

/// A club admin approves or declines a request, or withdraws an invitation. When another admin
/// decided first, the answer says who did what and when.
#[server(endpoint = "clubs/decider")]
pub async fn decide_membership(
    slug: String,
    structure: i64,
    decision: Decision,
    #[server(flatten)] reason: ReasonForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let user = require_club_admin(&state, club.id).await?;
    let reason = reason.validated(None)?;
    let name = structure_name(&state, structure).await?;
    let changed = apply(
        &state,
        &club,
        structure,
        &user,
        Change::Decide {
            decision,
            reason: reason.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let was_invited = changed.from == Some(MemberStatus::Invited);
    let code = match (decision, was_invited) {
        (Decision::Approve, _) => "approuvee",
        (Decision::Decline, false) => "refusee",
        (Decision::Decline, true) => "invitation-retiree",
    };
    let letter = mails::decided(
        &state.config.base_url,
        &mails::Club {
            slug: &club.slug,
            name: &club.name,
        },
        &name,
        &user.name,
        decision,
        was_invited,
        &reason,
    );
    let managers = crate::features::accounts::db::manager_addresses(&state.db, structure).await?;
    mails::send(&state, managers, &letter).await;
    Ok(Done::notice(&format!("{page}/membres"), code, CLUB_NOTICES))
}

crate::form_path!(DecideMembership => "/clubs/{slug}/membres/decision");

/// A club admin removes a member structure, with the reason, which its managers receive.
#[server(endpoint = "clubs/retirer")]
pub async fn remove_member(
    slug: String,
    structure: i64,
    #[server(flatten)] reason: ReasonForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let user = require_club_admin(&state, club.id).await?;
    let reason = reason.validated(Some(
        "Indiquez la raison du retrait : elle sera transmise à la structure.",
    ))?;
    let name = structure_name(&state, structure).await?;
    apply(
        &state,
        &club,
        structure,
        &user,
        Change::Remove {
            reason: reason.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let letter = mails::removed(
        &state.config.base_url,
        &mails::Club {
            slug: &club.slug,
            name: &club.name,
        },
        &name,
        &reason,
    );
    let managers = crate::features::accounts::db::manager_addresses(&state.db, structure).await?;
    mails::send(&state, managers, &letter).await;
    Ok(Done::notice(
        &format!("{page}/membres"),
        "retiree",
        CLUB_NOTICES,
    ))
}

crate::form_path!(RemoveMember => "/clubs/{slug}/membres/retrait");

/// A club admin makes a representative of a member structure admin, or takes the role back (the
/// last admin stays).
#[server(endpoint = "clubs/administrateurs")]
pub async fn set_club_admin(
    slug: String,
    user: i64,
    change: AdminChange,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let actor = require_club_admin(&state, club.id).await?;
    db::set_admin(&state.db, club.id, user, &actor, change).await?;
    let code = match change {
        AdminChange::Appoint => "admin-nomme",
        AdminChange::Revoke => "admin-retire",
    };
    Ok(Done::notice(
        &format!("/clubs/{}/membres", club.slug),
        code,
        CLUB_NOTICES,
    ))
}

crate::form_path!(SetClubAdmin => "/clubs/{slug}/membres/administrateurs");
