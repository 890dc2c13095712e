//! The host's night: the numbers behind each chart on a known set of orders, the shopping list and
//! its CSV, and closing the party.

use crate::common::{db_test, EventReader, Session, TestApp};
use app::api::admin::GetBoard;
use app::api::controls::{LoadBarStatus, PauseOrders};
use app::api::stats::{CloseParty, LoadNightStats};
use app::error::AppError;
use app::model::{BarStatus, Board, Night, NightStats, Tally};
use std::collections::BTreeMap;
use std::time::Duration;

async fn stats(app: &TestApp, who: &Session, night: Option<i64>) -> Result<NightStats, AppError> {
    let night = night.map(|at| at.to_string());
    let form: Vec<(&str, &str)> = night
        .as_deref()
        .map(|at| ("closed_at", at))
        .into_iter()
        .collect();
    app.call::<LoadNightStats, NightStats>(Some(who), &form)
        .await
        .0
}

fn pairs(tallies: &[Tally]) -> Vec<(&str, i64)> {
    tallies
        .iter()
        .map(|t| (t.label.as_str(), t.count))
        .collect()
}

db_test!(the_stats_add_up_for_a_known_night, |app| {
    let ana = app.join("Ana").await;
    let bo = app.join("Bo").await;
    let admin = app.admin().await;

    // Ana has two Mojitos, made and collected; Bo orders a Negroni, and a Paloma he cancels.
    let (mojitos, _) = app
        .call::<app::api::orders::PlaceOrder, app::model::Order>(
            Some(&ana),
            &[
                ("drink_id", &app.drink_id("Mojito")),
                ("quantity", "2"),
                ("note", ""),
                ("idempotency_key", "ana-key-0001"),
            ],
        )
        .await;
    let mojitos = mojitos.unwrap();
    for status in ["making", "ready", "collected"] {
        app.advance(&admin, &mojitos.id, status).await.unwrap();
    }
    app.place(&bo, "Negroni", "bo-key-0001").await.unwrap();
    let paloma = app.place(&bo, "Paloma", "bo-key-0002").await.unwrap();
    let (cancelled, _) = app
        .call::<app::api::orders::CancelOrder, app::model::Order>(
            Some(&bo),
            &[("order_id", &paloma.id)],
        )
        .await;
    cancelled.unwrap();
    // Ana asks the bartender and orders its first pick.
    let answer = app.ask(&ana, "something bitter and strong").await;
    let pick = answer.cards().first().expect("a pick").clone();
    let (from_pick, _) = app
        .call::<app::api::orders::PlaceOrder, app::model::Order>(
            Some(&ana),
            &[
                ("drink_id", &pick.drink_id),
                ("quantity", "1"),
                ("note", ""),
                ("idempotency_key", "ana-key-0002"),
            ],
        )
        .await;
    from_pick.unwrap();
    app.set_in_stock("Campari", false).await;

    // Not for guests.
    assert_eq!(
        stats(&app, &ana, None).await.unwrap_err(),
        AppError::Unauthorized
    );
    let night = stats(&app, &admin, None).await.unwrap();
    assert_eq!(night.night.closed_at, None);
    assert_eq!((night.orders, night.cancelled), (4, 1));
    assert_eq!(night.per_quarter.iter().map(|q| q.count).sum::<i64>(), 4);
    assert!(night
        .per_quarter
        .iter()
        .all(|q| q.label.len() == 5 && q.label.contains(':')));
    let mut drinks = vec![("Mojito", 2), ("Negroni", 1)];
    if let Some(same) = drinks.iter_mut().find(|(name, _)| *name == pick.name) {
        same.1 += 1;
    } else {
        drinks.push((pick.name.as_str(), 1));
    }
    drinks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    assert_eq!(pairs(&night.top_drinks), drinks);
    assert_eq!(pairs(&night.per_guest), [("Ana", 3), ("Bo", 1)]);
    assert_eq!(night.waits.ready, 1);
    assert!(night.waits.median_secs.is_some());
    assert_eq!(night.waits.median_secs, night.waits.p90_secs);
    assert_eq!(night.bartender.answers, 1);
    assert_eq!(night.bartender.fell_back, 0);
    assert_eq!(night.bartender.picks, answer.cards().len() as i64);
    assert_eq!(night.bartender.ordered_from_picks, 1);

    // The shopping list: what ran out, and the recipes times the drinks not cancelled.
    // (The demo bar is out of absinthe from the start.)
    assert_eq!(night.shopping.out_of_stock, ["Absinthe", "Campari"]);
    let menu = app.state.menu.snapshot();
    let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
    for (drink, quantity) in [
        (app.drink_id("Mojito"), 2.0),
        (app.drink_id("Negroni"), 1.0),
        (pick.drink_id.clone(), 1.0),
    ] {
        for line in &menu.drink(&drink).expect("drink").ingredients {
            *expected
                .entry((line.name.clone(), line.unit.clone()))
                .or_default() += line.amount * quantity;
        }
    }
    let used: BTreeMap<(String, String), f64> = night
        .shopping
        .used
        .iter()
        .map(|u| ((u.ingredient.clone(), u.unit.clone()), u.amount))
        .collect();
    assert_eq!(used, expected);

    // The same list as CSV, for a host only.
    let csv = app
        .client
        .get(app.url("/admin/shopping-list.csv"))
        .header("cookie", &admin.0)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("section,item,amount,unit\r\n"), "{csv}");
    assert!(csv.contains("out of stock,Campari,,\r\n"), "{csv}");
    assert!(csv.contains("used tonight,White rum,90,ml\r\n"), "{csv}");
    let refused = TestApp::no_redirects()
        .get(app.url("/admin/shopping-list.csv"))
        .header("cookie", &ana.0)
        .send()
        .await
        .unwrap();
    assert!(!refused.status().is_success());
});

