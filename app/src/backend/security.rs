//! Security headers for pages: a Content-Security-Policy with the per-response nonce that Leptos
//! puts on its hydration scripts, and HSTS when the bar is served over https.

use super::config::Config;
use http::{header, HeaderValue};

/// The policy for a page whose scripts carry `nonce`. Scripts run only from this origin with the
/// nonce (and WebAssembly may compile); images may also come from the photo CDN; uploads may go to
/// S3; nothing may frame the bar, and no `<base>` or plugin can be injected.
pub fn content_security_policy(nonce: &str, config: &Config) -> String {
    let mut images = vec!["'self'".to_string(), "data:".to_string()];
    let mut connect = vec!["'self'".to_string()];
    if let Some(s3) = &config.s3 {
        images.extend(origin(&s3.public_base_url));
        match &s3.endpoint {
            Some(endpoint) => connect.extend(origin(endpoint)),
            None => connect.push("https://*.amazonaws.com".into()),
        }
    }
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src {images}; connect-src {connect}; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        images = images.join(" "),
        connect = connect.join(" "),
    )
}

/// The policy for HTML that carries no script at all (e.g. the sign-in error page).
pub const STATIC_PAGE_POLICY: &str =
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// `https://cdn.example.com/photos` → `https://cdn.example.com`.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Adds the page's CSP (and HSTS over https) to the response being rendered. Called from the
/// HTML shell, where Leptos has provided the nonce it puts on its own scripts.
pub fn set_page_headers() {
    let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let Ok(state) = super::AppState::from_context() else {
        return;
    };
    let Some(nonce) = leptos::nonce::use_nonce() else {
        tracing::error!("no CSP nonce while rendering a page");
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce, &state.config)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
    if let Some(hsts) = hsts(&state.config) {
        response.insert_header(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
}

/// HSTS for a bar served over https: browsers then never try plain http for it.
pub fn hsts(config: &Config) -> Option<HeaderValue> {
    config
        .public_url
        .starts_with("https://")
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_nonce_wasm_and_the_photo_cdn_and_nothing_else() {
        let mut config = Config::new("sqlite://x.db", "127.0.0.1:3000".parse().unwrap());
        let policy = content_security_policy("abc123", &config);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(part), "{part}");
        }
        assert!(!policy.contains("unsafe-inline"));
        assert!(hsts(&config).is_none());
        config.public_url = "https://bar.example".into();
        config.s3 = Some(super::super::config::S3Config {
            bucket: "b".into(),
            public_base_url: "https://cdn.example.com/photos".into(),
            endpoint: None,
            region: None,
            credentials: None,
        });
        let policy = content_security_policy("n", &config);
        assert!(policy.contains("img-src 'self' data: https://cdn.example.com;"));
        assert!(policy.contains("connect-src 'self' https://*.amazonaws.com;"));
        assert!(hsts(&config).is_some());
    }
}
