//! Server-rendered pages made valid HTML (the Nu checker's rules) where Leptos 0.8 emits what
//! the checker rejects; the browser builds the same document from both:
//!
//! - `<!>` hydration markers are "bogus comments" (a parse error): written `<!---->`, the same
//!   empty comment node;
//! - the preload links carry the CSP nonce in `crossorigin` (only "" / `anonymous` /
//!   `use-credentials` are valid): written `crossorigin=""`, which is what the browser read;
//! - resource scripts come after `</html>` (a "stray start tag"): moved before `</body>`, where
//!   the browser put them.
//!
//! Text inside `<script>` is left as it is.
//!
//! Every page also gets what a shared link and a search engine read, from its own `<title>` and
//! description (a default one when the page sets none): `<link rel="canonical">` (the address
//! without its query) and the Open Graph card (title, description, address, default image).
//!
//! A page with no island (`<leptos-island>`) needs no WebAssembly: its hydration script and the
//! preloads of the JavaScript and WebAssembly files are left out, and so are the empty resource
//! tables when nothing streams (no `<template>`). Reading pages then load no script file.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Largest page sent: a larger one (a runaway article, a list without bounds) is refused with
/// a logged error and a French page, never cut or sent empty.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// The description of a page that sets none.
pub const DEFAULT_DESCRIPTION: &str = "Le portail de l'économie sociale et solidaire du Dunkerquois, de l'Artois et du Pas-de-Calais : acteurs, actualités, événements, clubs.";

pub async fn valid_html(State(base_url): State<String>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, %path, "page over {MAX_PAGE_BYTES} bytes: refused");
            return too_large();
        }
    };
    let page = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => with_sharing_meta(&rewrite(&text), &format!("{base_url}{path}")),
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The answer to a page too large to send.
fn too_large() -> Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::error::short_page_html(
            "Page trop volumineuse",
            "Cette page dépasse la taille qu'un téléphone peut recevoir : elle n'est pas envoyée. L'équipe du portail en est informée ; si vous l'éditez, raccourcissez-la.",
        ),
    )
        .into_response()
}

/// The page with the three repairs, and without hydration when it has no island (see the
/// module's documentation).
pub fn rewrite(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + page.len() / 20);
    let mut rest = page;
    let islands = page.contains("<leptos-island");
    let streams = page.contains("<template");
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<!>") {
            out.push_str("<!---->");
            rest = &rest[3..];
        } else if starts_with_tag(rest, "script") {
            // Copied whole, up to its end tag.
            let end = rest
                .find("</script>")
                .map_or(rest.len(), |e| e + "</script>".len());
            let script = &rest[..end];
            if islands || !is_hydration_script(script, streams) {
                out.push_str(script);
            }
            rest = &rest[end..];
        } else if starts_with_tag(rest, "link") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let link = &rest[..end];
            if islands || !is_hydration_link(link) {
                out.push_str(&valid_crossorigin(link));
            }
            rest = &rest[end..];
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    move_trailing_scripts(out)
}

fn starts_with_tag(text: &str, name: &str) -> bool {
    text.len() > name.len() + 1
        && text[1..].starts_with(name)
        && matches!(text.as_bytes()[name.len() + 1], b' ' | b'>' | b'\t' | b'\n')
}

/// Text already escaped for HTML content, made fit for an attribute value (`"` escaped).
fn attribute(text: &str) -> String {
    text.replace('"', "&quot;")
}

