//! Ordering: limits, availability, idempotency, the lifecycle, privacy, live events.

use crate::common::{db_test, EventReader};
use app::api::orders::{CancelOrder, MyOrders, ReadyOrders};
use app::error::AppError;
use app::model::{Actor, GuestOrders, Order, OrderStatus, ReadyDrinks};
use std::time::Duration;

db_test!(orders_respect_the_active_limit_until_one_is_done, |app| {
    let ana = app.join("Ana").await;
    let first = app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();
    app.place(&ana, "Paloma", "ana-key-0002").await.unwrap();
    let err = app
        .place(&ana, "Negroni", "ana-key-0003")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("already have 2")),
        "{err:?}"
    );
    let (cancelled, _) = app
        .call::<CancelOrder, Order>(Some(&ana), &[("order_id", &first.id)])
        .await;
    assert_eq!(cancelled.unwrap().status, OrderStatus::Cancelled);
    app.place(&ana, "Negroni", "ana-key-0003").await.unwrap();
    assert_eq!(app.state.store.count_orders().await.unwrap(), 3);
});

db_test!(bad_order_input_and_unavailable_drinks_are_refused, |app| {
    let ana = app.join("Ana").await;
    let err = app
        .place(&ana, "Sazerac", "ana-key-0001")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("out of Absinthe")),
        "{err:?}"
    );
    let id = app.drink_id("Mojito");
    for (quantity, note, key, field) in [
        ("0", "", "ana-key-0002", "quantity"),
        ("4", "", "ana-key-0002", "quantity"),
        ("1", &"x".repeat(201)[..], "ana-key-0002", "note"),
        ("1", "", "short", "idempotency_key"),
    ] {
        let (result, _) = app
            .call::<app::api::orders::PlaceOrder, Order>(
                Some(&ana),
                &[
                    ("drink_id", &id),
                    ("quantity", quantity),
                    ("note", note),
                    ("idempotency_key", key),
                ],
            )
            .await;
        assert!(
            matches!(result.unwrap_err(), AppError::Invalid { field: f, .. } if f == field),
            "{field}"
        );
    }
    let (anonymous, _) = app
        .call::<app::api::orders::PlaceOrder, Order>(
            None,
            &[
                ("drink_id", &id),
                ("quantity", "1"),
                ("note", ""),
                ("idempotency_key", "anon-key-001"),
            ],
        )
        .await;
    assert_eq!(anonymous.unwrap_err(), AppError::Unauthorized);
    assert_eq!(app.state.store.count_orders().await.unwrap(), 0);
});

db_test!(
    fifty_concurrent_submissions_with_one_key_create_one_order,
    |app| {
        let ana = app.join("Ana").await;
        let app = std::sync::Arc::new(app);
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (app, ana) = (app.clone(), ana.clone());
                tokio::spawn(async move { app.place(&ana, "Margarita", "same-key-123456").await })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(
                task.await
                    .unwrap()
                    .expect("every submission gets the order")
                    .id,
            );
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "all 50 answers are the same order");
        assert_eq!(app.state.store.count_orders().await.unwrap(), 1);
    }
);

