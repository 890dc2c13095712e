//! Drink photos: the host's browser asks where to upload a photo, uploads it straight there (to
//! this server or to S3), then asks for it to be checked, converted and made the drink's picture.

use super::Bar;
use crate::backend::images::{self, Photos, CONTENT_TYPES, MAX_BYTES};
use crate::backend::store::now_ms;
use crate::domain::IdempotencyKey;
use crate::error::AppError;
use crate::model::Upload;
use crate::says;

impl Bar {
    /// A URL, signed for this one file's type and length, to upload a photo of the drink to.
    #[tracing::instrument(skip(self, content_type))]
    pub async fn photo_upload(
        &self,
        drink_id: &str,
        content_type: &str,
        length: u64,
    ) -> Result<Upload, AppError> {
        let photos = self.photos()?;
        self.drink_form(drink_id).await?;
        if !CONTENT_TYPES.contains(&content_type) {
            return Err(AppError::invalid("photo", says!(errors.photo_type)));
        }
        if length == 0 || length > MAX_BYTES {
            return Err(AppError::invalid("photo", says!(errors.photo_too_big)));
        }
        let key = IdempotencyKey::generate();
        let url = photos
            .upload_url(&key, content_type, length, now_ms())
            .await?;
        Ok(Upload {
            key,
            url,
            content_type: content_type.to_string(),
        })
    }

    /// Checks and converts an uploaded photo and makes it the drink's picture; returns its URL.
    /// A refused file is removed and nothing is linked; the drink's old photo goes.
    #[tracing::instrument(skip(self, key))]
    pub async fn attach_photo(&self, drink_id: &str, key: &str) -> Result<String, AppError> {
        let photos = self.photos()?;
        let bytes = photos.take_upload(key).await?;
        let started = std::time::Instant::now();
        let variants = tokio::task::spawn_blocking(move || images::process(&bytes))
            .await
            .map_err(|_| AppError::Internal)??;
        let image = photos.store_variants(drink_id, &variants).await?;
        let old = match self.set_drink_image(drink_id, &image).await {
            Ok(old) => old,
            Err(err) => {
                photos.remove_variants(&image).await;
                return Err(err);
            }
        };
        if old != image {
            photos.remove_variants(&old).await;
        }
        tracing::info!(ms = started.elapsed().as_millis() as u64, "photo attached");
        self.menu_changed().await?;
        Ok(image)
    }

    fn photos(&self) -> Result<&Photos, AppError> {
        self.photos.as_ref().ok_or_else(|| {
            tracing::error!("a photo use case ran without a photo store");
            AppError::Internal
        })
    }
}
