//! Connections that never finish a request, too many of them, requests that never end, and live
//! streams that outlive their session or multiply: each is closed or refused.

use crate::common::{db_test, EventReader, TestApp};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Whether the server closes `tcp` within `wait` (reads reach the end, or the reset).
async fn closed_within(tcp: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // an answer (a 408, a response): keep reading to the end
        }
    }
}

/// Sends one whole keep-alive request and reads its answer's head.
async fn one_request(app: &TestApp, tcp: &mut TcpStream) -> String {
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", app.addr);
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut buffer = [0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buffer))
        .await
        .expect("an answer")
        .unwrap();
    String::from_utf8_lossy(&buffer[..read]).to_string()
}

db_test!(
    slow_and_idle_connections_are_closed_within_the_header_timeout,
    tweak = |config| config.limits.connections.header_timeout = Duration::from_secs(1),
    |app| {
        // Half a request head, nothing at all, and a finished request left idle.
        let mut partial = TcpStream::connect(app.addr).await.unwrap();
        partial
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        let mut silent = TcpStream::connect(app.addr).await.unwrap();
        let mut idle = TcpStream::connect(app.addr).await.unwrap();
        assert!(one_request(&app, &mut idle)
            .await
            .starts_with("HTTP/1.1 200"));
        let started = tokio::time::Instant::now();
        for (what, tcp) in [
            ("partial head", &mut partial),
            ("silent", &mut silent),
            ("idle keep-alive", &mut idle),
        ] {
            assert!(
                closed_within(tcp, Duration::from_secs(5)).await,
                "{what} connection still open"
            );
        }
        assert!(started.elapsed() < Duration::from_secs(5));
        // Connections that keep sending requests are served throughout.
        let mut busy = TcpStream::connect(app.addr).await.unwrap();
        for _ in 0..4 {
            assert!(one_request(&app, &mut busy)
                .await
                .starts_with("HTTP/1.1 200"));
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
);

db_test!(
    connections_beyond_a_clients_cap_are_closed_at_once,
    tweak = |config| config.limits.connections.per_client = 4,
    |app| {
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut tcp = TcpStream::connect(app.addr).await.unwrap();
            assert!(one_request(&app, &mut tcp)
                .await
                .starts_with("HTTP/1.1 200"));
            held.push(tcp);
        }
        let mut extra = TcpStream::connect(app.addr).await.unwrap();
        let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\n\r\n").await;
        assert!(
            closed_within(&mut extra, Duration::from_secs(2)).await,
            "a fifth connection from one address is closed"
        );
        // A closed connection gives its place back.
        drop(held.pop());
        let mut answered = false;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let mut again = TcpStream::connect(app.addr).await.unwrap();
            let request = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", app.addr);
            if again.write_all(request.as_bytes()).await.is_err() {
                continue;
            }
            let mut buffer = [0u8; 64];
            if let Ok(Ok(read)) =
                tokio::time::timeout(Duration::from_secs(2), again.read(&mut buffer)).await
            {
                if buffer[..read].starts_with(b"HTTP/1.1 200") {
                    answered = true;
                    break;
                }
            }
        }
        assert!(answered, "a place came back");
    }
);

db_test!(
    a_request_whose_body_trickles_in_is_answered_503_in_time,
    tweak = |config| config.limits.connections.request_timeout = Duration::from_secs(1),
    |app| {
        let code = app.invite(1).await;
        let join = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
        let mut tcp = TcpStream::connect(app.addr).await.unwrap();
        let head = format!(
            "POST {join} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 400\r\n\r\ncode={code}&name=Sl",
            app.addr
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let started = tokio::time::Instant::now();
        let mut buffer = [0u8; 1024];
        let read = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buffer))
            .await
            .expect("answered")
            .unwrap();
        assert!(
            String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 503"),
            "{}",
            String::from_utf8_lossy(&buffer[..read])
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(app.state.store.active_guests().await.unwrap().is_empty());
    }
);

db_test!(
    a_session_keeps_only_a_few_live_streams_open,
    tweak = |config| config.limits.connections.streams_per_session = 2,
    |app| {
        let guest = app.join("Streamer").await;
        let first = app.events(Some(&guest)).await;
        let second = app.events(Some(&guest)).await;
        assert_eq!(
            (first.status().as_u16(), second.status().as_u16()),
            (200, 200)
        );
        let third = app.events(Some(&guest)).await;
        assert_eq!(third.status(), 429);
        assert!(third.headers().contains_key("retry-after"));
        // Another session has its own; a closed stream gives its place back.
        let other = app.join("Listener").await;
        assert_eq!(app.events(Some(&other)).await.status(), 200);
        drop(first);
        let mut reopened = false;
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if app.events(Some(&guest)).await.status() == 200 {
                reopened = true;
                break;
            }
        }
        assert!(reopened);
        drop(second);
    }
);

db_test!(
    an_admins_live_stream_ends_after_sign_out,
    tweak = |config| config.limits.connections.session_check = Duration::from_secs(1),
    |app| {
        let admin = app.admin().await;
        let mut stream = EventReader::new(app.events(Some(&admin)).await);
        let (event, _) = stream.next(Duration::from_secs(5)).await.expect("hello");
        assert_eq!(event, "hello");
        let logout = <app::api::admin::AdminLogout as leptos::server_fn::ServerFn>::PATH;
        let response = TestApp::no_redirects()
            .post(app.url(logout))
            .header("cookie", &admin.0)
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success() || response.status().is_redirection());
        assert!(
            stream.ended_within(Duration::from_secs(5)).await,
            "the stream ended with its session"
        );
        // A guest's stream, whose session still holds, goes on.
        let guest = app.join("Stays").await;
        let mut stream = EventReader::new(app.events(Some(&guest)).await);
        stream.next(Duration::from_secs(5)).await.expect("hello");
        assert!(!stream.ended_within(Duration::from_secs(3)).await);
    }
);
