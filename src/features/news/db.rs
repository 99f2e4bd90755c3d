//! The news' queries. An article is visible to visitors when `status = 'published'` and its
//! `published_at` has come: [`VISIBLE`] is that rule, written once and used by every list, page,
//! feed and the site map.

use sqlx::{Any, Transaction};

use super::{
    Article, ArticleEdit, ArticleForm, ArticleInput, ArticleSummary, EditorRow, Image, Keyword,
    Link, Publication, Revision, Visibility,
};
use crate::db::Db;
use crate::db::sql::{Arg, Sql};
use crate::features::accounts::CurrentUser;
use crate::markdown::LinkedPage;
use crate::timestamp::Timestamp;

/// The articles (`a`) visitors may read at `$now`: bind the instant where it says `$now`.
pub const VISIBLE: &str = "a.status = 'published' AND a.published_at <= ";

/// ` AND` the article (`a`) has the keyword `keyword`, when one is given.
fn push_keyword(sql: &mut Sql, keyword: Option<&str>) {
    if let Some(keyword) = keyword {
        sql.push(
            " AND a.id IN (SELECT ak.article_id FROM article_keywords ak JOIN keywords k \
             ON k.id = ak.keyword_id WHERE k.slug = ",
        )
        .bind_text(keyword)
        .push(")");
    }
}

type ImageRow = (Option<String>, Option<i64>, Option<i64>, String);

fn image((name, width, height, alt): ImageRow) -> Option<Image> {
    Some(Image {
        src: format!("/medias/{}", name?),
        width: width?,
        height: height?,
        alt,
    })
}

const IMAGE_COLUMNS: &str = "m.name, m.width, m.height, a.image_alt";

/// The keywords of each article in `ids`, in their order.
async fn keywords_of(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Keyword>>, sqlx::Error> {
    let mut map: std::collections::HashMap<i64, Vec<Keyword>> = Default::default();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut sql = Sql::default();
    sql.push(
        "SELECT ak.article_id, k.slug, k.name FROM article_keywords ak \
         JOIN keywords k ON k.id = ak.keyword_id WHERE ak.article_id IN (",
    )
    .bind_list(ids.iter().map(|id| Arg::Int(*id)))
    .push(") ORDER BY ak.article_id, ak.position");
    let rows: Vec<(i64, String, String)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    for (id, slug, name) in rows {
        map.entry(id).or_default().push(Keyword { slug, name });
    }
    Ok(map)
}

/// The keyword `slug`, if an article ever used it.
pub async fn keyword(db: &Db, slug: &str) -> Result<Option<Keyword>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT slug, name FROM keywords WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(slug, name)| Keyword { slug, name }))
}

/// Visible articles, newest first: `limit` of them from `offset`, with the keyword `keyword`
/// when given; and how many there are in all.
pub async fn visible(
    db: &Db,
    keyword: Option<&str>,
    limit: i64,
    offset: i64,
    now: Timestamp,
) -> Result<(Vec<ArticleSummary>, i64), sqlx::Error> {
    let filter = |sql: &mut Sql| {
        sql.push(" FROM articles a LEFT JOIN media m ON m.id = a.image_id WHERE ")
            .push(VISIBLE)
            .bind_text(&now.to_string());
        push_keyword(sql, keyword);
    };
    let mut count = Sql::default();
    count.push("SELECT COUNT(*)");
    filter(&mut count);
    let total: i64 = sqlx::query_scalar_with(&count.text, count.arguments())
        .fetch_one(&db.pool)
        .await?;
    let mut page = Sql::default();
    page.push(&format!(
        "SELECT a.id, a.slug, a.title, a.summary, a.published_at, {IMAGE_COLUMNS}"
    ));
    filter(&mut page);
    page.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
        .bind(Arg::Int(limit))
        .push(" OFFSET ")
        .bind(Arg::Int(offset));
    type Row = (
        i64,
        String,
        String,
        String,
        Timestamp,
        Option<String>,
        Option<i64>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as_with(&page.text, page.arguments())
        .fetch_all(&db.pool)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let mut keywords = keywords_of(db, &ids).await?;
    let articles = rows
        .into_iter()
        .map(
            |(id, slug, title, summary, published_at, name, width, height, alt)| ArticleSummary {
                slug,
                title,
                summary,
                published_at,
                image: image((name, width, height, alt)),
                keywords: keywords.remove(&id).unwrap_or_default(),
            },
        )
        .collect();
    Ok((articles, total))
}

/// The article `slug`: visible ones for everybody, every one when `editor`.
pub async fn article(
    db: &Db,
    slug: &str,
    editor: bool,
    now: Timestamp,
) -> Result<Option<Article>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Timestamp,
        Timestamp,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        String,
    );
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT a.id, a.slug, a.title, a.summary, a.body_html, a.published_at, a.updated_at, \
         a.author_name, a.status, {IMAGE_COLUMNS} \
         FROM articles a LEFT JOIN media m ON m.id = a.image_id WHERE a.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    let Some((
        id,
        slug,
        title,
        summary,
        body_html,
        published_at,
        updated_at,
        author_name,
        status,
        name,
        width,
        height,
        alt,
    )) = row
    else {
        return Ok(None);
    };
    let visibility = Visibility::of(Publication::from_stored(&status), published_at, now);
    if visibility != Visibility::Published && !editor {
        return Ok(None);
    }
    Ok(Some(Article {
        id,
        slug,
        title,
        summary,
        body_html,
        published_at,
        updated_at,
        author_name,
        image: image((name, width, height, alt)),
        keywords: keywords_of(db, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default(),
        mentions: mentions(db, id).await?,
        visibility,
        can_edit: editor,
    }))
}

