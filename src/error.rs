//! The one error type of the application, shared by server functions and views.
//!
//! Every variant carries only text meant for the user, in French. Causes (database messages,
//! I/O errors) are logged on the server where they happen and never travel to the browser.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// Bad input in one form field; `field` is the input's `name`.
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("Page introuvable.")]
    NotFound,
    #[error("Vous devez vous connecter pour continuer.")]
    Unauthorized,
    #[error("Vous n'avez pas le droit de faire cela.")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("Trop de tentatives : réessayez dans quelques minutes.")]
    TooManyRequests,
    /// Something broke on the server; the cause was logged, the user sees a generic message.
    #[error("Une erreur est survenue de notre côté. Réessayez dans un instant.")]
    Internal,
    /// The request could not reach the server or its answer could not be read.
    #[error("Le serveur n'a pas pu être joint. Vérifiez votre connexion et réessayez.")]
    Transport,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport => StatusCode::BAD_GATEWAY,
        }
    }

    /// A short French title for an error page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page introuvable",
            AppError::Unauthorized => "Connexion nécessaire",
            AppError::Forbidden => "Accès refusé",
            AppError::TooManyRequests => "Trop de tentatives",
            AppError::Validation { .. } | AppError::Conflict(_) => "Demande incorrecte",
            AppError::Internal | AppError::Transport => "Une erreur est survenue",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Transport
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::validation("", "Le formulaire envoyé est incomplet ou mal formé.")
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

impl AppError {
    /// Sets this error's HTTP status on the current response (a server function's answer, or the
    /// page being rendered), then returns it: `return Err(AppError::Unauthorized.respond())`.
    #[cfg(feature = "ssr")]
    pub fn respond(self) -> Self {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(self.status_code());
        }
        self
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::Conflict("Cette valeur est déjà utilisée.".to_owned())
            }
            _ => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_error_message_reveals_nothing() {
        let text = AppError::Internal.to_string();
        assert!(text.starts_with("Une erreur est survenue"));
        assert_eq!(AppError::Internal.status_code(), 500);
    }

    #[test]
    fn server_fn_transport_failures_become_transport_errors() {
        let e =
            AppError::from_server_fn_error(ServerFnErrorErr::Request("connection refused".into()));
        assert_eq!(e, AppError::Transport);
        assert!(!e.to_string().contains("refused"));
    }

    #[test]
    fn server_side_failures_hide_their_cause() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "no such table: secret".into(),
        ));
        assert_eq!(e, AppError::Internal);
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let e = AppError::validation("email", "Adresse invalide.");
        assert_eq!(AppError::de(e.ser()), e);
    }
}
