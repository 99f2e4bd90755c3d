//! The one error type of the application, shared by server functions and views.
//!
//! Every variant carries only text meant for the user, in French. Causes (database messages,
//! I/O errors) are logged on the server where they happen and never travel to the browser.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A message tied to one form field (`field` is the input's `name`; `""` is the whole form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// Bad input: one message per field, in the order of the form.
    #[error("{}", .0.first().map_or("Le formulaire contient des erreurs.", |e| e.message.as_str()))]
    Validation(Vec<FieldError>),
    #[error("Page introuvable.")]
    NotFound,
    /// Not logged in, where a login is needed.
    #[error("Vous devez vous connecter pour continuer.")]
    Unauthorized,
    /// A login refused: the same words for an unknown address and a wrong password.
    #[error("Adresse e-mail ou mot de passe incorrect.")]
    BadCredentials,
    /// The right password, but the address was never confirmed (a new link was sent).
    #[error(
        "Votre adresse n'est pas encore confirmée : nous venons de vous envoyer un nouveau lien."
    )]
    Unconfirmed,
    #[error("Vous n'avez pas le droit de faire cela.")]
    Forbidden,
    /// A mailed link that was used already, has expired, or never existed.
    #[error(
        "Ce lien n'est plus valable : il a déjà servi ou a expiré. Vous pouvez en demander un nouveau."
    )]
    InvalidLink,
    /// The request clashes with the current state (already decided, address taken, ...).
    #[error("{0}")]
    Conflict(String),
    #[error("Trop de tentatives. Pour votre sécurité, réessayez dans {} minute{}.", minutes(*retry_after), if minutes(*retry_after) > 1 { "s" } else { "" })]
    TooManyRequests { retry_after: u64 },
    /// Something broke on the server; the cause was logged, the user sees a generic message.
    #[error("Une erreur est survenue de notre côté. Réessayez dans un instant.")]
    Internal,
    /// The request could not reach the server or its answer could not be read.
    #[error("Le serveur n'a pas pu être joint. Vérifiez votre connexion et réessayez.")]
    Transport,
}

fn minutes(seconds: u64) -> u64 {
    seconds.div_ceil(60).max(1)
}

impl AppError {
    /// One bad field.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// A message for the whole form (shown at its top).
    /// The one answer to someone who may not act on an object: `Forbidden` when they can see
    /// it anyway (a public need, an event they may attend), `NotFound` when they cannot — the
    /// answer for an object that does not exist — so that a stranger cannot tell a private
    /// object (a private need, a members-only meeting, a draft, a label journey) from a missing
    /// one.
    pub fn not_yours(visible_to_them: bool) -> Self {
        if visible_to_them {
            AppError::Forbidden
        } else {
            AppError::NotFound
        }
    }

    pub fn form(message: impl Into<String>) -> Self {
        AppError::validation("", message)
    }

    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Unconfirmed => StatusCode::FORBIDDEN,
            AppError::InvalidLink => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport => StatusCode::BAD_GATEWAY,
        }
    }

    /// The messages by field, for a form shown again: a validation error's own list, or the
    /// error's sentence for the whole form.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect(),
            other => vec![(String::new(), other.to_string())],
        }
    }

    /// A short French title for an error page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page introuvable",
            AppError::Unauthorized | AppError::BadCredentials | AppError::Unconfirmed => {
                "Connexion nécessaire"
            }
            AppError::Forbidden => "Accès refusé",
            AppError::TooManyRequests { .. } => "Trop de tentatives",
            AppError::Validation(_) | AppError::Conflict(_) | AppError::InvalidLink => {
                "Demande incorrecte"
            }
            AppError::Internal | AppError::Transport => "Une erreur est survenue",
        }
    }
}

/// Collects field errors while checking a form: `validated()` functions push into it and end
/// with `errors.finish(value)`.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Records `message` against `field`, once: a form with a thousand bad rows of one kind
    /// gets one message, not a thousand.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        if !self
            .0
            .iter()
            .any(|e| e.field == field && e.message == message)
        {
            self.0.push(FieldError {
                field: field.to_owned(),
                message,
            });
        }
    }

    /// Keeps `Ok(value)`, or records the message of `Err` against `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, &str>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }

    /// The value of a part's own `validated()`, or its messages recorded here (so a form made
    /// of parts shows every bad field at once).
    pub fn take<T>(&mut self, result: Result<T, AppError>) -> Option<T> {
        result
            .map_err(|error| {
                for (field, message) in error.field_errors() {
                    self.add(&field, message);
                }
            })
            .ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, the validation error otherwise.
    pub fn finish<T>(self, value: T) -> Result<T, AppError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// The answer of a server function that failed: the error itself (read back by `de`), and
    /// for scripts that do not know the type, its French sentence and the messages by field.
    fn ser(&self) -> server_fn::Bytes {
        let errors: Vec<FieldError> = self
            .field_errors()
            .into_iter()
            .map(|(field, message)| FieldError { field, message })
            .collect();
        let wire = serde_json::json!({
            "error": self,
            "message": self.to_string(),
            "errors": errors,
        });
        server_fn::Bytes::from(wire.to_string())
    }

    fn de(data: server_fn::Bytes) -> Self {
        #[derive(Deserialize)]
        struct Wire {
            error: AppError,
        }
        serde_json::from_slice::<Wire>(&data).map_or(AppError::Transport, |wire| wire.error)
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Transport
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::form("Le formulaire envoyé est incomplet ou mal formé.")
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

/// A small French page for an error: no layout, so that it never depends on the app rendering.
pub fn short_page_html(title: &str, text: &str) -> String {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{0} · DESSINE</title>\
         </head><body><main><h1>{0}</h1><p>{1}</p><p><a href=\"/\">Revenir à l'accueil de DESSINE</a></p>\
         </main></body></html>",
        escape(title),
        escape(text)
    )
}

/// Handlers use `?`: the error becomes its status and a short French page (with `Retry-After`
/// when there were too many attempts). Causes were logged where they happened.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::header;
        let mut response = (
            self.status_code(),
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            short_page_html(self.title(), &self.to_string()),
        )
            .into_response();
        if let AppError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(retry_after.max(1)),
            );
        }
        response
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                tracing::info!(%error, "unique violation");
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
    fn too_many_requests_names_the_wait_in_minutes() {
        let e = AppError::TooManyRequests { retry_after: 61 };
        assert!(e.to_string().contains("2 minutes"), "{e}");
        assert!(
            AppError::TooManyRequests { retry_after: 5 }
                .to_string()
                .contains("1 minute.")
        );
    }

    #[test]
    fn field_errors_are_collected_in_order() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check("a", Ok::<_, &str>(1)), Some(1));
        errors.add("b", "B");
        errors.check::<()>("c", Err("C"));
        let e = errors.finish(()).unwrap_err();
        assert_eq!(
            e.field_errors(),
            vec![("b".into(), "B".into()), ("c".into(), "C".into())]
        );
        assert_eq!(e.to_string(), "B");
        assert_eq!(AppError::NotFound.field_errors()[0].0, "");
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let e = AppError::validation("email", "Adresse invalide.");
        assert_eq!(AppError::de(e.ser()), e);
    }
}
