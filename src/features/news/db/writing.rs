//! Writing articles: create, save with a revision (and the pages they mention), restore,
//! delete, media.

use crate::db::Db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::news::ArticleEdit;
use crate::features::news::ArticleForm;
use crate::features::news::ArticleInput;
use crate::features::news::EditorRow;
use crate::features::news::Publication;
use crate::features::news::Visibility;
use crate::features::news::db::IMAGE_COLUMNS;
use crate::features::news::db::image;
use crate::features::news::db::keywords_of;
use crate::markdown::LinkedPage;
use crate::timestamp::Timestamp;
use crate::ui::revisions::Revision;
use sqlx::{Any, Transaction};

/// Every article for the editors' list, latest change first.
pub async fn editor_rows(db: &Db, now: Timestamp) -> Result<Vec<EditorRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, Timestamp, Timestamp)> = sqlx::query_as(
        "SELECT id, slug, title, status, published_at, updated_at FROM articles \
         ORDER BY updated_at DESC, id DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, title, status, published_at, updated_at)| EditorRow {
                id,
                slug,
                title,
                visibility: Visibility::of(Publication::from_stored(&status), published_at, now),
                published_at,
                updated_at,
            },
        )
        .collect())
}

/// The revisions of an article or a page, newest first.
pub async fn revisions(
    db: &Db,
    article_id: Option<i64>,
    page_slug: Option<&str>,
) -> Result<Vec<Revision>, sqlx::Error> {
    let rows: Vec<(i64, String, Timestamp, String, Option<Timestamp>)> = sqlx::query_as(
        "SELECT r.id, r.editor_name, r.created_at, r.title, o.created_at FROM revisions r \
         LEFT JOIN revisions o ON o.id = r.restored_from \
         WHERE r.article_id = $1 OR r.page_slug = $2 ORDER BY r.id DESC LIMIT 50",
    )
    .bind(article_id)
    .bind(page_slug)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, editor_name, created_at, title, restored_from)| Revision {
                id,
                editor_name,
                created_at,
                title,
                restored_from,
            },
        )
        .collect())
}

/// What the editor shows for article `id`.
pub async fn article_form(
    db: &Db,
    id: i64,
    now: Timestamp,
) -> Result<Option<ArticleForm>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Timestamp,
        Option<String>,
        Option<i64>,
        Option<i64>,
        String,
    );
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT a.slug, a.title, a.summary, a.body, a.status, a.published_at, {IMAGE_COLUMNS} \
         FROM articles a LEFT JOIN media m ON m.id = a.image_id WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((slug, title, summary, body, status, published_at, name, width, height, alt)) = row
    else {
        return Ok(None);
    };
    let keywords = keywords_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let publication = Publication::from_stored(&status);
    let local = published_at.in_paris();
    Ok(Some(ArticleForm {
        id,
        slug,
        edit: ArticleEdit {
            title,
            summary,
            body,
            keywords: keywords
                .iter()
                .map(|k| k.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            publication,
            date: published_at.iso_date(),
            time: format!("{:02}:{:02}", local.hour(), local.minute()),
        },
        visibility: Some(Visibility::of(publication, published_at, now)),
        image: image((name, width, height, alt)),
        revisions: revisions(db, Some(id), None).await?,
    }))
}

/// A link of the text that leads to no page of the portal (its address).
fn unknown_link(address: &str) -> AppError {
    AppError::validation(
        "body",
        format!("Le lien {address} ne mène à aucune page du portail : vérifiez son adresse."),
    )
}

/// The ids of the pages `links` names, or the address of the first one that does not exist.
async fn resolve_links(
    tx: &mut Transaction<'_, Any>,
    links: &[(LinkedPage, String)],
) -> Result<Vec<(LinkedPage, i64)>, AppError> {
    let mut ids = Vec::with_capacity(links.len());
    for (kind, slug) in links {
        let (query, prefix) = match kind {
            LinkedPage::Structure => (
                "SELECT id FROM structures WHERE slug = $1 AND status = 'published'",
                "/annuaire/",
            ),
            LinkedPage::Club => ("SELECT id FROM clubs WHERE slug = $1", "/clubs/"),
            LinkedPage::Event => ("SELECT id FROM events WHERE slug = $1", "/evenements/"),
        };
        let id: Option<i64> = sqlx::query_scalar(query)
            .bind(slug)
            .fetch_optional(&mut **tx)
            .await?;
        match id {
            Some(id) => ids.push((*kind, id)),
            None => return Err(unknown_link(&format!("{prefix}{slug}"))),
        }
    }
    Ok(ids)
}

/// A new article by `author`; its id and slug.
pub async fn create(
    db: &Db,
    input: &ArticleInput,
    links: &[(LinkedPage, String)],
    author: &CurrentUser,
    now: Timestamp,
) -> Result<(i64, String), AppError> {
    let mut tx = db.begin_write().await?;
    let base: String = crate::slug::slugify(&input.title)
        .chars()
        .take(80)
        .collect();
    let slug = crate::db::unique_slug(
        &mut tx,
        crate::db::SlugTable::Articles,
        base.trim_end_matches('-'),
        &[],
    )
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (slug, title, summary, body, body_html, status, published_at, \
         author_id, author_name, created_at, updated_at) \
         VALUES ($1, '', '', '', '', 'draft', $2, $3, $4, $2, $2) RETURNING id",
    )
    .bind(&slug)
    .bind(now)
    .bind(author.id)
    .bind(&author.name)
    .fetch_one(&mut *tx)
    .await?;
    write(&mut tx, id, input, links, author, None, now).await?;
    tx.commit().await?;
    Ok((id, slug))
}

