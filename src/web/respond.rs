//! Redirects shared by the form adapter and the features' handlers.

use axum::response::{IntoResponse, Redirect, Response};

use crate::ui::href::encode_component;

/// 303 to `location` (post/redirect/get).
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
