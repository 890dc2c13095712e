//! Who is calling: admin sessions (argon2id passwords) and guest sessions, both as random tokens
//! in HttpOnly cookies, stored only as SHA-256 hashes. `require_guest()` / `require_admin()` are
//! the one way server functions check it.

pub use super::store::admins::Admin;
use super::store::guests::GuestRow;
use super::AppState;
use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use cookie::{Cookie, SameSite};
use http::{header, HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the username is unknown, so both cases take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

/// A new random session token and the hash that is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = super::hex(&bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    super::hex(&Sha256::digest(token.as_bytes()))
}

/// Why `password` will not do for a host account, if it will not: shorter than 8 characters, or
/// guessable in fewer than about 10^8 tries by zxcvbn's estimate (which knows common passwords,
/// words, names, keyboard runs, dates and l33t), with its advice.
pub fn weak_password(password: &str, username: &str) -> Option<String> {
    if password.chars().count() < 8 {
        return Some("passwords must be at least 8 characters".into());
    }
    let estimate = zxcvbn::zxcvbn(
        password,
        &[username, "barback", "bartender", "admin", "host"],
    );
    if estimate.score() >= zxcvbn::Score::Three {
        return None;
    }
    let advice = estimate.feedback().and_then(|feedback| {
        feedback
            .warning()
            .map(|warning| warning.to_string())
            .or_else(|| feedback.suggestions().first().map(|s| s.to_string()))
    });
    Some(match advice {
        Some(advice) => format!("that password is too easy to guess ({advice})"),
        None => "that password is too easy to guess: add a few uncommon words".into(),
    })
}

/// A readable random password for a new admin.
pub fn generate_password() -> String {
    const WORDS: &str = "abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| WORDS.as_bytes()[usize::from(*b) % WORDS.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// How session cookies are set. Browsers drop `Secure` cookies on plain http (except localhost),
/// so on a home network over http we fall back to HttpOnly + SameSite=Lax without the prefix.
///
/// Browsers keep cookies per host, not per port (RFC 6265 §8.5): two bars on one machine (ports
/// 3000 and 3001) would overwrite each other's sessions, and a guest of one would find themselves
/// signed out of the other. A bar on a port other than its scheme's default names its cookies
/// after the port (`__Host-barback_guest_3000`).
#[derive(Clone, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
    port: Option<u16>,
}

pub const GUEST: &str = "barback_guest";
pub const ADMIN: &str = "barback_admin";

impl CookiePolicy {
    pub fn for_public_url(public_url: &str) -> Self {
        let uri = public_url.parse::<http::Uri>().ok();
        let https = uri.as_ref().and_then(http::Uri::scheme_str) == Some("https");
        let host = uri
            .as_ref()
            .and_then(http::Uri::host)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
        let default_port = if https { 443 } else { 80 };
        CookiePolicy {
            secure: https || local,
            port: uri
                .as_ref()
                .and_then(http::Uri::port_u16)
                .filter(|port| *port != default_port),
        }
    }

    pub fn name(&self, base: &str) -> String {
        let prefix = if self.secure { "__Host-" } else { "" };
        match self.port {
            Some(port) => format!("{prefix}{base}_{port}"),
            None => format!("{prefix}{base}"),
        }
    }

    /// A `Set-Cookie` value; `max_age_secs = 0` deletes the cookie.
    pub fn set(&self, base: &str, value: &str, max_age_secs: i64) -> HeaderValue {
        let cookie = Cookie::build((self.name(base), value.to_string()))
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age_secs))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
    }

    /// Whether the request carries a guest's or a host's session cookie at all (valid or not).
    pub fn carries_session(&self, headers: &HeaderMap) -> bool {
        self.read(headers, GUEST).is_some() || self.read(headers, ADMIN).is_some()
    }

    pub fn read(&self, headers: &HeaderMap, base: &str) -> Option<String> {
        let name = self.name(base);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
            .map(|c| c.value().to_string())
    }
}

pub async fn guest_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<GuestRow>, AppError> {
    match state.cookies.read(headers, GUEST) {
        Some(token) => Ok(state.store.guest_by_token(&token_hash(&token)).await?),
        None => Ok(None),
    }
}

pub async fn admin_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Admin>, AppError> {
    match state.cookies.read(headers, ADMIN) {
        Some(token) => Ok(state.store.admin_by_session(&token_hash(&token)).await?),
        None => Ok(None),
    }
}

/// The client address of the request being handled, as the rate limiter saw it.
pub fn request_client() -> Option<std::net::IpAddr> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<super::limits::ClientAddr>()
        .map(|client| client.0)
}