db_test!(fifty_concurrent_different_orders_all_land, |app| {
    let mut guests = Vec::new();
    let code = app.invite(25).await;
    for i in 0..25 {
        guests.push(app.try_join(&code, &format!("Guest {i}")).await.unwrap());
    }
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (app, guest) = (app.clone(), guests[i % 25].clone());
            tokio::spawn(async move {
                app.place(&guest, "Mojito", &format!("order-key-{i:04}"))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("no busy or lock errors");
    }
    assert_eq!(app.state.store.count_orders().await.unwrap(), 50);
});

db_test!(
    only_lifecycle_transitions_happen_and_each_is_recorded_with_its_time,
    |app| {
        let ana = app.join("Ana").await;
        let admin = app.admin().await;
        let order = app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();
        let store = &app.state.store;
        let bar = app.state.bar();
        // Everything the lifecycle forbids from "queued" is refused and changes nothing.
        for (next, actor) in [
            (OrderStatus::Ready, Actor::Host),
            (OrderStatus::Collected, Actor::Host),
            (OrderStatus::Queued, Actor::Host),
            (OrderStatus::Making, Actor::Guest),
        ] {
            let err = bar
                .move_order(&order.id, next, actor, None)
                .await
                .unwrap_err();
            assert!(matches!(err, AppError::Conflict(_)), "{next:?} {actor:?}");
        }
        assert_eq!(store.order_history(&order.id).await.unwrap().len(), 1);
        for (status, label) in [
            ("making", "making"),
            ("ready", "ready"),
            ("collected", "collected"),
        ] {
            assert_eq!(
                app.advance(&admin, &order.id, status)
                    .await
                    .unwrap()
                    .status
                    .as_str(),
                label
            );
        }
        // Collected moves nowhere but back to ready (the host's Recall, below), not even to cancelled.
        for status in ["queued", "making", "cancelled", "collected"] {
            assert!(matches!(
                app.advance(&admin, &order.id, status).await.unwrap_err(),
                AppError::Conflict(_)
            ));
        }
        assert!(matches!(
            app.advance(&admin, &order.id, "brewing").await.unwrap_err(),
            AppError::Invalid { .. }
        ));
        let history = store.order_history(&order.id).await.unwrap();
        let statuses: Vec<_> = history.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(statuses, ["queued", "making", "ready", "collected"]);
        assert!(history.windows(2).all(|w| w[0].1 <= w[1].1) && history[0].1 > 0);
        // Recall: a collected drink tapped by mistake is ready again.
        let recalled = app.advance(&admin, &order.id, "ready").await.unwrap();
        assert_eq!(recalled.status, OrderStatus::Ready);
        // A guest cannot cancel once the host has started; the host can.
        let second = app.place(&ana, "Paloma", "ana-key-0002").await.unwrap();
        app.advance(&admin, &second.id, "making").await.unwrap();
        let (refused, _) = app
            .call::<CancelOrder, Order>(Some(&ana), &[("order_id", &second.id)])
            .await;
        assert!(matches!(refused.unwrap_err(), AppError::Conflict(_)));
        assert_eq!(
            app.advance(&admin, &second.id, "cancelled")
                .await
                .unwrap()
                .status,
            OrderStatus::Cancelled
        );
    }
);

db_test!(a_guest_cannot_see_or_cancel_another_guests_order, |app| {
    let ana = app.join("Ana").await;
    let bob = app.join("Bob").await;
    let bobs = app.place(&bob, "Mojito", "bob-key-00001").await.unwrap();
    let (mine, _) = app.call::<MyOrders, GuestOrders>(Some(&ana), &[]).await;
    assert!(mine.unwrap().orders.is_empty());
    let (cancel, _) = app
        .call::<CancelOrder, Order>(Some(&ana), &[("order_id", &bobs.id)])
        .await;
    assert!(matches!(cancel.unwrap_err(), AppError::NotFound(_)));
    assert_eq!(
        app.state.store.order_history(&bobs.id).await.unwrap().len(),
        1
    );
    // On /events, Ana hears that the queue moved but nothing about Bob's order.
    let mut ana_events = EventReader::new(app.events(Some(&ana)).await);
    assert_eq!(
        ana_events.next(Duration::from_secs(5)).await.unwrap().0,
        "hello"
    );
    // Carla's new order joins the end of the line: nobody's place changes, so nobody is nudged.
    let carla = app.join("Carla").await;
    app.place(&carla, "Paloma", "carla-key-0001").await.unwrap();
    assert!(
        ana_events.next(Duration::from_millis(500)).await.is_none(),
        "a new order at the end of the line nudged another guest"
    );
    let admin = app.admin().await;
    app.advance(&admin, &bobs.id, "making").await.unwrap();
    let nudge = ana_events.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(nudge.0, "update");
    assert!(
        !nudge.1.contains(&bobs.id) && !nudge.1.contains("Bob") && nudge.1.contains("queue"),
        "{}",
        nudge.1
    );
    assert!(ana_events
        .next_update("order", Duration::from_millis(500))
        .await
        .is_none());
});

db_test!(status_changes_reach_the_guest_and_the_admin_live, |app| {
    let ana = app.join("Ana").await;
    let admin = app.admin().await;
    let mut guest_events = EventReader::new(app.events(Some(&ana)).await);
    let mut admin_events = EventReader::new(app.events(Some(&admin)).await);
    assert_eq!(
        guest_events.next(Duration::from_secs(5)).await.unwrap().0,
        "hello"
    );
    assert_eq!(
        admin_events.next(Duration::from_secs(5)).await.unwrap().0,
        "hello"
    );
    let order = app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();
    let placed = admin_events
        .next_update("order", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(placed["order"]["id"], order.id.as_str());
    assert_eq!(placed["order"]["status"], "queued");
    app.advance(&admin, &order.id, "making").await.unwrap();
    app.advance(&admin, &order.id, "ready").await.unwrap();
    let mut seen = Vec::new();
    while seen.last().map(String::as_str) != Some("ready") {
        let event = guest_events
            .next_update("order", Duration::from_secs(5))
            .await
            .expect("order event");
        seen.push(event["order"]["status"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["queued", "making", "ready"]);
});

db_test!(my_orders_show_queue_place_and_wait, |app| {
    let ana = app.join("Ana").await;
    let bob = app.join("Bob").await;
    app.place(&bob, "Mojito", "bob-key-00001").await.unwrap();
    app.place(&ana, "Paloma", "ana-key-0001").await.unwrap();
    let (mine, _) = app.call::<MyOrders, GuestOrders>(Some(&ana), &[]).await;
    let mine = mine.unwrap().orders;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].queue_position, Some(2));
    assert!(mine[0].eta_minutes.unwrap() >= 1);
});

db_test!(
    status_changes_wait_their_turn_while_another_process_writes,
    |app| {
        // The CLI writes to the same database from another process (another pool). A transaction that
        // reads before it writes must wait for the lock, not fail with "database is locked".
        let admin = app.admin().await;
        let code = app.invite(20).await;
        let mut orders = Vec::new();
        for i in 0..20 {
            let guest = app.try_join(&code, &format!("Racer {i}")).await.unwrap();
            orders.push(
                app.place(&guest, "Mojito", &format!("race-key-{i:04}"))
                    .await
                    .unwrap(),
            );
        }
        let (other, _) = app::backend::bar::Bar::for_command(
            app::backend::store::Store::connect(&app.state.database_url())
                .await
                .unwrap(),
        );
        let app = std::sync::Arc::new(app);
        let writer = tokio::spawn(async move {
            for _ in 0..40 {
                other.create_invite(1, 1, "cli").await.unwrap();
            }
        });
        let moves: Vec<_> = orders
            .iter()
            .map(|order| {
                let (app, admin, id) = (app.clone(), admin.clone(), order.id.clone());
                tokio::spawn(async move { app.advance(&admin, &id, "making").await })
            })
            .collect();
        for task in moves {
            assert_eq!(
                task.await
                    .unwrap()
                    .expect("no database-is-locked errors")
                    .status,
                OrderStatus::Making
            );
        }
        writer.await.unwrap();
    }
);

db_test!(
    every_page_learns_which_of_the_guests_drinks_are_ready_until_collected,
    |app| {
        let ready = async |who: Option<&crate::common::Session>| {
            app.call::<ReadyOrders, Option<ReadyDrinks>>(who, &[])
                .await
                .0
                .unwrap()
                .map(|ready| ready.orders)
        };
        // A visitor is not an error: every page asks.
        assert_eq!(ready(None).await, None);
        let ana = app.join("Ana").await;
        let bo = app.join("Bo").await;
        let admin = app.admin().await;
        let first = app.place(&ana, "Mojito", "ready-key-0001").await.unwrap();
        let second = app.place(&ana, "Negroni", "ready-key-0002").await.unwrap();
        assert_eq!(ready(Some(&ana)).await, Some(Vec::new()));
        // The guest's own name comes with it, for the greeting.
        let named = app
            .call::<ReadyOrders, Option<ReadyDrinks>>(Some(&bo), &[])
            .await
            .0;
        assert_eq!(
            named.unwrap().map(|ready| ready.guest).as_deref(),
            Some("Bo")
        );
        for status in ["making", "ready"] {
            app.advance(&admin, &first.id, status).await.unwrap();
        }
        let now = ready(Some(&ana)).await.unwrap();
        assert_eq!(now.len(), 1);
        assert_eq!(
            (now[0].id.as_str(), now[0].status),
            (first.id.as_str(), OrderStatus::Ready)
        );
        // Only the guest's own drinks.
        assert_eq!(ready(Some(&bo)).await, Some(Vec::new()));
        for status in ["making", "ready"] {
            app.advance(&admin, &second.id, status).await.unwrap();
        }
        let both: Vec<String> = ready(Some(&ana))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(both, [first.id.as_str(), second.id.as_str()]);
        app.advance(&admin, &first.id, "collected").await.unwrap();
        let left: Vec<String> = ready(Some(&ana))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(left, [second.id.as_str()]);
    }
);
