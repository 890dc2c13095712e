//! Server functions: the browser's API, one file per area.

pub mod admin;
pub mod admin_bar;
pub mod admin_menu;
pub mod bartender;
pub mod controls;
pub mod guests;
pub mod menu;
pub mod orders;
pub mod photos;
pub mod pickup;
pub mod push;
pub mod stats;

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};

/// How every server function answers (`#[server(output = crate::api::Answer, ...)]`): JSON, as
/// server_fn's `Json` does, but read in the browser from text, as a page's hydrated resources are
/// (`serde_json::from_str`). With server_fn's `Json` (`from_slice`) each type that a page both
/// hydrates and fetches again had its deserializer in the browser's code twice, once per reader.
pub type Answer = Post<JsonText>;

/// The JSON codec behind [`Answer`]: the same bytes and content type as server_fn's.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: serde::Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(feature = "ssr")]
use crate::backend::AppState;
#[cfg(feature = "ssr")]
use crate::error::AppError;

/// A host's door: the caller must be signed in as a host, then `work` (one use case) runs in a
/// span that names them; its error gets its HTTP status (`answer`).
#[cfg(feature = "ssr")]
pub(crate) async fn as_host<T>(
    work: impl AsyncFnOnce(&AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use tracing::Instrument as _;
    let result = async move {
        let (state, admin) = crate::backend::auth::require_admin().await?;
        let span = tracing::info_span!("host", admin = %admin.username);
        work(&state).instrument(span).await
    }
    .await;
    answer(result)
}

/// A guest's door: the caller must have joined, then `work` (one use case) runs in a span that
/// names them; its error gets its HTTP status (`answer`).
#[cfg(feature = "ssr")]
pub(crate) async fn as_guest<T>(
    work: impl AsyncFnOnce(&AppState, &crate::backend::store::guests::GuestRow) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use tracing::Instrument as _;
    let result = async move {
        let (state, guest) = crate::backend::auth::require_guest().await?;
        let span = tracing::info_span!("guest", guest = %guest.id);
        work(&state, &guest).instrument(span).await
    }
    .await;
    answer(result)
}

/// Gives a failed server-function call the HTTP status of its error (400, 401, 404, 409…), so
/// JSON clients and access logs see the caller's mistake for what it is. Plain form posts keep
/// leptos's redirect back to the form, and calls made while rendering a page leave its status alone.
#[cfg(feature = "ssr")]
pub(crate) fn answer<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let direct_call =
            leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
                let form_post = parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|accept| accept.contains("text/html"));
                parts.uri.path().starts_with("/api/") && !form_post
            });
        if direct_call {
            crate::components::set_status(error.status());
            if let (AppError::RateLimited { retry_after_secs }, Some(response)) = (
                error,
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            ) {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_secs),
                );
            }
        }
    }
    result
}
