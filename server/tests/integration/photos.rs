//! Photos on local storage: signed upload URLs, finalising, and everything that must be refused.

use crate::common::{db_test, Session, TestApp};
use app::api::photos::{AttachPhoto, PhotoUpload, Upload};
use app::error::AppError;
use image::ImageFormat;

fn photo(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    // Each format gets different pixels, so each upload is a different photo.
    let tint = match format {
        ImageFormat::Jpeg => 30,
        ImageFormat::Png => 120,
        _ => 210,
    };
    crate::common::test_photo(width, height, format, tint)
}

async fn ticket(
    app: &TestApp,
    admin: &Session,
    drink: &str,
    content_type: &str,
    length: usize,
) -> Result<Upload, AppError> {
    app.photo_upload(admin, drink, content_type, length).await
}

async fn put(app: &TestApp, url: &str, content_type: &str, body: Vec<u8>) -> u16 {
    let response = app
        .client
        .put(app.url(url))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

async fn attach(
    app: &TestApp,
    admin: &Session,
    drink: &str,
    key: &str,
) -> Result<String, AppError> {
    app.call::<AttachPhoto, String>(Some(admin), &[("drink_id", drink), ("key", key)])
        .await
        .0
}

fn files_under(dir: &std::path::Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

db_test!(
    jpeg_png_and_webp_photos_become_webp_variants_on_the_menu,
    |app| {
        let admin = app.admin().await;
        let drink = app.drink_id("Negroni");
        let mut previous: Option<String> = None;
        for (format, content_type) in [
            (ImageFormat::Jpeg, "image/jpeg"),
            (ImageFormat::Png, "image/png"),
            (ImageFormat::WebP, "image/webp"),
        ] {
            let bytes = photo(1500, 1000, format);
            let upload = ticket(&app, &admin, &drink, content_type, bytes.len())
                .await
                .unwrap();
            assert_eq!(put(&app, &upload.url, content_type, bytes).await, 201);
            let image = attach(&app, &admin, &drink, &upload.key).await.unwrap();
            assert!(
                image.starts_with(&format!("/images/{drink}/")) && image.ends_with("-640.webp"),
                "{image}"
            );
            let (_, api) = app.get_json(&format!("/api/v1/drinks/{drink}")).await;
            assert_eq!(api["image"], image.as_str());
            for (width, variant) in app::model::image_srcset(&image)
                .unwrap()
                .split(", ")
                .map(|s| {
                    let (url, w) = s.split_once(' ').unwrap();
                    (
                        w.trim_end_matches('w').parse::<u32>().unwrap(),
                        url.to_string(),
                    )
                })
            {
                let response = app.get(&variant).await;
                assert_eq!(response.status(), 200, "{variant}");
                assert!(response.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("immutable"));
                let served = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
                assert_eq!(served.width(), width);
            }
            let (_, html) = app.get_html("/").await;
            assert!(html.contains(&image), "the menu shows the photo");
            if let Some(old) = previous.replace(image) {
                assert_eq!(
                    app.get(&old).await.status(),
                    404,
                    "a replaced photo's files are removed"
                );
            }
        }
        assert_eq!(files_under(&app.files.path().join("images")), 3);
        assert_eq!(files_under(&app.files.path().join("uploads")), 0);
    }
);

db_test!(
    bad_files_are_refused_and_nothing_is_linked_or_left_behind,
    |app| {
        let admin = app.admin().await;
        let drink = app.drink_id("Mojito");
        let before = app.get_json(&format!("/api/v1/drinks/{drink}")).await.1["image"].clone();
        // A text file renamed to .png: the upload is accepted as bytes, finalising refuses it.
        let text = b"this is not a photo at all, just text".to_vec();
        let upload = ticket(&app, &admin, &drink, "image/png", text.len())
            .await
            .unwrap();
        assert_eq!(put(&app, &upload.url, "image/png", text).await, 201);
        let err = attach(&app, &admin, &drink, &upload.key).await.unwrap_err();
        assert!(err.to_string().contains("not a JPEG, PNG or WebP"), "{err}");
        // A decompression bomb: tiny file, 49 megapixels.
        let bomb = crate::common::bomb_png();
        let upload = ticket(&app, &admin, &drink, "image/png", bomb.len())
            .await
            .unwrap();
        assert_eq!(put(&app, &upload.url, "image/png", bomb).await, 201);
        let err = attach(&app, &admin, &drink, &upload.key).await.unwrap_err();
        assert!(err.to_string().contains("40 megapixels"), "{err}");
        // Too big to even ask for, or a different type than declared.
        let err = ticket(&app, &admin, &drink, "image/png", 10 * 1024 * 1024 + 1)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("10 MB"));
        let err = ticket(&app, &admin, &drink, "image/gif", 100)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("JPEG, PNG or WebP"));
        let png = photo(50, 50, ImageFormat::Png);
        let upload = ticket(&app, &admin, &drink, "image/png", png.len())
            .await
            .unwrap();
        assert_eq!(
            put(&app, &upload.url, "image/jpeg", png.clone()).await,
            400,
            "type differs from the signed one"
        );
        let mut longer = png.clone();
        longer.push(0);
        assert_eq!(
            put(&app, &upload.url, "image/png", longer).await,
            400,
            "size differs from the signed one"
        );
        // Nothing was linked, and nothing is left on disk.
        assert_eq!(
            app.get_json(&format!("/api/v1/drinks/{drink}")).await.1["image"],
            before
        );
        assert_eq!(files_under(&app.files.path().join("images")), 0);
        assert_eq!(files_under(&app.files.path().join("uploads")), 0);
    }
);

