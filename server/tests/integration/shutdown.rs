//! SIGTERM: the real binary stops accepting connections, lets the request in flight finish, and
//! ends event streams cleanly, then exits on its own.

use crate::bedrock_stub::{BedrockStub, Mode};
use crate::cli::server;
use crate::common::{session_cookie, wait_until_ready};
use futures::StreamExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_request_in_flight_closes_streams_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/bar.db", dir.path().display());
    server(&db, &["seed"]);
    let invite = server(&db, &["invite", "create", "--uses", "2"]);
    let code = invite
        .split("Invite code: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    // A model that never answers: the bartender falls back to the house after 2 s, so a chat
    // request is reliably in flight for that long.
    let stub = BedrockStub::start(Mode::Hang).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", &db)
        .env("BARBACK_ADDR", format!("127.0.0.1:{port}"))
        .env("BARBACK_DATA_DIR", dir.path().join("data"))
        .env("BARBACK_AI", "bedrock")
        .env("BARBACK_BEDROCK_MODEL", "amazon.nova-lite-v1:0")
        .env("BARBACK_BEDROCK_ENDPOINT", &stub.url)
        .env("BARBACK_AI_TIMEOUT_SECS", "2")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDBARBACKTEST")
        .env("AWS_SECRET_ACCESS_KEY", "barback-test-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let client = reqwest::Client::new();
    wait_until_ready(&client, &base).await;

    let joined = client
        .post(format!(
            "{base}{}",
            <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH
        ))
        .header("accept", "application/json")
        .form(&[("code", code.as_str()), ("name", "Night Owl")])
        .send()
        .await
        .unwrap();
    assert!(joined.status().is_success());
    let cookie = session_cookie(joined.headers());

    let events = client
        .get(format!("{base}/events"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let mut events = events.bytes_stream();
    let hello = events.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&hello).contains("hello"));

    let ask = {
        let client = client.clone();
        let url = format!(
            "{base}{}",
            <app::api::bartender::AskBartender as leptos::server_fn::ServerFn>::PATH
        );
        let cookie = cookie.clone();
        tokio::spawn(async move {
            let response = client
                .post(url)
                .header("accept", "application/json")
                .header("cookie", cookie)
                .form(&[("message", "something smoky")])
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());

    // The event stream ends cleanly, at once.
    let end = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(piece) = events.next().await {
            piece.expect("a clean end, not a broken stream");
        }
    })
    .await;
    assert!(end.is_ok(), "the event stream was not closed");

    // The request in flight still gets its whole answer.
    let (status, body) = tokio::time::timeout(Duration::from_secs(15), ask)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("\"type\":\"done\""), "{body}");
    assert!(
        body.contains("house recommender"),
        "the fallback answered: {body}"
    );

    // No new connections, and the process exits by itself, well within the grace period.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 30 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    assert!(signalled.elapsed() < Duration::from_secs(10));
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "still accepting"
    );
}
