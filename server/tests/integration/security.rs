//! Security headers and cross-site request refusal, on every kind of route.

use crate::common::{db_test, spawn_app_with, Db};
use http::Method;

fn nonce_of(policy: &str) -> String {
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"))
        .to_string()
}

db_test!(
    every_page_carries_a_csp_whose_nonce_is_on_all_its_scripts,
    |app| {
        let drink = app.drink_id("Negroni");
        let mut nonces = Vec::new();
        for path in [
            "/",
            &format!("/drinks/{drink}"),
            "/bartender",
            "/orders",
            "/admin/login",
            "/admin/board",
            "/no-such-page",
        ] {
            let response = app.get(path).await;
            let headers = response.headers().clone();
            let policy = headers["content-security-policy"]
                .to_str()
                .unwrap()
                .to_string();
            for part in [
                "'wasm-unsafe-eval'",
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
            ] {
                assert!(
                    policy.contains(part),
                    "{path}: {part} missing from {policy}"
                );
            }
            assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert!(headers.contains_key("referrer-policy"), "{path}");
            assert!(
                !headers.contains_key("strict-transport-security"),
                "{path}: plain http"
            );
            let nonce = nonce_of(&policy);
            let html = response.text().await.unwrap();
            let scripts = html.matches("<script").count();
            assert!(scripts > 0, "{path}: no scripts");
            assert_eq!(
                html.matches(&format!("nonce=\"{nonce}\"")).count(),
                scripts,
                "{path}: a script without the nonce"
            );
            nonces.push(nonce);
        }
        nonces.sort();
        nonces.dedup();
        assert_eq!(nonces.len(), 7, "a fresh nonce for every response");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_when_the_bar_is_served_over_https() {
    let app = spawn_app_with(Db::Sqlite, |c| c.public_url = "https://bar.example".into())
        .await
        .unwrap();
    for path in ["/", "/api/v1/sections", "/healthz"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_from_another_site_are_refused_whatever_the_route() {
    let app = spawn_app_with(Db::Sqlite, |_| {}).await.unwrap();
    let guest = app.join("Target").await;
    let fn_path = |path: &str| app.url(path);
    let join = fn_path(<app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH);
    let order = fn_path(<app::api::orders::PlaceOrder as leptos::server_fn::ServerFn>::PATH);
    let ask = fn_path(<app::api::bartender::AskBartender as leptos::server_fn::ServerFn>::PATH);
    let upload = app.url(
        "/uploads/0123456789abcdef0123456789abcdef.jpg?expires=1&type=image/jpeg&length=3&sig=00",
    );
    let targets = [
        (Method::POST, join),
        (Method::POST, order),
        (Method::POST, ask),
        (Method::PUT, upload),
    ];
    let refusals: [&[(&str, &str)]; 3] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
    ];
    for (method, url) in &targets {
        for headers in refusals {
            let mut request = app
                .client
                .request(method.clone(), url)
                .header("cookie", &guest.0)
                .body("message=hi");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 403, "{method} {url} with {headers:?}");
            assert_eq!(
                response.text().await.unwrap(),
                "cross-site requests are not allowed"
            );
        }
        let same_origin = app
            .client
            .request(method.clone(), url)
            .header("cookie", &guest.0)
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("message=hi")
            .send()
            .await
            .unwrap();
        let body = same_origin.text().await.unwrap();
        assert_ne!(
            body, "cross-site requests are not allowed",
            "{method} {url} from the bar itself"
        );
    }
    // Nothing was written by the refused requests.
    assert!(app
        .state
        .store
        .guest_orders(&app.guest_id("Target").await)
        .await
        .unwrap()
        .is_empty());
}

#[test]
fn no_server_function_is_reachable_with_a_get() {
    let paths: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        paths.len() > 20,
        "server functions are registered: {paths:?}"
    );
    for (path, method) in paths {
        assert_eq!(method, Method::POST, "{path}");
    }
}

fn rate(per_second: u32, burst: u32) -> app::backend::limits::Rate {
    app::backend::limits::Rate { per_second, burst }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsing_over_the_limit_gets_429_with_retry_after_and_a_slow_down_page() {
    let app = spawn_app_with(Db::Sqlite, |c| c.limits.browse = rate(1, 5))
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.get("/api/v1/sections").await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[200; 5], "the burst is allowed");
    assert_eq!(statuses[7], 429, "{statuses:?}");
    let refused = app.get("/api/v1/sections").await;
    assert_eq!(refused.status(), 429);
    let retry = crate::common::retry_after(&refused);
    assert!((1..=2).contains(&retry), "{retry}");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    // A browser asking for a page is told, in words, to slow down.
    let page = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert!(page.text().await.unwrap().contains("Slow down a little"));
    // Health checks are never limited.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_have_their_own_lower_limit_and_the_form_gets_a_typed_error() {
    let app = spawn_app_with(Db::Sqlite, |c| {
        c.max_active_orders = 10;
        c.limits.orders = rate(1, 2);
    })
    .await
    .unwrap();
    let guest = app.join("Speedy").await;
    assert!(app.place(&guest, "Mojito", "key-00000001").await.is_ok());
    assert!(app.place(&guest, "Mojito", "key-00000002").await.is_ok());
    match app.place(&guest, "Mojito", "key-00000003").await {
        Err(app::error::AppError::RateLimited { retry_after_secs }) => {
            assert!(retry_after_secs >= 1)
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
    // Browsing goes on.
    assert_eq!(app.get("/api/v1/sections").await.status(), 200);
    let id = app.guest_id("Speedy").await;
    assert_eq!(
        app.state.store.guest_orders(&id).await.unwrap().len(),
        2,
        "the refused order was not placed"
    );
}

async fn forwarded_statuses(app: &crate::common::TestApp) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..4 {
        let response = app
            .client
            .get(app.url("/api/v1/sections"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_forwarded_for_cannot_dodge_the_limit_unless_the_proxy_is_trusted() {
    let open = spawn_app_with(Db::Sqlite, |c| c.limits.browse = rate(1, 2))
        .await
        .unwrap();
    assert_eq!(
        forwarded_statuses(&open).await[2..],
        [429, 429],
        "a spoofed header changes nothing"
    );
    let proxied = spawn_app_with(Db::Sqlite, |c| {
        c.limits.browse = rate(1, 2);
        c.limits.trusted_proxies =
            app::backend::limits::parse_trusted_proxies("127.0.0.1").unwrap();
    })
    .await
    .unwrap();
    assert_eq!(
        forwarded_statuses(&proxied).await,
        [200; 4],
        "each client behind the proxy has its own budget"
    );
}

db_test!(
    a_request_for_another_host_name_is_refused,
    tweak = |config| config.public_url = "https://bar.example".into(),
    |app| {
        let port = app.addr.port();
        let with_host = |method: Method, path: &str, host: &str| {
            app.client
                .request(method, app.url(path))
                .header("host", host.to_string())
        };
        // DNS rebinding: evil.example now resolves to the bar, and its page writes to it with
        // an Origin that matches the Host it sends.
        let evil = format!("evil.example:{port}");
        let response = with_host(Method::GET, "/", &evil).send().await.unwrap();
        assert_eq!(response.status(), 421);
        let code = app.invite(1).await;
        let join = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
        let response = with_host(Method::POST, join, &evil)
            .header("origin", format!("http://{evil}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("code={code}&name=Mallory"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 421);
        assert!(app.state.store.active_guests().await.unwrap().is_empty());
        // Health checks answer whatever the name; the bar's own names and addresses are served.
        let response = with_host(Method::GET, "/healthz", &evil)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        for host in [
            "bar.example",
            &format!("localhost:{port}"),
            &format!("127.0.0.1:{port}"),
        ] {
            let response = with_host(Method::GET, "/", host).send().await.unwrap();
            assert_eq!(response.status(), 200, "{host}");
        }
    }
);

db_test!(
    password_guessing_waits_per_client_while_the_host_still_signs_in,
    tweak = |config| {
        config.limits.trusted_proxies =
            app::backend::limits::parse_trusted_proxies("127.0.0.1").unwrap()
    },
    |app| {
        app.admin().await; // "host" with "party-password"
        let path = <app::api::admin::AdminLogin as leptos::server_fn::ServerFn>::PATH;
        let client = crate::common::TestApp::no_redirects();
        let login = |from: &'static str, password: &'static str| {
            client
                .post(app.url(path))
                .header("x-forwarded-for", from)
                .header("accept", "application/json")
                .form(&[("username", "host"), ("password", password)])
                .send()
        };
        let guesser = "198.51.100.7";
        for attempt in 1..app::backend::signin::FREE_PER_CLIENT {
            let response = login(guesser, "wrong-guess").await.unwrap();
            assert_eq!(response.status(), 400, "attempt {attempt}");
        }
        let response = login(guesser, "wrong-guess").await.unwrap();
        assert_eq!(response.status(), 429);
        let retry_after = crate::common::retry_after(&response);
        assert!(retry_after >= 1);
        assert!(response.text().await.unwrap().contains("RateLimited"));
        // The guesser waits even with the right password; the host, elsewhere, signs in.
        let response = login(guesser, "party-password").await.unwrap();
        assert_eq!(response.status(), 429);
        assert!(response.headers().get("set-cookie").is_none());
        let response = login("203.0.113.5", "party-password").await.unwrap();
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{}",
            response.status()
        );
        assert!(response.headers().get("set-cookie").is_some());
    }
);
