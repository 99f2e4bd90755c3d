//! Markdown typed by editors, turned into HTML that is safe to show to every visitor.
//!
//! The text is rendered by pulldown-cmark (CommonMark, with tables and strikethrough) and the
//! result is cleaned by ammonia with a short allow-list: no script, no style, no event handler,
//! no form, no frame, no SVG, no image, and links only to `http`, `https`, `mailto`, `tel` or
//! to a path of this site. Every link gets `rel="noopener noreferrer"`. A `#` heading gives an
//! `<h2>` (as `##` does), since the page's title is its only `<h1>`.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

/// The portal's pages an article can mention by linking to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkedPage {
    Structure,
    Club,
    Event,
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags([
            "p",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "ul",
            "ol",
            "li",
            "a",
            "strong",
            "em",
            "del",
            "blockquote",
            "code",
            "pre",
            "br",
            "hr",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["align"])
        .add_tag_attributes("td", ["align"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(local_only)))
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// A relative address is kept only when it is a path of this site or an anchor: `//host/…`
/// (another site without a scheme) and everything else is dropped.
fn local_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let local = (url.starts_with('/') && !url.starts_with("//") && !url.contains('\\'))
        || url.starts_with('#');
    local.then_some(std::borrow::Cow::Borrowed(url))
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

/// The page's title is its only `<h1>`: a `#` heading of the text becomes an `<h2>`.
fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

/// Most Markdown elements (paragraphs, words, table cells…) one text may produce. 60,000
/// characters of ordinary prose make a few thousand; a table whose header has thousands of
/// columns makes millions (every short row is padded to the header's width), and megabytes
/// of HTML: such a text is refused at save and preview, and never rendered.
pub const MAX_EVENTS: usize = 100_000;

/// Whether `markdown` would produce more than [`MAX_EVENTS`] elements (counted without
/// rendering, stopping at the limit).
pub fn too_large(markdown: &str) -> bool {
    parser(markdown).nth(MAX_EVENTS).is_some()
}

/// What a page shows in place of a text too large to render.
const TOO_LARGE_HTML: &str = "<p>Ce texte est trop volumineux pour être affiché.</p>";

/// The cleaned HTML of `markdown` (a short notice for a text over [`MAX_EVENTS`] elements).
pub fn to_safe_html(markdown: &str) -> String {
    if too_large(markdown) {
        return TOO_LARGE_HTML.to_owned();
    }
    let events = parser(markdown).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Event::End(pulldown_cmark::TagEnd::Heading(lower(level)))
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    clean(&html)
}

/// Cleans HTML from any source with the same allow-list.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The portal's pages `markdown` links to: `/annuaire/{slug}`, `/clubs/{slug}`,
/// `/evenements/{slug}`, written as a path or as an address on `base_url`. In order, without
/// repeats.
pub fn linked_pages(markdown: &str, base_url: &str) -> Vec<(LinkedPage, String)> {
    let base = base_url.trim_end_matches('/');
    let mut found: Vec<(LinkedPage, String)> = Vec::new();
    for event in parser(markdown) {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let url = dest_url.as_ref();
        let path = match url.strip_prefix(base) {
            Some(rest) if !base.is_empty() && rest.starts_with('/') => rest,
            _ => url,
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let mut parts = path.trim_end_matches('/').split('/').skip(1);
        let (Some(section), Some(slug), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let kind = match section {
            "annuaire" => LinkedPage::Structure,
            "clubs" => LinkedPage::Club,
            "evenements" => LinkedPage::Event,
            _ => continue,
        };
        let slug = slug.to_owned();
        if crate::slug::is_slug(&slug) && !found.contains(&(kind, slug.clone())) {
            found.push((kind, slug));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 27, finding 8: 60 KB of table that would render tens of megabytes is refused
    /// before rendering; ordinary prose is not.
    #[test]
    fn tables_that_explode_are_refused_before_rendering() {
        let header = format!("|{}\n|{}\n", "a|".repeat(3_000), "-|".repeat(3_000));
        let table = format!("{header}{}", "|x|\n".repeat(5_000));
        assert!(table.len() < 60_000 + 20_000);
        assert!(too_large(&table));
        let started = std::time::Instant::now();
        assert_eq!(to_safe_html(&table), TOO_LARGE_HTML);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let prose = "Un paragraphe avec des **mots** et un [lien](/annuaire).\n\n".repeat(800);
        assert!(!too_large(&prose));
        assert!(to_safe_html(&prose).contains("<strong>mots</strong>"));
    }

    /// Hostile Markdown and HTML: none of it may leave anything that runs or loads.
    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle r=10 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](java\tscript:alert(1))",
        "[clic](&#106;avascript:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[clic](vbscript:msgbox(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<p onclick=\"alert(1)\">texte</p>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<form action=\"https://evil.example\"><input name=p></form>",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        "<style>body{display:none}</style>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>script>alert(1)<</script>/script>",
        "<a href=\"x\" onmouseover=\"alert(1)\">x",
        "<p><a href='//evil.example/'>x</a></p>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "![x](javascript:alert(1))",
        "![x](https://evil.example/pixel.png)",
        "<template><script>alert(1)</script></template>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<!--<script>alert(1)</script>-->",
        "<textarea><script>alert(1)</script></textarea>",
        "[a](<javascript:alert(1)>)",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    ];

    #[test]
    fn hostile_markdown_leaves_nothing_that_runs() {
        for input in HOSTILE {
            let html = to_safe_html(input);
            let lower = html.to_lowercase();
            for forbidden in [
                "<script",
                "<svg",
                "<math",
                "<img",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<input",
                "<base",
                "<meta",
                "<link",
                "<style",
                "<video",
                "<source",
                "<template",
                "<details",
                "<textarea",
                "javascript:",
                "vbscript:",
                "data:",
                "style=",
                "//evil",
                "<!--",
            ] {
                assert!(!lower.contains(forbidden), "{input:?} gave {html:?}");
            }
            // No attribute named on… survives (text that merely says "onerror" is escaped).
            let mut rest = lower.as_str();
            while let Some(start) = rest.find('<') {
                let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
                let tag = &rest[start..end];
                assert!(
                    !tag.split_whitespace()
                        .skip(1)
                        .any(|attr| attr.starts_with("on")),
                    "{input:?} gave {html:?}"
                );
                rest = &rest[end..];
            }
        }
    }

    #[test]
    fn ordinary_markdown_keeps_its_shape() {
        let html = to_safe_html(
            "# Le salon\n\nUn **salon** de l'*achat responsable*, voir [la fiche](/annuaire/ressourcerie) \
             ou [le site](https://example.org).\n\n- un\n- deux\n\n> citation\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<h2>Le salon</h2>"), "{html}");
        assert!(to_safe_html("## Deux\n\n### Trois").contains("<h2>Deux</h2>\n<h3>Trois</h3>"));
        assert!(html.contains("<strong>salon</strong>"));
        assert!(html.contains("<em>achat responsable</em>"));
        assert!(html.contains(
            "<a href=\"/annuaire/ressourcerie\" rel=\"noopener noreferrer\">la fiche</a>"
        ));
        assert!(html.contains("<a href=\"https://example.org\" rel=\"noopener noreferrer\">"));
        assert!(html.contains("<li>deux</li>"));
        assert!(html.contains("<blockquote>"));
        assert!(html.contains("<td>2</td>"));
        assert!(!html.contains("<h1"));
    }

    #[test]
    fn text_that_looks_like_html_is_shown_not_run() {
        let html = to_safe_html("Écrire `<script>` dans un texte, et 3 < 4 & 5 > 2.");
        assert!(html.contains("<code>&lt;script&gt;</code>"), "{html}");
        assert!(html.contains("3 &lt; 4 &amp; 5 &gt; 2"), "{html}");
    }

    #[test]
    fn links_to_the_portal_are_found() {
        let pages = linked_pages(
            "Voir [la ressourcerie](/annuaire/ressourcerie-du-dunkerquois), \
             [le club](https://dessine.example/clubs/club-de-l-ess-du-dunkerquois/), \
             [le salon](/evenements/salon-achat-responsable?x=1#programme), \
             [encore](/annuaire/ressourcerie-du-dunkerquois), [ailleurs](https://autre.example/clubs/x), \
             [l'annuaire](/annuaire), [modifier](/annuaire/x/modifier), [mauvais](/annuaire/<b>).",
            "https://dessine.example",
        );
        assert_eq!(
            pages,
            vec![
                (
                    LinkedPage::Structure,
                    "ressourcerie-du-dunkerquois".to_owned()
                ),
                (LinkedPage::Club, "club-de-l-ess-du-dunkerquois".to_owned()),
                (LinkedPage::Event, "salon-achat-responsable".to_owned()),
            ]
        );
    }
}
