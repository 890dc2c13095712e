//! Operators' metrics: `GET /metrics` in Prometheus text format, only with
//! `Authorization: Bearer <BARBACK_METRICS_TOKEN>` (off when the token is unset).
//!
//! Each server keeps its own recorder (not the process-wide one), so servers sharing a process (the
//! tests) count apart. Counters and histograms are recorded where things happen; what the database
//! knows (outbox jobs by state) and the pool's use are read when the endpoint is scraped.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::auth::token_hash;
use super::state::AppState;
use crate::model::OrderStatus;

/// Latency buckets, in seconds: 1 ms to 10 s.
const SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Where the server records what it measures: a recorder of its own, or nothing when metrics are
/// off. Cheap to clone; every method is a no-op when off.
#[derive(Clone, Default)]
pub struct Metrics(Option<Arc<Recorder>>);

struct Recorder {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Metrics").field(&self.0.is_some()).finish()
    }
}

/// What is read at scrape time rather than counted as it happens.
pub struct Gauges {
    /// Outbox jobs per state (`pending`, `done`, `failed`…).
    pub outbox: Vec<(String, i64)>,
    /// Connections the database pool holds, and how many of them are idle.
    pub pool_size: u32,
    pub pool_idle: usize,
}

impl Metrics {
    /// A recorder of this server's own.
    pub fn on() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)
            .map(PrometheusBuilder::build_recorder);
        match recorder {
            Ok(recorder) => {
                let handle = recorder.handle();
                // Series that read 0 before anything happens are there from the first scrape.
                metrics::with_local_recorder(&recorder, || {
                    gauge!("barback_live_streams_open").set(0.0);
                    for status in OrderStatus::ALL {
                        counter!("barback_orders_total", "status" => status.as_str()).absolute(0);
                    }
                });
                Metrics(Some(Arc::new(Recorder { recorder, handle })))
            }
            Err(err) => {
                tracing::error!(error = %err, "metrics are off: the recorder could not be built");
                Metrics(None)
            }
        }
    }

    pub fn off() -> Self {
        Metrics(None)
    }

    fn record(&self, what: impl FnOnce()) {
        if let Some(inner) = &self.0 {
            metrics::with_local_recorder(&inner.recorder, what);
        }
    }

    /// An order reached `status` (a placed order reaches `queued`).
    pub fn order_reached(&self, status: OrderStatus) {
        self.record(|| counter!("barback_orders_total", "status" => status.as_str()).increment(1));
    }

    /// How long placing an order took, from the request to the commit.
    pub fn order_placed_in(&self, took: Duration) {
        self.record(|| histogram!("barback_order_placement_seconds").record(took.as_secs_f64()));
    }

    /// How long moving an order along took.
    pub fn order_moved_in(&self, took: Duration) {
        self.record(|| {
            histogram!("barback_order_status_change_seconds").record(took.as_secs_f64())
        });
    }

    /// A live stream (`/events`) opened; the guard closes it when dropped.
    pub fn stream_opened(&self) -> StreamGuard {
        self.record(|| gauge!("barback_live_streams_open").increment(1.0));
        StreamGuard(self.clone())
    }

    /// The bartender answered: `source` is who answered (`house`, `bedrock`), `fell_back` whether
    /// the house recommender stood in for the model.
    pub fn bartender_answered(&self, source: &'static str, fell_back: bool) {
        self.record(|| {
            counter!(
                "barback_bartender_answers_total",
                "source" => source,
                "fallback" => if fell_back { "true" } else { "false" },
            )
            .increment(1)
        });
    }

    fn http_request(&self, route: String, status: StatusCode, took: Duration) {
        self.record(|| {
            counter!(
                "barback_http_requests_total",
                "route" => route.clone(),
                "status" => status.as_u16().to_string(),
            )
            .increment(1);
            histogram!("barback_http_request_seconds", "route" => route).record(took.as_secs_f64());
        });
    }

    /// The Prometheus text exposition, with the scrape-time gauges set first.
    pub fn render(&self, gauges: &Gauges) -> Option<String> {
        let inner = self.0.as_ref()?;
        metrics::with_local_recorder(&inner.recorder, || {
            for (state, count) in &gauges.outbox {
                gauge!("barback_outbox_jobs", "state" => state.clone()).set(*count as f64);
            }
            gauge!("barback_db_pool_connections", "state" => "open").set(gauges.pool_size);
            gauge!("barback_db_pool_connections", "state" => "idle").set(gauges.pool_idle as f64);
        });
        inner.handle.run_upkeep();
        Some(inner.handle.render())
    }
}

