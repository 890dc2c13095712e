//! Photos in S3, uploaded by the browser to presigned URLs.

use super::{valid_key, variant_stem, MAIN_WIDTH, WIDTHS};
use crate::error::AppError;
use crate::says;

/// Photos in S3 (`BARBACK_IMAGES=s3`): the browser PUTs to a presigned URL (type and length
/// signed, 10 minutes, server-chosen key); variants are served from `BARBACK_IMAGE_BASE_URL`.
#[derive(Clone, Debug)]
pub struct S3Photos {
    client: aws_sdk_s3::Client,
    bucket: String,
    public_base: String,
}

fn s3_error(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "S3 {what} failed");
    AppError::Unavailable
}

impl S3Photos {
    pub fn new(
        client: aws_sdk_s3::Client,
        bucket: impl Into<String>,
        public_base: impl Into<String>,
    ) -> Self {
        S3Photos {
            client,
            bucket: bucket.into(),
            public_base: public_base.into().trim_end_matches('/').to_string(),
        }
    }

    pub fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    /// A client from the usual AWS configuration chain (environment, profile, instance role),
    /// with the region, endpoint and credentials of `config` where it sets them.
    pub async fn connect(config: &crate::backend::config::S3Config) -> Self {
        let shared =
            crate::backend::aws_config(config.region.as_deref(), config.credentials.as_ref()).await;
        let mut s3 = aws_sdk_s3::config::Builder::from(&shared);
        if let Some(endpoint) = &config.endpoint {
            s3 = s3.endpoint_url(endpoint).force_path_style(true);
        }
        S3Photos::new(
            aws_sdk_s3::Client::from_conf(s3.build()),
            &config.bucket,
            &config.public_base_url,
        )
    }

    /// Stores a small JSON document (e.g. `prompts/<drink id>.json`) in the bucket.
    pub async fn put_json(&self, key: &str, json: &serde_json::Value) -> Result<(), String> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type("application/json")
            .body(json.to_string().into_bytes().into())
            .send()
            .await
            .map(|_| ())
            .map_err(|err| aws_sdk_s3::error::DisplayErrorContext(err).to_string())
    }

    pub async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        length: u64,
        expires_in: std::time::Duration,
    ) -> Result<String, AppError> {
        let presigning = aws_sdk_s3::presigning::PresigningConfig::expires_in(expires_in)
            .map_err(|err| s3_error("presigning config", err))?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(format!("uploads/{key}"))
            .content_type(content_type)
            .content_length(length as i64)
            .presigned(presigning)
            .await
            .map_err(|err| s3_error("presigning", err))?;
        Ok(request.uri().to_string())
    }

    pub async fn take_upload(&self, key: &str) -> Result<Vec<u8>, AppError> {
        if !valid_key(key) {
            return Err(AppError::NotFound(says!(errors.that_upload)));
        }
        let object_key = format!("uploads/{key}");
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await
            .map_err(|_| AppError::NotFound(says!(errors.that_upload)))?;
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|err| s3_error("reading an upload", err))?
            .into_bytes()
            .to_vec();
        if let Err(err) = self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await
        {
            tracing::warn!(error = %err, "could not remove an upload from S3");
        }
        Ok(bytes)
    }

    pub async fn store_variants(
        &self,
        drink_id: &str,
        variants: &[(u32, Vec<u8>)],
    ) -> Result<String, AppError> {
        let stem = variant_stem(drink_id, variants)?;
        for (width, bytes) in variants {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(format!("{stem}-{width}.webp"))
                .content_type("image/webp")
                .cache_control("public, max-age=31536000, immutable")
                .body(bytes.clone().into())
                .send()
                .await
                .map_err(|err| s3_error("storing an image", err))?;
        }
        Ok(format!("{}/{stem}-{MAIN_WIDTH}.webp", self.public_base))
    }

    pub async fn remove_variants(&self, image: &str) {
        let Some(stem) = image
            .strip_prefix(&format!("{}/", self.public_base))
            .and_then(|p| p.strip_suffix(&format!("-{MAIN_WIDTH}.webp")))
        else {
            return;
        };
        for width in WIDTHS {
            let _ = self
                .client
                .delete_object()
                .bucket(&self.bucket)
                .key(format!("{stem}-{width}.webp"))
                .send()
                .await;
        }
    }
}
