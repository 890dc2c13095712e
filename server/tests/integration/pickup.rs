//! Picking drinks up: the pickup place, the pickup screen and its TV links, and reminders.

use crate::common::{db_test, EventReader};
use app::api::orders::{MyOrders, ReadyOrders};
use app::api::pickup::{
    CreateScreenLink, LoadPickupScreen, LoadPickupSettings, Remind, RevokeScreenLink,
    SetPickupPlace,
};
use app::error::AppError;
use app::model::{self, GuestOrders, NewScreenLink, Order, ReadyDrinks};
use std::time::Duration;

const LIVE: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(500);

db_test!(
    the_pickup_place_is_the_hosts_to_set_and_every_guest_reads_it,
    |app| {
        let ana = app.join("Ana").await;
        let admin = app.admin().await;
        let place = async |who| {
            let (orders, _) = app.call::<MyOrders, GuestOrders>(Some(who), &[]).await;
            let (ready, _) = app
                .call::<ReadyOrders, Option<ReadyDrinks>>(Some(who), &[])
                .await;
            let (orders, ready) = (orders.unwrap().place, ready.unwrap().unwrap().place);
            assert_eq!(orders, ready);
            orders
        };
        // Until the host says, no place: each reader sees the bar in their own language.
        assert_eq!(place(&ana).await, "");
        assert_eq!(
            model::pick_up_sentence(app::i18n::Locale::es, &place(&ana).await),
            "Recógelo en la barra."
        );

        // A guest may not move it; a bad place is refused and changes nothing.
        let (refused, _) = app
            .call::<SetPickupPlace, String>(Some(&ana), &[("place", "my table")])
            .await;
        assert_eq!(refused.unwrap_err(), AppError::Unauthorized);
        for bad in ["", " . ", "at the\nbar", &"x".repeat(61)] {
            let (refused, _) = app
                .call::<SetPickupPlace, String>(Some(&admin), &[("place", bad)])
                .await;
            assert!(
                matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "place"),
                "{bad:?} was accepted"
            );
        }
        assert_eq!(place(&ana).await, "");

        // The host moves it: open pages hear it at once, and every answer carries it.
        let mut events = EventReader::new(app.events(Some(&ana)).await);
        assert_eq!(events.next(LIVE).await.unwrap().0, "hello");
        let (saved, _) = app
            .call::<SetPickupPlace, String>(Some(&admin), &[("place", "  by the kitchen window. ")])
            .await;
        assert_eq!(saved.unwrap(), "by the kitchen window");
        let heard = events
            .next_update("pickup", LIVE)
            .await
            .expect("pickup event");
        assert_eq!(heard["place"], "by the kitchen window");
        assert_eq!(place(&ana).await, "by the kitchen window");
        let (settings, _) = app
            .call::<LoadPickupSettings, model::PickupSettings>(Some(&admin), &[])
            .await;
        assert_eq!(settings.unwrap().place, "by the kitchen window");
    }
);

