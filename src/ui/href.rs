//! Building links: query-string encoding shared by every page that puts state in its URL.

/// Percent-encodes a query-string component (application/x-www-form-urlencoded, spaces as `+`).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_component(&mut out, value);
    out
}

/// Appends `value` to `out`, percent-encoded as [`encode_component`] does: a page of search
/// results writes some seventy links this way, each straight into its one string.
pub fn push_component(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
}

/// A raw query string (`a=1&b=%C3%A9`) as decoded pairs, in order.
#[cfg(feature = "ssr")]
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// `path` with `name=value` added to its query.
pub fn with_query(path: &str, name: &str, value: &str) -> String {
    // The query goes before a `#fragment`, or the fragment would swallow it.
    let (path, fragment) = path.split_at(path.find('#').unwrap_or(path.len()));
    let separator = if path.contains('?') { '&' } else { '?' };
    format!(
        "{path}{separator}{name}={}{fragment}",
        encode_component(value)
    )
}

/// The login page, then back to `back`.
pub fn login_then(back: &str) -> String {
    with_query("/connexion", "suivant", back)
}

/// Whether `path` stays on this site: followed after a login or a decision, where an absolute
/// URL or `//host` would be an open redirect. One `/` first, then neither `/` nor `\\`
/// (browsers read `/\\host` as `//host`), and no white space or control character anywhere
/// (browsers drop tabs and new lines, so `/<TAB>/host` is `//host` too).
pub fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// `path` when it is local (see [`is_local_path`]), with every character outside the URL-safe
/// set percent-encoded; `None` otherwise.
pub fn local_path(path: &str) -> Option<String> {
    if !is_local_path(path) {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "/?=&%-._~+!$'()*,;:@#".contains(c) {
            out.push(c);
        } else {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Some(out)
}

/// The number in the current route's `:id` (0 when missing or not a number), as a getter a
/// resource can use as its key.
pub fn route_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    use leptos::prelude::With;
    let params = leptos_router::hooks::use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_encoded_and_queries_extended() {
        assert_eq!(encode_component("a b&c=é/"), "a+b%26c%3D%C3%A9%2F");
        assert_eq!(
            with_query("/compte", "message", "profil"),
            "/compte?message=profil"
        );
        assert_eq!(with_query("/a?x=1", "message", "ok"), "/a?x=1&message=ok");
        assert_eq!(
            login_then("/annuaire/les-courses-asteur?x=1&y=2"),
            "/connexion?suivant=%2Fannuaire%2Fles-courses-asteur%3Fx%3D1%26y%3D2"
        );
    }

    #[test]
    fn only_local_paths_are_local() {
        assert!(is_local_path("/annuaire?q=velo"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "",
            "\\\\evil",
            "/\\evil",
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }

    #[test]
    fn the_query_goes_before_the_fragment() {
        assert_eq!(
            with_query("/evenements/a/accueil#inscription-24", "message", "present"),
            "/evenements/a/accueil?message=present#inscription-24"
        );
        assert_eq!(with_query("/a?b=1#c", "m", "x"), "/a?b=1&m=x#c");
    }
}
