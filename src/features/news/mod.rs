//! News: articles with keywords, an image, the pages they mention, drafts and scheduled
//! publication, revisions; their Atom feeds and the site map. Editors (and site admins) write
//! them in Markdown in the page.

pub mod api;
pub mod views;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod media;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::timestamp::Timestamp;
use crate::ui::notice::Notices;

/// Articles per page of `/actualites`.
pub const PAGE_SIZE: u32 = 10;

/// Whether an article is a draft or published (from its date on: a later date makes it
/// scheduled). The one place that maps it to its stored and posted text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Publication {
    #[default]
    #[serde(rename = "brouillon")]
    Draft,
    #[serde(rename = "publie")]
    Published,
}

impl Publication {
    pub fn stored(self) -> &'static str {
        match self {
            Publication::Draft => "draft",
            Publication::Published => "published",
        }
    }

    pub fn from_stored(text: &str) -> Publication {
        if text == "published" {
            Publication::Published
        } else {
            Publication::Draft
        }
    }

    pub fn form_value(self) -> &'static str {
        match self {
            Publication::Draft => "brouillon",
            Publication::Published => "publie",
        }
    }
}

/// Where an article stands for its readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    Draft,
    Scheduled,
    Published,
}

impl Visibility {
    pub fn of(publication: Publication, published_at: Timestamp, now: Timestamp) -> Visibility {
        match publication {
            Publication::Draft => Visibility::Draft,
            Publication::Published if published_at > now => Visibility::Scheduled,
            Publication::Published => Visibility::Published,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Draft => "Brouillon",
            Visibility::Scheduled => "Programmé",
            Visibility::Published => "Publié",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyword {
    pub slug: String,
    pub name: String,
}

impl Keyword {
    pub fn href(&self) -> String {
        format!("/actualites?mot-cle={}", self.slug)
    }
}

/// An uploaded image as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `/medias/{name}`.
    pub src: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
}

/// A page of the portal an article mentions, or an article that mentions a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    pub name: String,
}

/// One article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub published_at: Timestamp,
    pub image: Option<Image>,
    pub keywords: Vec<Keyword>,
}

/// `/actualites`: one page of the visible articles, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsPage {
    pub articles: Vec<ArticleSummary>,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
    /// The keyword filtered on, when it exists.
    pub keyword: Option<Keyword>,
    /// Whoever reads may write (link to the editor's list).
    pub can_edit: bool,
}

/// `/actualites/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Cleaned at save (see `crate::markdown`).
    pub body_html: String,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
    pub author_name: String,
    pub image: Option<Image>,
    pub keywords: Vec<Keyword>,
    pub mentions: Vec<Link>,
    /// A draft or scheduled article, shown to an editor.
    pub visibility: Visibility,
    pub can_edit: bool,
}

/// One save of an article or an information page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub editor_name: String,
    pub created_at: Timestamp,
    pub title: String,
    /// The date of the revision it restored, if any.
    pub restored_from: Option<Timestamp>,
}

/// A row of the editors' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub visibility: Visibility,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What the article editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    /// 0 for a new article.
    pub id: i64,
    pub slug: String,
    pub edit: ArticleEdit,
    pub visibility: Option<Visibility>,
    pub image: Option<Image>,
    pub revisions: Vec<Revision>,
}

/// The fields of the article form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEdit {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    /// Separated by commas.
    #[serde(default)]
    pub keywords: String,
    #[serde(default)]
    pub publication: Publication,
    /// `YYYY-MM-DD` and `HH:MM` in Paris; empty for « now » when published.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
}

/// An article as it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// As typed, cleaned: shown again in the form and kept in revisions.
    pub keywords_text: String,
    pub keywords: Vec<Keyword>,
    pub publication: Publication,
    /// `None`: now (a draft keeps the date it had).
    pub published_at: Option<Timestamp>,
}

