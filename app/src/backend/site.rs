//! The built site (`pkg/` from cargo-leptos and the files of `public/`), read into memory at
//! startup and served from there: a phone on party Wi-Fi gets the precompressed `.br` or `.gz`
//! the build wrote, content-hashed `pkg/` files are cached for a year, everything else is
//! revalidated with its `ETag` (a 304 costs a few bytes).
//!
//! Serving from memory also pins a running server to the files it started with, so the pages it
//! renders always name bundles it can serve; the build id ([`SiteFiles::build`]) tells an open
//! tab when the server behind it runs newer code.

use super::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Hashed bundle names never change content: a year, and no revalidation.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Un-hashed bundles (development builds): always revalidate.
const REVALIDATE: &str = "no-cache";
/// `public/` files (icons, demo photos, robots.txt) keep their names across builds: a day fresh,
/// then a week served stale while the browser revalidates in the background.
const PUBLIC_FILES: &str = "public, max-age=86400, stale-while-revalidate=604800";

/// The name cargo-leptos gives the bundles (`output-name` in Cargo.toml).
pub const OUTPUT_NAME: &str = "barback";

#[derive(Debug)]
pub struct SiteFiles {
    files: HashMap<String, SiteFile>,
    stylesheet: String,
    build: String,
    /// See `shell_code`: worked out once, as the files are read.
    shell_code: Vec<String>,
}

/// No built site (unit tests, a server started before the first build): the un-hashed names.
impl Default for SiteFiles {
    fn default() -> Self {
        SiteFiles {
            files: HashMap::new(),
            stylesheet: format!("/pkg/{OUTPUT_NAME}.css"),
            build: "dev".to_string(),
            shell_code: Vec::new(),
        }
    }
}

#[derive(Debug)]
struct SiteFile {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// The identity's strong validator; the compressed variants add `-br` / `-gz`.
    tag: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

impl SiteFiles {
    /// Reads every file below `root` (a missing root is an empty site, as in unit tests).
    /// `hashed` says the build put content hashes into the `pkg/` file names.
    pub fn load(root: &Path, hashed: bool) -> std::io::Result<Self> {
        let mut paths = Vec::new();
        if root.is_dir() {
            collect_files(root, &mut paths)?;
        }
        paths.sort();
        let mut files = HashMap::new();
        let mut build = Sha256::new();
        for path in &paths {
            let name = path.to_string_lossy();
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let url = format!(
                "/{}",
                relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let identity = Bytes::from(std::fs::read(path)?);
            let sibling = |suffix: &str| -> Option<Bytes> {
                std::fs::read(format!("{name}.{suffix}"))
                    .ok()
                    .map(Bytes::from)
            };
            let in_pkg = url.starts_with("/pkg/");
            if in_pkg {
                build.update(url.as_bytes());
                build.update(&identity);
            }
            let cache_control = match (in_pkg, hashed) {
                (true, true) => IMMUTABLE,
                (true, false) => REVALIDATE,
                (false, _) => PUBLIC_FILES,
            };
            let content_type = mime_guess::from_path(path)
                .first_raw()
                .map(|mime| match mime {
                    // Text types say their charset, so no browser has to guess it.
                    "text/css" | "text/javascript" | "text/plain" | "image/svg+xml" => {
                        format!("{mime}; charset=utf-8")
                    }
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_string());
            let tag = super::hex(&Sha256::digest(&identity)[..12]);
            files.insert(
                url,
                SiteFile {
                    brotli: sibling("br"),
                    gzip: sibling("gz"),
                    identity,
                    content_type: HeaderValue::from_str(&content_type)
                        .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    cache_control: HeaderValue::from_static(cache_control),
                    tag,
                },
            );
        }
        let unbuilt = SiteFiles::default();
        let stylesheet = files
            .keys()
            .find(|url| {
                url.strip_prefix("/pkg/")
                    .is_some_and(|name| name.starts_with(OUTPUT_NAME) && name.ends_with(".css"))
            })
            .cloned()
            .unwrap_or(unbuilt.stylesheet);
        let build = if files.keys().any(|url| url.starts_with("/pkg/")) {
            super::hex(&build.finalize()[..6])
        } else {
            unbuilt.build
        };
        tracing::info!(files = files.len(), %build, %stylesheet, "site files loaded");
        let mut shell_code: Vec<String> = files
            .keys()
            .filter(|url| {
                url.strip_prefix("/pkg/").is_some_and(|name| {
                    !name.starts_with("chunk_")
                        && [".js", ".wasm", ".css"]
                            .iter()
                            .any(|ext| name.ends_with(ext))
                })
            })
            .cloned()
            .collect();
        shell_code.sort();
        Ok(SiteFiles {
            files,
            stylesheet,
            build,
            shell_code,
        })
    }

    /// The stylesheet's URL (with its content hash in a release build).
    pub fn stylesheet(&self) -> &str {
        &self.stylesheet
    }

    /// Identifies the browser code this server hands out: pages carry it, and the live stream
    /// greets with it, so a tab opened before a restart onto new code can say so.
    pub fn build(&self) -> &str {
        &self.build
    }

    /// The code every page starts with (the main bundles, the chunk loader, the stylesheet), which
    /// the service worker keeps from the start; the on-demand chunks are kept as they are used.
    pub fn shell_code(&self) -> &[String] {
        &self.shell_code
    }

    /// The answer to `GET path`, if `path` is a site file.
    fn respond(&self, path: &str, headers: &HeaderMap) -> Option<Response> {
        let file = self.files.get(path)?;
        let encoding = negotiate(headers, file.brotli.is_some(), file.gzip.is_some());
        let (body, etag) = match encoding {
            Encoding::Brotli => (file.brotli.clone(), format!("\"{}-br\"", file.tag)),
            Encoding::Gzip => (file.gzip.clone(), format!("\"{}-gz\"", file.tag)),
            Encoding::Identity => (Some(file.identity.clone()), format!("\"{}\"", file.tag)),
        };
        let body = body?;
        let mut response = if if_none_match(headers, &etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(body));
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, file.content_type.clone());
            match encoding {
                Encoding::Brotli => {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
                }
                Encoding::Gzip => {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                }
                Encoding::Identity => {}
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, file.cache_control.clone());
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, etag);
        }
        if file.brotli.is_some() || file.gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Some(response)
    }
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// The best encoding the client accepts (`q=0` refuses one) among those the file has.
fn negotiate(headers: &HeaderMap, has_brotli: bool, has_gzip: bool) -> Encoding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let coding = parts.next().unwrap_or_default();
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
    };
    if has_brotli && accepted("br") {
        Encoding::Brotli
    } else if has_gzip && accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, as for GET).
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let wanted = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == wanted)
}

