//! Photos on the local disk, with upload URLs the server signs and serves itself.

use super::{
    internal, safe_segment, size_mismatch, valid_key, variant_stem, write_private, MAIN_WIDTH,
    WIDTHS,
};
use crate::error::AppError;
use crate::says;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::PathBuf;

/// Photos on the local disk: uploads land in `<dir>/uploads`, variants in `<dir>/images`,
/// served at `/images/…`.
#[derive(Clone, Debug)]
pub struct LocalPhotos {
    dir: PathBuf,
    secret: Vec<u8>,
}

type HmacSha256 = Hmac<Sha256>;

impl LocalPhotos {
    /// Uses `<dir>/upload.key` as the signing secret, creating it on first use.
    pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(dir.join("uploads"))?;
        std::fs::create_dir_all(dir.join("images"))?;
        let key_file = dir.join("upload.key");
        let secret = match std::fs::read(&key_file) {
            Ok(secret) if secret.len() >= 32 => secret,
            _ => {
                let (token, _) = crate::backend::auth::new_token();
                write_private(&key_file, token.as_bytes())?;
                token.into_bytes()
            }
        };
        // Readable by the server's user only, also when an older version wrote it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(LocalPhotos { dir, secret })
    }

    /// Signs and checks upload URLs with `secret`, without a folder (for fuzzing).
    #[cfg(any(test, feature = "fuzzing"))]
    pub fn signer(secret: &[u8]) -> Self {
        LocalPhotos {
            dir: PathBuf::new(),
            secret: secret.to_vec(),
        }
    }

    pub fn images_dir(&self) -> PathBuf {
        self.dir.join("images")
    }

    /// The MAC over everything an upload URL binds: method, key, type, length and expiry.
    fn mac(
        &self,
        key: &str,
        content_type: &str,
        length: u64,
        expires: i64,
    ) -> Result<HmacSha256, AppError> {
        // HMAC accepts keys of any length, so this does not fail in practice.
        let mut mac = HmacSha256::new_from_slice(&self.secret).map_err(|_| AppError::Internal)?;
        mac.update(format!("PUT\n{key}\n{content_type}\n{length}\n{expires}").as_bytes());
        Ok(mac)
    }

    /// A URL the browser may PUT exactly this file to until `expires` (unix ms).
    pub fn signed_url(&self, key: &str, content_type: &str, length: u64, expires: i64) -> String {
        let sig = self
            .mac(key, content_type, length, expires)
            .map(|mac| crate::backend::hex(&mac.finalize().into_bytes()))
            .unwrap_or_default();
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("type", content_type)
            .append_pair("length", &length.to_string())
            .append_pair("expires", &expires.to_string())
            .append_pair("sig", &sig);
        format!("/uploads/{key}?{}", query.finish())
    }

    /// Checks a PUT against its signature; the error says why it is refused.
    pub fn check_upload(
        &self,
        key: &str,
        content_type: &str,
        length: u64,
        expires: i64,
        sig_hex: &str,
        now: i64,
    ) -> Result<(), AppError> {
        if !valid_key(key) {
            return Err(AppError::Forbidden);
        }
        if sig_hex.len() != 64 || !sig_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::Forbidden);
        }
        let sig: Vec<u8> = (0..32)
            .filter_map(|i| u8::from_str_radix(&sig_hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        let mac = self.mac(key, content_type, length, expires)?;
        if sig.len() != 32 || mac.verify_slice(&sig).is_err() {
            return Err(AppError::Forbidden);
        }
        if now > expires {
            return Err(AppError::invalid("photo", says!(errors.upload_expired)));
        }
        Ok(())
    }

    fn upload_path(&self, key: &str) -> PathBuf {
        self.dir.join("uploads").join(key)
    }

    /// Writes an upload as its body arrives, up to `length` bytes: a body longer or shorter than
    /// that, or one that breaks off, leaves nothing behind. One upload per key: a second PUT with
    /// the same URL is refused.
    pub async fn store_upload<E: std::fmt::Display>(
        &self,
        key: &str,
        body: impl futures::Stream<Item = Result<bytes::Bytes, E>>,
        length: u64,
    ) -> Result<(), AppError> {
        use futures::StreamExt;
        use tokio::io::AsyncWriteExt;
        let path = self.upload_path(key);
        let used = || AppError::Conflict(says!(errors.upload_used));
        if tokio::fs::try_exists(&path).await.unwrap_or(true) {
            return Err(used());
        }
        let partial = path.with_extension("part");
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .await
            .map_err(|_| used())?;
        let mut written = 0u64;
        let mut body = std::pin::pin!(body);
        let outcome = loop {
            let chunk = match body.next().await {
                None => break Ok(()),
                Some(Err(err)) => {
                    tracing::info!(error = %err, "an upload broke off");
                    break Err(AppError::invalid("photo", says!(errors.upload_partial)));
                }
                Some(Ok(chunk)) => chunk,
            };
            written += chunk.len() as u64;
            if written > length {
                break Err(size_mismatch());
            }
            if let Err(err) = file.write_all(&chunk).await {
                break Err(internal("writing an upload", err));
            }
        };
        let outcome = match outcome {
            Ok(()) if written != length => Err(size_mismatch()),
            Ok(()) => file
                .flush()
                .await
                .map_err(|err| internal("writing an upload", err)),
            failed => failed,
        };
        drop(file);
        // The finished file takes the key's name only if nothing has it yet.
        let outcome = match outcome {
            Ok(()) => tokio::fs::hard_link(&partial, &path)
                .await
                .map_err(|_| used()),
            failed => failed,
        };
        let _ = tokio::fs::remove_file(&partial).await;
        outcome
    }

    /// Removes uploads (and broken-off partial ones) older than `age`: their links have expired
    /// and nobody attached them to a drink. Returns how many went.
    pub async fn purge_uploads(&self, age: std::time::Duration) -> u64 {
        let Ok(mut entries) = tokio::fs::read_dir(self.dir.join("uploads")).await else {
            return 0;
        };
        let mut removed = 0;
        while let Ok(Some(entry)) = entries.next_entry().await {
            let old = entry
                .metadata()
                .await
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|elapsed| elapsed >= age);
            if old && tokio::fs::remove_file(entry.path()).await.is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Reads and removes an upload: whatever happens next, nothing is left behind.
    pub async fn take_upload(&self, key: &str) -> Result<Vec<u8>, AppError> {
        if !valid_key(key) {
            return Err(AppError::NotFound(says!(errors.that_upload)));
        }
        let path = self.upload_path(key);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|_| AppError::NotFound(says!(errors.that_upload)))?;
        let _ = tokio::fs::remove_file(&path).await;
        Ok(bytes)
    }

    /// Writes the variants; returns the public path of the main one.
    pub async fn store_variants(
        &self,
        drink_id: &str,
        variants: &[(u32, Vec<u8>)],
    ) -> Result<String, AppError> {
        let stem = variant_stem(drink_id, variants)?;
        let folder = self.images_dir().join(safe_segment(drink_id)?);
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|err| internal("creating an image folder", err))?;
        for (width, bytes) in variants {
            tokio::fs::write(self.dir.join(format!("{stem}-{width}.webp")), bytes)
                .await
                .map_err(|err| internal("writing an image", err))?;
        }
        Ok(format!("/{stem}-{MAIN_WIDTH}.webp"))
    }

    /// Removes the variants behind a main-image path (after a failed link, or a replaced photo).
    pub async fn remove_variants(&self, image: &str) {
        if let Some(stem) = image
            .strip_prefix("/images/")
            .and_then(|p| p.strip_suffix(&format!("-{MAIN_WIDTH}.webp")))
        {
            for width in WIDTHS {
                let _ =
                    tokio::fs::remove_file(self.images_dir().join(format!("{stem}-{width}.webp")))
                        .await;
            }
        }
    }
}
