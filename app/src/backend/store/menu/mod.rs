//! Menu queries: sections, drinks, ingredients and recipe lines. Reading the menu is here; writing
//! it (the seed's inserts and the host's editor) is in `edit.rs`.

use super::{now_ms, Store};
use crate::model::{Drink, DrinkOption, Menu, RecipeLine, Section};
use std::collections::HashMap;

pub mod edit;

pub use edit::{
    insert_drink, insert_ingredient, insert_section, NewDrink, NewIngredient, NewRecipeLine,
    NewSection,
};

#[derive(sqlx::FromRow)]
struct SectionRow {
    id: String,
    name: String,
    position: i64,
}

#[derive(sqlx::FromRow)]
struct DrinkRow {
    id: String,
    section_id: String,
    name: String,
    description: String,
    abv: f64,
    glass: String,
    image: String,
    tags: String,
    steps: String,
    options: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecipeLineRow {
    drink_id: String,
    ingredient_id: String,
    name: String,
    amount: f64,
    unit: String,
    optional: i64,
    in_stock: i64,
}

/// Drinks at or below this ABV count as alcohol-free (the common legal threshold).
const ALCOHOL_FREE_MAX_ABV: f64 = 0.5;

/// A JSON array column; a malformed value is logged and read as empty rather than hiding the drink.
fn json_list(drink_id: &str, column: &str, text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_else(|err| {
        tracing::error!(drink_id, column, error = %err, "malformed JSON list in drinks table");
        Vec::new()
    })
}

/// A drink's options column: NULL is none.
pub(crate) fn drink_options(drink_id: &str, text: Option<&str>) -> Vec<DrinkOption> {
    text.map(|text| {
        serde_json::from_str(text).unwrap_or_else(|err| {
            tracing::error!(drink_id, error = %err, "malformed options in drinks table");
            Vec::new()
        })
    })
    .unwrap_or_default()
}

impl Store {
    /// The guest-visible menu: active sections, active and undeleted drinks, with recipes and stock.
    #[tracing::instrument(skip_all)]
    pub async fn load_menu(&self) -> Result<Menu, sqlx::Error> {
        let sections: Vec<SectionRow> = sqlx::query_as(
            "select id, name, position from sections where active = 1 order by position, name",
        )
        .fetch_all(&self.reader)
        .await?;
        let drinks: Vec<DrinkRow> = sqlx::query_as(
            "select d.id, d.section_id, d.name, d.description, d.abv, d.glass, d.image, d.tags, d.steps,
                    d.options
             from drinks d join sections s on s.id = d.section_id
             where d.active = 1 and d.deleted_at is null and s.active = 1
             order by s.position, d.position, d.name",
        )
        .fetch_all(&self.reader)
        .await?;
        let lines: Vec<RecipeLineRow> = sqlx::query_as(
            "select di.drink_id, di.ingredient_id, i.name, di.amount, di.unit, di.optional, i.in_stock
             from drink_ingredients di join ingredients i on i.id = di.ingredient_id
             order by di.drink_id, di.position",
        )
        .fetch_all(&self.reader)
        .await?;

        let mut lines_by_drink: HashMap<String, Vec<RecipeLine>> = HashMap::new();
        for row in lines {
            lines_by_drink
                .entry(row.drink_id)
                .or_default()
                .push(RecipeLine {
                    ingredient_id: row.ingredient_id,
                    name: row.name,
                    amount: row.amount,
                    unit: row.unit,
                    optional: row.optional != 0,
                    in_stock: row.in_stock != 0,
                });
        }
        let drinks = drinks
            .into_iter()
            .map(|row| {
                let ingredients = lines_by_drink.remove(&row.id).unwrap_or_default();
                let available = ingredients
                    .iter()
                    .all(|line| line.optional || line.in_stock);
                Drink {
                    options: drink_options(&row.id, row.options.as_deref()),
                    tags: json_list(&row.id, "tags", &row.tags),
                    steps: json_list(&row.id, "steps", &row.steps),
                    alcohol_free: row.abv <= ALCOHOL_FREE_MAX_ABV,
                    id: row.id,
                    section_id: row.section_id,
                    name: row.name,
                    description: row.description,
                    abv: row.abv,
                    glass: row.glass,
                    image: row.image,
                    ingredients,
                    available,
                }
            })
            .collect();
        let sections = sections
            .into_iter()
            .map(|row| Section {
                id: row.id,
                name: row.name,
                position: row.position,
            })
            .collect();
        Ok(Menu { sections, drinks })
    }

    /// How many sections exist (active or not): zero means a fresh bar.
    pub async fn count_sections(&self) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = sqlx::query_as("select count(*) from sections")
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// Marks an ingredient in or out of stock. Returns false when no such ingredient exists.
    /// Callers must then call the menu-changed hook (`AppState::menu_changed`).
    #[tracing::instrument(skip(self))]
    pub async fn set_in_stock(
        &self,
        ingredient_id: &str,
        in_stock: bool,
    ) -> Result<bool, sqlx::Error> {
        let done =
            sqlx::query("update ingredients set in_stock = $1, updated_at = $2 where id = $3")
                .bind(i64::from(in_stock))
                .bind(now_ms())
                .bind(ingredient_id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The id of the ingredient with exactly this name.
    pub async fn ingredient_id(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as("select id from ingredients where name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id,)| id))
    }
}

/// An ingredient as the stock page shows it.
#[derive(sqlx::FromRow)]
pub struct IngredientRow {
    pub id: String,
    pub name: String,
    pub in_stock: i64,
}

impl Store {
    /// Every ingredient, by name.
    pub async fn ingredients(&self) -> Result<Vec<IngredientRow>, sqlx::Error> {
        sqlx::query_as("select id, name, in_stock from ingredients order by name")
            .fetch_all(&self.pool)
            .await
    }
}
