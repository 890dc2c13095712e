//! Photo benchmark (`make bench`): upload and finalise a ~5 MB JPEG through the real router on
//! local storage, and print the time and the sizes of the WebP variants.

#[path = "../tests/integration/common/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod common;

use app::api::photos::{AttachPhoto, PhotoUpload, Upload};
use common::{spawn_app, Db};
use image::DynamicImage;
use std::io::Cursor;
use std::time::{Duration, Instant};

/// A 4000 × 3000 photo-like JPEG: smooth gradients plus grain, which keeps it near 5 MB.
fn five_megabyte_jpeg() -> Vec<u8> {
    let mut seed: u32 = 7;
    let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let grain = (seed >> 27) as u8;
        image::Rgb([
            (x / 16) as u8 ^ grain,
            (y / 12) as u8 ^ grain,
            ((x + y) / 28) as u8 ^ grain,
        ])
    }));
    let mut out = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image.write_with_encoder(encoder).expect("encode");
    out.into_inner()
}

#[tokio::main]
async fn main() {
    let app = spawn_app(Db::Sqlite).await.expect("app");
    let admin = app.admin().await;
    let drink = app.drink_id("Negroni");
    let jpeg = five_megabyte_jpeg();
    println!(
        "photo benchmark: {:.1} MB JPEG, 4000 × 3000",
        jpeg.len() as f64 / 1_048_576.0
    );
    let mut totals = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let length = jpeg.len().to_string();
        let (upload, _) = app
            .call::<PhotoUpload, Upload>(
                Some(&admin),
                &[
                    ("drink_id", &drink),
                    ("content_type", "image/jpeg"),
                    ("length", &length),
                ],
            )
            .await;
        let upload = upload.expect("upload url");
        let put = app
            .client
            .put(app.url(&upload.url))
            .header("content-type", "image/jpeg")
            .body(jpeg.clone())
            .send()
            .await
            .expect("put");
        assert_eq!(put.status(), 201);
        let uploaded = started.elapsed();
        let (image, _) = app
            .call::<AttachPhoto, String>(
                Some(&admin),
                &[("drink_id", &drink), ("key", &upload.key)],
            )
            .await;
        let image = image.expect("attach");
        let total = started.elapsed();
        println!(
            "  upload {:>6.0} ms, finalise {:>6.0} ms, total {:>6.0} ms",
            ms(uploaded),
            ms(total - uploaded),
            ms(total)
        );
        totals.push(total);
        sizes = app::model::image_srcset(&image)
            .unwrap_or_default()
            .split(", ")
            .map(|entry| entry.split(' ').next().unwrap_or_default().to_string())
            .collect();
    }
    totals.sort();
    println!("upload + finalise (median of 3): {:.0} ms", ms(totals[1]));
    for path in sizes {
        let bytes = app.get(&path).await.bytes().await.expect("variant");
        let width = image::load_from_memory(&bytes)
            .map(|i| i.width())
            .unwrap_or(0);
        println!(
            "  variant {width:>4} px wide: {:>6.1} kB",
            bytes.len() as f64 / 1024.0
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
