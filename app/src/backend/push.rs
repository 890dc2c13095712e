//! Web Push: a notification on the guest's lock screen when their drink is ready, even with the
//! page closed. Standard Web Push through the browser's own push service: payloads encrypted for
//! the browser (RFC 8291), delivered per RFC 8030, the bar identified with VAPID (RFC 8292).
//!
//! The bar's VAPID key is made on first start and kept in the data directory, unless
//! `BARBACK_VAPID_PRIVATE_KEY` gives one (every server of a bar must use the same key: browsers
//! subscribed with its public half).

use super::store::push::PushSubscriptionRow;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::{p256, Auth, WebPushBuilder};

/// The file in the data directory that keeps the key (32 bytes, base64url).
const KEY_FILE: &str = "vapid-private-key";
/// How long a push service keeps trying to deliver (a drink that was ready an hour ago is old
/// news), and how long the VAPID signature is valid.
const TTL: Duration = Duration::from_secs(30 * 60);
/// How long one push service may take to answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The bar's side of Web Push: its VAPID key and an HTTP client for push services.
#[derive(Clone)]
pub struct Pusher {
    key: Arc<ES256KeyPair>,
    public_key: String,
    contact: String,
    client: reqwest::Client,
    /// Push services must be https; tests point at a local stub over http.
    allow_http: bool,
}

impl std::fmt::Debug for Pusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pusher")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// What a push service said to one delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The subscription has expired or been withdrawn (404/410): forget it.
    Gone,
}

/// What a browser is told: its service worker shows it as a notification.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Opened when the notification is tapped.
    pub url: String,
    /// One notification per order: a reminder replaces the first.
    pub tag: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the push key is unusable: {0}")]
    Key(String),
    #[error("the subscription is unusable: {0}")]
    Subscription(String),
    #[error("could not reach the push service: {0}")]
    Network(String),
    #[error("the push service refused the message ({0})")]
    Refused(u16),
}

impl Pusher {
    /// The key from `BARBACK_VAPID_PRIVATE_KEY` (`configured`), or the one kept in `data_dir`,
    /// made there on first start.
    pub fn load(
        configured: Option<&str>,
        data_dir: &Path,
        public_url: &str,
        allow_http: bool,
    ) -> Result<Self, PushError> {
        let key = match configured {
            Some(text) => parse_key(text)?,
            None => kept_key(data_dir)?,
        };
        let public_key =
            URL_SAFE_NO_PAD.encode(key.public_key().public_key().to_bytes_uncompressed());
        // VAPID's contact: the bar's own address when it is public, else a placeholder mailbox.
        let contact = if public_url.starts_with("https://") {
            public_url.to_string()
        } else {
            "mailto:host@barback.invalid".to_string()
        };
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| PushError::Network(err.to_string()))?;
        Ok(Pusher {
            key: Arc::new(key),
            public_key,
            contact,
            client,
            allow_http,
        })
    }

    /// The public key browsers subscribe with (`applicationServerKey`): P-256, uncompressed,
    /// base64url.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Checks a browser's subscription before it is kept: an https endpoint (http only where
    /// allowed, for tests), and keys of the right kind and size.
    pub fn check(&self, subscription: &PushSubscriptionRow) -> Result<(), PushError> {
        let uri: http::Uri = subscription
            .endpoint
            .parse()
            .map_err(|_| PushError::Subscription("the endpoint is not an address".into()))?;
        let scheme_ok = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => self.allow_http,
            _ => false,
        };
        if !scheme_ok || uri.host().is_none() || subscription.endpoint.len() > 2048 {
            return Err(PushError::Subscription(
                "the endpoint must be an https address".into(),
            ));
        }
        browser_keys(subscription).map(|_| ())
    }

    /// Encrypts `notice` for one browser and hands it to its push service.
    pub async fn send(
        &self,
        subscription: &PushSubscriptionRow,
        notice: &Notice,
    ) -> Result<Delivery, PushError> {
        let (public, auth) = browser_keys(subscription)?;
        let endpoint: http::Uri = subscription
            .endpoint
            .parse()
            .map_err(|_| PushError::Subscription("the endpoint is not an address".into()))?;
        let body = serde_json::to_vec(notice).map_err(|err| PushError::Key(err.to_string()))?;
        let request = WebPushBuilder::new(endpoint, public, auth)
            .with_valid_duration(TTL)
            .with_vapid(&self.key, &self.contact)
            .build(body)
            .map_err(|err| PushError::Key(err.to_string()))?;
        let (parts, body) = request.into_parts();
        let mut outgoing = self
            .client
            .post(subscription.endpoint.as_str())
            // Deliver soon or not at all: the phone may be asleep in a pocket.
            .header("Urgency", "high")
            .body(body);
        for (name, value) in &parts.headers {
            outgoing = outgoing.header(name, value);
        }
        let response = outgoing
            .send()
            .await
            .map_err(|err| PushError::Network(err.without_url().to_string()))?;
        match response.status().as_u16() {
            200..=299 => Ok(Delivery::Sent),
            404 | 410 => Ok(Delivery::Gone),
            status => Err(PushError::Refused(status)),
        }
    }
}

