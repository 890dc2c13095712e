//! Drink photos: the host's browser asks where to upload a photo, uploads it straight there (to
//! this server or to S3), then asks for it to be checked, converted and made the drink's picture.

use super::Bar;
use crate::backend::images::{self, Photos, CONTENT_TYPES, MAX_BYTES};
use crate::backend::store::now_ms;
use crate::domain::IdempotencyKey;
use crate::error::AppError;
use crate::model::{ProposedPhoto, Upload};
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
        let image = self.store_photo(drink_id, bytes).await?;
        self.use_photo(drink_id, &image).await?;
        tracing::info!(ms = started.elapsed().as_millis() as u64, "photo attached");
        Ok(image)
    }

    /// A photo an image `model` made from the drink's `prompt`: through the same checks and
    /// variants as an upload, it is kept as proposed (replacing an older proposal) for the host
    /// to approve or discard. Guests see nothing of it until then.
    #[tracing::instrument(skip(self, prompt, bytes))]
    pub async fn propose_photo(
        &self,
        drink_id: &str,
        prompt: &str,
        model: &str,
        bytes: Vec<u8>,
    ) -> Result<ProposedPhoto, AppError> {
        let image = self.store_photo(drink_id, bytes).await?;
        let photo = ProposedPhoto {
            image,
            prompt: prompt.to_string(),
            model: model.to_string(),
            created_at: now_ms(),
        };
        if let Some(replaced) = self.store.propose_photo(drink_id, &photo).await? {
            self.photos()?.remove_variants(&replaced).await;
        }
        tracing::info!(image = %photo.image, "photo proposed");
        Ok(photo)
    }

    /// The host approves the proposed photo `image`: it becomes the drink's picture.
    #[tracing::instrument(skip(self))]
    pub async fn approve_photo(&self, drink_id: &str, image: &str) -> Result<(), AppError> {
        self.take_proposal(drink_id, image).await?;
        self.use_photo(drink_id, image).await
    }

    /// The host discards the proposed photo `image`: its files go, the drink keeps its picture.
    #[tracing::instrument(skip(self))]
    pub async fn discard_photo(&self, drink_id: &str, image: &str) -> Result<(), AppError> {
        self.take_proposal(drink_id, image).await?;
        self.photos()?.remove_variants(image).await;
        Ok(())
    }

    /// Removes the proposal, if `image` is still the one waiting (a second tap finds it gone).
    async fn take_proposal(&self, drink_id: &str, image: &str) -> Result<(), AppError> {
        if !self.store.drop_proposed_photo(drink_id, image).await? {
            return Err(AppError::NotFound(says!(errors.that_proposed_photo)));
        }
        Ok(())
    }

    /// Checks and converts a photo's bytes into stored variants; returns the main image's URL.
    async fn store_photo(&self, drink_id: &str, bytes: Vec<u8>) -> Result<String, AppError> {
        let photos = self.photos()?;
        let variants = tokio::task::spawn_blocking(move || images::process(&bytes))
            .await
            .map_err(|_| AppError::Internal)??;
        photos.store_variants(drink_id, &variants).await
    }

    /// Makes stored variants the drink's picture; the old picture's files go.
    async fn use_photo(&self, drink_id: &str, image: &str) -> Result<(), AppError> {
        let photos = self.photos()?;
        let old = match self.set_drink_image(drink_id, image).await {
            Ok(old) => old,
            Err(err) => {
                photos.remove_variants(image).await;
                return Err(err);
            }
        };
        if old != image {
            photos.remove_variants(&old).await;
        }
        self.menu_changed().await
    }

    fn photos(&self) -> Result<&Photos, AppError> {
        self.photos.as_ref().ok_or_else(|| {
            tracing::error!("a photo use case ran without a photo store");
            AppError::Internal
        })
    }
}
