//! Joining with invite codes, guest names, removal, and admin sign-in.

use crate::common::{db_test, Session};
use app::api::admin::{AdminLogin, AdminLogout, GetBoard, LetGuestBack, RemoveGuest};
use app::api::admin_bar::{Guests, SetPartyName};
use app::api::guests::{CheckInvite, Whoami};
use app::api::orders::MyOrders;
use app::error::AppError;
use app::model::GuestSummary;
use app::model::{Board, Viewer};

async fn guest_count(app: &crate::common::TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from guests")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    n
}

async fn uses(app: &crate::common::TestApp, code: &str) -> i64 {
    app.state.store.invite(code).await.unwrap().unwrap().uses
}

db_test!(
    a_valid_code_joins_and_the_session_works_across_requests,
    |app| {
        let code = app.invite(5).await;
        let ana = app.try_join(&code.to_lowercase(), "  Ana ").await.unwrap();
        let name = app.state.cookies.name(app::backend::auth::GUEST);
        assert!(name.starts_with("__Host-barback_guest"), "{name}");
        assert!(ana.0.starts_with(&format!("{name}=")), "{}", ana.0);
        let (who, _) = app.call::<Whoami, Viewer>(Some(&ana), &[]).await;
        assert!(matches!(
            who.unwrap(),
            Viewer::Guest { name, on_the_way: 0, most_on_the_way: 2, .. } if name == "Ana"
        ));
        assert_eq!(uses(&app, &code).await, 1);
        let (anon, _) = app.call::<Whoami, Viewer>(None, &[]).await;
        assert_eq!(anon.unwrap(), Viewer::Anonymous);
    }
);

db_test!(
    expired_used_up_revoked_and_unknown_codes_are_refused_and_create_nothing,
    |app| {
        let used_up = app.invite(1).await;
        app.try_join(&used_up, "First").await.unwrap();
        let expired = app.invite(5).await;
        sqlx::query("update invite_codes set expires_at = 1 where code = $1")
            .bind(&expired)
            .execute(app.state.store.pool())
            .await
            .unwrap();
        let revoked = app.invite(5).await;
        assert!(app.state.store.revoke_invite(&revoked).await.unwrap());
        let before = guest_count(&app).await;
        for (code, expected) in [
            (used_up.as_str(), "used up"),
            (expired.as_str(), "expired"),
            (revoked.as_str(), "withdrawn"),
            ("NOSUCHCODE", "no invite with that code"),
            ("!!", "not valid"),
        ] {
            let err = app.try_join(code, "Second").await.unwrap_err();
            assert!(
                matches!(&err, AppError::Invalid { field, message } if field == "code" && message.contains(expected)),
                "{code}: {err:?}"
            );
        }
        assert_eq!(guest_count(&app).await, before);
        assert_eq!(uses(&app, &used_up).await, 1);
        assert_eq!(uses(&app, &expired).await, 0);
        assert_eq!(uses(&app, &revoked).await, 0);
    }
);

db_test!(
    names_follow_the_rules_and_are_unique_among_active_guests,
    |app| {
        let code = app.invite(20).await;
        for bad in ["", "   ", &"x".repeat(41), "bad\u{7}name"] {
            let err = app.try_join(&code, bad).await.unwrap_err();
            assert!(
                matches!(&err, AppError::Invalid { field, .. } if field == "name"),
                "{bad:?}: {err:?}"
            );
        }
        assert_eq!(uses(&app, &code).await, 0, "a refused name takes no use");
        app.try_join(&code, &"é".repeat(40)).await.unwrap();
        let ana = app.try_join(&code, "Ana").await.unwrap();
        let err = app.try_join(&code, "ANA").await.unwrap_err();
        assert!(err.to_string().contains("already here"), "{err}");
        assert_eq!(uses(&app, &code).await, 2);
        // Look-alikes are the same name, and letters from two alphabets are refused.
        for lookalike in ["\u{410}na", "Аnа"] {
            let err = app.try_join(&code, lookalike).await.unwrap_err();
            assert!(
                err.to_string().contains("one alphabet"),
                "{lookalike}: {err}"
            );
        }
        app.try_join(&code, "Sam").await.unwrap();
        let err = app.try_join(&code, "Sarn").await.unwrap_err();
        assert!(err.to_string().contains("already here"), "{err}");
        // Once Ana is removed, the name stays taken, hers included, until the host lets her back.
        let admin = app.admin().await;
        let (who, _) = app.call::<Whoami, Viewer>(Some(&ana), &[]).await;
        let Viewer::Guest { id, .. } = who.unwrap() else {
            panic!()
        };
        app.call::<RemoveGuest, ()>(Some(&admin), &[("guest_id", &id)])
            .await
            .0
            .unwrap();
        let err = app.try_join(&code, "ana").await.unwrap_err();
        assert!(
            err.to_string().contains("asked Ana to leave")
                || err.to_string().contains("asked ana to leave"),
            "{err}"
        );
        let (guests, _) = app
            .call::<Guests, Vec<GuestSummary>>(Some(&admin), &[])
            .await;
        let guests = guests.unwrap();
        assert!(guests.iter().any(|g| g.id == id && g.removed), "{guests:?}");
        app.call::<LetGuestBack, ()>(Some(&admin), &[("guest_id", &id)])
            .await
            .0
            .unwrap();
        app.try_join(&code, "ana").await.unwrap();
        let (again, _) = app
            .call::<LetGuestBack, ()>(Some(&admin), &[("guest_id", &id)])
            .await;
        assert!(matches!(again.unwrap_err(), AppError::NotFound(_)));
    }
);