/// The headers of the request being handled (empty outside a request).
pub fn request_headers() -> HeaderMap {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default()
}

/// The calling guest, or `Unauthorized`. Call first in every guest server function.
pub async fn require_guest() -> Result<(AppState, GuestRow), AppError> {
    let state = AppState::from_context()?;
    let guest = guest_from_headers(&state, &request_headers()).await?;
    guest.map(|g| (state, g)).ok_or(AppError::Unauthorized)
}

/// The calling admin, or `Unauthorized`. Call first in every admin server function.
pub async fn require_admin() -> Result<(AppState, Admin), AppError> {
    let state = AppState::from_context()?;
    let admin = admin_from_headers(&state, &request_headers()).await?;
    admin.map(|a| (state, a)).ok_or(AppError::Unauthorized)
}

/// The guest, if one is signed in (no error when not).
pub async fn optional_guest() -> Result<(AppState, Option<GuestRow>), AppError> {
    let state = AppState::from_context()?;
    let guest = guest_from_headers(&state, &request_headers()).await?;
    Ok((state, guest))
}

/// Adds a `Set-Cookie` header to the response being built.
pub fn append_cookie(value: HeaderValue) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// Middleware: a signed-out `GET` of an admin page answers 303 See Other to the sign-in page (and
/// `/admin` itself leads to the board), so every browser, with or without JavaScript, lands where
/// it should instead of on an empty page.
pub async fn admin_pages_need_sign_in(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let path = request.uri().path();
    let admin_page = path == "/admin" || (path.starts_with("/admin/") && path != "/admin/login");
    if request.method() != http::Method::GET || !admin_page {
        return next.run(request).await;
    }
    match admin_from_headers(&state, request.headers()).await {
        Ok(None) => axum::response::Redirect::to("/admin/login").into_response(),
        Ok(Some(_)) if path == "/admin" => {
            axum::response::Redirect::to("/admin/board").into_response()
        }
        // Signed in, or the database is away: the page itself says what there is to say.
        _ => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_host_passwords_are_refused_with_advice_and_strong_ones_pass() {
        for weak in [
            "short",
            "password123",
            "barback2024",
            "qwertyuiop",
            "Host1234!",
        ] {
            assert!(weak_password(weak, "host").is_some(), "{weak}");
        }
        assert!(weak_password("velvet-otter-carries-lemons", "host").is_none());
        assert!(weak_password(&generate_password(), "host").is_none());
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "wrong horse"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn cookies_are_secure_with_the_host_prefix_on_https_and_localhost_only() {
        for (url, name) in [
            ("https://bar.example", "__Host-barback_guest=t"),
            ("https://bar.example:443/", "__Host-barback_guest=t"),
            ("http://localhost:3000", "__Host-barback_guest_3000=t"),
            ("http://127.0.0.1:3000", "__Host-barback_guest_3000=t"),
            ("http://[::1]:8080", "__Host-barback_guest_8080=t"),
        ] {
            let policy = CookiePolicy::for_public_url(url);
            assert!(policy.secure, "{url}");
            let cookie = policy.set(GUEST, "t", 60).to_str().unwrap().to_string();
            assert!(cookie.starts_with(name), "{cookie}");
            for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
                assert!(cookie.contains(flag), "{cookie} lacks {flag}");
            }
        }
        let lan = CookiePolicy::for_public_url("http://192.168.1.20:3000");
        assert!(!lan.secure);
        let cookie = lan.set(GUEST, "t", 60).to_str().unwrap().to_string();
        assert!(cookie.starts_with("barback_guest_3000=t") && cookie.contains("HttpOnly"));
        assert!(!cookie.contains("Secure"));
        let plain = CookiePolicy::for_public_url("http://bar.lan");
        assert_eq!(plain.name(ADMIN), "barback_admin");
    }

    #[test]
    fn two_bars_on_one_host_keep_their_own_sessions() {
        let (first, second) = (
            CookiePolicy::for_public_url("http://127.0.0.1:3000"),
            CookiePolicy::for_public_url("http://127.0.0.1:3001"),
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static(
                "barback_guest=plain; __Host-barback_guest_3000=first; __Host-barback_guest_3001=second",
            ),
        );
        assert_eq!(first.read(&headers, GUEST).as_deref(), Some("first"));
        assert_eq!(second.read(&headers, GUEST).as_deref(), Some("second"));
        let lan = CookiePolicy::for_public_url("http://bar.lan");
        assert_eq!(lan.read(&headers, GUEST).as_deref(), Some("plain"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), hash_a);
        assert_ne!(a, hash_a);
        assert_eq!(generate_password().len(), 23);
    }
}
