//! Small components shared by every feature, and the browser side of the islands.

#[cfg(feature = "hydrate")]
pub mod browser;
pub mod enhance;
pub mod error;
pub mod form;
pub mod href;
pub mod markdown_field;
pub mod mentions;
pub mod menu;
pub mod meta;
pub mod notice;
pub mod pagination;
pub mod revisions;

/// Text for raw HTML: `&`, `<` and `>` escaped.
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
