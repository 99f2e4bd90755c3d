//! The clubs' pages, one file per page.

mod edit;
mod invitation;
mod list;
mod membership;
mod page;

pub use edit::ClubFormPage;
pub use invitation::EmailInvitationPage;
pub use list::ClubsPage;
pub use membership::MembershipManagementPage;
pub use page::ClubDetailPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn slug_param() -> String {
    use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default())
}

fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view()
}

fn members_count(n: usize) -> String {
    match n {
        0 => "Aucune structure membre".to_owned(),
        1 => "1 structure membre".to_owned(),
        n => format!("{n} structures membres"),
    }
}

/// Whether the person looking administers the site (rendered on the server only).
fn is_site_admin() -> bool {
    crate::features::accounts::rendering_user().is_some_and(|u| u.is_admin())
}
