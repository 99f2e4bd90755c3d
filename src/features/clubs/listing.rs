//! Finding clubs: the list and a club's page as the viewer may see it.

use super::db;
use crate::error::AppError;
use crate::features::clubs::ClubPage;
use crate::features::clubs::ClubSummary;
use crate::features::clubs::ClubViewer;
use crate::features::clubs::rights::club;
use crate::timestamp::Timestamp;
use leptos::prelude::*;

/// Every club, with its number of member structures.
#[server(endpoint = "clubs/liste")]
pub async fn list_clubs() -> Result<Vec<ClubSummary>, AppError> {
    // Public.
    let state = crate::state::app_state()?;
    Ok(db::list(&state.db).await?)
}

/// A club's page: its charter, members and meetings, and what the person looking may do there;
/// `search` finds structures to invite (for members).
#[server(endpoint = "clubs/page")]
pub async fn load_club(
    slug: String,
    #[server(default)] search: String,
) -> Result<ClubPage, AppError> {
    // Public; members-only meetings and the invitation search need a member.
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let viewer = match crate::features::accounts::auth::current_user() {
        Some(user) => db::viewer(&state.db, club.id, &user).await?,
        None => ClubViewer::default(),
    };
    let search: String = search.trim().chars().take(100).collect();
    let candidates = if viewer.member && !search.is_empty() {
        db::candidates(&state.db, club.id, &search).await?
    } else {
        Vec::new()
    };
    Ok(ClubPage {
        members: db::members(&state.db, club.id).await?,
        meetings: db::meetings(&state.db, club.id, viewer.member, Timestamp::now()).await?,
        club,
        viewer,
        search,
        candidates,
    })
}
