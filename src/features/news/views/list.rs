//! « Actualités »: the list and its keywords.

use crate::features::news::ArticleSummary;
use crate::features::news::Keyword;
use crate::features::news::NOTICES;
use crate::features::news::NewsPage;
use crate::features::news::reading::load_news;
use crate::features::news::views::articles_count;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// One article in a list: its image (its place reserved), title, date, summary, keywords.
#[component]
pub fn ArticleCard(article: ArticleSummary, #[prop(default = 2)] level: u8) -> impl IntoView {
    let href = format!("/actualites/{}", article.slug);
    let title = view! { <a href=href>{article.title.clone()}</a> };
    let heading = if level == 2 {
        view! { <h2>{title}</h2> }.into_any()
    } else {
        view! { <h3>{title}</h3> }.into_any()
    };
    view! {
        <li class="card article-card">
            {article.image.map(|image| view! {
                <img src=image.src alt="" width=image.width height=image.height loading="lazy" decoding="async" />
            })}
            {heading}
            <p class="meta"><time datetime=article.published_at.to_string()>{article.published_at.french_date()}</time></p>
            <p>{article.summary}</p>
            <KeywordList keywords=article.keywords />
        </li>
    }
}

#[component]
pub(super) fn KeywordList(keywords: Vec<Keyword>) -> impl IntoView {
    (!keywords.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Mots clés">
                {keywords.into_iter().map(|k| { let href = k.href(); view! { <li><a href=href>{k.name}</a></li> } }).collect_view()}
            </ul>
        }
    })
}

/// `/actualites`, `/actualites?mot-cle=…&page=n`.
#[component]
pub fn NewsListPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let keyword = query.get("mot-cle").unwrap_or_default();
    let page: u32 = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let news = Resource::new_blocking(
        move || (page, keyword.clone()),
        |(page, keyword)| load_news(page, keyword),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match news.await {
                    Ok(news) => view! { <NewsList news /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewsList(news: NewsPage) -> impl IntoView {
    let NewsPage {
        articles,
        page,
        pages,
        total,
        keyword,
        can_edit,
    } = news;
    let (title, feed) = match &keyword {
        Some(k) => (
            format!("Actualités : {}", k.name),
            format!("/actualites.atom?mot-cle={}", k.slug),
        ),
        None => ("Actualités".to_owned(), "/actualites.atom".to_owned()),
    };
    let slug = keyword.as_ref().map(|k| k.slug.clone());
    let href = move |n: u32| {
        let mut query = Vec::new();
        if let Some(slug) = &slug {
            query.push(format!("mot-cle={slug}"));
        }
        if n > 1 {
            query.push(format!("page={n}"));
        }
        if query.is_empty() {
            "/actualites".to_owned()
        } else {
            format!("/actualites?{}", query.join("&"))
        }
    };
    view! {
        <Title text=title.clone() />
        <Description text="L'actualité de l'économie sociale et solidaire du territoire : lancements de clubs, salons, labels, rencontres." />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" title=title.clone() href=feed.clone() />
        <Notice known=NOTICES />
        <h1>{title}</h1>
        <p class="list-links">
            <a href=feed>"S'abonner (flux Atom)"</a>
            {keyword.is_some().then(|| view! { <a href="/actualites">"Toutes les actualités"</a> })}
            {can_edit.then(|| view! { <a href="/redaction">"Rédaction"</a> })}
        </p>
        {if articles.is_empty() {
            view! {
                <p>{if keyword.is_some() || page > 1 { "Aucun article ne correspond." } else { "Aucun article pour le moment." }}</p>
            }.into_any()
        } else {
            view! {
                <p class="meta">{articles_count(total)}</p>
                <ul class="cards article-list">
                    {articles.into_iter().map(|article| view! { <ArticleCard article /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Pagination page pages href />
    }
}
