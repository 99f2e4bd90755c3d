//! What a successful mutation answers, and the confirmation the page shows afterwards.
//!
//! A server function returns [`Done`]: where the browser goes next, with a notice *code* in the
//! query, and the French sentence of that code. Without JavaScript the browser follows the
//! redirect and the page shows the sentence its own table gives for the code (no text from the
//! URL reaches the page); with JavaScript the island shows `message` next to the form.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ui::href::with_query;

/// A page's known notices: `(code, French sentence)`.
pub type Notices = &'static [(&'static str, &'static str)];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// A local path with `message=code` in its query.
    pub location: String,
    /// The sentence of that code.
    pub message: String,
}

impl Done {
    /// Back to `path` with the notice `code` of `known` (a code missing from the table is a
    /// programming error: debug builds stop, release builds say « C'est fait. »).
    pub fn notice(path: &str, code: &str, known: Notices) -> Done {
        let message = notice_text(known, code);
        debug_assert!(
            message.is_some(),
            "notice code {code} missing from its table"
        );
        Done {
            location: with_query(path, "message", code),
            message: message.unwrap_or("C'est fait.").to_owned(),
        }
    }

    /// Somewhere else, with no notice (after logging out, the home page).
    pub fn go(path: &str) -> Done {
        Done {
            location: path.to_owned(),
            message: String::new(),
        }
    }
}

pub fn notice_text(known: Notices, code: &str) -> Option<&'static str> {
    known
        .iter()
        .find(|(known_code, _)| *known_code == code)
        .map(|(_, text)| *text)
}

/// The confirmation for the URL's `message` code, when it is one of `known`.
#[component]
pub fn Notice(known: Notices) -> impl IntoView {
    let code = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("message"));
    let text = code.and_then(|code| notice_text(known, &code));
    text.map(|text| view! { <p class="notice" role="status">{text}</p> })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: Notices = &[("profil", "Votre nom a été enregistré.")];

    #[test]
    fn done_carries_the_code_in_the_url_and_the_sentence() {
        let done = Done::notice("/compte", "profil", KNOWN);
        assert_eq!(done.location, "/compte?message=profil");
        assert_eq!(done.message, "Votre nom a été enregistré.");
        assert_eq!(
            Done::notice("/a?b=1", "profil", KNOWN).location,
            "/a?b=1&message=profil"
        );
    }
}
