//! Answers shared by the form handlers: redirects (post/redirect/get, login first) and short
//! French pages for errors. Nothing internal reaches the page; causes are logged.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::features::directory::encode_component;

/// 303 to `location`.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// To the login page, then back to `back` (a local path).
pub fn login_first(back: &str) -> Response {
    see_other(&format!(
        "/connexion?suivant={}&message=connexion-requise",
        encode_component(back)
    ))
}

/// Whether `path` stays on this site: followed after a login or a decision, where an absolute
/// URL or `//host` would be an open redirect.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\')
}

/// A minimal French page (no layout: these answers must not depend on the app rendering).
pub fn short_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · DESSINE</title>\
         </head><body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Revenir à l'accueil de DESSINE</a></p>\
         </main></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

pub fn forbidden() -> Response {
    short_page(
        StatusCode::FORBIDDEN,
        "Accès refusé",
        "Vous n'avez pas le droit de faire cela.",
    )
}

pub fn not_found() -> Response {
    short_page(
        StatusCode::NOT_FOUND,
        "Page introuvable",
        "Cette page n'existe pas ou plus.",
    )
}

/// A failure on our side: the cause is logged, the visitor gets the generic 500 page.
pub fn failure(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "form handler failed");
    short_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Une erreur est survenue",
        "Une erreur est survenue de notre côté. Réessayez dans un instant.",
    )
}
