//! The store on its own: migrations and the demo seed.

use crate::common::db_test;
use app::backend::store::{seed::SeedOutcome, Store};

/// Every row of the menu tables, as text, in a stable order.
pub async fn dump(store: &Store) -> Vec<String> {
    let mut rows = Vec::new();
    for (table, key) in [
        ("sections", "id"),
        ("ingredients", "id"),
        ("drinks", "id"),
        ("drink_ingredients", "drink_id, ingredient_id"),
    ] {
        let sql = format!("select * from {table} order by {key}");
        for row in sqlx::query(&sql).fetch_all(store.pool()).await.unwrap() {
            use sqlx::Row;
            let mut cells = vec![table.to_string()];
            for i in 0..row.len() {
                let cell = row
                    .try_get::<String, _>(i)
                    .or_else(|_| row.try_get::<i64, _>(i).map(|v| v.to_string()))
                    .or_else(|_| row.try_get::<f64, _>(i).map(|v| v.to_string()))
                    .unwrap_or_else(|_| "null".into());
                cells.push(cell);
            }
            rows.push(cells.join("|"));
        }
    }
    rows
}

db_test!(seeding_twice_changes_nothing, |db: TestDb| {
    let store = Store::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    let outcome = store.seed_demo().await.unwrap();
    assert!(
        matches!(
            outcome,
            SeedOutcome::Seeded {
                drinks: 30,
                sections: 4,
                ..
            }
        ),
        "{outcome:?}"
    );
    let before = dump(&store).await;
    assert!(before.len() > 100);
    assert_eq!(store.seed_demo().await.unwrap(), SeedOutcome::AlreadySeeded);
    assert_eq!(dump(&store).await, before);
});

db_test!(migrations_can_run_again_without_effect, |db: TestDb| {
    let store = Store::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    let (count,): (i64,) = sqlx::query_as("select count(*) from schema_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(count, app::backend::store::MIGRATIONS.len() as i64);
});

db_test!(the_loaded_menu_keeps_section_and_recipe_order, |app| {
    let menu = app.state.store.load_menu().await.unwrap();
    assert_eq!(menu.sections.len(), 4);
    assert_eq!(menu.drinks.len(), 30);
    let old_fashioned = menu
        .drinks
        .iter()
        .find(|d| d.name == "Old Fashioned")
        .unwrap();
    let names: Vec<_> = old_fashioned
        .ingredients
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Bourbon", "Sugar syrup", "Angostura bitters", "Orange peel"]
    );
    assert_eq!(old_fashioned.ingredients[1].amount, 7.5);
    // Drinks come in section order.
    let positions: Vec<_> = menu
        .drinks
        .iter()
        .map(|d| {
            menu.sections
                .iter()
                .position(|s| s.id == d.section_id)
                .unwrap()
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]));
});
