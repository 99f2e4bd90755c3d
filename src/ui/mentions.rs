//! « Dans l'actualité »: the articles that mention a structure, a club or an event.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A page of the portal an article mentions, or an article that mentions a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    pub name: String,
}

/// « Dans l'actualité » on a structure's, club's or event's page. Nothing when no article
/// mentions it.
#[component]
pub fn MentionedIn(links: Vec<Link>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <section aria-labelledby="dans-l-actualite" class="mentioned-in">
                <h2 id="dans-l-actualite">"Dans l'actualité"</h2>
                <ul>
                    {links.into_iter().map(|link| view! { <li><a href=link.href>{link.name}</a></li> }).collect_view()}
                </ul>
            </section>
        }
    })
}
