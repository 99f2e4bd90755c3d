//! What machines read: the news' Atom feeds (all articles, or one keyword's), the site map and
//! `robots.txt`. Every address in them is absolute, from `DESSINE_BASE_URL`.

use crate::config::host_of as host;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// Feeds, the site map and `robots.txt` are public and change slowly: caches may keep them for
/// five minutes.
const FEED_CACHE: &str = "public, max-age=300";

/// Articles in a feed.
pub const FEED_SIZE: i64 = 20;
/// Addresses in one site map file (the protocol allows 50,000).
pub const SITEMAP_SIZE: usize = 50_000;

/// The text of `value` for an XML element or a quoted attribute.
pub fn xml_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    #[serde(rename = "mot-cle", default)]
    keyword: Option<String>,
}

/// The host of the base address, for the feed's `tag:` ids.
/// `GET /actualites.atom` and `/actualites.atom?mot-cle=…`: the latest articles, as Atom 1.0.
pub async fn news_feed(State(state): State<AppState>, Query(query): Query<FeedQuery>) -> Response {
    match feed(&state, query.keyword.as_deref()).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, FEED_CACHE),
            ],
            body,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

async fn feed(state: &AppState, keyword: Option<&str>) -> Result<String, AppError> {
    let base = state.config.base_url.trim_end_matches('/');
    let now = Timestamp::now();
    let keyword = match keyword {
        None | Some("") => None,
        Some(slug) => Some(
            super::db::keyword(&state.db, slug)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    };
    let slug = keyword.as_ref().map(|k| k.slug.as_str());
    let entries = super::db::feed_entries(&state.db, slug, FEED_SIZE, now).await?;
    let (title, self_href, page_href, feed_id) = match &keyword {
        Some(k) => (
            format!("DESSINE — Actualités : {}", k.name),
            format!("{base}/actualites.atom?mot-cle={}", k.slug),
            format!("{base}{}", k.href()),
            format!("tag:{},2026:actualites:mot-cle:{}", host(base), k.slug),
        ),
        None => (
            "DESSINE — Actualités".to_owned(),
            format!("{base}/actualites.atom"),
            format!("{base}/actualites"),
            format!("tag:{},2026:actualites", host(base)),
        ),
    };
    // The feed changed when its latest entry did (a fixed date for an empty feed).
    let updated = entries
        .iter()
        .map(|e| e.updated_at.max(e.published_at))
        .max()
        .map_or_else(|| "2026-01-01T00:00:00Z".to_owned(), |t| t.to_string());
    let mut xml = String::with_capacity(4096 + entries.len() * 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
    xml.push_str(&format!(
        "  <subtitle>L'actualité de l'économie sociale et solidaire du Dunkerquois, de l'Artois et du Pas-de-Calais</subtitle>\n  <id>{}</id>\n",
        xml_escape(&feed_id)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&self_href)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&page_href)
    ));
    xml.push_str(&format!(
        "  <updated>{updated}</updated>\n  <author><name>DESSINE</name></author>\n"
    ));
    for entry in &entries {
        let href = format!("{base}/actualites/{}", entry.slug);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&entry.title)
        ));
        xml.push_str(&format!(
            "    <id>tag:{},2026:actualites:{}</id>\n",
            xml_escape(host(base)),
            entry.id
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&href)
        ));
        xml.push_str(&format!(
            "    <published>{}</published>\n    <updated>{}</updated>\n",
            entry.published_at,
            entry.updated_at.max(entry.published_at)
        ));
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(&entry.author_name)
        ));
        for keyword in &entry.keywords {
            xml.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                xml_escape(&keyword.slug),
                xml_escape(&keyword.name)
            ));
        }
        xml.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&entry.summary)
        ));
        // Links of the body are made absolute, for readers that show it away from the site.
        let body = absolute_links(&entry.body_html, base);
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml_escape(&body)
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Ok(xml)
}

/// `href="/…"` → `href="{base}/…"` in cleaned HTML (whose attributes are always double-quoted).
fn absolute_links(html: &str, base: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{base}/"))
}

