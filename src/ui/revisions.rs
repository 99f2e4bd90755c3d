//! The versions of a text (an article, an information page), each but the current one with
//! « Restaurer ».

use crate::timestamp::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One save of an article or an information page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub editor_name: String,
    pub created_at: Timestamp,
    pub title: String,
    /// The date of the revision it restored, if any.
    pub restored_from: Option<Timestamp>,
}

/// Every saved version, newest first, each but the current one with « Restaurer ».
#[component]
pub fn RevisionList(
    revisions: Vec<Revision>,
    action: String,
    hidden: (&'static str, String),
) -> impl IntoView {
    if revisions.is_empty() {
        return view! { <p>"Aucune version enregistrée pour le moment."</p> }.into_any();
    }
    view! {
        <ol class="revisions" reversed>
            {revisions.into_iter().enumerate().map(|(n, revision)| {
                let restored = revision.restored_from.map(|at| format!(" (restauration de la version du {})", at.french_date_time()));
                view! {
                    <li>
                        {format!("{} — {}", revision.created_at.french_date_time(), revision.editor_name)}
                        {restored}
                        {(n == 0).then_some(" — version actuelle")}
                        {(n > 0).then(|| view! {
                            <form method="post" action=action.clone() class="inline-form">
                                <input type="hidden" name=hidden.0 value=hidden.1.clone() />
                                <input type="hidden" name="revision" value=revision.id />
                                <button type="submit" class="secondary">
                                    "Restaurer"<span class="visually-hidden">{format!(" la version du {}", revision.created_at.french_date_time())}</span>
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