db_test!(
    closing_the_party_signs_everyone_out_and_starts_a_clean_board,
    |app| {
        let ana = app.join("Ana").await;
        let admin = app.admin().await;
        let unused = app.invite(5).await;
        app.place(&ana, "Mojito", "ana-key-0001").await.unwrap();
        let (paused, _) = app
            .call::<PauseOrders, BarStatus>(Some(&admin), &[("message", "last one")])
            .await;
        paused.unwrap();
        let mut stream = EventReader::new(app.events(Some(&ana)).await);
        assert_eq!(
            stream.next(Duration::from_secs(5)).await.unwrap().0,
            "hello"
        );

        let (closed, _) = app.call::<CloseParty, Night>(Some(&ana), &[]).await;
        assert_eq!(closed.unwrap_err(), AppError::Unauthorized);
        let (closed, _) = app.call::<CloseParty, Night>(Some(&admin), &[]).await;
        let closed = closed.unwrap();
        assert!(closed.closed_at.is_some());

        // Ana is signed out at once: her stream ends and her session no longer works.
        assert!(
            stream.ended_within(Duration::from_secs(5)).await,
            "the guest's stream stayed open"
        );
        assert_eq!(
            app.place(&ana, "Paloma", "ana-key-0002").await.unwrap_err(),
            AppError::Unauthorized
        );
        // Invites stop working; the bar is open again and the board starts empty.
        assert!(app.try_join(&unused, "Cy").await.is_err());
        let (status, _) = app
            .call::<LoadBarStatus, BarStatus>(Some(&admin), &[])
            .await;
        assert_eq!(status.unwrap().paused, None);
        let (board, _) = app.call::<GetBoard, Board>(Some(&admin), &[]).await;
        let board = board.unwrap();
        assert!(
            board.active.is_empty() && board.history.is_empty(),
            "{board:?}"
        );

        // Tonight is empty; the closed night keeps its order.
        let tonight = stats(&app, &admin, None).await.unwrap();
        assert_eq!(tonight.orders, 0);
        assert_eq!(tonight.earlier.len(), 1);
        assert!(!tonight.earlier[0].label.is_empty());
        let then = stats(&app, &admin, closed.closed_at).await.unwrap();
        assert_eq!(then.orders, 1);
        assert_eq!(pairs(&then.top_drinks), [("Mojito", 1)]);
        assert_eq!(
            stats(&app, &admin, Some(12345)).await.unwrap_err(),
            AppError::NotFound("That night".into())
        );

        // The next party starts clean: the same name joins with a new invite, and orders.
        let ana_again = app.join("Ana").await;
        let order = app
            .place(&ana_again, "Paloma", "ana-key-0003")
            .await
            .unwrap();
        let (board, _) = app.call::<GetBoard, Board>(Some(&admin), &[]).await;
        let ids: Vec<String> = board.unwrap().active.into_iter().map(|o| o.id).collect();
        assert_eq!(ids, [order.id]);
    }
);