db_test!(
    the_pickup_screen_shows_ready_drinks_newest_first_to_the_host_or_a_tv_link,
    |app| {
        let ana = app.join("Ana").await;
        let bo = app.join("Bo").await;
        let admin = app.admin().await;
        let screen = async |key: Option<&str>, who| {
            let form: Vec<(&str, &str)> = key.map(|k| ("key", k)).into_iter().collect();
            app.call::<LoadPickupScreen, model::PickupScreen>(who, &form)
                .await
                .0
        };
        // Not for guests or visitors, nor with a made-up key.
        assert_eq!(
            screen(None, None).await.unwrap_err(),
            AppError::Unauthorized
        );
        assert_eq!(
            screen(None, Some(&ana)).await.unwrap_err(),
            AppError::Unauthorized
        );
        let made_up = "ab".repeat(32);
        assert_eq!(
            screen(Some(&made_up), None).await.unwrap_err(),
            AppError::Forbidden
        );
        assert!(screen(None, Some(&admin)).await.unwrap().ready.is_empty());

        // A TV link: shown once, opens the screen, and its stream.
        let (made, _) = app
            .call::<CreateScreenLink, NewScreenLink>(Some(&admin), &[])
            .await;
        let made = made.unwrap();
        let key = made
            .url
            .split_once("/screen?key=")
            .expect("a screen address")
            .1
            .to_string();
        assert!(made.url.starts_with(&app.state.config.public_url));
        assert!(key.starts_with(&made.link.prefix));
        let (links, _) = app
            .call::<LoadPickupSettings, model::PickupSettings>(Some(&admin), &[])
            .await;
        assert_eq!(links.unwrap().links, std::slice::from_ref(&made.link));
        let tv = app.screen_events(&key).await;
        assert_eq!(tv.status(), 200);
        let mut tv = EventReader::new(tv);
        assert_eq!(tv.next(LIVE).await.unwrap().0, "hello");

        let first = app.place(&ana, "Mojito", "screen-key-0001").await.unwrap();
        let second = app.place(&bo, "Paloma", "screen-key-0002").await.unwrap();
        // Orders on the way are nobody's business on the screen.
        assert!(
            tv.next(QUIET).await.is_none(),
            "the screen heard about a queued order"
        );
        for order in [&first, &second] {
            for status in ["making", "ready"] {
                app.advance(&admin, &order.id, status).await.unwrap();
            }
            assert!(tv.next_update("screen", LIVE).await.is_some());
        }
        let shown = screen(Some(&key), None).await.unwrap();
        let names: Vec<(&str, &str)> = shown
            .ready
            .iter()
            .map(|call| (call.guest_name.as_str(), call.drink_name.as_str()))
            .collect();
        assert_eq!(names, [("Bo", "Paloma"), ("Ana", "Mojito")]);
        assert_eq!(shown.place, "");

        // Collected, the name goes.
        app.advance(&admin, &first.id, "collected").await.unwrap();
        assert!(tv.next_update("screen", LIVE).await.is_some());
        let left: Vec<String> = screen(Some(&key), None)
            .await
            .unwrap()
            .ready
            .into_iter()
            .map(|call| call.order_id)
            .collect();
        assert_eq!(left, [second.id.as_str()]);

        // Withdrawn, the link opens nothing.
        let (revoked, _) = app
            .call::<RevokeScreenLink, ()>(Some(&admin), &[("id", &made.link.id)])
            .await;
        revoked.unwrap();
        assert_eq!(
            screen(Some(&key), None).await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(app.screen_events(&key).await.status(), 401);
        let (again, _) = app
            .call::<RevokeScreenLink, ()>(Some(&admin), &[("id", &made.link.id)])
            .await;
        assert!(matches!(again.unwrap_err(), AppError::NotFound(_)));
    }
);

db_test!(
    remind_tells_the_guest_again_and_flashes_the_name_on_the_screens,
    |app| {
        let ana = app.join("Ana").await;
        let bo = app.join("Bo").await;
        let admin = app.admin().await;
        let order = app.place(&ana, "Negroni", "remind-key-0001").await.unwrap();
        let remind = async |who, id: &str| {
            app.call::<Remind, Order>(Some(who), &[("order_id", id)])
                .await
                .0
        };
        // Only the host, only a ready drink.
        assert_eq!(
            remind(&ana, &order.id).await.unwrap_err(),
            AppError::Unauthorized
        );
        assert!(matches!(
            remind(&admin, &order.id).await.unwrap_err(),
            AppError::Conflict(_)
        ));
        assert!(matches!(
            remind(&admin, "no-such-order").await.unwrap_err(),
            AppError::NotFound(_)
        ));
        for status in ["making", "ready"] {
            app.advance(&admin, &order.id, status).await.unwrap();
        }

        let (made, _) = app
            .call::<CreateScreenLink, NewScreenLink>(Some(&admin), &[])
            .await;
        let key = made.unwrap().url.split_once("key=").unwrap().1.to_string();
        let mut tv = EventReader::new(app.screen_events(&key).await);
        let mut anas = EventReader::new(app.events(Some(&ana)).await);
        let mut bos = EventReader::new(app.events(Some(&bo)).await);
        for stream in [&mut tv, &mut anas, &mut bos] {
            assert_eq!(stream.next(LIVE).await.unwrap().0, "hello");
        }
        remind(&admin, &order.id).await.unwrap();
        let heard = anas
            .next_update("reminder", LIVE)
            .await
            .expect("the reminder");
        assert_eq!(heard["order"]["id"], order.id.as_str());
        assert_eq!(heard["order"]["drink_name"], "Negroni");
        let flash = tv.next_update("flash", LIVE).await.expect("the flash");
        assert_eq!(flash["order_id"], order.id.as_str());
        assert!(
            bos.next(QUIET).await.is_none(),
            "another guest heard the reminder"
        );
        // Reminding again reminds again.
        remind(&admin, &order.id).await.unwrap();
        assert!(anas.next_update("reminder", LIVE).await.is_some());
        // Collected: nothing left to remind of.
        app.advance(&admin, &order.id, "collected").await.unwrap();
        assert!(matches!(
            remind(&admin, &order.id).await.unwrap_err(),
            AppError::Conflict(_)
        ));
    }
);
