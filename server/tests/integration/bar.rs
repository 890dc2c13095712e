//! The host runs the bar: stock switches, invites, guests.

use crate::common::{db_test, EventReader};
use app::api::admin_bar::{CreateInvite, Guests, Ingredients, Invites, RevokeInvite, SetInStock};
use app::error::AppError;
use app::model::{GuestSummary, Ingredient, Invite};
use std::time::Duration;

/// An ingredient of the stock list, by name, as the host sees it.
pub(crate) async fn stock_item(
    app: &crate::common::TestApp,
    admin: &crate::common::Session,
    name: &str,
) -> Ingredient {
    let (items, _) = app
        .call::<Ingredients, Vec<Ingredient>>(Some(admin), &[])
        .await;
    items.unwrap().into_iter().find(|i| i.name == name).unwrap()
}

db_test!(
    switching_an_ingredient_off_makes_its_drinks_unavailable_and_refuses_orders,
    |app| {
        let admin = app.admin().await;
        let ana = app.join("Ana").await;
        let rum = stock_item(&app, &admin, "White rum").await;
        assert!(rum.in_stock);
        assert!(
            rum.needed_by.contains(&"Mojito".to_string())
                && rum.needed_by.contains(&"Daiquiri".to_string())
        );
        let mut live = EventReader::new(app.events(Some(&ana)).await);
        assert_eq!(live.next(Duration::from_secs(5)).await.unwrap().0, "hello");

        let (off, _) = app
            .call::<SetInStock, ()>(
                Some(&admin),
                &[("ingredient_id", &rum.id), ("in_stock", "false")],
            )
            .await;
        off.unwrap();
        assert!(
            live.next_update("menu", Duration::from_secs(5))
                .await
                .is_some(),
            "open pages hear about it"
        );
        let unavailable = app.drink_names("available=false").await;
        for drink in ["Mojito", "Daiquiri", "Piña Colada"] {
            assert!(unavailable.contains(&drink.to_string()), "{drink}");
        }
        let err = app.place(&ana, "Mojito", "ana-key-0001").await.unwrap_err();
        assert!(
            matches!(&err, AppError::Conflict(m) if m.contains("out of White rum")),
            "{err:?}"
        );

        let (on, _) = app
            .call::<SetInStock, ()>(
                Some(&admin),
                &[("ingredient_id", &rum.id), ("in_stock", "true")],
            )
            .await;
        on.unwrap();
        assert!(!app
            .drink_names("available=false")
            .await
            .contains(&"Mojito".to_string()));
        app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();

        let (missing, _) = app
            .call::<SetInStock, ()>(
                Some(&admin),
                &[("ingredient_id", "nope"), ("in_stock", "false")],
            )
            .await;
        assert!(matches!(missing.unwrap_err(), AppError::NotFound(_)));
    }
);

db_test!(
    invites_are_created_listed_with_a_qr_code_and_revoked,
    |app| {
        let admin = app.admin().await;
        let (created, _) = app
            .call::<CreateInvite, Invite>(
                Some(&admin),
                &[("uses", "3"), ("hours", "4"), ("note", "fridge")],
            )
            .await;
        let invite = created.unwrap();
        assert!(invite.join_url.ends_with(&format!("/join/{}", invite.code)));
        assert!(
            invite.qr_svg.starts_with("<?xml") && invite.qr_svg.contains("<svg"),
            "{}",
            &invite.qr_svg[..40]
        );
        let (bad, _) = app
            .call::<CreateInvite, Invite>(
                Some(&admin),
                &[("uses", "0"), ("hours", "4"), ("note", "")],
            )
            .await;
        assert!(matches!(bad.unwrap_err(), AppError::Invalid { field, .. } if field == "uses"));
        app.try_join(&invite.code, "Via Invite").await.unwrap();
        let (list, _) = app.call::<Invites, Vec<Invite>>(Some(&admin), &[]).await;
        let listed = list
            .unwrap()
            .into_iter()
            .find(|i| i.code == invite.code)
            .unwrap();
        assert_eq!(
            (listed.uses, listed.max_uses, listed.note.as_str()),
            (1, 3, "fridge")
        );
        let (revoked, _) = app
            .call::<RevokeInvite, ()>(Some(&admin), &[("code", &invite.code)])
            .await;
        revoked.unwrap();
        let (list, _) = app.call::<Invites, Vec<Invite>>(Some(&admin), &[]).await;
        assert!(list.unwrap().iter().all(|i| i.code != invite.code));
        assert!(app.try_join(&invite.code, "Too Late").await.is_err());
    }
);

db_test!(the_guest_list_shows_open_orders, |app| {
    let admin = app.admin().await;
    let ana = app.join("Ana").await;
    app.join("Bob").await;
    app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();
    let (list, _) = app
        .call::<Guests, Vec<GuestSummary>>(Some(&admin), &[])
        .await;
    let list = list.unwrap();
    let summary: Vec<_> = list
        .iter()
        .map(|g| (g.name.as_str(), g.active_orders))
        .collect();
    assert_eq!(summary, [("Ana", 1), ("Bob", 0)]);
});

db_test!(bar_functions_refuse_guests_and_anonymous_callers, |app| {
    let guest = app.join("Cleo").await;
    let gin = app.state.store.ingredient_id("Gin").await.unwrap().unwrap();
    for caller in [None, Some(&guest)] {
        assert_eq!(
            app.call::<Ingredients, Vec<Ingredient>>(caller, &[])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
        let (set, _) = app
            .call::<SetInStock, ()>(caller, &[("ingredient_id", &gin), ("in_stock", "false")])
            .await;
        assert_eq!(set.unwrap_err(), AppError::Unauthorized);
        assert_eq!(
            app.call::<Invites, Vec<Invite>>(caller, &[])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
        let (create, _) = app
            .call::<CreateInvite, Invite>(caller, &[("uses", "3"), ("hours", "4"), ("note", "")])
            .await;
        assert_eq!(create.unwrap_err(), AppError::Unauthorized);
        assert_eq!(
            app.call::<Guests, Vec<GuestSummary>>(caller, &[])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
    }
    assert!(
        app.drink_names("available=false").await == ["Sazerac"],
        "nothing changed"
    );
});
