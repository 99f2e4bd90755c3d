//! Reading the news: the list (by keyword), an article, the articles that mention a page.

use super::db;
use crate::error::AppError;
use crate::features::news::Article;
use crate::features::news::NewsPage;
use crate::features::news::PAGE_SIZE;
use crate::features::news::rights::editor;
use crate::ui::mentions::Link;
use leptos::prelude::*;

/// `/actualites`: one page of the published articles, newest first, with the keyword `mot-cle`.
#[server(endpoint = "actualites/liste")]
pub async fn load_news(
    #[server(default)] page: u32,
    #[server(default)] keyword: String,
) -> Result<NewsPage, AppError> {
    // Public data: only what visitors may read is listed.
    let state = crate::state::app_state()?;
    let now = crate::timestamp::Timestamp::now();
    // An unknown keyword lists nothing rather than everything.
    let found = if crate::slug::is_slug(&keyword) {
        db::keyword(&state.db, &keyword).await?
    } else {
        None
    };
    let filter = (!keyword.is_empty()).then_some(keyword);
    let page = page.clamp(1, 10_000);
    let (articles, total) = db::visible(
        &state.db,
        filter.as_deref(),
        i64::from(PAGE_SIZE),
        i64::from((page - 1) * PAGE_SIZE),
        now,
    )
    .await?;
    Ok(NewsPage {
        articles,
        page,
        pages: (total as u32).div_ceil(PAGE_SIZE).max(1),
        total,
        keyword: found,
        can_edit: editor(),
    })
}

/// `/actualites/{slug}`: a published article (editors also see drafts and scheduled ones).
#[server(endpoint = "actualites/article")]
pub async fn load_article(slug: String) -> Result<Article, AppError> {
    // Public data; the rule of what visitors see is in `db::article`.
    let state = crate::state::app_state()?;
    db::article(
        &state.db,
        &slug,
        editor(),
        crate::timestamp::Timestamp::now(),
    )
    .await?
    .ok_or(AppError::NotFound)
}

/// The published articles that mention a structure (`annuaire`), a club (`clubs`) or an event
/// (`evenements`).
#[server(endpoint = "actualites/mentions")]
pub async fn load_mentioning(kind: String, slug: String) -> Result<Vec<Link>, AppError> {
    // Public data: published articles only.
    use crate::markdown::LinkedPage;
    let state = crate::state::app_state()?;
    let kind = match kind.as_str() {
        "annuaire" => LinkedPage::Structure,
        "clubs" => LinkedPage::Club,
        "evenements" => LinkedPage::Event,
        _ => return Err(AppError::NotFound),
    };
    Ok(db::mentioning(&state.db, kind, &slug, crate::timestamp::Timestamp::now()).await?)
}

/// The published articles that mention a structure (`annuaire`), a club (`clubs`) or an event
/// (`evenements`); none when they cannot be read (the page shows without them).
pub async fn mentions(kind: &'static str, slug: String) -> Vec<Link> {
    load_mentioning(kind.to_owned(), slug)
        .await
        .unwrap_or_default()
}
