//! The party benchmark (`make bench`), against the real router over real HTTP:
//! - order placement latency at a steady 50 orders/s from 200 guests (open loop: requests are
//!   sent on schedule whether or not earlier ones have answered);
//! - status change → Server-Sent Event latency, with 200 guests connected to `/events`;
//! - "ready": the host's tap → the guest's banner (the order event on their `/events`) and → the
//!   Web Push at a local push-service stub (through the outbox worker, encrypted, VAPID-signed).
//!
//! `BENCH_DB=postgres` runs it on PostgreSQL instead of SQLite.

#[path = "../tests/integration/common/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod common;

#[path = "figures.rs"]
mod figures;

use common::push_service::{Browser, PushService};
use common::{spawn_app_with, Db, EventReader, Session};
use figures::report;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const GUESTS: usize = 200;
const ORDER_RATE: u64 = 50;
const ORDER_SECONDS: u64 = 6;
const STATUS_CHANGES: usize = 150;

#[tokio::main]
async fn main() {
    let db = match std::env::var("BENCH_DB").as_deref() {
        Ok("postgres") => Db::Postgres,
        _ => Db::Sqlite,
    };
    let app = spawn_app_with(db, |config| {
        config.max_active_orders = 100;
        // The push-service stub listens on plain http.
        config.push_over_http = true;
        // All 200 guests come from 127.0.0.1 here; the benchmark measures the bar, not the limits.
        config.limits.browse = app::backend::limits::Rate {
            per_second: 100_000,
            burst: 100_000,
        };
        config.limits.orders = app::backend::limits::Rate {
            per_second: 100_000,
            burst: 100_000,
        };
    })
    .await
    .expect("PostgreSQL for BENCH_DB=postgres");
    let app = Arc::new(app);
    println!("party benchmark on {db:?}: {GUESTS} guests");

    let code = app.invite(GUESTS as i64).await;
    let mut guests = Vec::with_capacity(GUESTS);
    for i in 0..GUESTS {
        guests.push(
            app.try_join(&code, &format!("Guest {i}"))
                .await
                .expect("join"),
        );
    }

    // Every guest listens on /events; each order event is stamped on arrival.
    let (arrivals_tx, mut arrivals) = mpsc::unbounded_channel::<(String, String, Instant)>();
    for guest in &guests {
        let mut reader = EventReader::new(app.events(Some(guest)).await);
        let tx = arrivals_tx.clone();
        tokio::spawn(async move {
            while let Some(update) = reader.next_update("order", Duration::from_secs(3600)).await {
                let id = update["order"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let status = update["order"]["status"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                if tx.send((id, status, Instant::now())).is_err() {
                    break;
                }
            }
        });
    }

    // 1. Orders at a steady 50 per second.
    let total = (ORDER_RATE * ORDER_SECONDS) as usize;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + Duration::from_millis(i as u64 * 1000 / ORDER_RATE);
        tokio::time::sleep_until(due.into()).await;
        let (app, guest): (Arc<common::TestApp>, Session) =
            (app.clone(), guests[i % GUESTS].clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let result = app
                .place(&guest, "Mojito", &format!("bench-order-{i:06}"))
                .await;
            (sent.elapsed(), result)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut orders = Vec::with_capacity(total);
    let mut errors = 0;
    for task in tasks {
        let (latency, result) = task.await.expect("task");
        latencies.push(latency);
        match result {
            Ok(order) => orders.push(order),
            Err(err) => {
                errors += 1;
                eprintln!("order failed: {err}");
            }
        }
    }
    report(&format!("order placement at {ORDER_RATE}/s"), latencies);
    println!(
        "{:<44} {errors} errors, {} orders stored",
        "",
        app.state.store.count_orders().await.unwrap_or(-1)
    );

    // Let the order events from step 1 drain before timing status changes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    while arrivals.try_recv().is_ok() {}

    // 2. Status change → event at the owning guest.
    let admin = app.admin().await;
    let mut sent_at: HashMap<String, Instant> = HashMap::new();
    let mut delivery = Vec::with_capacity(STATUS_CHANGES);
    for order in orders.iter().take(STATUS_CHANGES) {
        let started = Instant::now();
        app.advance(&admin, &order.id, "making")
            .await
            .expect("advance");
        sent_at.insert(order.id.clone(), started);
        // Wait for this order's event before the next change, so each is timed on its own.
        loop {
            let (id, status, at) = tokio::time::timeout(Duration::from_secs(5), arrivals.recv())
                .await
                .expect("event within 5 s")
                .expect("stream open");
            if status == "making" {
                if let Some(t0) = sent_at.get(&id) {
                    delivery.push(at.duration_since(*t0));
                    if id == order.id {
                        break;
                    }
                }
            }
        }
    }
    report(
        &format!("status change → guest's SSE ({GUESTS} connected)"),
        delivery,
    );

    // 3. Ready: the host's tap → the guest's banner, and → the push at the push service.
    let (service, base) = PushService::start().await;
    let mut browsers = HashMap::new();
    for (i, order) in orders.iter().take(STATUS_CHANGES).enumerate() {
        let browser = Browser::new(&base, &format!("guest-{i}"));
        browser
            .subscribe(&app, &guests[i % GUESTS])
            .await
            .expect("subscribe");
        browsers.insert(order.id.clone(), format!("guest-{i}"));
    }
    while arrivals.try_recv().is_ok() {}
    let (mut banner, mut pushed) = (Vec::new(), Vec::new());
    for order in orders.iter().take(STATUS_CHANGES) {
        let tapped = Instant::now();
        app.advance(&admin, &order.id, "ready")
            .await
            .expect("ready");
        loop {
            let (id, status, at) = tokio::time::timeout(Duration::from_secs(5), arrivals.recv())
                .await
                .expect("event within 5 s")
                .expect("stream open");
            if id == order.id && status == "ready" {
                banner.push(at.duration_since(tapped));
                break;
            }
        }
        let browser = &browsers[&order.id];
        let deadline = Instant::now() + Duration::from_secs(5);
        let arrived = loop {
            if let Some(push) = service.received(browser).first() {
                break push.at;
            }
            assert!(Instant::now() < deadline, "no push within 5 s");
            tokio::time::sleep(Duration::from_micros(200)).await;
        };
        pushed.push(arrived.duration_since(tapped));
    }
    report("ready tap → guest's banner (SSE)", banner);
    report("ready tap → push at the push service", pushed);
}