/// The browser's key and secret, decoded.
fn browser_keys(subscription: &PushSubscriptionRow) -> Result<(p256::PublicKey, Auth), PushError> {
    let decode = |text: &str| URL_SAFE_NO_PAD.decode(text.trim_end_matches('='));
    let public = decode(&subscription.p256dh)
        .ok()
        .and_then(|bytes| p256::PublicKey::from_sec1_bytes(&bytes).ok())
        .ok_or_else(|| PushError::Subscription("p256dh is not a P-256 public key".into()))?;
    let auth = decode(&subscription.auth)
        .ok()
        .filter(|bytes| bytes.len() == 16)
        .ok_or_else(|| PushError::Subscription("auth is not a 16-byte secret".into()))?;
    Ok((public, Auth::clone_from_slice(&auth)))
}

fn parse_key(text: &str) -> Result<ES256KeyPair, PushError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .map_err(|_| PushError::Key("not base64url".into()))?;
    ES256KeyPair::from_bytes(&bytes).map_err(|err| PushError::Key(err.to_string()))
}

/// The key kept in `data_dir`, made (and written, readable by this user only) if there is none.
fn kept_key(data_dir: &Path) -> Result<ES256KeyPair, PushError> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => return parse_key(&text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(PushError::Key(format!("{}: {err}", path.display()))),
    }
    let key = ES256KeyPair::generate();
    std::fs::create_dir_all(data_dir)
        .and_then(|()| write_private(&path, &URL_SAFE_NO_PAD.encode(key.to_bytes())))
        .map_err(|err| PushError::Key(format!("{}: {err}", path.display())))?;
    tracing::info!(path = %path.display(), "made the bar's Web Push (VAPID) key");
    Ok(key)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = Pusher::load(None, dir.path(), "http://127.0.0.1:3000", false).unwrap();
        let again = Pusher::load(None, dir.path(), "http://127.0.0.1:3000", false).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        // 65 bytes, uncompressed.
        assert_eq!(
            URL_SAFE_NO_PAD.decode(first.public_key()).unwrap().len(),
            65
        );
        let kept = std::fs::read_to_string(dir.path().join(KEY_FILE)).unwrap();
        let configured = Pusher::load(Some(&kept), Path::new("/nonexistent"), "", false).unwrap();
        assert_eq!(configured.public_key(), first.public_key());
        assert!(Pusher::load(Some("not a key"), dir.path(), "", false).is_err());
    }

    #[test]
    fn only_an_https_endpoint_with_real_keys_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let pusher = Pusher::load(None, dir.path(), "", false).unwrap();
        let browser = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
        let p256dh = URL_SAFE_NO_PAD.encode(
            p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(
                &browser.public_key(),
                false,
            )
            .as_bytes(),
        );
        let good = PushSubscriptionRow {
            endpoint: "https://push.example.com/send/abc".into(),
            p256dh,
            auth: URL_SAFE_NO_PAD.encode([7u8; 16]),
            lang: "en".into(),
        };
        assert!(pusher.check(&good).is_ok());
        for bad in [
            PushSubscriptionRow {
                endpoint: "http://push.example.com/x".into(),
                ..good.clone()
            },
            PushSubscriptionRow {
                endpoint: "file:///etc/passwd".into(),
                ..good.clone()
            },
            PushSubscriptionRow {
                auth: URL_SAFE_NO_PAD.encode([7u8; 15]),
                ..good.clone()
            },
            PushSubscriptionRow {
                p256dh: URL_SAFE_NO_PAD.encode([4u8; 65]),
                ..good.clone()
            },
        ] {
            assert!(pusher.check(&bad).is_err(), "{bad:?}");
        }
    }
}