/// Most keywords per article.
pub const MAX_KEYWORDS: usize = 12;
pub const MAX_BODY_CHARS: usize = 60_000;

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The keywords of « Achat responsable, clause sociale » : each trimmed, slugged, once.
pub fn parse_keywords(text: &str) -> Result<Vec<Keyword>, &'static str> {
    let mut keywords: Vec<Keyword> = Vec::new();
    for name in text.split([',', ';', '\n']) {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            continue;
        }
        if chars(&name) > 40 {
            return Err("Un mot clé ne doit pas dépasser 40 caractères.");
        }
        let slug = crate::slug::slugify(&name);
        if slug.is_empty() {
            return Err("Chaque mot clé doit contenir une lettre ou un chiffre.");
        }
        if !keywords.iter().any(|k| k.slug == slug) {
            keywords.push(Keyword { slug, name });
        }
    }
    if keywords.len() > MAX_KEYWORDS {
        return Err("Pas plus de 12 mots clés par article.");
    }
    Ok(keywords)
}

/// The title, summary and Markdown body of an article or an information page, trimmed (runs
/// of spaces in the title and summary made one), each bad one with its message; `of` names what
/// they belong to (« de l'article »).
pub fn checked_text(
    errors: &mut FieldErrors,
    [title, summary, body]: [&str; 3],
    of: &str,
) -> (String, String, String) {
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let (title, summary) = (one_line(title), one_line(summary));
    let body = body.trim().replace("\r\n", "\n");
    if title.is_empty() {
        errors.add("title", format!("Indiquez le titre {of}."));
    } else if chars(&title) > 150 {
        errors.add("title", "Le titre ne doit pas dépasser 150 caractères.");
    } else if crate::slug::slugify(&title).is_empty() {
        errors.add(
            "title",
            "Le titre doit contenir au moins une lettre ou un chiffre.",
        );
    }
    if summary.is_empty() {
        errors.add(
            "summary",
            "Écrivez un résumé : il apparaît dans les listes, les partages et les moteurs de recherche.",
        );
    } else if chars(&summary) > 300 {
        errors.add("summary", "Le résumé ne doit pas dépasser 300 caractères.");
    }
    if body.is_empty() {
        errors.add("body", format!("Écrivez le texte {of}."));
    } else if chars(&body) > MAX_BODY_CHARS {
        errors.add("body", "Le texte ne doit pas dépasser 60 000 caractères.");
    }
    (title, summary, body)
}

impl ArticleEdit {
    /// Trimmed and checked, every bad field with its French message.
    pub fn validated(self) -> Result<ArticleInput, AppError> {
        let mut errors = FieldErrors::default();
        let (title, summary, body) = checked_text(
            &mut errors,
            [&self.title, &self.summary, &self.body],
            "de l'article",
        );
        let keywords = errors
            .check("keywords", parse_keywords(&self.keywords))
            .unwrap_or_default();
        let (date, time) = (self.date.trim(), self.time.trim());
        // Without a date the time is not read: a draft keeps its date, publishing means now.
        let published_at = if date.is_empty() {
            None
        } else {
            let day = crate::timestamp::parse_date(date);
            let hour = if time.is_empty() {
                Some(time::Time::MIDNIGHT)
            } else {
                crate::timestamp::parse_time(time)
            };
            if day.is_none() {
                errors.add(
                    "date",
                    "Indiquez la date de publication (exemple : 2026-11-28).",
                );
            }
            if hour.is_none() {
                errors.add("time", "Indiquez l'heure de publication (exemple : 09:30).");
            }
            day.zip(hour)
                .map(|(d, t)| crate::timestamp::paris_wall_clock(d, t))
        };
        let keywords_text = keywords
            .iter()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        errors.finish(ArticleInput {
            title,
            summary,
            body,
            keywords_text,
            keywords,
            publication: self.publication,
            published_at,
        })
    }
}

