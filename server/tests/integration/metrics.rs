//! `GET /metrics`: off without a token, refused without the right one, and complete with it.

use crate::common::{db_test, eventually, EventReader, TestApp};
use std::collections::BTreeMap;
use std::time::Duration;

const TOKEN: &str = "scrape-me-0123456789";

/// The exposition as series → value (`name{labels}` exactly as written).
fn series(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect()
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn metrics(app: &TestApp) -> BTreeMap<String, f64> {
    let response = scrape(app, Some(TOKEN)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    series(&response.text().await.unwrap())
}

db_test!(metrics_are_off_without_a_token, |app| {
    assert_eq!(scrape(&app, None).await.status(), 404);
    assert_eq!(scrape(&app, Some(TOKEN)).await.status(), 404);
});

db_test!(
    metrics_need_the_token_and_count_the_night,
    tweak = |config| config.metrics_token = Some(TOKEN.into()),
    |app| {
        // Refused without the token, or with another one.
        assert_eq!(scrape(&app, None).await.status(), 401);
        assert_eq!(scrape(&app, Some("scrape-me")).await.status(), 401);
        let plain = app
            .client
            .get(app.url("/metrics"))
            .header("authorization", TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(plain.status(), 401);

        // A night in small: a guest with the page open orders, asks the bartender, and the host
        // makes the drink.
        let guest = app.join("Mia").await;
        let admin = app.admin().await;
        let mut stream = EventReader::new(app.events(Some(&guest)).await);
        assert_eq!(
            stream.next(Duration::from_secs(5)).await.unwrap().0,
            "hello"
        );
        let order = app.place(&guest, "Negroni", "mia-key-0001").await.unwrap();
        // The same key again is the same order: counted once.
        app.place(&guest, "Negroni", "mia-key-0001").await.unwrap();
        app.advance(&admin, &order.id, "making").await.unwrap();
        app.advance(&admin, &order.id, "ready").await.unwrap();
        let answer = app.ask(&guest, "something bitter and strong").await;
        assert_eq!(answer.status, 200);
        assert_eq!(app.get("/healthz").await.status(), 200);

        let seen = metrics(&app).await;
        let value = |name: &str| {
            *seen
                .get(name)
                .unwrap_or_else(|| panic!("{name} missing from {seen:#?}"))
        };
        assert_eq!(value(r#"barback_orders_total{status="queued"}"#), 1.0);
        assert_eq!(value(r#"barback_orders_total{status="making"}"#), 1.0);
        assert_eq!(value(r#"barback_orders_total{status="ready"}"#), 1.0);
        assert_eq!(value("barback_order_placement_seconds_count"), 1.0);
        assert_eq!(
            value(r#"barback_order_placement_seconds_bucket{le="+Inf"}"#),
            1.0
        );
        assert_eq!(value("barback_order_status_change_seconds_count"), 2.0);
        assert_eq!(value("barback_live_streams_open"), 1.0);
        assert_eq!(
            value(r#"barback_bartender_answers_total{source="house",fallback="false"}"#),
            1.0
        );
        assert_eq!(
            value(r#"barback_http_requests_total{route="/metrics",status="401"}"#),
            3.0
        );
        assert_eq!(
            value(r#"barback_http_requests_total{route="/healthz",status="200"}"#),
            1.0
        );
        assert!(value(r#"barback_http_request_seconds_count{route="/healthz"}"#) >= 1.0);
        // The server functions the night went through, under their own routes.
        assert!(
            seen.keys()
                .any(|name| name.starts_with("barback_http_requests_total{route=\"/api/")),
            "{seen:#?}"
        );
        // Read at scrape time: the bartender's learning job is in the outbox; the pool is in use.
        assert!(seen
            .keys()
            .any(|name| name.starts_with("barback_outbox_jobs{state=")));
        assert!(value(r#"barback_db_pool_connections{state="open"}"#) >= 1.0);
        assert!(seen.contains_key(r#"barback_db_pool_connections{state="idle"}"#));

        // The stream closes: the gauge follows.
        drop(stream);
        eventually(
            "the stream is counted closed",
            Duration::from_secs(5),
            || async { metrics(&app).await.get("barback_live_streams_open") == Some(&0.0) },
        )
        .await;
    }
);
