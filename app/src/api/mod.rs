//! Server functions: the browser's API, one file per area.

pub mod menu;
