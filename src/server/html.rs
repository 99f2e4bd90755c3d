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

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Largest page rewritten; a larger one is passed on as it is.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

pub async fn valid_html(request: Request, next: Next) -> Response {
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
            tracing::error!(%error, "page too large to check");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let page = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => rewrite(&text),
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The page with the three repairs (see the module's documentation).
pub fn rewrite(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + page.len() / 20);
    let mut rest = page;
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
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if starts_with_tag(rest, "link") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            out.push_str(&valid_crossorigin(&rest[..end]));
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

    #[test]
    fn markers_links_and_trailing_scripts_are_repaired() {
        let page = "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"n0nce\">\
            <script nonce=\"n0nce\">var a = \"<!>\";</script></head><body><p>a<!>b</p></body></html>\
            <script>__RESOLVED=1;</script>";
        assert_eq!(
            rewrite(page),
            "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"\">\
             <script nonce=\"n0nce\">var a = \"<!>\";</script></head><body><p>a<!---->b</p>\
             <script>__RESOLVED=1;</script></body></html>"
        );
    }

    #[test]
    fn pages_without_anything_to_repair_are_unchanged() {
        let page = "<!DOCTYPE html><html><head><title>a &lt; b</title></head><body><p>x < y</p></body></html>";
        assert_eq!(rewrite(page), page);
    }
}
