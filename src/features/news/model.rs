//! The news types: publication and visibility (mapped to their stored text here), keywords,
//! images, and what the pages show.

use crate::features::news::ArticleEdit;
use crate::timestamp::Timestamp;
use crate::ui::mentions::Link;
use crate::ui::notice::Notices;
use crate::ui::revisions::Revision;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
