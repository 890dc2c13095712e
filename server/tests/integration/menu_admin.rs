//! The host edits the menu: validation, reordering, hiding, soft delete, and who may do it.

use crate::common::{db_test, drink_fields, Session, TestApp};
use app::api::admin_menu::{
    CreateSection, DeleteDrink, DeleteSection, LoadAdminMenu, MoveDrink, MoveSection, SaveDrink,
    ShowDrink, ShowSection,
};
use app::error::AppError;
use app::model::AdminMenu;

async fn admin_menu(app: &TestApp, admin: &Session) -> AdminMenu {
    app.call::<LoadAdminMenu, AdminMenu>(Some(admin), &[])
        .await
        .0
        .unwrap()
}

fn section_id(menu: &AdminMenu, name: &str) -> String {
    menu.sections
        .iter()
        .find(|s| s.name == name)
        .unwrap()
        .id
        .clone()
}

db_test!(
    a_new_drink_with_a_new_ingredient_appears_on_the_menu_and_the_api,
    |app| {
        let admin = app.admin().await;
        let menu = admin_menu(&app, &admin).await;
        let tall = section_id(&menu, "Tall & Tropical");
        let (saved, _) = app
            .call::<SaveDrink, String>(Some(&admin), &drink_fields(&tall, "Hugo", "20"))
            .await;
        let id = saved.unwrap();
        let (status, drink) = app.get_json(&format!("/api/v1/drinks/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(drink["name"], "Hugo");
        assert_eq!(drink["ingredients"][1]["name"], "Elderflower liqueur");
        assert_eq!(drink["ingredients"][2]["optional"], true);
        assert_eq!(drink["steps"][1], "Top with prosecco.");
        assert!(drink["image"]
            .as_str()
            .unwrap()
            .starts_with("/illustration.svg?glass=wine"));
        let image = app.get(drink["image"].as_str().unwrap()).await;
        assert_eq!(image.headers()["content-type"], "image/svg+xml");
        assert!(
            app.state
                .store
                .ingredient_id("Elderflower liqueur")
                .await
                .unwrap()
                .is_some(),
            "created inline"
        );
        assert!(app.drink_names("ingredient=elderflower").await == ["Hugo"]);
    }
);

db_test!(
    bad_drinks_are_refused_with_the_field_named_and_change_nothing,
    |app| {
        let admin = app.admin().await;
        let menu = admin_menu(&app, &admin).await;
        let tall = section_id(&menu, "Tall & Tropical");
        let before = app.drink_names("").await.len();
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (drink_fields(&tall, "  ", "20"), "name"),
            (drink_fields(&tall, "Hugo", "-20"), "lines"),
            (drink_fields("no-such-section", "Hugo", "20"), "section_id"),
            (drink_fields(&tall, "negroni", "20"), "name"),
        ];
        for (fields, field) in cases {
            let (result, _) = app.call::<SaveDrink, String>(Some(&admin), &fields).await;
            match result {
                Err(AppError::Invalid {
                    field: got,
                    message,
                }) => assert_eq!(got, field, "{message}"),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(app.drink_names("").await.len(), before);
        assert!(
            app.state
                .store
                .ingredient_id("Elderflower liqueur")
                .await
                .unwrap()
                .is_none(),
            "nothing half-written"
        );
        let (dup, _) = app
            .call::<CreateSection, ()>(Some(&admin), &[("name", "classics")])
            .await;
        assert!(matches!(dup.unwrap_err(), AppError::Invalid { field, .. } if field == "name"));
        let (empty, _) = app
            .call::<CreateSection, ()>(Some(&admin), &[("name", "")])
            .await;
        assert!(matches!(empty.unwrap_err(), AppError::Invalid { .. }));
    }
);

db_test!(sections_and_drinks_reorder_hide_and_delete, |app| {
    let admin = app.admin().await;
    let (made, _) = app
        .call::<CreateSection, ()>(Some(&admin), &[("name", "Shots")])
        .await;
    made.unwrap();
    let menu = admin_menu(&app, &admin).await;
    let shots = section_id(&menu, "Shots");
    assert_eq!(menu.sections.last().unwrap().name, "Shots");
    let (moved, _) = app
        .call::<MoveSection, ()>(Some(&admin), &[("id", &shots), ("direction", "up")])
        .await;
    moved.unwrap();
    let names: Vec<_> = admin_menu(&app, &admin)
        .await
        .sections
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "Classics",
            "Sours & Fizzes",
            "Tall & Tropical",
            "Shots",
            "Alcohol-free"
        ]
    );
    // An empty section is hidden from guests, then deleted.
    let (hide, _) = app
        .call::<ShowSection, ()>(Some(&admin), &[("id", &shots), ("active", "false")])
        .await;
    hide.unwrap();
    let (del, _) = app
        .call::<DeleteSection, ()>(Some(&admin), &[("id", &shots)])
        .await;
    del.unwrap();
    // A section with drinks cannot be deleted.
    let classics = section_id(&menu, "Classics");
    let (refused, _) = app
        .call::<DeleteSection, ()>(Some(&admin), &[("id", &classics)])
        .await;
    assert!(matches!(refused.unwrap_err(), AppError::Conflict(_)));
    // Drinks: move the Old Fashioned above the Negroni; hide the Manhattan.
    let old_fashioned = app.drink_id("Old Fashioned");
    let (up, _) = app
        .call::<MoveDrink, ()>(Some(&admin), &[("id", &old_fashioned), ("direction", "up")])
        .await;
    up.unwrap();
    assert_eq!(
        &app.drink_names("").await[..2],
        ["Old Fashioned", "Negroni"]
    );
    let manhattan = app.drink_id("Manhattan");
    let (hidden, _) = app
        .call::<ShowDrink, ()>(Some(&admin), &[("id", &manhattan), ("active", "false")])
        .await;
    hidden.unwrap();
    assert!(!app.drink_names("").await.contains(&"Manhattan".to_string()));
    assert!(admin_menu(&app, &admin)
        .await
        .drinks
        .iter()
        .any(|d| d.name == "Manhattan" && !d.active));
    let (bad, _) = app
        .call::<MoveDrink, ()>(
            Some(&admin),
            &[("id", &manhattan), ("direction", "sideways")],
        )
        .await;
    assert!(matches!(bad.unwrap_err(), AppError::Invalid { .. }));
});

db_test!(deleting_a_drink_keeps_its_order_history_readable, |app| {
    let admin = app.admin().await;
    let ana = app.join("Ana").await;
    let order = app.place(&ana, "Paloma", "ana-key-0001").await.unwrap();
    let paloma = app.drink_id("Paloma");
    let (deleted, _) = app
        .call::<DeleteDrink, ()>(Some(&admin), &[("id", &paloma)])
        .await;
    deleted.unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/drinks/{paloma}")).await.status(),
        404
    );
    assert!(app.place(&ana, "Mojito", "ana-key-0002").await.is_ok());
    let board = app.state.store.board().await.unwrap();
    let kept = board.active.iter().find(|o| o.id == order.id).unwrap();
    assert_eq!(kept.drink_name, "Paloma");
    // The name is free for a new drink.
    let menu = admin_menu(&app, &admin).await;
    let tall = section_id(&menu, "Tall & Tropical");
    let (again, _) = app
        .call::<SaveDrink, String>(Some(&admin), &drink_fields(&tall, "Paloma", "20"))
        .await;
    assert!(again.is_ok());
    let (twice, _) = app
        .call::<DeleteDrink, ()>(Some(&admin), &[("id", &paloma)])
        .await;
    assert!(matches!(twice.unwrap_err(), AppError::NotFound(_)));
});

db_test!(menu_functions_refuse_guests_and_anonymous_callers, |app| {
    let guest = app.join("Cleo").await;
    let mojito = app.drink_id("Mojito");
    for caller in [None, Some(&guest)] {
        assert_eq!(
            app.call::<LoadAdminMenu, AdminMenu>(caller, &[])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
        assert_eq!(
            app.call::<CreateSection, ()>(caller, &[("name", "X")])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
        let (save, _) = app
            .call::<SaveDrink, String>(caller, &drink_fields("s", "Hugo", "20"))
            .await;
        assert_eq!(save.unwrap_err(), AppError::Unauthorized);
        assert_eq!(
            app.call::<DeleteDrink, ()>(caller, &[("id", &mojito)])
                .await
                .0
                .unwrap_err(),
            AppError::Unauthorized
        );
        let (hide, _) = app
            .call::<ShowDrink, ()>(caller, &[("id", &mojito), ("active", "false")])
            .await;
        assert_eq!(hide.unwrap_err(), AppError::Unauthorized);
    }
    assert_eq!(app.drink_names("").await.len(), 30);
});