/// The pages an article links to that visitors can open, in name order within each kind.
async fn mentions(db: &Db, article_id: i64) -> Result<Vec<Link>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT '/annuaire/' || s.slug, s.name, s.sort_key FROM article_mentions am \
             JOIN structures s ON s.id = am.structure_id \
             WHERE am.article_id = $1 AND s.status = 'published' \
         UNION ALL SELECT '/clubs/' || c.slug, c.name, c.slug FROM article_mentions am \
             JOIN clubs c ON c.id = am.club_id WHERE am.article_id = $1 \
         UNION ALL SELECT '/evenements/' || e.slug, e.title, e.starts_at FROM article_mentions am \
             JOIN events e ON e.id = am.event_id WHERE am.article_id = $1 AND e.visibility = 'public' \
         ORDER BY 1",
    )
    .bind(article_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(href, name, _)| Link { href, name })
        .collect())
}

/// The visible articles that mention the structure, club or event `slug`, newest first.
pub async fn mentioning(
    db: &Db,
    kind: LinkedPage,
    slug: &str,
    now: Timestamp,
) -> Result<Vec<Link>, sqlx::Error> {
    let target = match kind {
        LinkedPage::Structure => "am.structure_id IN (SELECT id FROM structures WHERE slug = ",
        LinkedPage::Club => "am.club_id IN (SELECT id FROM clubs WHERE slug = ",
        LinkedPage::Event => "am.event_id IN (SELECT id FROM events WHERE slug = ",
    };
    let mut sql = Sql::default();
    sql.push(
        "SELECT '/actualites/' || a.slug, a.title FROM articles a \
         JOIN article_mentions am ON am.article_id = a.id WHERE ",
    )
    .push(target)
    .bind_text(slug)
    .push(") AND ")
    .push(VISIBLE)
    .bind_text(&now.to_string())
    .push(" ORDER BY a.published_at DESC LIMIT 20");
    let rows: Vec<(String, String)> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(href, name)| Link { href, name })
        .collect())
}

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

/// Why a save was refused by what the database holds.
#[derive(Debug)]
pub enum SaveError {
    /// A link of the text leads to no page of the portal (its address).
    UnknownLink(String),
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(error: sqlx::Error) -> Self {
        SaveError::Db(error)
    }
}

/// The ids of the pages `links` names, or the address of the first one that does not exist.
async fn resolve_links(
    tx: &mut Transaction<'_, Any>,
    links: &[(LinkedPage, String)],
) -> Result<Vec<(LinkedPage, i64)>, SaveError> {
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
            None => return Err(SaveError::UnknownLink(format!("{prefix}{slug}"))),
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
) -> Result<(i64, String), SaveError> {
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
) -> Result<String, SaveError> {
    let mut tx = db.begin_write().await?;
    let slug: Option<String> = sqlx::query_scalar("SELECT slug FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let slug = slug.ok_or(SaveError::NotFound)?;
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
) -> Result<(), SaveError> {
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
) -> Result<String, SaveError> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String, String, Timestamp)> =
        sqlx::query_as("SELECT slug, status, published_at FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let (slug, status, published_at) = current.ok_or(SaveError::NotFound)?;
    let old: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT title, summary, body, keywords FROM revisions WHERE id = $1 AND article_id = $2",
    )
    .bind(revision)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (title, summary, body, keywords_text) = old.ok_or(SaveError::NotFound)?;
    let keywords = super::parse_keywords(&keywords_text).unwrap_or_default();
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
    media: &super::media::Stored,
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

/// For the site map: every public page with content from the database and its last change.
pub async fn sitemap_entries(
    db: &Db,
    now: Timestamp,
) -> Result<Vec<(String, Timestamp)>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT '/annuaire/' || slug, updated_at FROM structures WHERE status = 'published' \
         UNION ALL SELECT '/clubs/' || slug, updated_at FROM clubs \
         UNION ALL SELECT '/evenements/' || slug, updated_at FROM events WHERE visibility = 'public' \
         UNION ALL SELECT '/' || slug, updated_at FROM info_pages \
         UNION ALL SELECT '/actualites/' || a.slug, a.updated_at FROM articles a WHERE ",
    )
    .push(VISIBLE)
    .bind_text(&now.to_string())
    .push(" ORDER BY 1");
    sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await
}

/// An article as a feed gives it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author_name: String,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
    pub keywords: Vec<Keyword>,
}

/// The `limit` latest visible articles (with the keyword `keyword`), for a feed.
pub async fn feed_entries(
    db: &Db,
    keyword: Option<&str>,
    limit: i64,
    now: Timestamp,
) -> Result<Vec<FeedEntry>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT a.id, a.slug, a.title, a.summary, a.body_html, a.author_name, a.published_at, \
         a.updated_at FROM articles a WHERE ",
    )
    .push(VISIBLE)
    .bind_text(&now.to_string());
    push_keyword(&mut sql, keyword);
    sql.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
        .bind(Arg::Int(limit));
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Timestamp,
        Timestamp,
    );
    let rows: Vec<Row> = sqlx::query_as_with(&sql.text, sql.arguments())
        .fetch_all(&db.pool)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let mut keywords = keywords_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, title, summary, body_html, author_name, published_at, updated_at)| {
                FeedEntry {
                    id,
                    slug,
                    title,
                    summary,
                    body_html,
                    author_name,
                    published_at,
                    updated_at,
                    keywords: keywords.remove(&id).unwrap_or_default(),
                }
            },
        )
        .collect())
}

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
