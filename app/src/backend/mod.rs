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
