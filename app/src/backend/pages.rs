//! Pages that are the same for many visitors, rendered once per menu version and served from
//! memory: the menu (`/`, the same for everyone) and a drink page as a visitor who has not joined
//! sees it (a guest's drink page carries their own order form, so it is rendered for them).
//!
//! A cached page is kept with the menu snapshot it was rendered from; `AppState::menu_changed`
//! (and a change followed from another process) swaps the snapshot, which retires the page. The
//! CSP nonce stays per response: the page is kept split around its render's nonce, and every
//! answer joins it with a fresh one. A weak `ETag` lets a returning browser get a 304.

use super::AppState;
use crate::model::SharedMenu;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Pages kept at most; beyond that (only with a huge menu) further pages are rendered per request.
const MAX_PAGES: usize = 1024;
/// A page larger than this is never kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct PageCache {
    pages: Arc<RwLock<HashMap<String, Arc<CachedPage>>>>,
}

#[derive(Debug)]
struct CachedPage {
    /// The snapshot the page was rendered from; a different current snapshot retires it.
    menu: SharedMenu,
    /// The page with its render's nonce cut out: a nonce goes between each two parts.
    parts: Vec<Bytes>,
    len: usize,
    content_type: HeaderValue,
    etag: HeaderValue,
}

/// Which cache entry a request may be answered from, if any: one copy per page and language.
fn cache_key(state: &AppState, request: &Request) -> Option<String> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let path = request.uri().path();
    let shared = path == "/"
        || path.strip_prefix("/drinks/").is_some_and(|id| {
            !id.is_empty() && !id.contains('/') && !state.cookies.carries_session(request.headers())
        });
    // Only a page that may be shared reads the language: the rest never pays for it.
    shared.then(|| {
        let language = super::language::from_headers(state, request.headers());
        format!("{}{path}", crate::i18n::I18nLocaleTrait::as_str(language))
    })
}

impl PageCache {
    fn get(&self, key: &str, menu: &SharedMenu) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().unwrap_or_else(|p| p.into_inner());
        pages
            .get(key)
            .filter(|page| Arc::ptr_eq(&page.menu, menu))
            .cloned()
    }

    fn put(&self, key: String, page: Arc<CachedPage>) {
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.retain(|_, kept| Arc::ptr_eq(&kept.menu, &page.menu));
            if pages.len() >= MAX_PAGES {
                return;
            }
        }
        pages.insert(key, page);
    }
}

impl CachedPage {
    /// Keeps a rendered page, if it can be shared: a 200 HTML page that sets no cookie and whose
    /// CSP names the nonce on its scripts.
    fn keep(menu: SharedMenu, headers: &HeaderMap, body: &Bytes) -> Option<Self> {
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)?
            .to_str()
            .ok()?
            .split("'nonce-")
            .nth(1)?
            .split('\'')
            .next()?
            .to_string();
        if nonce.len() < 16 || headers.contains_key(header::SET_COOKIE) {
            return None;
        }
        let content_type = headers.get(header::CONTENT_TYPE)?.clone();
        if !content_type.to_str().ok()?.starts_with("text/html") {
            return None;
        }
        let text = std::str::from_utf8(body).ok()?;
        let mut parts = Vec::new();
        let mut digest = Sha256::new();
        let mut start = 0;
        for (at, _) in text.match_indices(&nonce) {
            parts.push(body.slice(start..at));
            digest.update(&body[start..at]);
            start = at + nonce.len();
        }
        parts.push(body.slice(start..));
        digest.update(&body[start..]);
        let etag = format!("W/\"{}\"", super::hex(&digest.finalize()[..12]));
        Some(CachedPage {
            menu,
            len: body.len() - (parts.len() - 1) * nonce.len(),
            parts,
            content_type,
            etag: HeaderValue::from_str(&etag).ok()?,
        })
    }

    fn respond(&self, state: &AppState, request_headers: &HeaderMap) -> Response {
        let mut response = if super::site::if_none_match(
            request_headers,
            self.etag.to_str().unwrap_or_default(),
        ) {
            // No CSP here: the browser keeps the one stored with its copy, which matches its nonce.
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let nonce = leptos::nonce::Nonce::new().to_string();
            let mut body = BytesMut::with_capacity(self.len + nonce.len() * self.parts.len());
            for (i, part) in self.parts.iter().enumerate() {
                if i > 0 {
                    body.extend_from_slice(nonce.as_bytes());
                }
                body.extend_from_slice(part);
            }
            let mut response = Response::new(Body::from(body.freeze()));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            let policy = super::security::content_security_policy(&nonce, &state.config);
            if let Ok(policy) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        // The language comes from the cookie or `Accept-Language`; a drink page also differs
        // by who asks (the cookie again).
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept-language, cookie"),
        );
        response
    }
}