db_test!(
    joins_from_one_address_are_limited,
    tweak = |config| config.limits.joins_per_10_min = 3,
    |app| {
        let code = app.invite(20).await;
        app.try_join(&code, "One").await.unwrap();
        assert!(
            app.try_join(&code, "bad\u{7}").await.is_err(),
            "a refused try counts too"
        );
        app.try_join(&code, "Two").await.unwrap();
        let path = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
        let response = app
            .client
            .post(app.url(path))
            .header("accept", "application/json")
            .form(&[("code", code.as_str()), ("name", "Three")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        let retry_after = crate::common::retry_after(&response);
        assert!((1..=600).contains(&retry_after), "{retry_after}");
        assert_eq!(uses(&app, &code).await, 2, "the refused join took no use");
    }
);

db_test!(a_removed_guest_is_refused_at_once, |app| {
    let admin = app.admin().await;
    let bob = app.join("Bob").await;
    app.place(&bob, "Mojito", "bob-order-0001").await.unwrap();
    let (who, _) = app.call::<Whoami, Viewer>(Some(&bob), &[]).await;
    let Viewer::Guest { id, .. } = who.unwrap() else {
        panic!()
    };
    let (removed, _) = app
        .call::<RemoveGuest, ()>(Some(&admin), &[("guest_id", &id)])
        .await;
    removed.unwrap();
    let (orders, _) = app
        .call::<MyOrders, app::model::GuestOrders>(Some(&bob), &[])
        .await;
    assert_eq!(orders.unwrap_err(), AppError::Unauthorized);
    assert_eq!(
        app.place(&bob, "Mojito", "bob-order-0002")
            .await
            .unwrap_err(),
        AppError::Unauthorized
    );
    assert_eq!(app.events(Some(&bob)).await.status(), 401);
    // Removing again: no such active guest.
    let (again, _) = app
        .call::<RemoveGuest, ()>(Some(&admin), &[("guest_id", &id)])
        .await;
    assert!(matches!(again.unwrap_err(), AppError::NotFound(_)));
});

db_test!(
    admin_sign_in_refuses_a_wrong_password_and_sign_out_ends_the_session,
    |app| {
        let admin = app.admin().await;
        let name = app.state.cookies.name(app::backend::auth::ADMIN);
        assert!(admin.0.starts_with(&format!("{name}=")), "{}", admin.0);
        let (wrong, _) = app
            .call::<AdminLogin, ()>(None, &[("username", "host"), ("password", "nope")])
            .await;
        assert!(wrong
            .unwrap_err()
            .to_string()
            .contains("Wrong username or password"));
        let (unknown, _) = app
            .call::<AdminLogin, ()>(
                None,
                &[("username", "ghost"), ("password", "party-password")],
            )
            .await;
        assert!(unknown.is_err());
        let (board, _) = app.call::<GetBoard, Board>(Some(&admin), &[]).await;
        assert!(board.is_ok());
        let (out, _) = app.call::<AdminLogout, ()>(Some(&admin), &[]).await;
        out.unwrap();
        let (board, _) = app.call::<GetBoard, Board>(Some(&admin), &[]).await;
        assert_eq!(board.unwrap_err(), AppError::Unauthorized);
    }
);

db_test!(admin_functions_refuse_guests_and_anonymous_callers, |app| {
    let guest = app.join("Cleo").await;
    let order = app
        .place(&guest, "Daiquiri", "cleo-order-001")
        .await
        .unwrap();
    for caller in [None, Some(&guest)] {
        let (board, _) = app.call::<GetBoard, Board>(caller, &[]).await;
        assert_eq!(board.unwrap_err(), AppError::Unauthorized);
        let (moved, _) = app
            .call::<app::api::admin::AdvanceOrder, app::model::Order>(
                caller,
                &[("order_id", &order.id), ("status", "making")],
            )
            .await;
        assert_eq!(moved.unwrap_err(), AppError::Unauthorized);
        let (removed, _) = app
            .call::<RemoveGuest, ()>(caller, &[("guest_id", &order.guest_id)])
            .await;
        assert_eq!(removed.unwrap_err(), AppError::Unauthorized);
    }
    let history = app.state.store.order_history(&order.id).await.unwrap();
    assert_eq!(history.len(), 1, "nothing moved");
    let _ = Session(String::new());
});

db_test!(failed_calls_answer_with_the_status_of_their_error, |app| {
    let join = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
    let response = app
        .client
        .post(app.url(join))
        .form(&[("code", "NOSUCHCODE"), ("name", "Ana")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let board = <GetBoard as leptos::server_fn::ServerFn>::PATH;
    assert_eq!(
        app.client
            .post(app.url(board))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
});

db_test!(writes_from_another_site_are_refused, |app| {
    let code = app.invite(1).await;
    let join = <app::api::guests::JoinParty as leptos::server_fn::ServerFn>::PATH;
    let response = app
        .client
        .post(app.url(join))
        .header("origin", "http://evil.example")
        .form(&[("code", code.as_str()), ("name", "Mallory")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        app.state.store.invite(&code).await.unwrap().unwrap().uses,
        0
    );
    let same_site = app
        .client
        .post(app.url(join))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("code", code.as_str()), ("name", "Ana")])
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);
});

db_test!(
    a_visitor_who_has_not_joined_hears_menu_changes_and_nothing_else,
    |app| {
        use crate::common::EventReader;
        use std::time::Duration;
        let visitor = app.events(None).await;
        assert_eq!(visitor.status(), 200);
        let mut events = EventReader::new(visitor);
        let (event, hello) = events.next(Duration::from_secs(5)).await.expect("hello");
        assert_eq!(event, "hello");
        let hello: serde_json::Value = serde_json::from_str(&hello).unwrap();
        assert_eq!(hello["build"], app.state.site.build());
        let guest = app.join("Dora").await;
        let order = app
            .place(&guest, "Daiquiri", "dora-order-001")
            .await
            .unwrap();
        let admin = app.admin().await;
        let (moved, _) = app
            .call::<app::api::admin::AdvanceOrder, app::model::Order>(
                Some(&admin),
                &[("order_id", &order.id), ("status", "making")],
            )
            .await;
        moved.unwrap();
        app.state.menu_changed().await.unwrap();
        // Events arrive in the order they were published: had the visitor been told about the order
        // or the queue, that would come before the menu nudge.
        let (event, data) = events
            .next(Duration::from_secs(5))
            .await
            .expect("menu nudge");
        assert_eq!(event, "update");
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(data["kind"], "menu", "{data}");
        assert!(!data.to_string().contains(&order.id));
    }
);

db_test!(the_host_names_the_party_and_the_join_page_reads_it, |app| {
    let code = app.invite(5).await;
    let check = async || {
        app.call::<CheckInvite, Option<String>>(None, &[("code", code.as_str())])
            .await
            .0
            .unwrap()
    };
    assert_eq!(check().await, None);
    let admin = app.admin().await;
    let ana = app.join("Ana").await;
    // Only the host names it; a bad name is refused and changes nothing.
    let (refused, _) = app
        .call::<SetPartyName, Option<String>>(Some(&ana), &[("party", "Ana's")])
        .await;
    assert_eq!(refused.unwrap_err(), AppError::Unauthorized);
    for bad in ["two\nlines", &"x".repeat(61)] {
        let (refused, _) = app
            .call::<SetPartyName, Option<String>>(Some(&admin), &[("party", bad)])
            .await;
        assert!(
            matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "party"),
            "{bad:?} was accepted"
        );
    }
    assert_eq!(check().await, None);
    let (saved, _) = app
        .call::<SetPartyName, Option<String>>(Some(&admin), &[("party", "  Mia's birthday ")])
        .await;
    assert_eq!(saved.unwrap().as_deref(), Some("Mia's birthday"));
    assert_eq!(check().await.as_deref(), Some("Mia's birthday"));
    // A used-up or unknown code says so, whatever the party is called.
    let (unknown, _) = app
        .call::<CheckInvite, Option<String>>(None, &[("code", "ZZZZZZZZ")])
        .await;
    assert!(unknown.is_err());
    let (cleared, _) = app
        .call::<SetPartyName, Option<String>>(Some(&admin), &[("party", " ")])
        .await;
    assert_eq!(cleared.unwrap(), None);
    assert_eq!(check().await, None);
});

db_test!(a_guest_learns_the_order_limit_before_ordering, |app| {
    let ana = app.join("Ana").await;
    let on_the_way = async || match app.call::<Whoami, Viewer>(Some(&ana), &[]).await.0.unwrap() {
        Viewer::Guest { on_the_way, .. } => on_the_way,
        other => panic!("{other:?}"),
    };
    assert_eq!(on_the_way().await, 0);
    app.place(&ana, "Mojito", "limit-key-0001").await.unwrap();
    app.place(&ana, "Paloma", "limit-key-0002").await.unwrap();
    assert_eq!(on_the_way().await, 2);
    let who = app.call::<Whoami, Viewer>(Some(&ana), &[]).await.0.unwrap();
    assert_eq!(
        who.order_limit(app::i18n::Locale::en).as_deref(),
        Some("You have 2 drinks on the way — one more when one is collected.")
    );
});
