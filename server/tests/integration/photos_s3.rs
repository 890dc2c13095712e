//! Photos in S3 (`BARBACK_IMAGES=s3`), against an in-process S3 server (s3s + s3s-fs): presigned
//! uploads, finalising into WebP variants in the bucket, and everything that must be refused.

use crate::common::{spawn_app_with, Db, Session, TestApp};
use app::api::photos::{AttachPhoto, Upload};
use app::backend::config::S3Config;
use app::backend::images::S3Photos;
use app::error::AppError;
use image::ImageFormat;
use std::time::Duration;

const BUCKET: &str = "photos";
const ACCESS_KEY: &str = "AKIDBARBACKTEST";
const SECRET_KEY: &str = "barback-test-secret-key";

struct S3 {
    endpoint: String,
    _root: tempfile::TempDir,
}

/// An S3 server on 127.0.0.1:0 that keeps buckets as folders of a temp dir.
async fn s3_server() -> S3 {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join(BUCKET)).unwrap();
    let fs = s3s_fs::FileSystem::new(root.path()).unwrap();
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            let service = service.clone();
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(io, service)
                .await;
            });
        }
    });
    S3 {
        endpoint,
        _root: root,
    }
}

fn s3_config(s3: &S3) -> S3Config {
    S3Config {
        bucket: BUCKET.into(),
        public_base_url: "https://cdn.bar.example".into(),
        endpoint: Some(s3.endpoint.clone()),
        region: Some("us-east-1".into()),
        credentials: Some((ACCESS_KEY.into(), SECRET_KEY.into())),
    }
}

async fn s3_app(s3: &S3) -> TestApp {
    let config = s3_config(s3);
    spawn_app_with(Db::Sqlite, move |c| c.s3 = Some(config))
        .await
        .unwrap()
}

async fn client(s3: &S3) -> aws_sdk_s3::Client {
    let photos = S3Photos::connect(&s3_config(s3)).await;
    photos.client().clone()
}

async fn keys(s3: &S3, prefix: &str) -> Vec<String> {
    let listed = client(s3)
        .await
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix(prefix)
        .send()
        .await
        .unwrap();
    listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect()
}

fn photo(format: ImageFormat, tint: u8) -> Vec<u8> {
    crate::common::test_photo(1400, 900, format, tint)
}

async fn ticket(
    app: &TestApp,
    admin: &Session,
    drink: &str,
    content_type: &str,
    length: usize,
) -> Upload {
    app.photo_upload(admin, drink, content_type, length)
        .await
        .unwrap()
}

async fn put(url: &str, content_type: &str, body: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .put(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
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

#[tokio::test]
async fn photos_upload_to_s3_and_become_webp_variants_in_the_bucket() {
    let s3 = s3_server().await;
    let app = s3_app(&s3).await;
    let admin = app.admin().await;
    let drink = app.drink_id("Negroni");
    for (i, (format, content_type)) in [
        (ImageFormat::Jpeg, "image/jpeg"),
        (ImageFormat::Png, "image/png"),
        (ImageFormat::WebP, "image/webp"),
    ]
    .into_iter()
    .enumerate()
    {
        let bytes = photo(format, 40 + 80 * i as u8);
        let upload = ticket(&app, &admin, &drink, content_type, bytes.len()).await;
        assert!(
            upload.url.starts_with(&s3.endpoint) && upload.url.contains("X-Amz-Signature"),
            "{}",
            upload.url
        );
        assert_eq!(put(&upload.url, content_type, bytes).await, 200);
        let image = attach(&app, &admin, &drink, &upload.key).await.unwrap();
        assert!(
            image.starts_with(&format!("https://cdn.bar.example/images/{drink}/")),
            "{image}"
        );
        let (_, api) = app.get_json(&format!("/api/v1/drinks/{drink}")).await;
        assert_eq!(api["image"], image.as_str());
    }
    let stored = keys(&s3, "images/").await;
    assert_eq!(
        stored.len(),
        3,
        "only the current photo's three variants remain: {stored:?}"
    );
    let main = stored.iter().find(|k| k.ends_with("-640.webp")).unwrap();
    let object = client(&s3)
        .await
        .get_object()
        .bucket(BUCKET)
        .key(main)
        .send()
        .await
        .unwrap();
    assert_eq!(object.content_type(), Some("image/webp"));
    let bytes = object.body.collect().await.unwrap().into_bytes();
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 640);
    assert!(
        keys(&s3, "uploads/").await.is_empty(),
        "uploads are removed once finalised"
    );
}

#[tokio::test]
async fn bad_files_and_bad_urls_are_refused_in_s3_mode_with_nothing_linked() {
    let s3 = s3_server().await;
    let app = s3_app(&s3).await;
    let admin = app.admin().await;
    let drink = app.drink_id("Mojito");
    let before = app.get_json(&format!("/api/v1/drinks/{drink}")).await.1["image"].clone();
    // A renamed text file and a decompression bomb reach the bucket but are refused on finalising.
    let text = b"definitely not a photo".to_vec();
    let upload = ticket(&app, &admin, &drink, "image/png", text.len()).await;
    assert_eq!(put(&upload.url, "image/png", text).await, 200);
    assert!(attach(&app, &admin, &drink, &upload.key)
        .await
        .unwrap_err()
        .to_string()
        .contains("not a JPEG"));
    let bomb = crate::common::bomb_png();
    let upload = ticket(&app, &admin, &drink, "image/png", bomb.len()).await;
    assert_eq!(put(&upload.url, "image/png", bomb).await, 200);
    assert!(attach(&app, &admin, &drink, &upload.key)
        .await
        .unwrap_err()
        .to_string()
        .contains("40 megapixels"));
    // Oversized files never get a URL.
    let big = app
        .photo_upload(&admin, &drink, "image/png", 10 * 1024 * 1024 + 1)
        .await;
    assert!(big.unwrap_err().to_string().contains("10 MB"));
    // A URL used for another key, and an expired URL, are refused by S3 itself.
    let png = photo(ImageFormat::Png, 9);
    let upload = ticket(&app, &admin, &drink, "image/png", png.len()).await;
    let other = upload
        .url
        .replace(&upload.key, "fedcba9876543210fedcba9876543210");
    assert_eq!(put(&other, "image/png", png.clone()).await, 403);
    let photos = S3Photos::connect(&s3_config(&s3)).await;
    let short = photos
        .upload_url(
            "0123456789abcdef0123456789abcdef",
            "image/png",
            png.len() as u64,
            Duration::from_secs(1),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(put(&short, "image/png", png).await, 403);
    // Nothing was linked and no variants were written.
    assert_eq!(
        app.get_json(&format!("/api/v1/drinks/{drink}")).await.1["image"],
        before
    );
    assert!(keys(&s3, "images/").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_drinks_photo_prompt_is_also_written_to_the_bucket() {
    let s3 = s3_server().await;
    let app = s3_app(&s3).await;
    let admin = app.admin().await;
    let id = app.create_drink(&admin, "Hugo").await;
    let key = format!("prompts/{id}.json");
    let mut found = false;
    for _ in 0..250 {
        if keys(&s3, "prompts/").await.contains(&key) {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(found, "prompts/{id}.json was not written");
    let object = client(&s3)
        .await
        .get_object()
        .bucket(BUCKET)
        .key(&key)
        .send()
        .await
        .unwrap();
    let body = object.body.collect().await.unwrap().into_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["drink_id"], id.as_str());
    assert_eq!(json["name"], "Hugo");
    assert!(json["prompt"]
        .as_str()
        .unwrap()
        .contains("A Hugo served in a wine glass"));
}
