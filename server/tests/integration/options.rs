//! Drink options: the host offers choices with a drink, a guest picks one of each, the server
//! checks them, and the order keeps them (the board and the guest's orders show them).

use crate::common::{db_test, drink_fields, Session, TestApp};
use app::api::admin::GetBoard;
use app::api::admin_menu::{LoadAdminMenu, LoadDrinkForm, SaveDrink};
use app::api::orders::PlaceOrder;
use app::domain::DrinkForm;
use app::error::AppError;
use app::model::{AdminMenu, Board, Order};

const OPTIONS: &str = "Ice: normal, none, extra\nDouble: no, yes";

async fn order(
    app: &TestApp,
    guest: &Session,
    drink: &str,
    key: &str,
    choices: &[&str],
) -> Result<Order, AppError> {
    let names: Vec<String> = (0..choices.len())
        .map(|i| format!("choices[{i}]"))
        .collect();
    let mut form = vec![
        ("drink_id", drink),
        ("quantity", "1"),
        ("note", ""),
        ("idempotency_key", key),
    ];
    form.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(choices.iter().copied()),
    );
    app.call::<PlaceOrder, Order>(Some(guest), &form).await.0
}

fn labels(order: &Order) -> Vec<String> {
    order.choices.iter().map(|c| c.label()).collect()
}

db_test!(
    drink_options_are_offered_checked_and_kept_with_the_order,
    |app| {
        let admin = app.admin().await;
        let (menu, _) = app
            .call::<LoadAdminMenu, AdminMenu>(Some(&admin), &[])
            .await;
        let section = menu.unwrap().sections[0].id.clone();

        // Options that are not one name and 2–6 choices per line are refused, and nothing is saved.
        let mut fields = drink_fields(&section, "Hugo", "20");
        fields.push(("form[options]", "Ice: lots"));
        let (refused, _) = app.call::<SaveDrink, String>(Some(&admin), &fields).await;
        assert!(
            matches!(refused.unwrap_err(), AppError::Invalid { ref field, .. } if field == "options")
        );
        assert!(app.drink_names("q=hugo").await.is_empty());

        let mut fields = drink_fields(&section, "Hugo", "20");
        fields.push(("form[options]", OPTIONS));
        let (saved, _) = app.call::<SaveDrink, String>(Some(&admin), &fields).await;
        let hugo = saved.unwrap();
        let (status, drink) = app.get_json(&format!("/api/v1/drinks/{hugo}")).await;
        assert_eq!(status, 200);
        assert_eq!(drink["options"][0]["name"], "Ice");
        assert_eq!(drink["options"][0]["choices"][1], "none");
        assert_eq!(drink["options"][1]["choices"][1], "yes");
        let (form, _) = app
            .call::<LoadDrinkForm, DrinkForm>(Some(&admin), &[("id", &hugo)])
            .await;
        assert_eq!(form.unwrap().options, OPTIONS);

        // A guest picks; no picks are the usual ones; anything else is refused and places nothing.
        let mia = app.join("Mia").await;
        let picked = order(&app, &mia, &hugo, "mia-key-0001", &["none", "yes"])
            .await
            .unwrap();
        assert_eq!(labels(&picked), ["Ice: none", "Double: yes"]);
        let usual = order(&app, &mia, &hugo, "mia-key-0002", &[]).await.unwrap();
        assert_eq!(labels(&usual), ["Ice: normal", "Double: no"]);
        let bo = app.join("Bo").await;
        for (choices, key) in [
            (&["lots", "yes"][..], "bo-key-0001"),
            (&["none"][..], "bo-key-0002"),
            (&["none", "yes", "no"][..], "bo-key-0003"),
        ] {
            let refused = order(&app, &bo, &hugo, key, choices).await.unwrap_err();
            assert!(
                matches!(refused, AppError::Invalid { ref field, .. } if field == "choices"),
                "{choices:?}: {refused:?}"
            );
        }
        // A drink without options takes no picks.
        let negroni = app.drink_id("Negroni");
        assert!(order(&app, &bo, &negroni, "bo-key-0004", &["none"])
            .await
            .is_err());
        assert_eq!(app.order_count(&app.guest_id("Bo").await).await, 0);

        // The board shows them, and the host can take them off again.
        let (board, _) = app.call::<GetBoard, Board>(Some(&admin), &[]).await;
        let on_board = board
            .unwrap()
            .active
            .into_iter()
            .find(|o| o.id == picked.id)
            .unwrap();
        assert_eq!(labels(&on_board), ["Ice: none", "Double: yes"]);
        let mut fields = drink_fields(&section, "Hugo", "20");
        fields[0] = ("form[id]", &hugo);
        let (saved, _) = app.call::<SaveDrink, String>(Some(&admin), &fields).await;
        saved.unwrap();
        let (_, drink) = app.get_json(&format!("/api/v1/drinks/{hugo}")).await;
        assert_eq!(drink["options"], serde_json::json!([]));
    }
);
