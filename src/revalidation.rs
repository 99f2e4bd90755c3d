//! Validators: a page or a feed carries an `ETag` computed from what it shows, and a visitor
//! who sends it back (`If-None-Match`) gets a bodiless 304 when nothing changed.
//!
//! The validator leaves out what changes at every rendering without changing what the page
//! says: the content-security nonce and the time a contact form was shown (its anti-robot
//! field). It is weak (`W/`): the compressed and plain bytes of one page share it.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

/// Content types that carry a validator and that a shared page may be: pages and feeds.
pub const PAGE_TYPES: &[&str] = &[
    "text/html",
    "application/atom+xml",
    "application/xml",
    "text/calendar",
];

/// Whether `headers` name one of [`PAGE_TYPES`].
pub fn is_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| PAGE_TYPES.iter().any(|t| v.starts_with(t)))
}

/// The weak validator of `body`, leaving out every occurrence of the `volatile` strings and the
/// value of every hidden field named in `fields` (`name="…" value="…"`).
pub fn validator(body: &[u8], volatile: &[&str], fields: &[&str]) -> HeaderValue {
    use memchr::memmem;
    let mut hasher = Sha256::new();
    // Searched as bytes (a needle is whole UTF-8, so a match cannot start inside a character):
    // no pass to check the text first, and `memmem` scans with SIMD. Before, the UTF-8 pass and
    // `str::match_indices` took 1.7 % of a search page's time under load.
    let mut skipped: Vec<(usize, usize)> = Vec::new();
    for needle in volatile.iter().filter(|n| !n.is_empty()) {
        skipped.extend(memmem::find_iter(body, needle).map(|at| (at, at + needle.len())));
    }
    for field in fields {
        let opening = format!("name=\"{field}\" value=\"");
        for at in memmem::find_iter(body, opening.as_bytes()) {
            let start = at + opening.len();
            let end = memchr::memchr(b'"', &body[start..]).map_or(body.len(), |n| start + n);
            skipped.push((start, end));
        }
    }
    skipped.sort_unstable();
    let mut from = 0;
    for (start, end) in skipped {
        if start > from {
            hasher.update(&body[from..start]);
        }
        from = from.max(end);
    }
    hasher.update(&body[from.min(body.len())..]);
    let digest = hasher.finalize();
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    HeaderValue::from_str(&format!("W/\"{tag}\"")).expect("base64 is a valid header value")
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, `*` included).
pub fn matches(request_headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let Ok(ours) = etag.to_str().map(opaque) else {
        return false;
    };
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

/// The 304 for an answer with these headers: its validator and caching headers, no body. No
/// content-security policy: the browser keeps the one that came with the page it holds.
pub fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::EXPIRES,
    ] {
        for value in headers.get_all(&name) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

/// The whole body when it is at most `limit` bytes; else a body that still yields every byte
/// (what was read, then the rest), so that nothing is lost.
pub async fn read_at_most(mut body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut read: Vec<Bytes> = Vec::new();
    let mut length = 0;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            // The handler's stream failed: what it sent, then the failure, as it would have.
            let rest = futures::stream::iter(
                read.into_iter()
                    .map(Ok::<_, axum::Error>)
                    .chain(std::iter::once(Err(axum::Error::new("body read failed")))),
            );
            return Err(Body::from_stream(rest));
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers: pages have none
        };
        length += data.len();
        read.push(data);
        if length > limit {
            let head = futures::stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
            let rest = body.into_data_stream();
            use futures::StreamExt;
            return Err(Body::from_stream(head.chain(rest)));
        }
    }
    Ok(match read.len() {
        0 => Bytes::new(),
        1 => read.pop().unwrap_or_default(),
        _ => read.concat().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validator_leaves_out_the_nonce_and_the_form_time() {
        let a = br#"<script nonce="AAAA">x</script><input type="hidden" name="ouvert" value="1700000000" /><p>Texte</p>"#;
        let b = br#"<script nonce="BBBB">x</script><input type="hidden" name="ouvert" value="1800000001" /><p>Texte</p>"#;
        let c = br#"<script nonce="BBBB">x</script><input type="hidden" name="ouvert" value="1800000001" /><p>Textes</p>"#;
        let tag = |body: &[u8], nonce| validator(body, &[nonce], &["ouvert"]);
        assert_eq!(tag(a, "AAAA"), tag(b, "BBBB"));
        assert_ne!(tag(b, "BBBB"), tag(c, "BBBB"), "the text counts");
        assert_ne!(
            validator(a, &["AAAA"], &[]),
            validator(b, &["BBBB"], &[]),
            "the field counts unless named"
        );
        assert!(tag(a, "AAAA").to_str().unwrap().starts_with("W/\""));
        // Not text: every byte counts.
        assert_ne!(
            validator(&[0xff, 1], &[], &[]),
            validator(&[0xff, 2], &[], &[])
        );
    }

    #[test]
    fn if_none_match_compares_weakly_and_lists() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        let mut headers = HeaderMap::new();
        assert!(!matches(&headers, &tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abc\""));
        assert!(matches(&headers, &tag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("W/\"x\", W/\"abc\""),
        );
        assert!(matches(&headers, &tag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("W/\"abcd\""),
        );
        assert!(!matches(&headers, &tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&headers, &tag));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_given_back_whole() {
        let chunks = || {
            (0..5u8)
                .map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![b'a' + i; 100])))
                .collect::<Vec<_>>()
        };
        let body = Body::from_stream(futures::stream::iter(chunks()));
        let Err(back) = read_at_most(body, 250).await else {
            panic!("over the limit")
        };
        let all = axum::body::to_bytes(back, usize::MAX).await.unwrap();
        assert_eq!(all.len(), 500);
        assert_eq!(&all[..100], &[b'a'; 100][..]);
        assert_eq!(&all[400..], &[b'e'; 100][..]);
        let body = Body::from_stream(futures::stream::iter(chunks()));
        assert_eq!(read_at_most(body, 500).await.unwrap().len(), 500);
    }
}
