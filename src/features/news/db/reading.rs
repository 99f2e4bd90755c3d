//! Reading articles: the visible ones, one article, mentions, the sitemap and the feed.

use crate::db::Db;
use crate::db::sql::Arg;
use crate::db::sql::Sql;
use crate::features::news::Article;
use crate::features::news::ArticleSummary;
use crate::features::news::Keyword;
use crate::features::news::Publication;
use crate::features::news::Visibility;
use crate::features::news::db::IMAGE_COLUMNS;
use crate::features::news::db::VISIBLE;
use crate::features::news::db::image;
use crate::features::news::db::keywords_of;
use crate::features::news::db::push_keyword;
use crate::markdown::LinkedPage;
use crate::timestamp::Timestamp;
use crate::ui::mentions::Link;

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
