//! Runtime configuration, read once at startup (12-factor: environment variables).

use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/barback.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_SITE_ROOT: &str = "target/site";

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default) or `postgres://…`.
    pub database_url: String,
    /// Where the server listens (`BARBACK_ADDR`).
    pub addr: SocketAddr,
    /// The built site: `pkg/` (JS, WASM, CSS) and the public assets (`BARBACK_SITE_ROOT`).
    pub site_root: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DEFAULT_DATABASE_URL.into(),
            addr: DEFAULT_ADDR
                .parse()
                .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 3000))),
            site_root: DEFAULT_SITE_ROOT.into(),
        }
    }
}
