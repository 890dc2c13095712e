//! Two server processes on one PostgreSQL database: what changes through one reaches pages
//! connected to the other, live.

use crate::common::{fresh_database, spawn_app_on, Db, EventReader};
use std::time::Duration;

const LIVE: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_through_one_server_is_seen_live_through_the_other() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    let one = spawn_app_on(db, |_| {}).await;
    let two = one.another_server().await;
    let guest = one.join("Roamer").await;
    let admin = one.admin().await;

    // The guest's phone is connected to the second server.
    let mut events = EventReader::new(two.events(Some(&guest)).await);
    assert_eq!(
        events.next(LIVE).await.map(|(event, _)| event),
        Some("hello".into())
    );

    // The order is placed and started through the first.
    let order = one.place(&guest, "Mojito", "roamer-0001").await.unwrap();
    let update = events
        .next_update("order", LIVE)
        .await
        .expect("the placed order, live");
    assert_eq!(update["order"]["id"], order.id.as_str());
    assert_eq!(update["order"]["status"], "queued");
    one.advance(&admin, &order.id, "making").await.unwrap();
    let update = events
        .next_update("order", LIVE)
        .await
        .expect("the status change, live");
    assert_eq!(update["order"]["status"], "making");

    // The menu follows the shelf on both servers.
    one.set_in_stock("White rum", false).await;
    events
        .next_update("menu", LIVE)
        .await
        .expect("the menu change, live");
    let mojito = one.drink_id("Mojito");
    assert!(!two.state.menu.snapshot().drink(&mojito).unwrap().available);

    // The host's reminder and a new pickup place, through one server, reach the guest on the other.
    one.advance(&admin, &order.id, "ready").await.unwrap();
    one.call::<app::api::pickup::Remind, app::model::Order>(
        Some(&admin),
        &[("order_id", &order.id)],
    )
    .await
    .0
    .unwrap();
    let reminder = events
        .next_update("reminder", LIVE)
        .await
        .expect("the reminder, live");
    assert_eq!(reminder["order"]["id"], order.id.as_str());
    one.call::<app::api::pickup::SetPickupPlace, String>(Some(&admin), &[("place", "by the door")])
        .await
        .0
        .unwrap();
    let moved = events
        .next_update("pickup", LIVE)
        .await
        .expect("the new pickup place, live");
    assert_eq!(moved["place"], "by the door");

    // A guest removed through one server is signed out of the other's stream.
    let (removed, _) = one
        .call::<app::api::admin::RemoveGuest, ()>(Some(&admin), &[("guest_id", &order.guest_id)])
        .await;
    removed.unwrap();
    let closed = tokio::time::timeout(LIVE, async {
        while events.next(Duration::from_secs(30)).await.is_some() {}
    })
    .await;
    assert!(
        closed.is_ok(),
        "the removed guest's stream on the other server stays open"
    );
}
