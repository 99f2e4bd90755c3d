//! News: articles with keywords, an image, the pages they mention, drafts and scheduled
//! publication, revisions; their Atom feeds and the site map. Editors (and site admins) write
//! them in Markdown in the page.
//!
//! `reading` (the list, an article, what mentions a page), `articles` (editors write, restore,
//! delete), `preview` (the Markdown preview), `media` (images), `feeds` (Atom, site map,
//! robots.txt); the information pages' storage is `db::pages`.

pub mod articles;
pub mod model;
pub mod preview;
pub mod reading;
pub mod views;

pub mod db;
pub mod demo;
pub mod feeds;
pub mod media;
pub mod rights;

pub use crate::ui::mentions::Link;
pub use crate::ui::revisions::Revision;
pub use articles::{ArticleEdit, ArticleInput};
pub use model::*;

/// The news pages that receive form posts, and the feeds, images and site map.
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn editor(path: &str, _: &FormFields) -> String {
        // /redaction/articles/{id}/… → the article's editor.
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        match (parts.next(), parts.next(), parts.next()) {
            (Some("redaction"), Some("articles"), Some(id)) => {
                format!("/redaction/articles/{id}")
            }
            _ => "/redaction".to_owned(),
        }
    }
    Routes::new()
        .form::<articles::CreateArticle>(same_page)
        .form::<articles::SaveArticle>(same_page)
        .form::<articles::DeleteArticle>(editor)
        .form::<articles::RestoreArticleRevision>(editor)
        .form::<articles::RemoveArticleImage>(editor)
        .post(articles::UPLOAD_PATH, media::upload_article_image)
        .post(preview::PREVIEW_PATH, preview::preview_form)
        .get("/medias/{name}", media::serve)
        .get("/actualites.atom", feeds::news_feed)
        .get("/sitemap.xml", feeds::sitemap)
        .get("/robots.txt", feeds::robots)
}

/// News and pages ([`crate::privacy`]).
pub const PERSONAL_DATA: crate::privacy::Processing = crate::privacy::Processing {
    name: "Actualités et pages",
    tables: &["articles", "article_mentions", "revisions", "media"],
    data: "L'auteur de chaque article, version et image envoyée.",
    purpose: "Savoir qui a écrit quoi et pouvoir revenir à une version.",
    basis: crate::privacy::CONTRACT,
    retention: "Tant que l'article ou la page existe.",
    recipients: "Les rédacteurs et les administrateurs du portail ; le nom de l'auteur d'un article publié est public.",
};
