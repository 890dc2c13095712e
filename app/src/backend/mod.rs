//! Everything that only runs on the server: configuration, state, the database and the HTTP API.

pub mod auth;
pub mod cognito;
pub mod config;
pub mod events;
pub mod hub;
pub mod illustration;
pub mod images;
pub mod menu;
pub mod rest;
pub mod state;
pub mod store;

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
