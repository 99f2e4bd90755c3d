//! « Page précédente · Page n sur m · Page suivante », as links that keep the rest of the URL.

use leptos::prelude::*;

/// Links to the previous and next pages; `href(n)` gives page n's address. Nothing when there is
/// only one page.
#[component]
pub fn Pagination(
    page: u32,
    pages: u32,
    href: impl Fn(u32) -> String + Send + 'static,
) -> impl IntoView {
    (pages > 1).then(|| {
        let previous = (page > 1).then(|| href(page - 1));
        let next = (page < pages).then(|| href(page + 1));
        view! {
            <nav class="pagination" aria-label="Pagination">
                {previous.map(|href| view! { <a href=href rel="prev">"← Page précédente"</a> })}
                <span>{format!("Page {page} sur {pages}")}</span>
                {next.map(|href| view! { <a href=href rel="next">"Page suivante →"</a> })}
            </nav>
        }
    })
}
