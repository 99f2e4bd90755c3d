//! A page's description, for search engines and shared links (the server adds the Open Graph
//! card from it and from the title; pages without one get the site's description).

use leptos::prelude::*;
use leptos_meta::Meta;

/// `value` as the text of a `<script type="application/ld+json">`: JSON whose `<`, `>`, `&`
/// and the two JavaScript line separators (U+2028, U+2029) are `\u` escapes, so that no text
/// of the page (`</script>`, `<!--<script>`) can end the script or change how the browser
/// parses the rest of the page. The JSON means exactly the same.
pub fn json_ld(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The first paragraph of `text`, cut at a word before 160 characters (with « … »).
pub fn summary(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or_default().trim();
    let flat: String = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 160 {
        return flat;
    }
    let cut: String = flat.chars().take(157).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// `<meta name="description">` for this page: the summary of `text`.
#[component]
pub fn Description(#[prop(into)] text: String) -> impl IntoView {
    let text = summary(&text);
    (!text.is_empty()).then(|| view! { <Meta name="description" content=text /> })
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn summaries_keep_the_first_paragraph_and_cut_at_a_word() {
        assert_eq!(summary("  Une   phrase.\n\nUne autre."), "Une phrase.");
        let long = "mot ".repeat(60);
        let cut = summary(&long);
        assert!(cut.chars().count() <= 160 && cut.ends_with("mot…"), "{cut}");
        assert_eq!(summary(""), "");
    }
}

#[cfg(test)]
mod json_ld_tests {
    use super::json_ld;

    #[test]
    fn json_ld_cannot_end_its_script_and_means_the_same() {
        let text = "<!--<script> </script> & \u{2028}\u{2029} « é »";
        let value = serde_json::json!({ "description": text });
        let written = json_ld(&value);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!written.contains(bad), "{bad} in {written}");
        }
        let read: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(read, value);
    }
}
