//! The `spawn_app()` harness: a real server on a fresh SQLite or PostgreSQL database, and a
//! client that talks to it as browsers do.

mod events;
mod fixtures;
pub mod push_service;

pub use events::{Answer, EventReader};
pub use fixtures::{bomb_png, drink_fields, test_photo};

use app::backend::{AppState, Config};
use serde_json::Value;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server that tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("BARBACK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh, empty database URL, or `None` to skip when PostgreSQL is down outside CI.
/// Under CI=true an unreachable PostgreSQL fails the test: nothing is skipped silently there.
pub async fn fresh_database(db: Db) -> Option<TestDb> {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/barback.db", dir.path().display());
            Some(TestDb {
                url,
                _dir: Some(dir),
                postgres_name: None,
            })
        }
        Db::Postgres => {
            let admin = postgres_admin_url();
            let conn = tokio::time::timeout(std::time::Duration::from_secs(5), async {
                sqlx::any::install_default_drivers();
                sqlx::AnyPool::connect(&format!("{admin}/postgres")).await
            })
            .await;
            let pool = match conn {
                Ok(Ok(pool)) => pool,
                other => {
                    let why = match other {
                        Ok(Err(err)) => err.to_string(),
                        _ => "timed out".into(),
                    };
                    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                        panic!("PostgreSQL at {admin} is unreachable ({why}); CI does not skip");
                    }
                    eprintln!("SKIPPED: PostgreSQL at {admin} is unreachable ({why})");
                    return None;
                }
            };
            let name = format!("barback_test_{}", uuid::Uuid::now_v7().simple());
            sqlx::query(&format!("create database {name}"))
                .execute(&pool)
                .await
                .expect("create test database");
            pool.close().await;
            Some(TestDb {
                url: format!("{admin}/{name}"),
                _dir: None,
                postgres_name: Some(name),
            })
        }
    }
}

pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs outside async; a helper thread with its own runtime removes the database.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    if let Ok(pool) =
                        sqlx::AnyPool::connect(&format!("{}/postgres", postgres_admin_url())).await
                    {
                        let _ =
                            sqlx::query(&format!("drop database if exists {name} with (force)"))
                                .execute(&pool)
                                .await;
                        pool.close().await;
                    }
                });
            }
        })
        .join();
    }
}

/// A page or JSON answer that takes longer than this (body included) fails its test instead of
/// holding the whole run: the server answers these in milliseconds.
pub const PAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    /// Keeps the database alive (and drops it) with the app; `None` for a second server on it.
    _db: Option<TestDb>,
    /// The app's data dir (uploads and photo variants).
    pub files: tempfile::TempDir,
    /// The outbox worker, unless the test turned it off.
    _worker: Option<app::backend::worker::Background>,
    /// Follows other processes' changes (PostgreSQL).
    _follower: Option<app::backend::worker::Background>,
}

/// The real router on 127.0.0.1:0 over a fresh database holding the demo bar.
pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(db, |_| {}).await
}

/// `spawn_app` with a configuration tweak (e.g. a higher order limit for benchmarks).
pub async fn spawn_app_with(db: Db, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    Some(spawn_app_on(fresh_database(db).await?, tweak).await)
}

/// `spawn_app_with` on a given database (the tweak may still point the app elsewhere, e.g.
/// through a proxy).
pub async fn spawn_app_on(db: TestDb, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::new(db.url.clone(), "127.0.0.1:0".parse().expect("addr"));
    // Every test guest joins from 127.0.0.1; the join limit has a test of its own.
    config.limits.joins_per_10_min = 10_000;
    tweak(&mut config);
    serve_app(config, Some(db)).await
}

/// The real router for `config` on 127.0.0.1:0, with its worker and follower; the demo bar is
/// seeded (once: seeding an already seeded bar changes nothing).
async fn serve_app(mut config: Config, db: Option<TestDb>) -> TestApp {
    let files = tempfile::tempdir().expect("data dir");
    config.data_dir = files.path().display().to_string();
    let options = server::leptos_options(&config);
    let state = AppState::build(config, options).await.expect("app state");
    state.store.seed_demo().await.expect("seed");
    state.menu_changed().await.expect("menu");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = server::router(state.clone());
    let limits = state.config.limits.clone();
    tokio::spawn(
        async move { server::serve(listener, router, &limits, std::future::pending()).await },
    );
    let worker = state.start_worker();
    let follower = state.start_follower();
    TestApp {
        addr,
        // The server closes connections idle for 10 s: let go of them first, as browsers do.
        client: reqwest::Client::builder()
            .pool_idle_timeout(std::time::Duration::from_secs(5))
            .build()
            .expect("client"),
        state,
        _db: db,
        files,
        _worker: worker,
        _follower: follower,
    }
}

impl TestApp {
    /// A second server process on the same database (its own hub, menu snapshot and worker).
    pub async fn another_server(&self) -> TestApp {
        let config = Config::new(
            self.state.config.database_url.clone(),
            "127.0.0.1:0".parse().expect("addr"),
        );
        serve_app(config, None).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .timeout(PAGE_TIMEOUT)
            .send()
            .await
            .expect("request")
    }

