//! Editors write articles: the form and its checks (keywords, dates in Paris time), saving,
//! revisions and restoring one, deleting, the image.

/// The page address the image form posts to (a multipart body, not a server function),
/// declared once for the route and the form.
pub const UPLOAD_PATH: &str = "/redaction/articles/{id}/image";

use super::db;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::news::ArticleForm;
use crate::features::news::EditorRow;
use crate::features::news::Keyword;
use crate::features::news::NOTICES;
use crate::features::news::Publication;
use crate::features::news::rights::require_editor;
use crate::features::news::rights::write;
use crate::timestamp::Timestamp;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// A text whose page would be too large (see `markdown::MAX_EVENTS`).
pub const TOO_LARGE: &str = "Ce texte produirait une page bien trop grande (un tableau aux colonnes trop nombreuses ?) : simplifiez-le.";

use crate::text::check::chars;

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
    use crate::text::check::{lines, one_line};
    let (title, summary) = (one_line(title), one_line(summary));
    let body = lines(body);
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
    } else if crate::markdown::too_large(&body) {
        errors.add("body", TOO_LARGE);
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

/// `/redaction`: every article, drafts included, for editors.
#[server(endpoint = "redaction/liste")]
pub async fn load_editor_list() -> Result<Vec<EditorRow>, AppError> {
    require_editor()?;
    let state = crate::state::app_state()?;
    Ok(db::editor_rows(&state.db, crate::timestamp::Timestamp::now()).await?)
}

/// The article editor: article `id`, or an empty form for 0.
#[server(endpoint = "redaction/article")]
pub async fn load_article_form(id: i64) -> Result<ArticleForm, AppError> {
    require_editor()?;
    let state = crate::state::app_state()?;
    if id == 0 {
        return Ok(ArticleForm {
            id: 0,
            slug: String::new(),
            edit: ArticleEdit::default(),
            visibility: None,
            image: None,
            revisions: Vec::new(),
        });
    }
    db::article_form(&state.db, id, crate::timestamp::Timestamp::now())
        .await?
        .ok_or(AppError::NotFound)
}

/// Writes a new article (a draft, published now, or scheduled).
#[server(endpoint = "redaction/nouveau")]
pub async fn create_article(#[server(flatten)] edit: ArticleEdit) -> Result<Done, AppError> {
    let user = require_editor()?;
    write(None, edit, &user).await
}

crate::form_path!(CreateArticle => "/redaction/articles/nouveau");

/// Saves article `id`: its text, keywords, state and date; a new revision.
#[server(endpoint = "redaction/enregistrer")]
pub async fn save_article(id: i64, #[server(flatten)] edit: ArticleEdit) -> Result<Done, AppError> {
    let user = require_editor()?;
    write(Some(id), edit, &user).await
}

crate::form_path!(SaveArticle => "/redaction/articles/{id}");

/// Deletes article `id` with its revisions.
#[server(endpoint = "redaction/supprimer")]
pub async fn delete_article(id: i64) -> Result<Done, AppError> {
    require_editor()?;
    let state = crate::state::app_state()?;
    if !db::delete(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice("/redaction", "article-supprime", NOTICES))
}

crate::form_path!(DeleteArticle => "/redaction/articles/{id}/supprimer");

/// Puts an earlier revision of article `id` back, as a new revision.
#[server(endpoint = "redaction/restaurer")]
pub async fn restore_article_revision(id: i64, revision: i64) -> Result<Done, AppError> {
    let user = require_editor()?;
    let state = crate::state::app_state()?;
    db::restore(
        &state.db,
        id,
        revision,
        &state.config.base_url,
        &user,
        crate::timestamp::Timestamp::now(),
    )
    .await?;
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        "revision-restauree",
        NOTICES,
    ))
}

crate::form_path!(RestoreArticleRevision => "/redaction/articles/{id}/restaurer");

/// Takes the image off article `id` (the file stays: an earlier revision may show it again).
#[server(endpoint = "redaction/image/retirer")]
pub async fn remove_article_image(id: i64) -> Result<Done, AppError> {
    require_editor()?;
    let state = crate::state::app_state()?;
    if !db::set_image(&state.db, id, None).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        "image-retiree",
        NOTICES,
    ))
}

crate::form_path!(RemoveArticleImage => "/redaction/articles/{id}/image/retirer");

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
}
