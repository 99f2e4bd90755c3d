//! The news queries, split by subject: reading (lists, feeds, mentions), writing articles
//! with their revisions and media, and the information pages.

mod pages;
mod reading;
mod writing;

use crate::db::Db;
use crate::db::sql::Arg;
use crate::db::sql::Sql;
use crate::features::news::Image;
use crate::features::news::Keyword;
pub use pages::*;
pub use reading::*;
pub use writing::*;

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
