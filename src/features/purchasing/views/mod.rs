//! The purchasing pages, one file per page.

mod buyers;
mod fair;
mod list;
mod mine;
mod need;
mod new;
mod report;

pub use buyers::BuyersAdminPage;
pub use fair::FairPage;
pub use list::PurchasingPage;
pub use mine::MyPurchasingPage;
pub use need::NeedDetailPage;
pub use new::NewNeedPage;
pub use report::ReportPage;

use crate::features::purchasing::AMOUNT_BANDS;
use crate::features::purchasing::CLAUSES;
use crate::features::purchasing::NEED_KINDS;
use crate::features::purchasing::NeedSummary;
use crate::features::purchasing::label_of;
use leptos::prelude::*;

fn options(choices: &[(&str, &str)]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
        .collect()
}

/// Blank-line separated paragraphs of a plain text.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p class="prewrap">{p.to_owned()}</p> })
        .collect_view()
}

fn need_facts(need: &NeedSummary) -> String {
    format!(
        "{} · {} · lieu : {} · {} · réponses jusqu'au {} · {}",
        label_of(NEED_KINDS, &need.kind),
        label_of(AMOUNT_BANDS, &need.amount_band),
        need.commune,
        label_of(CLAUSES, &need.clause),
        need.deadline_text(),
        if need.public {
            "publié sur le portail"
        } else {
            "envoyé aux seules structures choisies"
        }
    )
}

fn hour(at: crate::timestamp::Timestamp) -> String {
    let t = at.in_paris();
    format!("{}h{:02}", t.hour(), t.minute())
}
