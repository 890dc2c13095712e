//! Wiring: the router, its middleware, and the HTTP server. Everything it wires lives in `app`.

mod connections;

pub use connections::{serve, SHUTDOWN_GRACE};

use app::backend::{auth, metrics, pages, rest, security, site, AppState, Config};
use app::{shell, App};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::{header, HeaderValue, Method, StatusCode};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Leptos settings derived from our own configuration (no Cargo.toml needed at run time).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") => Env::DEV,
        _ => Env::PROD,
    };
    // A release build by cargo-leptos puts content hashes into the bundle names and lists them in
    // `hash.txt` beside the server binary; the pages then name the hashed files.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.is_file());
    LeptosOptions::builder()
        .output_name(app::backend::site::OUTPUT_NAME)
        .hash_files(hash_files)
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(env)
        .build()
}

/// The app's page routes, listed once per process. Listing renders the app with resource loading
/// suppressed by a process-wide flag, so a page that another router in the same process renders
/// meanwhile would wait forever (leptos-rs/leptos#4773): tests run many servers in one process.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages, server functions, the JSON API, static files.
pub fn router(state: AppState) -> Router {
    let pages = page_routes();
    let options = state.leptos_options.clone();
    let mut router = Router::new().merge(rest::routes(&state));
    if let Some(local) = state.photos.local() {
        // Photo variants never change under a name (new photos get new names): cache for a year.
        let images = tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .service(tower_http::services::ServeDir::new(local.images_dir()));
        router = router.nest_service("/images", images);
    }
    router
        // The router puts `AppState` into every page's and server function's context.
        .leptos_routes_with_context(&state, pages, || {}, move || shell(options.clone()))
        // Every route so far notes its pattern on the response, for the requests metric.
        .route_layer(middleware::from_fn(metrics::mark_route))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::serve_cached_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::admin_pages_need_sign_in,
        ))
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        // Site files come from memory before any per-request work: no rate limit, no rendering.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            site::serve_site_files,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), page_security))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_foreign_hosts,
        ))
        // Streamed answers (the bartender's) must reach the browser as they are written; a
        // compressor would hold them back until its buffer fills.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream")),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::count_requests,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Answers only requests addressed to this bar (`security::host_is_served`): after a DNS
/// rebinding, another site's page could otherwise drive the bar through a guest's browser. Health
/// checks answer whatever the name, and so do metrics (scraped by address; a bearer token guards
/// them, which a rebinding page does not have).
async fn refuse_foreign_hosts(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if matches!(path, "/healthz" | "/readyz" | "/metrics") {
        return next.run(request).await;
    }
    let host = request
        .uri()
        .authority()
        .map(|authority| authority.as_str())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
        })
        .unwrap_or_default();
    if security::host_is_served(&state.config, host) {
        return next.run(request).await;
    }
    tracing::warn!(host, path, "request for another host refused");
    (
        StatusCode::MISDIRECTED_REQUEST,
        "this server does not serve that host name",
    )
        .into_response()
}

/// A request must be answered within its time (`ConnectionLimits::time_for`), its body read
/// included: a client that trickles a body in, or a stuck render, gets 503 instead of holding
/// the connection. Streamed bodies (live events, the bartender's answer) go on after the head.
async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state
        .config
        .limits
        .connections
        .time_for(request.method(), request.uri().path());
    let (method, uri) = (request.method().clone(), request.uri().clone());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%method, path = uri.path(), ?limit, "request not answered in time");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "the request took too long",
            )
                .into_response()
        }
    }
}

/// Refuses state-changing requests sent by another site's page (CSRF). Browsers say where a
/// request comes from in `Sec-Fetch-Site` (Fetch Metadata): only `same-origin` (and `none`, a
/// request the user made directly) may write. Older browsers send only `Origin`, which must then
/// be this host. SameSite=Lax cookies already keep sessions out of such requests; this also
/// stops cross-site writes that need no session (joining) and sibling subdomains (`same-site`).
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers()) {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            fetch_site = ?request.headers().get("sec-fetch-site"),
            origin = ?request.headers().get(header::ORIGIN),
            "cross-site write refused"
        );
        return (StatusCode::FORBIDDEN, "cross-site requests are not allowed").into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &http::HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false; // not a browser, or a same-origin GET-style form in a very old one
    };
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, host)| host.trim_end_matches('/'));
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    origin_host.is_none() || origin_host != host
}

/// Per-client rate limits (see `app::backend::limits`); over a limit: 429 with `Retry-After`, and
/// the error as JSON that the pages turn into "slow down" (or a short HTML page for browsers).
async fn rate_limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    use app::backend::limits::Class;
    use leptos::server_fn::ServerFn;
    let Some(peer) = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
    else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let class = if path == app::api::orders::PlaceOrder::PATH {
        Class::Order
    } else if path == app::api::bartender::AskBartender::PATH {
        Class::Chat
    } else {
        Class::Browse
    };
    let client = state.limits.client_ip(peer, request.headers());
    let Err(wait) = state.limits.check(client, class) else {
        request
            .extensions_mut()
            .insert(app::backend::limits::ClientAddr(client));
        return next.run(request).await;
    };
    let retry_after_secs = app::backend::limits::retry_after_secs(wait);
    tracing::warn!(%client, ?class, retry_after_secs, "rate limited");
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
        && request.method() == Method::GET;
    let mut response = if wants_html {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!(
                "<!DOCTYPE html><html lang=\"en\"><meta name=\"viewport\" content=\"width=device-width\">\
                 <title>Slow down · Barback</title><h1>Slow down a little</h1>\
                 <p>Too many requests from your device. Try again in {retry_after_secs} s.</p></html>"
            ),
        )
            .into_response()
    } else if path.starts_with("/api/") && !path.starts_with("/api/v1/") {
        // A server function: its typed error, as its browser client reads errors.
        let error = app::error::AppError::RateLimited { retry_after_secs };
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&error).unwrap_or_default(),
        )
            .into_response()
    } else {
        app::error::AppError::RateLimited { retry_after_secs }.into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Every HTML response gets a Content-Security-Policy: pages rendered by Leptos set theirs, with
/// the nonce of their scripts, in the shell; any other HTML (which carries no script) gets a
/// policy that allows none. Over https every response also carries HSTS.
async fn page_security(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(security::STATIC_PAGE_POLICY),
        );
    }
    if let Some(hsts) = security::hsts(&state.config) {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    response
}
