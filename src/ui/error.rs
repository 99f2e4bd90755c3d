//! Error pages: the French 404 and the page shown when loading a page's data failed.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(response) = crate::state::request_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// The page for an address that matches nothing.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound /> }
}

/// A whole page that explains `error` in French and carries its HTTP status.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let title = error.title();
    let advice = match error {
        AppError::NotFound => {
            "L'adresse demandée ne correspond à aucune page. Elle a peut-être changé, ou une lettre s'est glissée de travers."
                .to_owned()
        }
        other => other.to_string(),
    };
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <p class="lead">{advice}</p>
        <p>
            <a href="/">"Revenir à l'accueil"</a>
        </p>
    }
}
