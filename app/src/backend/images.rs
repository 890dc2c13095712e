//! Drink photos. The browser PUTs the file straight to storage with a short-lived signed URL, then
//! the server finalises it: real type from magic bytes (JPEG, PNG, WebP only), ≤ 10 MB, ≤ 40 MP,
//! decoded and re-encoded (which strips all metadata) into WebP variants 320/640/1280 px wide.
//!
//! Local storage (the default) serves the upload URLs itself, signed with HMAC-SHA256, expiring in
//! 10 minutes and bound to one key, content type and length.

use crate::error::AppError;
use hmac::{Hmac, Mac};
use image::{DynamicImage, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};

pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const MAX_PIXELS: u64 = 40_000_000;
pub use crate::model::{PHOTO_MAIN_WIDTH as MAIN_WIDTH, PHOTO_WIDTHS as WIDTHS};
pub const UPLOAD_TTL_MS: i64 = 10 * 60_000;
pub const CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Where an upload goes: the browser PUTs the file to `url` with this `Content-Type`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct UploadTicket {
    pub key: String,
    pub url: String,
    pub content_type: String,
}

/// The file's real type, from its first bytes (never from its name or declared type).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageFormat::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn refuse(message: &str) -> AppError {
    AppError::invalid("photo", message)
}

/// Checks and decodes an uploaded photo, and returns its WebP variants (width, bytes).
pub fn process(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, AppError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(refuse("Photos can be at most 10 MB."));
    }
    let format =
        sniff(bytes).ok_or_else(|| refuse("That file is not a JPEG, PNG or WebP photo."))?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    // The header alone says how big the decoded image would be: refuse bombs before decoding.
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|_| refuse("That photo could not be read."))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(refuse("Photos can be at most 40 megapixels."));
    }
    let mut decoder = reader();
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    decoder.limits(limits);
    let image = decoder
        .decode()
        .map_err(|_| refuse("That photo could not be read."))?;
    Ok(WIDTHS
        .iter()
        .map(|&w| (w, encode_webp(&image, w)))
        .collect())
}

/// Resizes to `target` px wide (never upscaling) and encodes lossy WebP; only pixels survive.
fn encode_webp(image: &DynamicImage, target: u32) -> Vec<u8> {
    let resized = if image.width() > target {
        let height = (u64::from(image.height()) * u64::from(target) / u64::from(image.width()))
            .max(1) as u32;
        image.resize_exact(target, height, image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    };
    let rgba = resized.to_rgba8();
    webp::Encoder::from_rgba(rgba.as_raw(), rgba.width(), rgba.height())
        .encode(80.0)
        .to_vec()
}

/// Photos on the local disk: uploads land in `<dir>/uploads`, variants in `<dir>/images`,
/// served at `/images/…`.
#[derive(Clone, Debug)]
pub struct LocalPhotos {
    dir: PathBuf,
    secret: Vec<u8>,
}

type HmacSha256 = Hmac<Sha256>;

/// Upload keys are 32 hex characters chosen by the server.
/// The error for a body that is not the size its upload was signed for.
pub fn size_mismatch() -> AppError {
    AppError::invalid(
        "photo",
        "The upload's size does not match the one it was signed for.",
    )
}

pub fn valid_key(key: &str) -> bool {
    key.len() == 32
        && key
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// Writes a secret to a new file only its owner may read (`0600` on Unix), replacing what was there.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

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
                let (token, _) = super::auth::new_token();
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
            .map(|mac| super::hex(&mac.finalize().into_bytes()))
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
            return Err(AppError::invalid(
                "photo",
                "This upload link has expired; pick the photo again.",
            ));
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
        let used = || AppError::Conflict("This upload link has already been used.".into());
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
                    break Err(AppError::invalid(
                        "photo",
                        "The upload did not arrive whole.",
                    ));
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
            return Err(AppError::NotFound("That upload".into()));
        }
        let path = self.upload_path(key);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|_| AppError::NotFound("That upload".into()))?;
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

/// `images/<drink>/<digest>`: where a photo's variants go, named by their content so a new
/// photo never reuses a cached name.
fn variant_stem(drink_id: &str, variants: &[(u32, Vec<u8>)]) -> Result<String, AppError> {
    let first = variants.first().map(|v| v.1.as_slice()).unwrap_or_default();
    let digest = super::hex(&Sha256::digest(first)[..6]);
    Ok(format!("images/{}/{digest}", safe_segment(drink_id)?))
}

fn safe_segment(id: &str) -> Result<&str, AppError> {
    if !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && Path::new(id).components().count() == 1
    {
        Ok(id)
    } else {
        Err(AppError::NotFound("That drink".into()))
    }
}

fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_upload_key_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("upload.key");
        LocalPhotos::open(dir.path()).unwrap();
        assert_eq!(mode(&key), 0o600);
        // A key an older version left world-readable is kept, and closed.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let before = std::fs::read(&key).unwrap();
        LocalPhotos::open(dir.path()).unwrap();
        assert_eq!(mode(&key), 0o600);
        assert_eq!(std::fs::read(&key).unwrap(), before);
    }

    pub fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn the_real_type_comes_from_magic_bytes() {
        assert_eq!(
            sniff(&encoded(8, 8, ImageFormat::Png)),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            sniff(&encoded(8, 8, ImageFormat::Jpeg)),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            sniff(&encoded(8, 8, ImageFormat::WebP)),
            Some(ImageFormat::WebP)
        );
        assert_eq!(sniff(b"GIF89a........"), None);
        assert_eq!(sniff(b"just some text pretending to be a photo"), None);
    }

    #[test]
    fn photos_become_three_webp_variants_without_upscaling() {
        let variants = process(&encoded(1600, 1200, ImageFormat::Jpeg)).unwrap();
        let widths: Vec<u32> = variants
            .iter()
            .map(|(_, bytes)| image::load_from_memory(bytes).unwrap().width())
            .collect();
        assert_eq!(widths, [320, 640, 1280]);
        assert!(variants
            .iter()
            .all(|(_, b)| sniff(b) == Some(ImageFormat::WebP)));
        let small = process(&encoded(400, 300, ImageFormat::Png)).unwrap();
        assert_eq!(image::load_from_memory(&small[2].1).unwrap().width(), 400);
    }

    #[test]
    fn bombs_text_and_oversized_files_are_refused() {
        // 7000 × 7000 of nothing (49 MP) compresses to kilobytes but decodes to 49 MB and more.
        let bomb = encoded_bomb();
        assert!(bomb.len() < 2 * 1024 * 1024);
        let err = process(&bomb).unwrap_err();
        assert!(err.to_string().contains("40 megapixels"), "{err}");
        assert!(process(b"hello, I am a text file")
            .unwrap_err()
            .to_string()
            .contains("not a JPEG"));
        let big = vec![0u8; MAX_BYTES as usize + 1];
        assert!(process(&big).unwrap_err().to_string().contains("10 MB"));
    }

    fn encoded_bomb() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 7_000, 7_000);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_compression(png::Compression::High);
            let mut writer = encoder.write_header().unwrap();
            let mut stream = writer.stream_writer().unwrap();
            let row = vec![0u8; 7_000];
            for _ in 0..7_000 {
                std::io::Write::write_all(&mut stream, &row).unwrap();
            }
            stream.finish().unwrap();
        }
        out
    }

    #[test]
    fn upload_urls_are_bound_to_key_type_length_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let photos = LocalPhotos::open(dir.path()).unwrap();
        let key = "0123456789abcdef0123456789abcdef";
        let url = photos.signed_url(key, "image/png", 1000, 5_000);
        let sig = url.rsplit("sig=").next().unwrap();
        assert!(photos
            .check_upload(key, "image/png", 1000, 5_000, sig, 1_000)
            .is_ok());
        let other_key = "fedcba9876543210fedcba9876543210";
        assert_eq!(
            photos.check_upload(other_key, "image/png", 1000, 5_000, sig, 1_000),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            photos.check_upload(key, "image/jpeg", 1000, 5_000, sig, 1_000),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            photos.check_upload(key, "image/png", 1001, 5_000, sig, 1_000),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            photos.check_upload(key, "image/png", 1000, 9_000, sig, 1_000),
            Err(AppError::Forbidden)
        );
        assert!(
            photos
                .check_upload(key, "image/png", 1000, 5_000, sig, 6_000)
                .is_err(),
            "expired"
        );
        assert_eq!(
            photos.check_upload("../../etc/passwd", "image/png", 1000, 5_000, sig, 1_000),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn srcsets_follow_the_main_variant() {
        use crate::model::image_srcset;
        assert_eq!(
            image_srcset("/images/d/abc-640.webp").unwrap(),
            "/images/d/abc-320.webp 320w, /images/d/abc-640.webp 640w, /images/d/abc-1280.webp 1280w"
        );
        assert_eq!(image_srcset("/demo/negroni.svg"), None);
    }
}

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
    pub async fn connect(config: &super::config::S3Config) -> Self {
        let shared = super::aws_config(config.region.as_deref(), config.credentials.as_ref()).await;
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
            return Err(AppError::NotFound("That upload".into()));
        }
        let object_key = format!("uploads/{key}");
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await
            .map_err(|_| AppError::NotFound("That upload".into()))?;
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

/// Where photos live: the one switch between the embedded store and S3, picked at startup.
#[derive(Clone, Debug)]
pub enum Photos {
    Local(LocalPhotos),
    S3(S3Photos),
}

impl Photos {
    /// The local store, which also serves uploads and images itself.
    pub fn local(&self) -> Option<&LocalPhotos> {
        match self {
            Photos::Local(local) => Some(local),
            Photos::S3(_) => None,
        }
    }

    pub async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        length: u64,
        now: i64,
    ) -> Result<String, AppError> {
        match self {
            Photos::Local(local) => {
                Ok(local.signed_url(key, content_type, length, now + UPLOAD_TTL_MS))
            }
            Photos::S3(s3) => {
                s3.upload_url(
                    key,
                    content_type,
                    length,
                    std::time::Duration::from_millis(UPLOAD_TTL_MS as u64),
                )
                .await
            }
        }
    }

    pub async fn take_upload(&self, key: &str) -> Result<Vec<u8>, AppError> {
        match self {
            Photos::Local(local) => local.take_upload(key).await,
            Photos::S3(s3) => s3.take_upload(key).await,
        }
    }

    pub async fn store_variants(
        &self,
        drink_id: &str,
        variants: &[(u32, Vec<u8>)],
    ) -> Result<String, AppError> {
        match self {
            Photos::Local(local) => local.store_variants(drink_id, variants).await,
            Photos::S3(s3) => s3.store_variants(drink_id, variants).await,
        }
    }

    pub async fn remove_variants(&self, image: &str) {
        match self {
            Photos::Local(local) => local.remove_variants(image).await,
            Photos::S3(s3) => s3.remove_variants(image).await,
        }
    }
}
