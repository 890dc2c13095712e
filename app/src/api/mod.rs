//! Server functions: the browser's API, one file per area.

pub mod admin;
pub mod guests;
pub mod menu;
pub mod orders;
