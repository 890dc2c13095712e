//! A push-service stub: a local HTTP server that records what the bar sends, answering each
//! browser with the status it is told to (201 unless told otherwise), and browsers' push keys as
//! `pushManager.subscribe` makes them, to decrypt what arrived (RFC 8291) as the browser would.

use super::{Session, TestApp};
use app::api::push::SubscribePush;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::routing::post;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use web_push_native::p256::{self, elliptic_curve::sec1::ToEncodedPoint as _};

/// One request the stub received.
#[derive(Clone, Debug)]
pub struct Received {
    pub browser: String,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
}

/// The push service: records every request, answers each browser with its set status (201 unless
/// told otherwise).
#[derive(Clone, Default)]
pub struct PushService {
    received: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<HashMap<String, u16>>>,
}

impl PushService {
    pub async fn start() -> (Self, String) {
        let service = PushService::default();
        let router = axum::Router::new()
            .route("/push/{browser}", post(receive))
            .with_state(service.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        (service, base)
    }

    pub fn received(&self, browser: &str) -> Vec<Received> {
        let all = self.received.lock().unwrap();
        all.iter()
            .filter(|r| r.browser == browser)
            .cloned()
            .collect()
    }

    pub fn answer(&self, browser: &str, status: u16) {
        self.answers.lock().unwrap().insert(browser.into(), status);
    }
}

async fn receive(
    State(service): State<PushService>,
    Path(browser): Path<String>,
    headers: http::HeaderMap,
    body: axum::body::Bytes,
) -> http::StatusCode {
    let status = service
        .answers
        .lock()
        .unwrap()
        .get(&browser)
        .copied()
        .unwrap_or(201);
    service.received.lock().unwrap().push(Received {
        browser,
        headers,
        body: body.to_vec(),
        at: Instant::now(),
    });
    http::StatusCode::from_u16(status).unwrap()
}

/// A browser's push keys, as `pushManager.subscribe` makes them.
pub struct Browser {
    pub endpoint: String,
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    pub fn new(base: &str, name: &str) -> Self {
        Browser {
            endpoint: format!("{base}/push/{name}"),
            secret: p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng),
            auth: rand_bytes(),
        }
    }

    pub async fn subscribe(&self, app: &TestApp, guest: &Session) -> Result<(), AppError> {
        let p256dh =
            URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes());
        let auth = URL_SAFE_NO_PAD.encode(self.auth);
        app.call::<SubscribePush, ()>(
            Some(guest),
            &[
                ("endpoint", &self.endpoint),
                ("p256dh", &p256dh),
                ("auth", &auth),
            ],
        )
        .await
        .0
    }

    /// What the bar said, decrypted with this browser's keys.
    pub fn read(&self, received: &Received) -> serde_json::Value {
        assert_eq!(received.headers["content-encoding"], "aes128gcm");
        let ttl: u64 = received.headers["ttl"].to_str().unwrap().parse().unwrap();
        assert!((60..=3600).contains(&ttl), "TTL {ttl}");
        let auth = web_push_native::Auth::clone_from_slice(&self.auth);
        let plain = web_push_native::decrypt(received.body.clone(), &self.secret, &auth)
            .expect("the payload decrypts with the subscription's keys");
        serde_json::from_slice(&plain).unwrap()
    }
}

fn rand_bytes() -> [u8; 16] {
    use p256::elliptic_curve::rand_core::RngCore as _;
    let mut bytes = [0u8; 16];
    p256::elliptic_curve::rand_core::OsRng.fill_bytes(&mut bytes);
    bytes
}
