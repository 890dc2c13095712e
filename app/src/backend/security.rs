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

/// Whether a request's `Host` (or HTTP/2 authority) names this bar: `BARBACK_PUBLIC_URL`'s host,
/// `localhost`, or an IP address. A page on another site whose name was rebound to the bar's address
/// (DNS rebinding) sends its own name, and is refused; an IP address cannot be rebound, and is what
/// phones on the Wi-Fi, health checks and load balancers use.
pub fn host_is_served(config: &Config, host: &str) -> bool {
    let name = host_name(host);
    if name.is_empty() {
        return false;
    }
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok()
        || config
            .public_url
            .split_once("://")
            .and_then(|(_, rest)| rest.split('/').next())
            .is_some_and(|public| host_name(public).eq_ignore_ascii_case(name))
}

/// `bar.example:443` → `bar.example`, `[::1]:3000` → `::1`; a trailing dot is dropped.
fn host_name(host: &str) -> &str {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    name.strip_suffix('.').unwrap_or(name)
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

    #[test]
    fn only_the_bars_own_names_and_addresses_are_served() {
        let mut config = Config::new("sqlite://x.db", "0.0.0.0:3000".parse().unwrap());
        config.public_url = "https://Bar.Example".into();
        for host in [
            "bar.example",
            "BAR.example:443",
            "bar.example.",
            "localhost:3000",
            "127.0.0.1:3000",
            "192.168.1.20:3000",
            "[::1]:3000",
            "[fe80::1]",
        ] {
            assert!(host_is_served(&config, host), "{host}");
        }
        for host in [
            "evil.example",
            "bar.example.evil.example",
            "",
            ":3000",
            "[]:1",
        ] {
            assert!(!host_is_served(&config, host), "{host}");
        }
    }
}
