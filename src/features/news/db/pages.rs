//! Information pages (« Qui sommes-nous », « L'ESS ») and their revisions.

use crate::db::Db;
use crate::features::accounts::CurrentUser;
use crate::timestamp::Timestamp;
/// The text of an information page, as the site admins write it (already checked).
pub struct PageText<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// Writes an information page (« Qui sommes-nous », « L'ESS ») and its revision in one
/// transaction.
pub async fn save_info_page(
    db: &Db,
    slug: &str,
    page: &PageText<'_>,
    editor: &CurrentUser,
    restored_from: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = Timestamp::now();
    let html = crate::markdown::to_safe_html(page.body);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO info_pages (slug, title, summary, body, body_html, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO UPDATE SET title = excluded.title, \
         summary = excluded.summary, body = excluded.body, body_html = excluded.body_html, \
         updated_at = excluded.updated_at",
    )
    .bind(slug)
    .bind(page.title)
    .bind(page.summary)
    .bind(page.body)
    .bind(&html)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO revisions (page_slug, title, summary, body, editor_id, editor_name, \
         restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(slug)
    .bind(page.title)
    .bind(page.summary)
    .bind(page.body)
    .bind(editor.id)
    .bind(&editor.name)
    .bind(restored_from)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
