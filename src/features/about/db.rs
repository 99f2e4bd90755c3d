//! The information pages' rows and their revisions (in the table the news share).

use super::PageEdit;
use crate::db::Db;
use crate::features::accounts::CurrentUser;
use crate::timestamp::Timestamp;

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

/// Writes the page and its revision in one transaction.
pub async fn save(
    db: &Db,
    slug: &str,
    edit: &PageEdit,
    editor: &CurrentUser,
    restored_from: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = Timestamp::now();
    let html = crate::markdown::to_safe_html(&edit.body);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO info_pages (slug, title, summary, body, body_html, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO UPDATE SET title = excluded.title, \
         summary = excluded.summary, body = excluded.body, body_html = excluded.body_html, \
         updated_at = excluded.updated_at",
    )
    .bind(slug)
    .bind(&edit.title)
    .bind(&edit.summary)
    .bind(&edit.body)
    .bind(&html)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO revisions (page_slug, title, summary, body, editor_id, editor_name, \
         restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(slug)
    .bind(&edit.title)
    .bind(&edit.summary)
    .bind(&edit.body)
    .bind(editor.id)
    .bind(&editor.name)
    .bind(restored_from)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