/// Saves article `id` (its slug stays, so links keep working); its slug.
pub async fn save(
    db: &Db,
    id: i64,
    input: &ArticleInput,
    links: &[(LinkedPage, String)],
    editor: &CurrentUser,
    now: Timestamp,
) -> Result<String, AppError> {
    let mut tx = db.begin_write().await?;
    let slug: Option<String> = sqlx::query_scalar("SELECT slug FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let slug = slug.ok_or(AppError::NotFound)?;
    write(&mut tx, id, input, links, editor, None, now).await?;
    tx.commit().await?;
    Ok(slug)
}

/// Writes the article's text, state, keywords and mentions, and its revision.
async fn write(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    input: &ArticleInput,
    links: &[(LinkedPage, String)],
    editor: &CurrentUser,
    restored_from: Option<i64>,
    now: Timestamp,
) -> Result<(), AppError> {
    let mentions = resolve_links(tx, links).await?;
    let html = crate::markdown::to_safe_html(&input.body);
    // A draft keeps its date; publishing without a date publishes now.
    let published_at: Option<Timestamp> = match (input.published_at, input.publication) {
        (Some(at), _) => Some(at),
        (None, Publication::Published) => Some(now),
        (None, Publication::Draft) => None,
    };
    sqlx::query(
        "UPDATE articles SET title = $1, summary = $2, body = $3, body_html = $4, status = $5, \
         published_at = COALESCE($6, published_at), updated_at = $7 WHERE id = $8",
    )
    .bind(&input.title)
    .bind(&input.summary)
    .bind(&input.body)
    .bind(&html)
    .bind(input.publication.stored())
    .bind(published_at)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM article_keywords WHERE article_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (position, keyword) in input.keywords.iter().enumerate() {
        sqlx::query(
            "INSERT INTO keywords (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(&keyword.slug)
        .bind(&keyword.name)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO article_keywords (article_id, keyword_id, position) \
             SELECT $1, id, $2 FROM keywords WHERE slug = $3",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&keyword.slug)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM article_mentions WHERE article_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (kind, target) in mentions {
        let column = match kind {
            LinkedPage::Structure => "structure_id",
            LinkedPage::Club => "club_id",
            LinkedPage::Event => "event_id",
        };
        sqlx::query(&format!(
            "INSERT INTO article_mentions (article_id, {column}) VALUES ($1, $2)"
        ))
        .bind(id)
        .bind(target)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO revisions (article_id, title, summary, body, keywords, editor_id, editor_name, \
         restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(&input.title)
    .bind(&input.summary)
    .bind(&input.body)
    .bind(&input.keywords_text)
    .bind(editor.id)
    .bind(&editor.name)
    .bind(restored_from)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts revision `revision` of article `id` back as its text (title, summary, body, keywords),
/// as a new revision; the publication state stays. The slug of the article.
pub async fn restore(
    db: &Db,
    id: i64,
    revision: i64,
    base_url: &str,
    editor: &CurrentUser,
    now: Timestamp,
) -> Result<String, AppError> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String, String, Timestamp)> =
        sqlx::query_as("SELECT slug, status, published_at FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let (slug, status, published_at) = current.ok_or(AppError::NotFound)?;
    let old: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT title, summary, body, keywords FROM revisions WHERE id = $1 AND article_id = $2",
    )
    .bind(revision)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (title, summary, body, keywords_text) = old.ok_or(AppError::NotFound)?;
    let keywords =
        crate::features::news::articles::parse_keywords(&keywords_text).unwrap_or_default();
    let input = ArticleInput {
        title,
        summary,
        body,
        keywords_text,
        keywords,
        publication: Publication::from_stored(&status),
        published_at: Some(published_at),
    };
    // A page the old text linked to may have gone since: its link is then simply no mention.
    let links = crate::markdown::linked_pages(&input.body, base_url);
    let mut kept = Vec::new();
    for link in links {
        if resolve_links(&mut tx, std::slice::from_ref(&link))
            .await
            .is_ok()
        {
            kept.push(link);
        }
    }
    write(&mut tx, id, &input, &kept, editor, Some(revision), now).await?;
    tx.commit().await?;
    Ok(slug)
}

/// Deletes article `id`; false when there was none.
pub async fn delete(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM articles WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records an uploaded image (or finds the same bytes uploaded before); its id.
pub async fn insert_media(
    db: &Db,
    media: &crate::features::news::media::Stored,
    user: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO media (name, content_type, bytes, width, height, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING",
    )
    .bind(&media.name)
    .bind(media.kind.content_type())
    .bind(media.bytes)
    .bind(media.width)
    .bind(media.height)
    .bind(user)
    .bind(Timestamp::now())
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT id FROM media WHERE name = $1")
        .bind(&media.name)
        .fetch_one(&db.pool)
        .await
}

/// Sets (or with `None`, removes) article `id`'s image; false when there is no such article.
pub async fn set_image(db: &Db, id: i64, image: Option<(i64, &str)>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE articles SET image_id = $1, image_alt = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(image.map(|(media, _)| media))
    .bind(image.map_or("", |(_, alt)| alt))
    .bind(Timestamp::now())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The stored type of the image `name`, if it was uploaded.
pub async fn media_type(db: &Db, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT content_type FROM media WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await
}

/// A merge of two entries: articles that mentioned `from` mention `into`.
pub async fn move_mentions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE article_mentions SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM article_mentions o WHERE o.structure_id = $1 AND o.article_id = article_mentions.article_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