pub const NOTICES: Notices = &[
    ("article-enregistre", "L'article est enregistré."),
    ("article-publie", "L'article est publié."),
    (
        "article-programme",
        "L'article est enregistré : il paraîtra à la date indiquée.",
    ),
    ("article-supprime", "L'article est supprimé."),
    ("image-enregistree", "L'image est enregistrée."),
    ("image-retiree", "L'image est retirée de l'article."),
    (
        "revision-restauree",
        "La version choisie est restaurée ; elle devient une nouvelle version.",
    ),
];

/// The news pages that receive form posts, and the feeds, images and site map.
#[cfg(feature = "ssr")]
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
        .form::<api::CreateArticle>("/redaction/articles/nouveau", same_page)
        .form::<api::SaveArticle>("/redaction/articles/{id}", same_page)
        .form::<api::DeleteArticle>("/redaction/articles/{id}/supprimer", editor)
        .form::<api::RestoreArticleRevision>("/redaction/articles/{id}/restaurer", editor)
        .form::<api::RemoveArticleImage>("/redaction/articles/{id}/image/retirer", editor)
        .post(
            "/redaction/articles/{id}/image",
            media::upload_article_image,
        )
        .post("/redaction/apercu", api::preview_form)
        .get("/medias/{name}", media::serve)
        .get("/actualites.atom", feeds::news_feed)
        .get("/sitemap.xml", feeds::sitemap)
        .get("/robots.txt", feeds::robots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_trimmed_slugged_and_unique() {
        let keywords =
            parse_keywords(" Achat  responsable, clause sociale;achat responsable,, ÉSS ").unwrap();
        let slugs: Vec<&str> = keywords.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(slugs, ["achat-responsable", "clause-sociale", "ess"]);
        assert_eq!(keywords[0].name, "Achat responsable");
        assert!(parse_keywords("!!!").is_err());
        let many: String = (0..13).map(|n| format!("mot {n},")).collect();
        assert!(parse_keywords(&many).is_err());
        assert!(parse_keywords(&"x".repeat(41)).is_err());
    }

    fn edit() -> ArticleEdit {
        ArticleEdit {
            title: "  Le  club est lancé ".into(),
            summary: "Quatorze structures.".into(),
            body: "Texte\r\n".into(),
            keywords: "Club, Dunkerque".into(),
            publication: Publication::Published,
            date: String::new(),
            time: String::new(),
        }
    }

    #[test]
    fn a_good_article_is_cleaned() {
        let input = edit().validated().unwrap();
        assert_eq!(input.title, "Le club est lancé");
        assert_eq!(input.body, "Texte");
        assert_eq!(input.keywords_text, "Club, Dunkerque");
        assert_eq!(input.published_at, None);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let bad = ArticleEdit {
            title: " ".into(),
            summary: "x".repeat(301),
            body: String::new(),
            keywords: "?".into(),
            date: "2026-13-01".into(),
            time: "25:00".into(),
            ..edit()
        };
        let AppError::Validation(errors) = bad.validated().unwrap_err() else {
            panic!("validation expected");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["title", "summary", "body", "keywords", "date", "time"]
        );
    }

    #[test]
    fn a_date_is_read_in_paris_time() {
        let input = ArticleEdit {
            date: "2026-07-01".into(),
            time: "10:00".into(),
            ..edit()
        }
        .validated()
        .unwrap();
        assert_eq!(
            input.published_at.unwrap().to_string(),
            "2026-07-01T08:00:00Z"
        );
    }

    #[test]
    fn visibility_follows_the_date() {
        let now = Timestamp::now();
        let later = now.plus(time::Duration::hours(1));
        assert_eq!(
            Visibility::of(Publication::Published, later, now),
            Visibility::Scheduled
        );
        assert_eq!(
            Visibility::of(Publication::Published, now, now),
            Visibility::Published
        );
        assert_eq!(
            Visibility::of(Publication::Draft, now, later),
            Visibility::Draft
        );
    }
}
