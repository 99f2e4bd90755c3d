//! The information pages' rows and their revisions (in the table the news share).

use super::PageEdit;
use crate::db::Db;
use crate::features::accounts::CurrentUser;

pub struct Saved {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
}

pub async fn find(db: &Db, slug: &str) -> Result<Option<Saved>, sqlx::Error> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT title, summary, body, body_html FROM info_pages WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(title, summary, body, body_html)| Saved {
        title,
        summary,
        body,
        body_html,
    }))
}

/// Revision `id` of the page `slug`.
pub async fn revision(db: &Db, slug: &str, id: i64) -> Result<Option<PageEdit>, sqlx::Error> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT title, summary, body FROM revisions WHERE id = $1 AND page_slug = $2",
    )
    .bind(id)
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(title, summary, body)| PageEdit {
        title,
        summary,
        body,
    }))
}

/// Writes the page and its revision, through news, which owns the pages and their history.
pub async fn save(
    db: &Db,
    slug: &str,
    edit: &PageEdit,
    editor: &CurrentUser,
    restored_from: Option<i64>,
) -> Result<(), sqlx::Error> {
    let page = crate::features::news::db::PageText {
        title: &edit.title,
        summary: &edit.summary,
        body: &edit.body,
    };
    crate::features::news::db::save_info_page(db, slug, &page, editor, restored_from).await
}