db_test!(expired_reused_and_forged_upload_urls_are_refused, |app| {
    let admin = app.admin().await;
    let drink = app.drink_id("Mojito");
    let png = photo(40, 40, ImageFormat::Png);
    let key = "0123456789abcdef0123456789abcdef";
    let expired =
        app.state
            .photos
            .local()
            .unwrap()
            .signed_url(key, "image/png", png.len() as u64, 1_000);
    assert_eq!(put(&app, &expired, "image/png", png.clone()).await, 400);
    let upload = ticket(&app, &admin, &drink, "image/png", png.len())
        .await
        .unwrap();
    let other_key = upload
        .url
        .replace(&upload.key, "fedcba9876543210fedcba9876543210");
    assert_eq!(
        put(&app, &other_key, "image/png", png.clone()).await,
        403,
        "the signature binds the key"
    );
    let forged = format!("{}0", upload.url);
    assert_eq!(put(&app, &forged, "image/png", png.clone()).await, 403);
    assert_eq!(put(&app, &upload.url, "image/png", png.clone()).await, 201);
    assert_eq!(
        put(&app, &upload.url, "image/png", png).await,
        409,
        "one upload per URL"
    );
    assert!(
        attach(&app, &admin, &drink, "fedcba9876543210fedcba9876543210")
            .await
            .is_err()
    );
    assert!(attach(&app, &admin, &drink, &upload.key).await.is_ok());
    assert!(
        attach(&app, &admin, &drink, &upload.key).await.is_err(),
        "an upload is used once"
    );
});

db_test!(photo_functions_refuse_guests_and_anonymous_callers, |app| {
    let guest = app.join("Cleo").await;
    let drink = app.drink_id("Mojito");
    for caller in [None, Some(&guest)] {
        let (upload, _) = app
            .call::<PhotoUpload, Upload>(
                caller,
                &[
                    ("drink_id", &drink),
                    ("content_type", "image/png"),
                    ("length", "10"),
                ],
            )
            .await;
        assert_eq!(upload.unwrap_err(), AppError::Unauthorized);
        let (attached, _) = app
            .call::<AttachPhoto, String>(
                caller,
                &[
                    ("drink_id", &drink),
                    ("key", "0123456789abcdef0123456789abcdef"),
                ],
            )
            .await;
        assert_eq!(attached.unwrap_err(), AppError::Unauthorized);
    }
});

/// Sends a PUT's head (asking `Expect: 100-continue`) and returns the server's first answer line:
/// a server that checks before it reads answers at once, without asking for the body.
async fn put_head_only(app: &TestApp, url: &str, content_type: &str, length: u64) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "PUT {url} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
         Expect: 100-continue\r\n\r\n",
        app.addr
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut buffer = [0u8; 512];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read(&mut buffer))
        .await
        .expect("an answer before the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&buffer[..read]).to_string();
    answer.lines().next().unwrap_or_default().to_string()
}

db_test!(bad_uploads_are_refused_before_their_body_is_sent, |app| {
    let admin = app.admin().await;
    let drink = app.drink_id("Negroni");
    let ten_mb = app::backend::images::MAX_BYTES;
    let upload = ticket(&app, &admin, &drink, "image/jpeg", ten_mb as usize)
        .await
        .unwrap();
    let forged = format!("{}0", upload.url.trim_end_matches(|c: char| c != '='));
    assert_eq!(
        put_head_only(&app, &forged, "image/jpeg", ten_mb).await,
        "HTTP/1.1 403 Forbidden",
        "a bad signature"
    );
    assert_eq!(
        put_head_only(&app, &upload.url, "image/jpeg", ten_mb - 1).await,
        "HTTP/1.1 400 Bad Request",
        "a length other than the signed one"
    );
    assert_eq!(
        put_head_only(&app, &upload.url, "image/png", ten_mb).await,
        "HTTP/1.1 400 Bad Request",
        "another type"
    );
    // The signed upload itself is asked for its body, and a short one leaves nothing behind.
    assert_eq!(
        put_head_only(&app, &upload.url, "image/jpeg", ten_mb).await,
        "HTTP/1.1 100 Continue"
    );
    let uploads = app.files.path().join("uploads");
    let mut left = Vec::new();
    for _ in 0..50 {
        left = std::fs::read_dir(&uploads).unwrap().collect();
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(left.is_empty(), "{left:?}");
    let photo = crate::common::test_photo(64, 64, image::ImageFormat::Jpeg, 1);
    let small = ticket(&app, &admin, &drink, "image/jpeg", photo.len())
        .await
        .unwrap();
    assert_eq!(
        put(&app, &small.url, "image/jpeg", photo.clone()).await,
        201
    );
    assert_eq!(
        put(&app, &small.url, "image/jpeg", photo).await,
        409,
        "used once"
    );
});