#[derive(Debug, Default, Deserialize)]
pub struct SitemapQuery {
    #[serde(default)]
    page: Option<usize>,
}

/// The public pages that are not rows of a table.
const FIXED_PAGES: &[&str] = &[
    "/",
    "/annuaire",
    "/evenements",
    "/clubs",
    "/actualites",
    "/qu-est-ce-que-l-ess",
    "/qu-est-ce-que-dessine",
    "/qui-sommes-nous",
    "/cooperer",
    "/accompagnement",
    "/accompagnement/reseaux",
    "/appels",
    "/moyens",
];

/// How long a rendered site map is served before it is rendered again.
const SITEMAP_FOR: std::time::Duration = std::time::Duration::from_secs(300);

/// Every public page with its last change, as site map documents.
fn render_sitemap(base: &str, entries: Vec<(String, Timestamp)>) -> Vec<String> {
    let base = base.trim_end_matches('/');
    let mut all: Vec<(String, Option<Timestamp>)> = FIXED_PAGES
        .iter()
        .map(|path| {
            let changed = entries.iter().find(|(p, _)| p == path).map(|(_, at)| *at);
            ((*path).to_owned(), changed)
        })
        .collect();
    all.extend(
        entries
            .into_iter()
            .filter(|(path, _)| !FIXED_PAGES.contains(&path.as_str()))
            .map(|(path, at)| (path, Some(at))),
    );
    let head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    let pages: Vec<String> = all
        .chunks(SITEMAP_SIZE)
        .map(|chunk| {
            let mut xml = String::from(head);
            xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (path, changed) in chunk {
                xml.push_str(&format!(
                    "  <url><loc>{}</loc>",
                    xml_escape(&format!("{base}{path}"))
                ));
                if let Some(changed) = changed {
                    xml.push_str(&format!("<lastmod>{changed}</lastmod>"));
                }
                xml.push_str("</url>\n");
            }
            xml.push_str("</urlset>\n");
            xml
        })
        .collect();
    if pages.len() <= 1 {
        return pages;
    }
    let mut index = String::from(head);
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=pages.len() {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base}/sitemap.xml?page={n}"))
        ));
    }
    index.push_str("</sitemapindex>\n");
    std::iter::once(index).chain(pages).collect()
}

/// `GET /sitemap.xml`: every public page with its last change. Past 50,000 addresses it is an
/// index of `/sitemap.xml?page=n`, each holding 50,000. Rendered at most once every five
/// minutes (a new page appears in it within five minutes).
pub async fn sitemap(State(state): State<AppState>, Query(query): Query<SitemapQuery>) -> Response {
    // With 200,000 entries, rendering reads and sorts every public row: eight crawlers at once
    // wait for one rendering instead of running eight.
    let documents = state
        .sitemap
        .get_or_render(SITEMAP_FOR, || async {
            let entries = super::db::sitemap_entries(&state.db, Timestamp::now()).await?;
            Ok::<_, sqlx::Error>(render_sitemap(&state.config.base_url, entries))
        })
        .await;
    let documents = match documents {
        Ok(documents) => documents,
        Err(error) => return AppError::from(error).into_response(),
    };
    let indexed = documents.len() > 1;
    let document = match (query.page, indexed) {
        (None, _) | (Some(1), false) => documents.first(),
        (Some(n), true) if n >= 1 => documents.get(n),
        _ => None,
    };
    let Some(document) = document else {
        return AppError::NotFound.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, FEED_CACHE),
        ],
        document.clone(),
    )
        .into_response()
}

/// `GET /robots.txt`: everything public may be indexed, nothing private; where the site map is.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = state.config.base_url.trim_end_matches('/');
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, FEED_CACHE),
        ],
        format!(
            "User-agent: *\nDisallow: /admin\nDisallow: /compte\nDisallow: /redaction\nDisallow: /api/\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            xml_escape("<a href=\"x\">l'ESS & co</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;l&apos;ESS &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn links_are_made_absolute() {
        assert_eq!(
            absolute_links("<a href=\"/annuaire/x\">x</a>", "https://d.example"),
            "<a href=\"https://d.example/annuaire/x\">x</a>"
        );
    }
}
