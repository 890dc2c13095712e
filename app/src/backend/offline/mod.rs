//! The installable app: the service worker (`/sw.js`), written per build so that a new deploy is a
//! new worker that takes over and drops the old code, and the list of what it keeps for a phone
//! that loses the network. The manifest and its icons are plain files in `public/`.

use super::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};

/// The worker's logic; the server puts the build and the app shell's files above it.
const WORKER: &str = include_str!("sw.js");

/// Where the worker lives: at the root, so its scope is every page.
pub const WORKER_PATH: &str = "/sw.js";

/// Pages the worker keeps from the start: the menu, and what to show for any other page offline.
const SHELL_PAGES: &[&str] = &["/", "/offline"];
/// Files of `public/` the shell shows.
const SHELL_FILES: &[&str] = &[
    "/favicon.svg",
    "/manifest.webmanifest",
    "/icons/icon-192.png",
];

/// `GET /sw.js`: never cached by the browser's HTTP cache (the browser checks it for a new build
/// on every visit), so a deploy reaches every phone on its next page load.
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let body = worker_source(state.site.build(), state.site.shell_code());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// The worker for `build`, keeping the shell pages and files and the build's `code` from the start.
fn worker_source(build: &str, code: &[String]) -> String {
    let precache: Vec<&str> = SHELL_PAGES
        .iter()
        .chain(SHELL_FILES)
        .copied()
        .chain(code.iter().map(String::as_str))
        .collect();
    // JSON is JavaScript: both values are written as literals, whatever they contain.
    let build = serde_json::Value::from(build);
    let precache = serde_json::Value::from(precache);
    format!("const BUILD = {build};\nconst PRECACHE = {precache};\n\n{WORKER}")
}

#[cfg(test)]
mod tests {
    use super::worker_source;

    #[test]
    fn the_worker_names_its_build_and_keeps_the_shell() {
        let code = vec!["/pkg/barback.abc.js".to_string()];
        let source = worker_source("b1\"x", &code);
        assert!(
            source.starts_with("const BUILD = \"b1\\\"x\";\n"),
            "{source}"
        );
        assert!(source.contains(
            r#"const PRECACHE = ["/","/offline","/favicon.svg","/manifest.webmanifest","/icons/icon-192.png","/pkg/barback.abc.js"];"#
        ));
        assert!(source.contains("self.addEventListener('fetch'"));
    }
}
