//! Drink photos: an upload URL for the browser, then finalising what it uploaded.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the browser sends the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub key: String,
    pub url: String,
    pub content_type: String,
}

#[server(endpoint = "photos/photo_upload")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "photo_upload", skip_all))]
pub async fn photo_upload(
    drink_id: String,
    content_type: String,
    length: u64,
) -> Result<Upload, AppError> {
    super::answer(
        async move {
            use crate::backend::images::{CONTENT_TYPES, MAX_BYTES};
            let (state, _) = crate::backend::auth::require_admin().await?;
            state.store.drink_form(&drink_id).await?;
            if !CONTENT_TYPES.contains(&content_type.as_str()) {
                return Err(AppError::invalid(
                    "photo",
                    "Photos must be JPEG, PNG or WebP.",
                ));
            }
            if length == 0 || length > MAX_BYTES {
                return Err(AppError::invalid("photo", "Photos can be at most 10 MB."));
            }
            let key = crate::domain::IdempotencyKey::generate();
            let now = crate::backend::store::now_ms();
            let url = state
                .photos
                .upload_url(&key, &content_type, length, now)
                .await?;
            Ok(Upload {
                key,
                url,
                content_type,
            })
        }
        .await,
    )
}

/// Checks and converts an uploaded photo and makes it the drink's picture. A refused file is
/// removed and nothing is linked.
#[server(endpoint = "photos/attach_photo")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "attach_photo", skip_all, fields(drink_id = %drink_id)))]
pub async fn attach_photo(drink_id: String, key: String) -> Result<String, AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            let bytes = state.photos.take_upload(&key).await?;
            let started = std::time::Instant::now();
            let variants = tokio::task::spawn_blocking(move || crate::backend::images::process(&bytes))
                .await
                .map_err(|_| AppError::Internal)??;
            let image = state.photos.store_variants(&drink_id, &variants).await?;
            let old = match state.store.set_drink_image(&drink_id, &image).await {
                Ok(old) => old,
                Err(err) => {
                    state.photos.remove_variants(&image).await;
                    return Err(err);
                }
            };
            if old != image {
                state.photos.remove_variants(&old).await;
            }
            tracing::info!(drink = %drink_id, admin = %admin.username, ms = started.elapsed().as_millis() as u64, "photo attached");
            state.menu_changed().await?;
            Ok(image)
        }
        .await,
    )
}
