//! The bartender benchmark (`make bench`): time to first card and to the complete, stored answer,
//! and from "Yes, order it" to the order on the host's live board, over real HTTP through the real
//! router, for the house recommender and for Bedrock through the wire-level stub (which writes 7
//! characters every 3 ms and asks for the `place_order` tool, so its figures include that pace).

#[path = "../tests/integration/common/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod common;

#[path = "../tests/integration/bedrock_stub.rs"]
#[allow(dead_code)]
mod bedrock_stub;

#[path = "figures.rs"]
mod figures;

use app::model::Offer;
use bedrock_stub::{BedrockStub, Mode};
use common::{spawn_app_with, Db, EventReader, Session, TestApp};
use figures::report;
use futures::StreamExt;
use std::time::{Duration, Instant};

const ASKS: usize = 100;
const YESES: usize = 50;
const MESSAGES: [&str; 5] = [
    "Something smoky, not too sweet",
    "Like a Mai Tai but lighter",
    "No alcohol, I'm driving",
    "something fizzy and refreshing",
    "a strong whiskey drink",
];

/// Sends one message; (time to the first card, time to the stored answer).
async fn ask_timed(app: &TestApp, guest: &Session, text: &str) -> (Duration, Duration) {
    let started = Instant::now();
    let response = app.ask_request(guest, text).await;
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let (mut buffer, mut first_card, mut done) = (String::new(), None, None);
    while let Some(piece) = body.next().await {
        buffer.push_str(&String::from_utf8_lossy(&piece.expect("piece")));
        for chunk in app::model::drain_chunks(&mut buffer) {
            match chunk {
                app::model::ChatChunk::Card { .. } if first_card.is_none() => {
                    first_card = Some(started.elapsed())
                }
                app::model::ChatChunk::Done { .. } => done = Some(started.elapsed()),
                _ => {}
            }
        }
    }
    (first_card.expect("a card"), done.expect("a stored answer"))
}

async fn run(label: &str, app: &TestApp) {
    let guest = app.join("Bench").await;
    // Warm up connections and caches.
    ask_timed(app, &guest, MESSAGES[0]).await;
    let (mut first, mut whole) = (Vec::new(), Vec::new());
    for i in 0..ASKS {
        let (card, done) = ask_timed(app, &guest, MESSAGES[i % MESSAGES.len()]).await;
        first.push(card);
        whole.push(done);
    }
    report(&format!("{label}: time to first card"), first);
    report(&format!("{label}: time to stored answer"), whole);
}

/// "Yes, order it" to the host's board: the guest asks the chat to order, gets the card, and
/// confirms it through the order door; the time runs from the confirmation until the host's live
/// board hears of the order.
async fn yes_to_board(label: &str, app: &TestApp) {
    let guest = app.join("Yes").await;
    let host = app.admin().await;
    let mut board = EventReader::new(app.events(Some(&host)).await);
    let mut times = Vec::new();
    for i in 0..YESES {
        let answer = app.ask(&guest, "order a Paloma please").await;
        assert!(
            answer.cards().iter().any(|c| c.offer == Some(Offer::Order)),
            "an offer to confirm: {}",
            answer.text()
        );
        let started = Instant::now();
        let order = app
            .place(&guest, "Paloma", &format!("bench-yes-{i:04}"))
            .await
            .expect("the order");
        loop {
            let update = board
                .next_update("order", Duration::from_secs(5))
                .await
                .expect("the board hears of the order");
            if update["order"]["id"] == order.id.as_str() {
                break;
            }
        }
        times.push(started.elapsed());
    }
    report(&format!("{label}: \"Yes, order it\" to the board"), times);
}

/// The benchmark measures the bartender, not the limits that protect it.
fn unlimited(config: &mut app::backend::Config) {
    config.max_active_orders = 100_000;
    config.limits.orders = app::backend::limits::Rate {
        per_second: 100_000,
        burst: 100_000,
    };
    config.ai_messages_per_hour = 100_000;
    config.limits.chat = app::backend::limits::Rate {
        per_second: 100_000,
        burst: 100_000,
    };
}

#[tokio::main]
async fn main() {
    let house = spawn_app_with(Db::Sqlite, unlimited).await.expect("app");
    run("house recommender", &house).await;
    yes_to_board("house recommender", &house).await;

    let stub = BedrockStub::start(Mode::Answer).await;
    let config = stub.config("amazon.nova-lite-v1:0");
    let bedrock = spawn_app_with(Db::Sqlite, move |c| {
        unlimited(c);
        c.bedrock = Some(config);
    })
    .await
    .expect("app");
    run("bedrock via stub", &bedrock).await;
    let paloma = bedrock.drink_id("Paloma");
    stub.set_tool_calls(vec![(
        "place_order",
        serde_json::json!({ "drink_id": paloma }),
    )]);
    yes_to_board("bedrock via stub", &bedrock).await;
}
