//! A page's description, for search engines and shared links (the server adds the Open Graph
//! card from it and from the title; pages without one get the site's description).

use leptos::prelude::*;
use leptos_meta::Meta;

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
