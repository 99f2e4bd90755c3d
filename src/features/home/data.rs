//! What the home page shows: the latest news, the coming events, the clubs and the directory's
//! figures, loaded in one server function.

use crate::error::AppError;
use crate::features::clubs::ClubSummary;
use crate::features::directory::FacetCount;
use crate::features::directory::SearchParams;
use crate::features::events::EventSummary;
use crate::features::news::ArticleSummary;
use crate::features::reference::ReferenceOverview;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the home page shows, in one answer (one resource: the page waits for one thing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub overview: ReferenceOverview,
    pub news: Vec<ArticleSummary>,
    pub events: Vec<EventSummary>,
    pub clubs: Vec<ClubSummary>,
    /// Published structures in the directory, and how many in each sector.
    pub structures: i64,
    pub sectors: Vec<FacetCount>,
}

/// Articles and events the home page shows.
const LATEST: usize = 3;

/// The home page's data: the latest news, the next events, the clubs and the directory's
/// figures (answered by the same functions as their own pages, so the same rules apply).
#[server(endpoint = "accueil")]
pub async fn load_home() -> Result<HomeData, AppError> {
    // Public data: each part applies its own page's rules for who sees what.
    let overview = crate::features::reference::api::load_reference_overview().await?;
    let news = crate::features::news::reading::load_news(1, String::new()).await?;
    let events =
        crate::features::events::listing::list_events(crate::features::events::ListParams {
            page: 1,
            ..Default::default()
        })
        .await?;
    let clubs = crate::features::clubs::listing::list_clubs().await?;
    let directory =
        crate::features::directory::api::search_directory(SearchParams::default()).await?;
    Ok(HomeData {
        overview,
        news: news.articles.into_iter().take(LATEST).collect(),
        events: events.items.into_iter().take(LATEST).collect(),
        clubs,
        structures: directory.total,
        sectors: directory.facets.sectors,
    })
}