    /// A conditional GET, as a cache revalidating `etag` would send it.
    pub async fn get_if_none_match(&self, path: &str, etag: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .timeout(PAGE_TIMEOUT)
            .header("if-none-match", etag)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("json body"))
    }

    /// A page's status and HTML, without the empty comments (`<!>`) Leptos leaves after pieces
    /// of text for hydration: tests read what the page says, not where the markers fall.
    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let html = response.text().await.expect("html body");
        (status, html.replace("<!>", ""))
    }

    /// Names of the drinks `GET /api/v1/drinks?{query}` returns.
    pub async fn drink_names(&self, query: &str) -> Vec<String> {
        let (status, body) = self.get_json(&format!("/api/v1/drinks?{query}")).await;
        assert_eq!(status, 200, "{body}");
        body["drinks"]
            .as_array()
            .expect("drinks array")
            .iter()
            .map(|d| d["name"].as_str().expect("name").to_string())
            .collect()
    }

    /// The id of the demo drink with this name.
    pub fn drink_id(&self, name: &str) -> String {
        self.state
            .menu
            .snapshot()
            .drinks
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no drink {name}"))
            .id
            .clone()
    }

    pub async fn set_in_stock(&self, ingredient: &str, in_stock: bool) {
        let id = self
            .state
            .store
            .ingredient_id(ingredient)
            .await
            .expect("query")
            .expect("ingredient");
        self.state
            .bar()
            .set_in_stock(&id, in_stock)
            .await
            .expect("update");
    }

    /// Calls a server function the way the browser's JS client does (form-encoded, JSON back).
    pub async fn call<F, T>(
        &self,
        session: Option<&Session>,
        form: &[(&str, &str)],
    ) -> (FnResult<T>, reqwest::header::HeaderMap)
    where
        F: leptos::server_fn::ServerFn,
        T: serde::de::DeserializeOwned,
    {
        let mut request = self
            .client
            .post(self.url(F::PATH))
            .header("accept", "application/json")
            .form(form);
        if let Some(Session(cookie)) = session {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("server fn request");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        let result = if status.is_success() {
            Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("bad body {body}: {e}")))
        } else {
            Err(serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("bad error {status} {body}: {e}")))
        };
        (result, headers)
    }

    /// A fresh invite code.
    pub async fn invite(&self, uses: i64) -> String {
        self.state
            .bar()
            .create_invite(uses, 2, "test")
            .await
            .expect("invite")
            .code
    }

    /// Joins with `code` as `name`; the session on success.
    pub async fn try_join(&self, code: &str, name: &str) -> FnResult<Session> {
        let (result, headers) = self
            .call::<app::api::guests::JoinParty, ()>(None, &[("code", code), ("name", name)])
            .await;
        result.map(|()| Session(session_cookie(&headers)))
    }

    pub async fn join(&self, name: &str) -> Session {
        let code = self.invite(1).await;
        self.try_join(&code, name).await.expect("join")
    }

    pub async fn place(
        &self,
        guest: &Session,
        drink: &str,
        key: &str,
    ) -> FnResult<app::model::Order> {
        let id = self.drink_id(drink);
        self.call::<app::api::orders::PlaceOrder, _>(
            Some(guest),
            &[
                ("drink_id", &id),
                ("quantity", "1"),
                ("note", ""),
                ("idempotency_key", key),
            ],
        )
        .await
        .0
    }

    pub async fn admin(&self) -> Session {
        let username = app::domain::Username::parse("host").unwrap();
        let hash = app::backend::auth::hash_password("party-password").unwrap();
        let _ = self.state.store.insert_admin(&username, &hash).await;
        let (result, headers) = self
            .call::<app::api::admin::AdminLogin, ()>(
                None,
                &[("username", "host"), ("password", "party-password")],
            )
            .await;
        result.expect("admin login");
        Session(session_cookie(&headers))
    }

    pub async fn advance(
        &self,
        admin: &Session,
        order_id: &str,
        status: &str,
    ) -> FnResult<app::model::Order> {
        self.call::<app::api::admin::AdvanceOrder, _>(
            Some(admin),
            &[("order_id", order_id), ("status", status)],
        )
        .await
        .0
    }

    /// Asks for a photo upload URL, as the drink editor does.
    pub async fn photo_upload(
        &self,
        admin: &Session,
        drink: &str,
        content_type: &str,
        length: usize,
    ) -> FnResult<app::api::photos::Upload> {
        let length = length.to_string();
        self.call::<app::api::photos::PhotoUpload, _>(
            Some(admin),
            &[
                ("drink_id", drink),
                ("content_type", content_type),
                ("length", &length),
            ],
        )
        .await
        .0
    }

    /// A client that shows redirects instead of following them (sign-in flows).
    pub fn no_redirects() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Opens `/events` as this session.
    pub async fn events(&self, session: Option<&Session>) -> reqwest::Response {
        let mut request = self.client.get(self.url("/events"));
        if let Some(Session(cookie)) = session {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("events")
    }

    /// Opens `/events` as a pickup screen with a TV link's key.
    pub async fn screen_events(&self, key: &str) -> reqwest::Response {
        self.client
            .get(self.url(&format!("/events?key={key}")))
            .send()
            .await
            .expect("events")
    }

    /// Sends the bartender a message as the browser does and reads the streamed answer.
    pub async fn ask(&self, guest: &Session, text: &str) -> Answer {
        use futures::StreamExt;
        let response = self.ask_request(guest, text).await;
        let status = response.status().as_u16();
        if status != 200 {
            let body = response.text().await.unwrap_or_default();
            let error = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("bad error {status} {body}: {e}"));
            return Answer {
                status,
                chunks: Vec::new(),
                pieces: 0,
                error: Some(error),
            };
        }
        let mut body = response.bytes_stream();
        let (mut buffer, mut chunks, mut pieces) = (String::new(), Vec::new(), 0);
        while let Some(piece) = body.next().await {
            pieces += 1;
            buffer.push_str(&String::from_utf8_lossy(&piece.expect("body piece")));
            chunks.extend(app::model::drain_chunks(&mut buffer));
        }
        assert!(buffer.trim().is_empty(), "unfinished line: {buffer}");
        Answer {
            status,
            chunks,
            pieces,
            error: None,
        }
    }

    /// Sends the bartender a message; the response, its body not yet read.
    pub async fn ask_request(&self, guest: &Session, text: &str) -> reqwest::Response {
        self.client
            .post(
                self.url(<app::api::bartender::AskBartender as leptos::server_fn::ServerFn>::PATH),
            )
            .header("accept", "application/json")
            .header("cookie", &guest.0)
            .form(&[("message", text)])
            .send()
            .await
            .expect("ask")
    }

    /// A guest's id by name.
    pub async fn guest_id(&self, name: &str) -> String {
        let name = app::domain::GuestName::parse(name).expect("name");
        self.state
            .store
            .guest_id_by_name(&name)
            .await
            .expect("lookup")
            .expect("guest")
    }

    /// How many orders a guest has, whatever their status.
    pub async fn order_count(&self, guest_id: &str) -> usize {
        self.state
            .store
            .guest_orders(guest_id)
            .await
            .expect("orders")
            .len()
    }

    /// The id of the first menu section.
    pub fn first_section(&self) -> String {
        self.state.menu.snapshot().sections[0].id.clone()
    }

    /// Creates a drink through the admin's form; its id.
    pub async fn create_drink(&self, admin: &Session, name: &str) -> String {
        let section = self.first_section();
        self.call::<app::api::admin_menu::SaveDrink, String>(
            Some(admin),
            &drink_fields(&section, name, "20"),
        )
        .await
        .0
        .expect("save drink")
    }
}