/// Counts a live stream as open until dropped.
pub struct StreamGuard(Metrics);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0
            .record(|| gauge!("barback_live_streams_open").decrement(1.0));
    }
}

/// The route a request matched (its pattern, e.g. `/drinks/{id}`), left in the response for
/// [`count_requests`]. Set by [`mark_route`], which runs only for matched routes.
#[derive(Clone)]
struct RouteLabel(String);

/// `response`, counted under `route` by [`count_requests`].
pub fn labelled(mut response: Response, route: &str) -> Response {
    response
        .extensions_mut()
        .insert(RouteLabel(route.to_string()));
    response
}

/// Inside the router (a route layer): notes the matched route's pattern on the response.
pub async fn mark_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Outermost: counts every request by route and status, and times it (to the response's head).
/// Requests no route matched are counted as `static` (site files) or `unmatched`.
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.metrics.0.is_none() {
        return next.run(request).await;
    }
    let started = Instant::now();
    let response = next.run(request).await;
    let route = match response.extensions().get::<RouteLabel>() {
        Some(RouteLabel(route)) => route.clone(),
        None if response.status().is_success() => "static".to_string(),
        None => "unmatched".to_string(),
    };
    state
        .metrics
        .http_request(route, response.status(), started.elapsed());
    response
}

/// `GET /metrics`: 404 when metrics are off, 401 without the right bearer token.
pub async fn serve(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !bearer_matches(&headers, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
            .into_response();
    }
    let outbox = match state.store.outbox_counts().await {
        Ok(counts) => counts,
        Err(err) => {
            tracing::warn!(error = %err, "metrics: could not count outbox jobs");
            Vec::new()
        }
    };
    let gauges = Gauges {
        outbox,
        pool_size: state.store.pool().size(),
        pool_idle: state.store.pool().num_idle(),
    };
    match state.metrics.render(&gauges) {
        Some(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            )],
            text,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Compares the bearer token by its hash, so the comparison's time says nothing about the token.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|given| token_hash(given.trim()) == token_hash(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_records_nothing_and_renders_nothing() {
        let metrics = Metrics::off();
        metrics.order_reached(OrderStatus::Queued);
        let gauges = Gauges {
            outbox: vec![],
            pool_size: 1,
            pool_idle: 1,
        };
        assert_eq!(metrics.render(&gauges), None);
    }

    #[test]
    fn two_recorders_count_apart() {
        let (a, b) = (Metrics::on(), Metrics::on());
        a.order_reached(OrderStatus::Queued);
        a.order_reached(OrderStatus::Queued);
        b.order_reached(OrderStatus::Ready);
        let gauges = Gauges {
            outbox: vec![("pending".into(), 3)],
            pool_size: 4,
            pool_idle: 2,
        };
        let a = a.render(&gauges).unwrap_or_default();
        let b = b.render(&gauges).unwrap_or_default();
        assert!(
            a.contains("barback_orders_total{status=\"queued\"} 2"),
            "{a}"
        );
        assert!(
            a.contains("barback_orders_total{status=\"ready\"} 0"),
            "{a}"
        );
        assert!(a.contains("barback_live_streams_open 0"), "{a}");
        assert!(
            b.contains("barback_orders_total{status=\"ready\"} 1"),
            "{b}"
        );
        assert!(
            a.contains("barback_outbox_jobs{state=\"pending\"} 3"),
            "{a}"
        );
        assert!(
            a.contains("barback_db_pool_connections{state=\"idle\"} 2"),
            "{a}"
        );
    }

    #[test]
    fn only_the_exact_bearer_token_passes() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(bearer_matches(&with("Bearer s3cret"), "s3cret"));
        assert!(!bearer_matches(&with("Bearer s3cre"), "s3cret"));
        assert!(!bearer_matches(&with("Basic s3cret"), "s3cret"));
        assert!(!bearer_matches(&HeaderMap::new(), "s3cret"));
    }
}