/// An address for an attribute value.
fn url_attribute(url: &str) -> String {
    url.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page with its canonical address, its description (the default one if it has none) and
/// its Open Graph card, before `</head>`.
pub fn with_sharing_meta(page: &str, url: &str) -> String {
    let Some(head_end) = page.find("</head>") else {
        return page.to_owned();
    };
    let head = &page[..head_end];
    let title = head
        .find("<title>")
        .and_then(|start| {
            let rest = &head[start + "<title>".len()..];
            rest.find("</title>").map(|end| rest[..end].to_owned())
        })
        .unwrap_or_else(|| "DESSINE".to_owned());
    const DESCRIPTION: &str = "<meta name=\"description\" content=\"";
    let description = head.find(DESCRIPTION).and_then(|start| {
        let rest = &head[start + DESCRIPTION.len()..];
        rest.find('"').map(|end| rest[..end].to_owned())
    });
    let origin = url
        .find("://")
        .and_then(|scheme| {
            url[scheme + 3..]
                .find('/')
                .map(|slash| &url[..scheme + 3 + slash])
        })
        .unwrap_or(url);
    let mut meta = String::new();
    if description.is_none() {
        meta.push_str(&format!(
            "<meta name=\"description\" content=\"{}\">",
            DEFAULT_DESCRIPTION
        ));
    }
    let description = description.unwrap_or_else(|| DEFAULT_DESCRIPTION.to_owned());
    let (title, url) = (attribute(&title), url_attribute(url));
    meta.push_str(&format!(
        "<link rel=\"canonical\" href=\"{url}\">\
         <meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:site_name\" content=\"DESSINE\">\
         <meta property=\"og:locale\" content=\"fr_FR\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:description\" content=\"{description}\">\
         <meta property=\"og:url\" content=\"{url}\">\
         <meta property=\"og:image\" content=\"{origin}/partage.png\">\
         <meta property=\"og:image:width\" content=\"1200\">\
         <meta property=\"og:image:height\" content=\"630\">\
         <meta property=\"og:image:alt\" content=\"DESSINE, l&#x27;économie sociale et solidaire près de chez vous\">\
         <meta name=\"twitter:card\" content=\"summary_large_image\">"
    ));
    format!("{}{meta}{}", &page[..head_end], &page[head_end..])
}

/// The islands' loader (it imports the JavaScript that fetches the WebAssembly), or, when
/// nothing streams, the empty tables of resources.
fn is_hydration_script(script: &str, streams: bool) -> bool {
    let body = script.split_once('>').map_or("", |(_, body)| body);
    (script.starts_with("<script type=\"module\"") && body.contains("hydrateIslands"))
        || (!streams
            && (body.starts_with("__RESOLVED_RESOURCES=[];")
                || body.starts_with("__INCOMPLETE_CHUNKS=[];")))
}

/// The preloads of the application's JavaScript and WebAssembly.
fn is_hydration_link(link: &str) -> bool {
    link.contains("href=\"/pkg/")
        && (link.contains("rel=\"modulepreload\"") || link.contains("type=\"application/wasm\""))
}

/// A `<link …>` tag with `crossorigin="…"` emptied.
fn valid_crossorigin(tag: &str) -> String {
    const ATTRIBUTE: &str = "crossorigin=\"";
    let Some(start) = tag.find(ATTRIBUTE) else {
        return tag.to_owned();
    };
    let value_start = start + ATTRIBUTE.len();
    let Some(length) = tag[value_start..].find('"') else {
        return tag.to_owned();
    };
    format!("{}{}", &tag[..value_start], &tag[value_start + length..])
}

/// Anything after `</body></html>` goes just before `</body>`.
fn move_trailing_scripts(page: String) -> String {
    const END: &str = "</body></html>";
    match page.rfind(END) {
        Some(at) if at + END.len() < page.len() => {
            let trailing = &page[at + END.len()..];
            format!("{}{trailing}{END}", &page[..at])
        }
        _ => page,
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    /// Issue 27, finding 8: a page over the limit is refused with a French page, not sent
    /// empty with 200.
    #[tokio::test]
    async fn a_page_too_large_is_refused_not_emptied() {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route(
                "/",
                axum::routing::get(|| async {
                    axum::response::Html(format!("<p>{}</p>", "x".repeat(super::MAX_PAGE_BYTES)))
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                "http://127.0.0.1".to_owned(),
                super::valid_html,
            ));
        let response = app
            .oneshot(
                axum::http::Request::get("/")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("Page trop volumineuse"), "{text}");
    }

    #[test]
    fn markers_links_and_trailing_scripts_are_repaired() {
        let page = "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"n0nce\">\
            <script nonce=\"n0nce\">var a = \"<!>\";</script></head><body><leptos-island><p>a<!>b</p></leptos-island></body></html>\
            <script>__RESOLVED=1;</script>";
        assert_eq!(
            rewrite(page),
            "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"\">\
             <script nonce=\"n0nce\">var a = \"<!>\";</script></head><body><leptos-island><p>a<!---->b</p></leptos-island>\
             <script>__RESOLVED=1;</script></body></html>"
        );
    }

    #[test]
    fn a_page_without_islands_loads_no_webassembly() {
        let head = "<link rel=\"stylesheet\" href=\"/pkg/a.css\"><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"n\">\
            <link rel=\"preload\" href=\"/pkg/a.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"n\">\
            <script nonce=\"n\">document.documentElement.classList.add('js');</script>\
            <script type=\"module\" nonce=\"n\">(() => { hydrateIslands(document.body); })()</script>";
        let tail = "<script nonce=\"n\">__RESOLVED_RESOURCES=[];</script><script nonce=\"n\">__INCOMPLETE_CHUNKS=[];</script>";
        let reading =
            format!("<!DOCTYPE html><html><head>{head}</head><body><p>x</p>{tail}</body></html>");
        assert_eq!(
            rewrite(&reading),
            "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/pkg/a.css\">\
             <script nonce=\"n\">document.documentElement.classList.add('js');</script></head><body><p>x</p></body></html>"
        );
        // With an island everything stays; with streamed content the resource tables stay.
        let island = reading.replace("<p>x</p>", "<leptos-island></leptos-island>");
        assert!(rewrite(&island).contains("a.wasm") && rewrite(&island).contains("hydrateIslands"));
        let streamed = reading.replace("<p>x</p>", "<template></template>");
        let streamed = rewrite(&streamed);
        assert!(!streamed.contains("a.wasm") && streamed.contains("__RESOLVED_RESOURCES"));
    }

    #[test]
    fn every_page_gets_its_card_and_canonical_address() {
        let page = "<html><head><title>Caf&eacute; &lt;b&gt; \"x\" · DESSINE</title></head><body></body></html>";
        let out = super::with_sharing_meta(page, "https://dessine.example/annuaire/cafe");
        let query = super::with_sharing_meta(page, "https://dessine.example/a?b=1&c=2");
        assert!(query.contains("href=\"https://dessine.example/a?b=1&amp;c=2\""));
        assert!(
            out.contains("<link rel=\"canonical\" href=\"https://dessine.example/annuaire/cafe\">")
        );
        assert!(out.contains(
            "<meta property=\"og:title\" content=\"Caf&eacute; &lt;b&gt; &quot;x&quot; · DESSINE\">"
        ));
        assert!(out.contains(
            "<meta property=\"og:image\" content=\"https://dessine.example/partage.png\">"
        ));
        assert!(out.contains("<meta name=\"description\" content=\"Le portail"));
        assert!(out.find("og:url").unwrap() < out.find("</head>").unwrap());
        // A page's own description is kept, and not doubled.
        let own = "<html><head><meta name=\"description\" content=\"Une fiche &quot;x&quot;\"></head><body></body></html>";
        let out = super::with_sharing_meta(own, "http://127.0.0.1:3000/x");
        assert_eq!(out.matches("name=\"description\"").count(), 1);
        assert!(out.contains("og:description\" content=\"Une fiche &quot;x&quot;\""));
        assert!(out.contains("content=\"http://127.0.0.1:3000/partage.png\""));
    }

    #[test]
    fn pages_without_anything_to_repair_are_unchanged() {
        let page = "<!DOCTYPE html><html><head><title>a &lt; b</title></head><body><p>x < y</p></body></html>";
        assert_eq!(rewrite(page), page);
    }
}