/// Writes one test body twice: `$name::sqlite` and `$name::postgres`. The body gets a running
/// app (`|app|`, or `tweak = |config| …, |app|` for one with its configuration changed), or a
/// fresh empty database (`|db: TestDb|`).
macro_rules! db_test {
    ($name:ident, |$db:ident: TestDb| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $db = crate::common::fresh_database(crate::common::Db::Sqlite)
                    .await
                    .expect("sqlite");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($db) = crate::common::fresh_database(crate::common::Db::Postgres).await
                else {
                    return;
                };
                $body
            }
        }
    };
    ($name:ident, tweak = $tweak:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = crate::common::spawn_app_with(crate::common::Db::Sqlite, $tweak)
                    .await
                    .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) =
                    crate::common::spawn_app_with(crate::common::Db::Postgres, $tweak).await
                else {
                    return;
                };
                $body
            }
        }
    };
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = crate::common::spawn_app(crate::common::Db::Sqlite)
                    .await
                    .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = crate::common::spawn_app(crate::common::Db::Postgres).await else {
                    return;
                };
                $body
            }
        }
    };
}
pub(crate) use db_test;

/// A signed-in browser, as far as the server can tell: its session cookie.
#[derive(Clone, Debug)]
pub struct Session(pub String);

/// The answer of a server function: the value, or the typed error it crossed the wire as.
pub type FnResult<T> = Result<T, app::error::AppError>;

/// The seconds a refusal asks to wait (`Retry-After`).
pub fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .expect("retry-after text")
        .parse()
        .expect("retry-after seconds")
}

/// The `name=value` part of the first Set-Cookie header.
pub fn session_cookie(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .find(|c| !c.ends_with('='))
        .expect("a session cookie")
}

/// Polls `check` until it holds, for at most `wait`; panics with `what` otherwise.
pub async fn eventually<F, Fut>(what: &str, wait: std::time::Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + wait;
    while std::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until a server started as a separate process answers `/readyz`.
pub async fn wait_until_ready(client: &reqwest::Client, base: &str) {
    let started = std::time::Instant::now();
    while client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
