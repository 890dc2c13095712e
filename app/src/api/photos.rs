//! Drink photos: an upload URL for the browser, then finalising what it uploaded.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::Upload;

/// Where the browser may upload a photo of the drink (`length` bytes of `content_type`).
#[server(output = crate::api::Answer, endpoint = "photos/photo_upload")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "photo_upload", skip_all, fields(drink_id = %drink_id)))]
pub async fn photo_upload(
    drink_id: String,
    content_type: String,
    length: u64,
) -> Result<Upload, AppError> {
    super::as_host(async |state| {
        state
            .bar()
            .photo_upload(&drink_id, &content_type, length)
            .await
    })
    .await
}

/// Checks and converts an uploaded photo and makes it the drink's picture. A refused file is
/// removed and nothing is linked.
#[server(output = crate::api::Answer, endpoint = "photos/attach_photo")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "attach_photo", skip_all, fields(drink_id = %drink_id)))]
pub async fn attach_photo(drink_id: String, key: String) -> Result<String, AppError> {
    super::as_host(async |state| state.bar().attach_photo(&drink_id, &key).await).await
}
