//! The events' pages, one file per page.

mod check_in;
mod edit;
mod links;
mod list;
mod management;
mod mine;
mod page;

pub use check_in::CheckInPage;
pub use edit::EventFormPage;
pub use links::{CancelLinkPage, ConfirmGuestPage};
pub use list::EventsPage;
pub use management::{ManagementPage, PrintListPage};
pub use mine::MyRegistrations;
pub use page::EventDetailPage;

use crate::error::AppError;
use crate::timestamp::Timestamp;
use crate::ui::error::ErrorPage;
use crate::ui::href::login_then;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const PAGE_TITLE: &str = "Événements";

fn place_line(place: &str, commune: &str, online: bool) -> String {
    match (place.is_empty(), commune.is_empty()) {
        (true, _) if online => "En ligne".to_owned(),
        (false, false) => format!("{place}, {commune}"),
        (false, true) => place.to_owned(),
        (true, false) => commune.to_owned(),
        (true, true) => String::new(),
    }
}

/// « samedi 28 novembre 2026, 9 h – 17 h 30 », or two dates when it spans several days.
pub fn when(starts: Timestamp, ends: Timestamp) -> String {
    let hour = |t: Timestamp| {
        let local = t.in_paris();
        match local.minute() {
            0 => format!("{} h", local.hour()),
            m => format!("{} h {m:02}", local.hour()),
        }
    };
    if starts.iso_date() == ends.iso_date() {
        let date = starts.french_date_time();
        let day = date.split(" à ").next().unwrap_or(&date).to_owned();
        format!("{day}, {} – {}", hour(starts), hour(ends))
    } else {
        format!(
            "du {} au {}",
            starts.french_date_time(),
            ends.french_date_time()
        )
    }
}

/// The site's public address, for absolute URLs in the page's data.
fn base_url() -> String {
    crate::state::app_state()
        .map(|s| s.config.base_url.clone())
        .unwrap_or_default()
}

fn slug_param() -> String {
    use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default())
}

/// The page for a visitor who must log in first, or the error.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized => view! {
            <h1>"Connexion nécessaire"</h1>
            <p><a href=login_then(here)>"Connectez-vous"</a>" pour continuer."</p>
        }
        .into_any(),
        error => view! { <ErrorPage error /> }.into_any(),
    }
}
