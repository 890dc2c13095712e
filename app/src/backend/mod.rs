//! Everything that only runs on the server: configuration, state, the database and the HTTP API.

pub mod ai;
pub mod auth;
pub mod bar;
pub mod cognito;
pub mod config;
pub mod events;
pub mod follow;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzz;
pub mod hub;
pub mod illustration;
pub mod images;
pub mod language;
pub mod limits;
pub mod markdown;
pub mod menu;
pub mod metrics;
pub mod offline;
pub mod pages;
pub mod push;
pub mod qr;
pub mod rest;
pub mod security;
pub mod signin;
pub mod site;
pub mod state;
pub mod store;
pub mod worker;

pub use config::Config;
pub use state::AppState;

/// Lower-case hex of some bytes (tokens, signatures, digests).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The AWS configuration every AWS client starts from: the usual chain (environment, profile,
/// instance role), with the region and fixed credentials where they are set.
pub async fn aws_config(
    region: Option<&str>,
    credentials: Option<&(String, String)>,
) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_string()));
    }
    if let Some((key, secret)) = credentials {
        loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
            key.clone(),
            secret.clone(),
            None,
            None,
            "barback-config",
        ));
    }
    loader.load().await
}
