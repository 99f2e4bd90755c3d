//! An article's page.

use super::list::KeywordList;
use crate::features::news::Article;
use crate::features::news::Visibility;
use crate::features::news::reading::load_article;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/actualites/{slug}`.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let article = Resource::new_blocking(move || slug.clone(), load_article);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <ArticleView article /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org `NewsArticle`; written by `ui::meta::json_ld`, which no text can close.
pub fn news_article_json_ld(article: &Article) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_at.to_string(),
        "dateModified": article.updated_at.max(article.published_at).to_string(),
        "author": { "@type": "Person", "name": article.author_name },
        "publisher": { "@type": "Organization", "name": "DESSINE" },
        "keywords": article.keywords.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", "),
    });
    if let Some(image) = &article.image {
        value["image"] = serde_json::Value::String(image.src.clone());
    }
    crate::ui::meta::json_ld(&value)
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let json_ld = news_article_json_ld(&article);
    let hidden = (article.visibility != Visibility::Published).then(|| {
        format!(
            "{} : les visiteurs ne voient pas encore cet article.",
            article.visibility.label()
        )
    });
    view! {
        <Title text=article.title.clone() />
        <Description text=article.summary.clone() />
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json_ld></script>
        <p class="breadcrumb"><a href="/actualites">"← Actualités"</a></p>
        {hidden.map(|text| view! { <p class="notice warning">{text}</p> })}
        <article class="news-article">
            <h1>{article.title.clone()}</h1>
            <p class="meta">
                "Publié le "<time datetime=article.published_at.to_string()>{article.published_at.french_date()}</time>
                {format!(" par {}", article.author_name)}
            </p>
            <p class="lead">{article.summary.clone()}</p>
            {article.image.clone().map(|image| view! {
                <img class="article-image" src=image.src alt=image.alt width=image.width height=image.height decoding="async" />
            })}
            <div class="prose" inner_html=article.body_html.clone()></div>
            {(!article.keywords.is_empty()).then(|| view! {
                <section aria-labelledby="mots-cles" class="keywords">
                    <h2 id="mots-cles">"Mots clés"</h2>
                    <KeywordList keywords=article.keywords.clone() />
                </section>
            })}
            {(!article.mentions.is_empty()).then(|| view! {
                <section aria-labelledby="cites">
                    <h2 id="cites">"Cités dans cet article"</h2>
                    <ul>
                        {article.mentions.clone().into_iter().map(|link| view! { <li><a href=link.href>{link.name}</a></li> }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
        {article.can_edit.then(|| view! {
            <p class="list-links"><a href=format!("/redaction/articles/{}", article.id)>"Modifier l'article"</a></p>
        })}
    }
}
