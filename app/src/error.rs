//! The one application error. It crosses server functions as a typed value, so pages can show a
//! human message, and becomes a JSON body with the right status on the REST API.

use crate::i18n::{td_string, Locale};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error("please sign in first")]
    Unauthorized,
    #[error("you are not allowed to do that")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("slow down a little, and try again in {}", in_words(Locale::en, *retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    #[error("the bar is catching its breath, please try again in a moment")]
    Unavailable,
    /// The cause is logged where it happens and never shown.
    #[error("something went wrong on our side")]
    Internal,
    /// The browser could not reach the server, or could not read its answer. The browser's own
    /// words ("TypeError: Failed to fetch") are kept for the console, not shown.
    #[error("could not reach the bar; check your connection and try again")]
    Network(String),
}

/// A wait in words: "1 second", "40 seconds", "3 minutes", "2 hours" (rounded up).
pub fn in_words(locale: Locale, secs: u64) -> String {
    match secs {
        0..=1 => td_string!(locale, errors.seconds_one).to_string(),
        2..=59 => td_string!(locale, errors.seconds, count = secs).to_string(),
        60..=3599 => match secs.div_ceil(60) {
            1 => td_string!(locale, errors.minutes_one).to_string(),
            count => td_string!(locale, errors.minutes, count).to_string(),
        },
        _ => match secs.div_ceil(3600) {
            1 => td_string!(locale, errors.hours_one).to_string(),
            count => td_string!(locale, errors.hours, count).to_string(),
        },
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The form field this error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The error as a person would say it on a page: one sentence, capital first, full stop at the
    /// end, without the field's name (the page shows it under that field, or says it as a whole).
    pub fn sentence(&self) -> String {
        self.sentence_in(Locale::en)
    }

    /// The sentence in the page's language. A field's message, a conflict and what was not found
    /// were written where they arose, in the language of the request they answer (`says!`).
    pub fn sentence_in(&self, locale: Locale) -> String {
        let text = match self {
            AppError::Invalid { message, .. } | AppError::Conflict(message) => message.clone(),
            AppError::NotFound(what) => td_string!(locale, errors.not_found, what).to_string(),
            AppError::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
            AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
            AppError::RateLimited { retry_after_secs } => {
                let wait = in_words(locale, *retry_after_secs);
                td_string!(locale, errors.rate_limited, wait).to_string()
            }
            AppError::Unavailable => td_string!(locale, errors.unavailable).to_string(),
            AppError::Internal => td_string!(locale, errors.internal).to_string(),
            AppError::Network(_) => td_string!(locale, errors.network).to_string(),
        };
        let text = text.trim();
        let mut chars = text.chars();
        let mut sentence = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => return td_string!(locale, errors.internal).to_string(),
        };
        if !sentence.ends_with(['.', '!', '?', '…']) {
            sentence.push('.');
        }
        sentence
    }

    /// The HTTP status this error maps to: the single place where that is decided.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Conflict(_) => 409,
            AppError::Invalid { .. } => 400,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
            AppError::Network(_) => 502,
        }
    }

    /// A short machine-readable code for JSON clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::Invalid { .. } => "invalid",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
            AppError::Network(_) => "network",
        }
    }
}

impl From<crate::model::FilterError> for AppError {
    fn from(err: crate::model::FilterError) -> Self {
        AppError::invalid(err.field, err.message)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(msg) => {
                leptos::logging::warn!("could not reach the bar: {msg}");
                AppError::Network(msg)
            }
            ServerFnErrorErr::Deserialization(msg) => {
                crate::components::live::answer_unreadable();
                AppError::Network(msg)
            }
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::invalid("request", msg)
            }
            other => {
                tracing::error!(error = %other, "server function failed");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use axum::response::{IntoResponse, Response};
    use http::{header, HeaderValue, StatusCode};

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut body = serde_json::json!({ "code": self.code(), "message": self.to_string() });
            if let AppError::Invalid { field, .. } = &self {
                body["field"] = serde_json::Value::String(field.clone());
            }
            let mut response = (status, axum::Json(body)).into_response();
            if let AppError::RateLimited { retry_after_secs } = self {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            response
        }
    }

    /// The database cannot be reached or lost the connection (as opposed to refusing a
    /// statement): the pool, the socket, TLS or the protocol stream failed, or the server says
    /// so (SQLSTATE class 08 connection exception, 57P0x shutting down, 53 out of resources).
    pub fn err_means_database_unreachable(err: &sqlx::Error) -> bool {
        match err {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                code.starts_with("08") || code.starts_with("57P0") || code.starts_with("53")
            }),
            _ => false,
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            if err_means_database_unreachable(&err) {
                tracing::warn!(error = %err, "database unavailable");
                return AppError::Unavailable;
            }
            match err {
                sqlx::Error::RowNotFound => AppError::NotFound("record".into()),
                other => {
                    tracing::error!(error = %other, "database error");
                    AppError::Internal
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn errors_read_as_sentences_without_the_fields_name() {
        let name = AppError::invalid("name", "Please tell us your name.");
        assert_eq!(name.sentence(), "Please tell us your name.");
        assert_eq!(name.field(), Some("name"));
        assert_eq!(AppError::Unauthorized.sentence(), "Please sign in first.");
        assert_eq!(
            AppError::Network("TypeError: Failed to fetch".into()).sentence(),
            "Could not reach the bar; check your connection and try again."
        );
        assert_eq!(
            AppError::NotFound("That drink".into()).sentence(),
            "That drink was not found."
        );
        assert_eq!(
            AppError::invalid("q", "").sentence(),
            "Something went wrong on our side."
        );
        assert_eq!(AppError::Internal.field(), None);
    }

    #[test]
    fn the_fixed_errors_are_said_in_the_pages_language() {
        use crate::i18n::Locale;
        let slow = AppError::RateLimited {
            retry_after_secs: 130,
        };
        assert_eq!(
            slow.sentence(),
            "Slow down a little, and try again in 3 minutes."
        );
        assert_eq!(
            slow.to_string(),
            "slow down a little, and try again in 3 minutes"
        );
        assert_eq!(
            slow.sentence_in(Locale::es),
            "Más despacio: inténtalo de nuevo en 3 minutos."
        );
        assert_eq!(
            AppError::Network("TypeError".into()).sentence_in(Locale::es),
            "No se pudo contactar con el bar; comprueba tu conexión e inténtalo de nuevo."
        );
        assert_eq!(super::in_words(Locale::en, 1), "1 second");
        assert_eq!(super::in_words(Locale::es, 7200), "2 horas");
    }
}