/// Middleware: answers `GET`s of site files from memory before anything else runs (no rate
/// limit, no rendering); everything else goes on to the router.
pub async fn serve_site_files(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::GET {
        if let Some(response) = state.site.respond(request.uri().path(), request.headers()) {
            return response;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, SiteFiles) {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("barback.abc123.css"), "body{}").unwrap();
        std::fs::write(pkg.join("barback.abc123.wasm"), b"\0asm").unwrap();
        std::fs::write(pkg.join("barback.abc123.wasm.br"), b"BR").unwrap();
        std::fs::write(pkg.join("barback.abc123.wasm.gz"), b"GZ").unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        let files = SiteFiles::load(dir.path(), true).unwrap();
        (dir, files)
    }

    fn get(site: &SiteFiles, path: &str, headers: &[(&'static str, &str)]) -> Option<Response> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        site.respond(path, &map)
    }

    #[test]
    fn hashed_bundles_are_immutable_and_public_files_revalidate() {
        let (_dir, site) = site();
        let wasm = get(&site, "/pkg/barback.abc123.wasm", &[]).unwrap();
        assert_eq!(wasm.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        let icon = get(&site, "/favicon.svg", &[]).unwrap();
        assert_eq!(icon.headers()[header::CACHE_CONTROL], PUBLIC_FILES);
        assert_eq!(
            icon.headers()[header::CONTENT_TYPE],
            "image/svg+xml; charset=utf-8"
        );
        assert!(get(&site, "/pkg/missing.js", &[]).is_none());
        assert_eq!(site.stylesheet(), "/pkg/barback.abc123.css");
        assert_ne!(site.build(), "dev");
    }

    #[test]
    fn the_precompressed_variant_the_client_accepts_is_served() {
        let (_dir, site) = site();
        let path = "/pkg/barback.abc123.wasm";
        let br = get(
            &site,
            path,
            &[("accept-encoding", "gzip, deflate, br, zstd")],
        )
        .unwrap();
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let gz = get(&site, path, &[("accept-encoding", "gzip, br;q=0")]).unwrap();
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = get(&site, path, &[("accept-encoding", "identity")]).unwrap();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        // Validators differ per encoding, so a cache never mixes them up.
        assert_ne!(br.headers()[header::ETAG], gz.headers()[header::ETAG]);
    }

    #[test]
    fn a_matching_etag_gets_304() {
        let (_dir, site) = site();
        let first = get(&site, "/favicon.svg", &[]).unwrap();
        let etag = first.headers()[header::ETAG].to_str().unwrap().to_string();
        let again = get(&site, "/favicon.svg", &[("if-none-match", &etag)]).unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let other = get(&site, "/favicon.svg", &[("if-none-match", "\"nope\"")]).unwrap();
        assert_eq!(other.status(), StatusCode::OK);
    }

    #[test]
    fn without_bundles_the_build_is_dev() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteFiles::load(&dir.path().join("missing"), false).unwrap();
        assert_eq!(site.build(), "dev");
        assert_eq!(site.stylesheet(), "/pkg/barback.css");
    }
}
