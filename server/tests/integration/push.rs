//! Web Push end to end against a push-service stub: a local HTTP server that records what the bar
//! sends and decrypts it with the subscription's own keys (RFC 8291), as the browser would, and
//! checks the bar's VAPID signature (RFC 8292). Nothing of the bar's sender is stood in for.

use crate::common::push_service::{Browser, PushService, Received};
use crate::common::{db_test, eventually, TestApp};
use app::api::bartender::ForgetMe;
use app::api::pickup::Remind;
use app::api::push::{PushKey, SubscribePush};
use app::error::AppError;
use app::model::Order;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use std::collections::HashMap;
use std::time::Duration;

const SOON: Duration = Duration::from_secs(5);

/// Checks the VAPID header: `vapid t=<ES256 JWT>, k=<the bar's public key>`, the JWT signed by
/// that key, for the push service's origin, with a contact and an expiry within a day.
fn check_vapid(received: &Received, bar_key: &str, base: &str) {
    let header = received.headers["authorization"].to_str().unwrap();
    let rest = header
        .strip_prefix("vapid ")
        .expect("a VAPID authorization");
    let fields: HashMap<&str, &str> = rest
        .split(", ")
        .filter_map(|field| field.split_once('='))
        .collect();
    assert_eq!(fields["k"], bar_key);
    let point = URL_SAFE_NO_PAD.decode(fields["k"]).unwrap();
    assert_eq!((point.len(), point[0]), (65, 4));
    let key = jsonwebtoken::DecodingKey::from_ec_components(
        &URL_SAFE_NO_PAD.encode(&point[1..33]),
        &URL_SAFE_NO_PAD.encode(&point[33..]),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<serde_json::Value>(fields["t"], &key, &validation)
        .expect("the JWT is signed by the bar's key")
        .claims;
    // The push service's origin (the crate leaves the port out, as real services use 443).
    let aud = claims["aud"].as_str().unwrap();
    assert!(base.starts_with(aud), "aud {aud} for {base}");
    assert!(claims["sub"].as_str().unwrap().starts_with("mailto:"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().unwrap();
    assert!(exp > now && exp <= now + 24 * 3600, "exp {exp}");
}

async fn subscriptions(app: &TestApp, guest_id: &str) -> usize {
    app.state
        .store
        .push_subscriptions(guest_id)
        .await
        .unwrap()
        .len()
}

db_test!(
    a_ready_drink_is_pushed_once_encrypted_for_the_browser_and_a_gone_browser_is_forgotten,
    tweak = |config| config.push_over_http = true,
    |app| {
        let (service, base) = PushService::start().await;
        let ana = app.join("Ana").await;
        let admin = app.admin().await;
        let (key, _) = app.call::<PushKey, Option<String>>(Some(&ana), &[]).await;
        let key = key.unwrap().expect("the bar sends notifications");

        // Only a guest's browser, and only with real keys.
        let phone = Browser::new(&base, "ana-phone");
        assert_eq!(
            phone.subscribe(&app, &admin).await.unwrap_err(),
            AppError::Unauthorized
        );
        let broken = app
            .call::<SubscribePush, ()>(
                Some(&ana),
                &[
                    ("endpoint", &phone.endpoint),
                    ("p256dh", "bm90IGEga2V5"),
                    ("auth", "eHg"),
                ],
            )
            .await
            .0;
        assert!(
            matches!(broken.unwrap_err(), AppError::Invalid { ref field, .. } if field == "subscription")
        );
        let ana_id = app.guest_id("Ana").await;
        assert_eq!(subscriptions(&app, &ana_id).await, 0);
        phone.subscribe(&app, &ana).await.unwrap();
        // The same browser again is the same subscription.
        phone.subscribe(&app, &ana).await.unwrap();
        assert_eq!(subscriptions(&app, &ana_id).await, 1);

        // Queued and making say nothing; ready sends exactly one push.
        let order = app.place(&ana, "Negroni", "push-key-0001").await.unwrap();
        app.advance(&admin, &order.id, "making").await.unwrap();
        let made_ready = std::time::Instant::now();
        app.advance(&admin, &order.id, "ready").await.unwrap();
        eventually("the push", SOON, || async {
            !service.received("ana-phone").is_empty()
        })
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let pushes = service.received("ana-phone");
        assert_eq!(pushes.len(), 1, "one ready, one push");
        assert!(
            pushes[0].at >= made_ready,
            "pushed before the drink was ready"
        );
        check_vapid(&pushes[0], &key, &base);
        let notice = phone.read(&pushes[0]);
        assert_eq!(notice["title"], "Your Negroni is ready");
        assert_eq!(notice["body"], "Pick it up at the bar.");
        assert_eq!(notice["url"], "/orders");
        assert_eq!(notice["tag"], order.id.as_str());

        // The host's reminder sends again.
        app.call::<Remind, Order>(Some(&admin), &[("order_id", &order.id)])
            .await
            .0
            .unwrap();
        eventually("the reminder", SOON, || async {
            service.received("ana-phone").len() == 2
        })
        .await;
        let again = phone.read(&service.received("ana-phone")[1]);
        assert!(
            again["title"]
                .as_str()
                .unwrap()
                .starts_with("Your Negroni is ready"),
            "{again}"
        );

        // The push service says the browser is gone: it is forgotten, and nothing else is.
        let laptop = Browser::new(&base, "ana-laptop");
        laptop.subscribe(&app, &ana).await.unwrap();
        service.answer("ana-phone", 410);
        app.call::<Remind, Order>(Some(&admin), &[("order_id", &order.id)])
            .await
            .0
            .unwrap();
        eventually(
            "the laptop told, the gone phone forgotten",
            SOON,
            || async {
                service.received("ana-laptop").len() == 1 && subscriptions(&app, &ana_id).await == 1
            },
        )
        .await;
        assert_eq!(service.received("ana-phone").len(), 3);
        let kept = app.state.store.push_subscriptions(&ana_id).await.unwrap();
        assert_eq!(kept[0].endpoint, laptop.endpoint);
    }
);

db_test!(
    forget_me_and_removal_delete_a_guests_subscriptions,
    tweak = |config| config.push_over_http = true,
    |app| {
        let (_service, base) = PushService::start().await;
        let ana = app.join("Ana").await;
        let bo = app.join("Bo").await;
        let admin = app.admin().await;
        Browser::new(&base, "ana")
            .subscribe(&app, &ana)
            .await
            .unwrap();
        Browser::new(&base, "bo")
            .subscribe(&app, &bo)
            .await
            .unwrap();
        let (ana_id, bo_id) = (app.guest_id("Ana").await, app.guest_id("Bo").await);

        app.call::<ForgetMe, ()>(Some(&ana), &[]).await.0.unwrap();
        assert_eq!(subscriptions(&app, &ana_id).await, 0);
        assert_eq!(subscriptions(&app, &bo_id).await, 1);

        app.call::<app::api::admin::RemoveGuest, ()>(Some(&admin), &[("guest_id", &bo_id)])
            .await
            .0
            .unwrap();
        assert_eq!(subscriptions(&app, &bo_id).await, 0);
    }
);

db_test!(
    push_endpoints_must_be_https_unless_the_bar_says_otherwise,
    |app| {
        let ana = app.join("Ana").await;
        let refused = Browser::new("http://127.0.0.1:9", "ana")
            .subscribe(&app, &ana)
            .await;
        assert!(
            matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "subscription")
        );
        Browser::new("https://push.example.com", "ana")
            .subscribe(&app, &ana)
            .await
            .unwrap();
    }
);

db_test!(
    a_spanish_guests_browser_is_told_in_spanish,
    tweak = |config| config.push_over_http = true,
    |app| {
        let (service, base) = PushService::start().await;
        let lucia = app.join("Lucía").await;
        let admin = app.admin().await;
        // Notifications turned on from a page in Spanish.
        let chosen = app.state.cookies.name(app::language::COOKIE);
        let in_spanish = crate::common::Session(format!("{}; {chosen}=es", lucia.0));
        let phone = Browser::new(&base, "lucia-phone");
        phone.subscribe(&app, &in_spanish).await.unwrap();

        let order = app.place(&lucia, "Negroni", "push-es-0001").await.unwrap();
        app.advance(&admin, &order.id, "making").await.unwrap();
        app.advance(&admin, &order.id, "ready").await.unwrap();
        eventually("the push", SOON, || async {
            !service.received("lucia-phone").is_empty()
        })
        .await;
        let notice = phone.read(&service.received("lucia-phone")[0]);
        assert_eq!(notice["title"], "Tu Negroni está listo");
        assert_eq!(notice["body"], "Recógelo en la barra.");

        app.call::<Remind, Order>(Some(&admin), &[("order_id", &order.id)])
            .await
            .0
            .unwrap();
        eventually("the reminder", SOON, || async {
            service.received("lucia-phone").len() == 2
        })
        .await;
        let again = phone.read(&service.received("lucia-phone")[1]);
        assert_eq!(again["title"], "Tu Negroni está listo: te sigue esperando");
    }
);
