//! `make load`: the release server under a party's load, then a check that no order was lost or
//! duplicated.
//!
//! An open-loop generator (requests leave on schedule whether or not earlier ones answered, so a
//! slow server cannot slow the load down) sends 100 browse requests/s (menu page, drink pages,
//! the JSON API) and 50 order requests/s from 300 guests for `LOAD_SECONDS` (300 by default;
//! `make test` runs 30). Guests come through a "proxy" (`X-Forwarded-For`, with the proxy
//! trusted), so each has its own rate-limit budget as on a real network. One order in twenty is
//! sent twice with the same idempotency key, as a double tap would. Afterwards the database must
//! hold every accepted order exactly once.
//!
//! `LOAD_DB=postgres` runs it on PostgreSQL instead of SQLite.

#[path = "../tests/integration/common/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod common;

#[path = "figures.rs"]
mod figures;

use common::{session_cookie, wait_until_ready};
use figures::report;
use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const GUESTS: usize = 300;
const BROWSE_RATE: u64 = 100;
const ORDER_RATE: u64 = 50;

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    ok: u64,
    limited: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, status: Option<u16>, latency: Duration) {
        self.latencies.push(latency);
        match status {
            Some(200..=399) => self.ok += 1,
            Some(429) => self.limited += 1,
            _ => self.failed += 1,
        }
    }

    fn print(self, label: &str, seconds: f64) {
        let total = self.ok + self.limited + self.failed;
        println!(
            "{label:<8} {total:>6} requests, {:>6.1}/s, ok {}, 429 {}, errors {} ({:.3} %)",
            total as f64 / seconds,
            self.ok,
            self.limited,
            self.failed,
            100.0 * self.failed as f64 / total.max(1) as f64
        );
        report(&format!("{label} latency"), self.latencies);
    }
}

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn server(database: &str, args: &[&str]) -> String {
    let output = Command::new(root().join("target/release/server"))
        .args(args)
        .env("DATABASE_URL", database)
        .env("RUST_LOG", "warn")
        .output()
        .expect("target/release/server (make build)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn database() -> (String, Option<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    if std::env::var("LOAD_DB").as_deref() == Ok("postgres") {
        let admin = "postgres://postgres@127.0.0.1:5432";
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&format!("{admin}/postgres"))
            .await
            .expect("PostgreSQL");
        let name = format!("barback_load_{}", uuid::Uuid::now_v7().simple());
        sqlx::query(&format!("create database {name}"))
            .execute(&pool)
            .await
            .expect("create database");
        (format!("{admin}/{name}"), Some(name), dir)
    } else {
        (
            format!("sqlite://{}/load.db", dir.path().display()),
            None,
            dir,
        )
    }
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let (db, postgres_name, dir) = database().await;
    server(&db, &["seed"]);
    let invite = server(
        &db,
        &[
            "invite",
            "create",
            "--uses",
            &GUESTS.to_string(),
            "--hours",
            "2",
        ],
    );
    let code = invite
        .split("Invite code: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("code")
        .to_string();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(root().join("target/release/server"))
        .arg("serve")
        .current_dir(root())
        .env("DATABASE_URL", &db)
        .env("BARBACK_ADDR", format!("127.0.0.1:{port}"))
        .env("BARBACK_DATA_DIR", dir.path().join("data"))
        .env("BARBACK_MAX_ACTIVE_ORDERS", "100000")
        .env("BARBACK_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        // The server closes connections idle for 10 s: let go of them first, as browsers do.
        .pool_idle_timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    wait_until_ready(&client, &base).await;

    // Guests join, each from their own address.
    let join_path = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
    let order_path = <app::api::orders::PlaceOrder as leptos::server_fn::ServerFn>::PATH;
    let mut guests = Vec::new();
    for i in 0..GUESTS {
        let ip = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256 + 1);
        let response = client
            .post(format!("{base}{join_path}"))
            .header("accept", "application/json")
            .header("x-forwarded-for", &ip)
            .form(&[("code", code.as_str()), ("name", &format!("Guest {i}"))])
            .send()
            .await
            .expect("join");
        assert!(
            response.status().is_success(),
            "join: {}",
            response.status()
        );
        let cookie = session_cookie(response.headers());
        guests.push((ip, cookie));
    }
    let menu: serde_json::Value = client
        .get(format!("{base}/api/v1/drinks?available=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let drinks: Vec<String> = menu["drinks"]
        .as_array()
        .expect("drinks")
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    println!("load: {seconds} s of {BROWSE_RATE} browse/s + {ORDER_RATE} orders/s, {GUESTS} guests, {} drinks, db {}", drinks.len(), if postgres_name.is_some() { "PostgreSQL" } else { "SQLite" });

    let browse = Arc::new(Mutex::new(Tally::default()));
    let orders = Arc::new(Mutex::new(Tally::default()));
    // Accepted order id → the idempotency keys that returned it.
    let accepted: Arc<Mutex<HashMap<String, HashSet<String>>>> = Arc::default();
    let guests = Arc::new(guests);
    let drinks = Arc::new(drinks);
    let run_started = Instant::now();
    let deadline = run_started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (rate, is_order) in [(BROWSE_RATE, false), (ORDER_RATE, true)] {
        let (client, base, guests, drinks) =
            (client.clone(), base.clone(), guests.clone(), drinks.clone());
        let (tally, accepted) = (
            if is_order {
                orders.clone()
            } else {
                browse.clone()
            },
            accepted.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let mut n: usize = 0;
            let mut inflight = Vec::new();
            while Instant::now() < deadline {
                ticker.tick().await;
                n += 1;
                let (ip, cookie) = guests[n % guests.len()].clone();
                let drink = drinks[n % drinks.len()].clone();
                let (client, base, tally, accepted) = (
                    client.clone(),
                    base.clone(),
                    tally.clone(),
                    accepted.clone(),
                );
                inflight.push(tokio::spawn(async move {
                    let sent = Instant::now();
                    if is_order {
                        let key = format!("load-{n:08}");
                        let tries = if n.is_multiple_of(20) { 2 } else { 1 };
                        for _ in 0..tries {
                            let response = client
                                .post(format!("{base}{order_path}"))
                                .header("accept", "application/json")
                                .header("x-forwarded-for", &ip)
                                .header("cookie", &cookie)
                                .form(&[
                                    ("drink_id", drink.as_str()),
                                    ("quantity", "1"),
                                    ("note", ""),
                                    ("idempotency_key", &key),
                                ])
                                .send()
                                .await;
                            let status = response.as_ref().ok().map(|r| r.status().as_u16());
                            if let (Some(200), Ok(response)) = (status, response) {
                                if let Ok(order) = response.json::<serde_json::Value>().await {
                                    let id = order["id"].as_str().unwrap_or_default().to_string();
                                    accepted
                                        .lock()
                                        .unwrap()
                                        .entry(id)
                                        .or_default()
                                        .insert(key.clone());
                                }
                            }
                            tally.lock().unwrap().add(status, sent.elapsed());
                        }
                    } else {
                        let path = match n % 4 {
                            0 => "/".to_string(),
                            1 => "/api/v1/drinks".to_string(),
                            2 => "/?q=lime".to_string(),
                            _ => format!("/drinks/{drink}"),
                        };
                        let status = client
                            .get(format!("{base}{path}"))
                            .header("x-forwarded-for", &ip)
                            .header("cookie", &cookie)
                            .send()
                            .await
                            .ok()
                            .map(|r| r.status().as_u16());
                        tally.lock().unwrap().add(status, sent.elapsed());
                    }
                }));
            }
            for task in inflight {
                let _ = task.await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = run_started.elapsed().as_secs_f64();
    let take = |t: &Arc<Mutex<Tally>>| std::mem::take(&mut *t.lock().unwrap());
    let (browse, orders) = (take(&browse), take(&orders));
    let errors = browse.failed + orders.failed;
    let total =
        browse.ok + browse.limited + browse.failed + orders.ok + orders.limited + orders.failed;
    browse.print("browse", elapsed);
    orders.print("orders", elapsed);

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();

    // Every accepted order is in the database exactly once, and nothing else is.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db).await.expect("database");
    let rows: Vec<(String, String)> = sqlx::query_as("select id, idempotency_key from orders")
        .fetch_all(&pool)
        .await
        .unwrap();
    let accepted = accepted.lock().unwrap().clone();
    let mut in_db: HashMap<String, usize> = HashMap::new();
    for (id, _) in &rows {
        *in_db.entry(id.clone()).or_default() += 1;
    }
    let lost = accepted
        .keys()
        .filter(|id| !in_db.contains_key(*id))
        .count();
    let duplicated = in_db.values().filter(|n| **n > 1).count()
        + rows.len().saturating_sub(
            rows.iter()
                .map(|(_, key)| key)
                .collect::<HashSet<_>>()
                .len(),
        );
    let unexpected = in_db
        .keys()
        .filter(|id| !accepted.contains_key(*id))
        .count();
    let retried = accepted.values().filter(|keys| keys.len() > 1).count();
    println!(
        "orders: {} accepted, {} in the database; lost {lost}, duplicated {duplicated}, in the database but never acknowledged {unexpected}",
        accepted.len(),
        rows.len()
    );
    assert_eq!(retried, 0, "one order answered two different keys");
    pool.close().await;
    if let Some(name) = postgres_name {
        if let Ok(admin) =
            sqlx::AnyPool::connect("postgres://postgres@127.0.0.1:5432/postgres").await
        {
            let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&admin)
                .await;
        }
    }
    let error_rate = errors as f64 / total.max(1) as f64;
    assert_eq!(lost, 0, "accepted orders were lost");
    assert_eq!(duplicated, 0, "orders were duplicated");
    assert!(
        error_rate < 0.01,
        "error rate {:.3} % (target < 1 %)",
        error_rate * 100.0
    );
    println!(
        "load: passed (errors {:.3} %, 0 lost, 0 duplicated)",
        error_rate * 100.0
    );
}
