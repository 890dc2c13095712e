//! Drink photos. The browser PUTs the file straight to storage with a short-lived signed URL, then
//! the server finalises it: real type from magic bytes (JPEG, PNG, WebP only), ≤ 10 MB, ≤ 40 MP,
//! decoded and re-encoded (which strips all metadata) into WebP variants 320/640/1280 px wide.
//!
//! Local storage (the default) serves the upload URLs itself, signed with HMAC-SHA256, expiring in
//! 10 minutes and bound to one key, content type and length.

mod local;
mod s3;

pub use local::LocalPhotos;
pub use s3::S3Photos;

use crate::error::AppError;
use crate::says;
use image::{DynamicImage, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::Path;

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

fn refuse(message: String) -> AppError {
    AppError::invalid("photo", message)
}

/// Checks and decodes an uploaded photo, and returns its WebP variants (width, bytes).
pub fn process(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, AppError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(refuse(says!(errors.photo_too_big)));
    }
    let format = sniff(bytes).ok_or_else(|| refuse(says!(errors.photo_not_image)))?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    // The header alone says how big the decoded image would be: refuse bombs before decoding.
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|_| refuse(says!(errors.photo_unreadable)))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(refuse(says!(errors.photo_too_many_pixels)));
    }
    let mut decoder = reader();
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    decoder.limits(limits);
    let image = decoder
        .decode()
        .map_err(|_| refuse(says!(errors.photo_unreadable)))?;
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

/// Upload keys are 32 hex characters chosen by the server.
/// The error for a body that is not the size its upload was signed for.
pub fn size_mismatch() -> AppError {
    AppError::invalid("photo", says!(errors.upload_size_mismatch))
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
        Err(AppError::NotFound(says!(errors.that_drink)))
    }
}

fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
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
