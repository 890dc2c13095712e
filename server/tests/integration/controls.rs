//! The host's order controls: pausing and resuming orders, and last call.

use crate::common::{db_test, EventReader};
use app::api::controls::{
    CallLastOrders, CancelLastCall, LoadBarStatus, PauseOrders, ResumeOrders,
};
use app::backend::store::controls::LAST_CALL_AT;
use app::backend::store::now_ms;
use app::error::AppError;
use app::model::BarStatus;
use std::time::Duration;

const LIVE: Duration = Duration::from_secs(5);

fn conflict(result: Result<app::model::Order, AppError>) -> String {
    match result {
        Err(AppError::Conflict(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

db_test!(a_paused_bar_places_nothing_until_the_host_resumes, |app| {
    let mia = app.join("Mia").await;
    let admin = app.admin().await;
    let before = app.place(&mia, "Mojito", "mia-key-0001").await.unwrap();

    // Only a host pauses; a message that is not one short line is refused and changes nothing.
    let (refused, _) = app
        .call::<PauseOrders, BarStatus>(Some(&mia), &[("message", "free drinks")])
        .await;
    assert_eq!(refused.unwrap_err(), AppError::Unauthorized);
    let (refused, _) = app
        .call::<PauseOrders, BarStatus>(Some(&admin), &[("message", "back\nsoon")])
        .await;
    assert!(
        matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "message")
    );
    let (status, _) = app.call::<LoadBarStatus, BarStatus>(Some(&mia), &[]).await;
    assert_eq!(status.unwrap().paused, None);

    // Paused: open pages hear it with the message, and nothing is placed.
    let mut events = EventReader::new(app.events(Some(&mia)).await);
    assert_eq!(events.next(LIVE).await.unwrap().0, "hello");
    let (paused, _) = app
        .call::<PauseOrders, BarStatus>(Some(&admin), &[("message", " back in 10 minutes ")])
        .await;
    assert_eq!(
        paused.unwrap().paused.as_deref(),
        Some("back in 10 minutes")
    );
    let heard = events.next_update("bar", LIVE).await.expect("bar event");
    assert_eq!(heard["status"]["paused"], "back in 10 minutes");
    let why = conflict(app.place(&mia, "Paloma", "mia-key-0002").await);
    assert_eq!(why, "Orders are paused: back in 10 minutes");
    assert_eq!(app.order_count(&app.guest_id("Mia").await).await, 1);
    // A retry of an order placed before the pause is still that order, not a refusal.
    let again = app.place(&mia, "Mojito", "mia-key-0001").await.unwrap();
    assert_eq!(again.id, before.id);
    // Orders already placed go on being made.
    app.advance(&admin, &before.id, "making").await.unwrap();

    // Resumed: the same order goes through.
    let (resumed, _) = app.call::<ResumeOrders, BarStatus>(Some(&admin), &[]).await;
    assert_eq!(resumed.unwrap().paused, None);
    let heard = events.next_update("bar", LIVE).await.expect("bar event");
    assert!(heard["status"]["paused"].is_null());
    app.place(&mia, "Paloma", "mia-key-0002").await.unwrap();
    assert_eq!(app.order_count(&app.guest_id("Mia").await).await, 2);
});

db_test!(last_call_takes_orders_until_its_time_then_none, |app| {
    let mia = app.join("Mia").await;
    let admin = app.admin().await;
    for minutes in ["0", "181", "-5"] {
        let (refused, _) = app
            .call::<CallLastOrders, BarStatus>(Some(&admin), &[("minutes", minutes)])
            .await;
        assert!(
            matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "minutes"),
            "{minutes} minutes were accepted"
        );
    }
    let (refused, _) = app
        .call::<CallLastOrders, BarStatus>(Some(&mia), &[("minutes", "15")])
        .await;
    assert_eq!(refused.unwrap_err(), AppError::Unauthorized);

    let asked = now_ms();
    let (called, _) = app
        .call::<CallLastOrders, BarStatus>(Some(&admin), &[("minutes", "15")])
        .await;
    let called = called.unwrap();
    let closes = called.last_call_at.expect("a closing time");
    assert!((asked + 15 * 60_000..=now_ms() + 15 * 60_000).contains(&closes));
    assert_eq!(
        called.notice_at(called.now, app::i18n::Locale::en).unwrap(),
        "Last call: orders close in 15 minutes."
    );
    // Before the time, orders go through.
    app.place(&mia, "Mojito", "mia-key-0001").await.unwrap();

    // Past the time, none (the clock is moved by setting the closing time in the past).
    app.state
        .store
        .set_setting(LAST_CALL_AT, &(now_ms() - 1).to_string())
        .await
        .unwrap();
    let why = conflict(app.place(&mia, "Paloma", "mia-key-0002").await);
    assert_eq!(
        why,
        "Last call has passed: the bar is not taking new orders."
    );

    // Called off: the bar takes orders again.
    let (cancelled, _) = app
        .call::<CancelLastCall, BarStatus>(Some(&admin), &[])
        .await;
    assert_eq!(cancelled.unwrap().last_call_at, None);
    app.place(&mia, "Paloma", "mia-key-0002").await.unwrap();
});

db_test!(a_pause_on_one_server_reaches_guests_on_another, |app| {
    let other = app.another_server().await;
    let mia = other.join("Mia").await;
    let admin = app.admin().await;
    let mut events = EventReader::new(other.events(Some(&mia)).await);
    assert_eq!(events.next(LIVE).await.unwrap().0, "hello");
    let (paused, _) = app
        .call::<PauseOrders, BarStatus>(Some(&admin), &[("message", "ice run")])
        .await;
    paused.unwrap();
    let heard = events.next_update("bar", LIVE).await.expect("bar event");
    assert_eq!(heard["status"]["paused"], "ice run");
    let why = conflict(other.place(&mia, "Paloma", "mia-key-0001").await);
    assert_eq!(why, "Orders are paused: ice run");
});
