//! Runtime configuration, read once at startup (12-factor: environment variables).

use std::net::{IpAddr, SocketAddr};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/barback.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_SITE_ROOT: &str = "target/site";
pub const DEFAULT_MAX_ACTIVE_ORDERS: u32 = 2;
pub const DEFAULT_GUEST_SESSION_HOURS: u32 = 24;
pub const DEFAULT_DATA_DIR: &str = "data";
pub const DEFAULT_AI_MESSAGES_PER_HOUR: u32 = 30;
pub const DEFAULT_AI_TIMEOUT_SECS: u64 = 15;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default) or `postgres://…`.
    pub database_url: String,
    /// Where the server listens (`BARBACK_ADDR`).
    pub addr: SocketAddr,
    /// The built site: `pkg/` (JS, WASM, CSS) and the public assets (`BARBACK_SITE_ROOT`).
    pub site_root: String,
    /// The address guests use, for join links and QR codes (`BARBACK_PUBLIC_URL`), no trailing slash.
    pub public_url: String,
    /// Open orders a guest may have at once (`BARBACK_MAX_ACTIVE_ORDERS`).
    pub max_active_orders: u32,
    /// How long a guest stays signed in (`BARBACK_GUEST_SESSION_HOURS`).
    pub guest_session_hours: u32,
    /// Where uploaded photos and their variants are kept (`BARBACK_DATA_DIR`), and the Web Push
    /// key unless `vapid_private_key` gives one.
    pub data_dir: String,
    /// The bar's Web Push (VAPID) key, base64url (`BARBACK_VAPID_PRIVATE_KEY`).
    pub vapid_private_key: Option<String>,
    /// Accept push endpoints over plain http (tests with a local push-service stub only; browsers'
    /// push services are all https).
    pub push_over_http: bool,
    /// Where photos go: `None` is the local data dir; `Some` is S3 (`BARBACK_IMAGES=s3`).
    pub s3: Option<S3Config>,
    /// Cognito sign-in for admins (`BARBACK_ADMIN_AUTH=cognito`); `None` means local accounts.
    pub cognito: Option<super::cognito::CognitoConfig>,
    /// The language model behind the bartender (`BARBACK_AI=bedrock`); `None` is the house recommender.
    pub bedrock: Option<super::ai::bedrock::BedrockConfig>,
    /// Messages a guest may send the bartender per hour (`BARBACK_AI_MESSAGES_PER_HOUR`).
    pub ai_messages_per_hour: u32,
    /// How long to wait for the model before the house recommender steps in (`BARBACK_AI_TIMEOUT_SECS`).
    pub ai_timeout: std::time::Duration,
    pub jobs: JobsConfig,
    /// Per-client rate limits, and which proxies' `X-Forwarded-For` to believe.
    pub limits: super::limits::LimitsConfig,
    /// Follow the changes other processes (servers, the command line) make to the database.
    pub follow_database: bool,
    /// How often to look for them.
    pub follow_poll: std::time::Duration,
    /// Whether `/api/v1` calls need an `x-api-key` (`BARBACK_API_KEYS`).
    pub api_keys: ApiKeys,
    /// The bearer token `GET /metrics` asks for (`BARBACK_METRICS_TOKEN`); unset, there are no
    /// metrics.
    pub metrics_token: Option<String>,
    /// A reader role's login, for reading the menu (`BARBACK_DATABASE_READER_URL`); `None` reads
    /// through `database_url`.
    pub database_reader_url: Option<String>,
}

/// `BARBACK_API_KEYS`: `optional` (the default) serves `/api/v1` to anyone, and counts calls that
/// bring a key against that key's quota (a wrong key is refused); `required` refuses calls
/// without a valid key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ApiKeys {
    #[default]
    Optional,
    Required,
}

impl std::str::FromStr for ApiKeys {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "optional" => Ok(ApiKeys::Optional),
            "required" => Ok(ApiKeys::Required),
            other => Err(format!(
                "BARBACK_API_KEYS must be optional or required, not {other:?}"
            )),
        }
    }
}

/// The background worker that drains the outbox.
#[derive(Clone, Debug)]
pub struct JobsConfig {
    /// Off only in tests that play a restart between commit and processing.
    pub run_worker: bool,
    /// How often the worker looks for due jobs when nobody nudges it.
    pub poll: std::time::Duration,
    /// The first retry waits this long; each further one twice as long (at most 5 minutes).
    pub backoff: std::time::Duration,
    /// Attempts before a job is given up as failed.
    pub max_attempts: u32,
    /// How long a claimed job is reserved for its worker.
    pub lease: std::time::Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            run_worker: true,
            poll: std::time::Duration::from_secs(1),
            backoff: std::time::Duration::from_secs(2),
            max_attempts: 5,
            lease: std::time::Duration::from_secs(60),
        }
    }
}

impl Config {
    /// A configuration with the defaults for everything but the database and address.
    pub fn new(database_url: impl Into<String>, addr: SocketAddr) -> Self {
        Config {
            database_url: database_url.into(),
            addr,
            site_root: DEFAULT_SITE_ROOT.into(),
            public_url: default_public_url(addr),
            max_active_orders: DEFAULT_MAX_ACTIVE_ORDERS,
            guest_session_hours: DEFAULT_GUEST_SESSION_HOURS,
            data_dir: DEFAULT_DATA_DIR.into(),
            vapid_private_key: None,
            push_over_http: false,
            cognito: None,
            s3: None,
            bedrock: None,
            ai_messages_per_hour: DEFAULT_AI_MESSAGES_PER_HOUR,
            ai_timeout: std::time::Duration::from_secs(DEFAULT_AI_TIMEOUT_SECS),
            jobs: JobsConfig::default(),
            limits: Default::default(),
            follow_database: true,
            follow_poll: std::time::Duration::from_millis(250),
            api_keys: ApiKeys::Optional,
            metrics_token: None,
            database_reader_url: None,
        }
    }
}

/// `http://<addr>`; when listening on every interface, the machine's first private IPv4 address
/// (what phones on the same Wi-Fi can reach), else loopback.
pub fn default_public_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        lan_address().unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        addr.ip()
    };
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{}", addr.port()),
        IpAddr::V4(v4) => format!("http://{v4}:{}", addr.port()),
    }
}

/// Reads the interface list (no network traffic).
fn lan_address() -> Option<IpAddr> {
    if_addrs::get_if_addrs()
        .ok()?
        .into_iter()
        .map(|iface| iface.ip())
        .find(|ip| matches!(ip, IpAddr::V4(v4) if v4.is_private()))
}

/// Photos in S3.
#[derive(Clone, Debug)]
pub struct S3Config {
    /// `BARBACK_S3_BUCKET`.
    pub bucket: String,
    /// Where guests load the images from, e.g. a CloudFront URL (`BARBACK_IMAGE_BASE_URL`).
    pub public_base_url: String,
    /// An S3-compatible endpoint instead of AWS (`BARBACK_S3_ENDPOINT`).
    pub endpoint: Option<String>,
    /// `AWS_REGION` is used when this is `None`.
    pub region: Option<String>,
    /// Fixed credentials (tests, S3-compatible servers); otherwise the AWS credential chain.
    pub credentials: Option<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_follows_a_specific_listen_address() {
        assert_eq!(
            default_public_url("127.0.0.1:3000".parse().unwrap()),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            default_public_url("10.1.2.3:8080".parse().unwrap()),
            "http://10.1.2.3:8080"
        );
        let any = default_public_url("0.0.0.0:3000".parse().unwrap());
        assert!(any.starts_with("http://") && any.ends_with(":3000") && !any.contains("0.0.0.0"));
    }
}