/// Middleware: answers the shared pages from memory, rendering (and keeping) them on a miss.
/// How the requests metric names pages served from the cache.
const CACHED_ROUTE: &str = "cached page";

pub async fn serve_cached_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = cache_key(&state, &request) else {
        return next.run(request).await;
    };
    // Taken before rendering: if the menu changes meanwhile, the page is kept under the older
    // snapshot and simply rendered again on the next request.
    let menu = state.menu.snapshot();
    if let Some(page) = state.pages.get(&key, &menu) {
        return super::metrics::labelled(page.respond(&state, request.headers()), CACHED_ROUTE);
    }
    // The request goes on to be rendered; only its validators are needed afterwards.
    let mut validators = HeaderMap::new();
    for value in request.headers().get_all(header::IF_NONE_MATCH) {
        validators.append(header::IF_NONE_MATCH, value.clone());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, path = %key, "could not read a rendered page");
            return crate::error::AppError::Internal.into_response();
        }
    };
    match CachedPage::keep(menu, &parts.headers, &body) {
        Some(page) => {
            let page = Arc::new(page);
            state.pages.put(key, page.clone());
            super::metrics::labelled(page.respond(&state, &validators), CACHED_ROUTE)
        }
        None => Response::from_parts(parts, Body::from(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(nonce: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("script-src 'self' 'nonce-{nonce}'")).unwrap(),
        );
        headers
    }

    #[test]
    fn a_page_is_kept_split_around_its_nonce() {
        let nonce = "AbCdEfGhIjKlMnOpQrStUv";
        let body = Bytes::from(format!(
            "<script nonce=\"{nonce}\">a</script><p>menu</p><script nonce=\"{nonce}\">b</script>"
        ));
        let page = CachedPage::keep(Arc::default(), &headers(nonce), &body).unwrap();
        assert_eq!(page.parts.len(), 3);
        let joined: Vec<u8> = page.parts.iter().flat_map(|p| p.to_vec()).collect();
        assert!(!String::from_utf8(joined).unwrap().contains(nonce));
        assert_eq!(page.len, body.len() - 2 * nonce.len());
        assert!(page.etag.to_str().unwrap().starts_with("W/\""));
    }

    #[test]
    fn pages_that_set_cookies_or_carry_no_nonce_are_not_kept() {
        let nonce = "AbCdEfGhIjKlMnOpQrStUv";
        let body = Bytes::from_static(b"<p>hi</p>");
        let mut with_cookie = headers(nonce);
        with_cookie.insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        assert!(CachedPage::keep(Arc::default(), &with_cookie, &body).is_none());
        let mut no_csp = headers(nonce);
        no_csp.remove(header::CONTENT_SECURITY_POLICY);
        assert!(CachedPage::keep(Arc::default(), &no_csp, &body).is_none());
        let mut json = headers(nonce);
        json.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(CachedPage::keep(Arc::default(), &json, &body).is_none());
    }
}

/// Minutes east of UTC on the clock of the browser making this request (the cookie the early
/// script sets, `components::early::CLOCK_COOKIE`); 0 when unknown.
pub fn host_clock_east() -> i64 {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return 0;
    };
    clock_east(&parts.headers)
}

fn clock_east(headers: &HeaderMap) -> i64 {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == crate::components::early::CLOCK_COOKIE)
        .and_then(|c| c.value().parse::<i64>().ok())
        // Real offsets run from UTC-12 to UTC+14.
        .filter(|east| (-12 * 60..=14 * 60).contains(east))
        .unwrap_or(0)
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn the_hosts_clock_comes_from_its_cookie_within_real_offsets() {
        let with = |cookie: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
            clock_east(&headers)
        };
        assert_eq!(with("a=b; barback_clock=60"), 60);
        assert_eq!(with("barback_clock=-300"), -300);
        assert_eq!(with("barback_clock=9999"), 0);
        assert_eq!(with("barback_clock=soon"), 0);
        assert_eq!(clock_east(&HeaderMap::new()), 0);
    }
}
