//! Writing the menu: the seed's inserts, and the queries behind the host's editor (sections,
//! drinks and their recipes; reordering, hiding, deleting). The editor's rules and transactions
//! are in `backend::bar::menu`.

use super::super::{new_id, now_ms, Store};
use super::json_list;
use crate::domain::{DrinkForm, DrinkInput, LineForm, LineInput};
use crate::model::{AdminDrink, AdminMenu, AdminSection, DrinkOption};
use sqlx::{Any, Transaction};

pub struct NewSection<'a> {
    pub name: &'a str,
    pub position: i64,
}

pub struct NewIngredient<'a> {
    pub name: &'a str,
    pub in_stock: bool,
}

pub struct NewRecipeLine<'a> {
    pub ingredient_id: &'a str,
    pub amount: f64,
    pub unit: &'a str,
    pub optional: bool,
}

pub struct NewDrink<'a> {
    pub section_id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub abv: f64,
    pub glass: &'a str,
    pub color: &'a str,
    pub image: &'a str,
    pub tags: &'a [&'a str],
    pub steps: &'a [&'a str],
    pub position: i64,
    pub lines: Vec<NewRecipeLine<'a>>,
}

pub async fn insert_section(
    tx: &mut Transaction<'_, Any>,
    new: &NewSection<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "insert into sections (id, name, position, active, created_at, updated_at)
         values ($1, $2, $3, 1, $4, $4)",
    )
    .bind(&id)
    .bind(new.name)
    .bind(new.position)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn insert_ingredient(
    tx: &mut Transaction<'_, Any>,
    new: &NewIngredient<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "insert into ingredients (id, name, in_stock, created_at, updated_at) values ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(new.name)
    .bind(i64::from(new.in_stock))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn insert_drink(
    tx: &mut Transaction<'_, Any>,
    new: &NewDrink<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    let to_json = |list: &[&str]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "insert into drinks (id, section_id, name, description, abv, glass, color, image, tags, steps,
                             position, active, deleted_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, null, $12, $12)",
    )
    .bind(&id)
    .bind(new.section_id)
    .bind(new.name)
    .bind(new.description)
    .bind(new.abv)
    .bind(new.glass)
    .bind(new.color)
    .bind(new.image)
    .bind(to_json(new.tags))
    .bind(to_json(new.steps))
    .bind(new.position)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for (position, line) in new.lines.iter().enumerate() {
        sqlx::query(
            "insert into drink_ingredients (drink_id, ingredient_id, position, amount, unit, optional)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(line.ingredient_id)
        .bind(position as i64)
        .bind(line.amount)
        .bind(line.unit)
        .bind(i64::from(line.optional))
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct EditRow {
    name: String,
    section_id: String,
    description: String,
    abv: f64,
    glass: String,
    color: String,
    tags: String,
    steps: String,
    options: Option<String>,
}

/// A list whose rows have positions: the sections, or the drinks of one section.
#[derive(Clone, Copy, Debug)]
pub enum List<'a> {
    Sections,
    DrinksOf(&'a str),
}

/// The ids in `list`, in menu order.
pub async fn list_order(
    tx: &mut Transaction<'_, Any>,
    list: List<'_>,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = match list {
        List::Sections => {
            sqlx::query_as("select id from sections order by position, name")
                .fetch_all(&mut **tx)
                .await?
        }
        List::DrinksOf(section) => {
            sqlx::query_as(
                "select id from drinks where section_id = $1 and deleted_at is null
                 order by position, name",
            )
            .bind(section)
            .fetch_all(&mut **tx)
            .await?
        }
    };
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Numbers the rows of a list 0..n in the order of `ids`.
pub async fn renumber(
    tx: &mut Transaction<'_, Any>,
    list: List<'_>,
    ids: &[String],
) -> Result<(), sqlx::Error> {
    let update = match list {
        List::Sections => "update sections set position = $1 where id = $2",
        List::DrinksOf(_) => "update drinks set position = $1 where id = $2",
    };
    for (position, id) in ids.iter().enumerate() {
        sqlx::query(update)
            .bind(position as i64)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The position after the last row of `list`.
pub async fn next_position(
    tx: &mut Transaction<'_, Any>,
    list: List<'_>,
) -> Result<i64, sqlx::Error> {
    let (next,): (i64,) = match list {
        List::Sections => {
            sqlx::query_as("select coalesce(max(position), -1) + 1 from sections")
                .fetch_one(&mut **tx)
                .await?
        }
        List::DrinksOf(section) => {
            sqlx::query_as(
                "select coalesce(max(position), -1) + 1 from drinks where section_id = $1",
            )
            .bind(section)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    Ok(next)
}

/// The id of another section (not `except`) with this name, ignoring case.
pub async fn section_named(
    tx: &mut Transaction<'_, Any>,
    name: &str,
    except: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("select id from sections where lower(name) = lower($1) and id <> $2")
            .bind(name)
            .bind(except)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn section_exists(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("select id from sections where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// False when there is no such section.
pub async fn rename_section(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update sections set name = $1, updated_at = $2 where id = $3")
        .bind(name)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// How many drinks on the menu (hidden ones too) are in the section.
pub async fn count_drinks_in(
    tx: &mut Transaction<'_, Any>,
    section_id: &str,
) -> Result<i64, sqlx::Error> {
    let (drinks,): (i64,) =
        sqlx::query_as("select count(*) from drinks where section_id = $1 and deleted_at is null")
            .bind(section_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(drinks)
}

/// False when there is no such section.
pub async fn delete_section(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("delete from sections where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Where a drink on the menu is: its section, and the image it shows.
#[derive(sqlx::FromRow)]
pub struct DrinkPlace {
    pub section_id: String,
    pub image: String,
}

pub async fn drink_place(
    tx: &mut Transaction<'_, Any>,
    drink_id: &str,
) -> Result<Option<DrinkPlace>, sqlx::Error> {
    sqlx::query_as("select section_id, image from drinks where id = $1 and deleted_at is null")
        .bind(drink_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The id of another drink on the menu (not `except`) with this name, ignoring case.
pub async fn drink_named(
    tx: &mut Transaction<'_, Any>,
    name: &str,
    except: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "select id from drinks where lower(name) = lower($1) and deleted_at is null and id <> $2",
    )
    .bind(name)
    .bind(except)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Writes the edited fields of a drink on the menu (its recipe separately, `replace_recipe`); an
/// illustration follows the new glass and colour, a photo stays. False when there is no such drink.
pub async fn update_drink(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    input: &DrinkInput,
    illustration: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update drinks set section_id = $1, name = $2, description = $3, abv = $4, glass = $5,
                color = $6, tags = $7, steps = $8, updated_at = $9,
                image = case when image like '/illustration.svg%' then $11 else image end
          where id = $10 and deleted_at is null",
    )
    .bind(&input.section_id)
    .bind(&input.name)
    .bind(&input.description)
    .bind(input.abv)
    .bind(&input.glass)
    .bind(&input.color)
    .bind(to_json(&input.tags))
    .bind(to_json(&input.steps))
    .bind(now_ms())
    .bind(id)
    .bind(illustration)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A drink's options become `options` (none: NULL).
pub async fn set_drink_options(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    options: &[DrinkOption],
) -> Result<(), sqlx::Error> {
    let text = (!options.is_empty())
        .then(|| serde_json::to_string(options).ok())
        .flatten();
    sqlx::query("update drinks set options = $1 where id = $2")
        .bind(text)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A drink's recipe becomes `lines`, in order; ingredients not known yet are created (in stock).
pub async fn replace_recipe(
    tx: &mut Transaction<'_, Any>,
    drink_id: &str,
    lines: &[LineInput],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from drink_ingredients where drink_id = $1")
        .bind(drink_id)
        .execute(&mut **tx)
        .await?;
    for (position, line) in lines.iter().enumerate() {
        let existing: Option<(String,)> =
            sqlx::query_as("select id from ingredients where lower(name) = lower($1)")
                .bind(&line.ingredient)
                .fetch_optional(&mut **tx)
                .await?;
        let ingredient_id = match existing {
            Some((id,)) => id,
            None => {
                let new = NewIngredient {
                    name: &line.ingredient,
                    in_stock: true,
                };
                insert_ingredient(tx, &new).await?
            }
        };
        sqlx::query(
            "insert into drink_ingredients (drink_id, ingredient_id, position, amount, unit, optional)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(drink_id)
        .bind(&ingredient_id)
        .bind(position as i64)
        .bind(line.amount)
        .bind(&line.unit)
        .bind(i64::from(line.optional))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn set_drink_image(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    image: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update drinks set image = $1, updated_at = $2 where id = $3")
        .bind(image)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

impl Store {
    pub async fn admin_menu(&self) -> Result<AdminMenu, sqlx::Error> {
        let sections: Vec<(String, String, i64)> =
            sqlx::query_as("select id, name, active from sections order by position, name")
                .fetch_all(&self.pool)
                .await?;
        let drinks: Vec<(String, String, String, i64, String)> = sqlx::query_as(
            "select id, section_id, name, active, image from drinks where deleted_at is null
             order by position, name",
        )
        .fetch_all(&self.pool)
        .await?;
        let ingredients = self
            .ingredients()
            .await?
            .into_iter()
            .map(|i| i.name)
            .collect();
        Ok(AdminMenu {
            sections: sections
                .into_iter()
                .map(|(id, name, active)| AdminSection {
                    id,
                    name,
                    active: active != 0,
                })
                .collect(),
            drinks: drinks
                .into_iter()
                .map(|(id, section_id, name, active, image)| AdminDrink {
                    id,
                    section_id,
                    name,
                    active: active != 0,
                    image,
                })
                .collect(),
            ingredients,
        })
    }

    /// False when there is no such section.
    pub async fn set_section_active(&self, id: &str, active: bool) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("update sections set active = $1, updated_at = $2 where id = $3")
            .bind(i64::from(active))
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A drink on the menu as its edit form.
    pub async fn drink_form(&self, id: &str) -> Result<Option<DrinkForm>, sqlx::Error> {
        let row: Option<EditRow> = sqlx::query_as(
            "select name, section_id, description, abv, glass, color, tags, steps, options from drinks
             where id = $1 and deleted_at is null",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(EditRow {
            name,
            section_id,
            description,
            abv,
            glass,
            color,
            tags,
            steps,
            options,
        }) = row
        else {
            return Ok(None);
        };
        let lines: Vec<(String, f64, String, i64)> = sqlx::query_as(
            "select i.name, di.amount, di.unit, di.optional from drink_ingredients di
             join ingredients i on i.id = di.ingredient_id where di.drink_id = $1 order by di.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(DrinkForm {
            id: id.to_string(),
            name,
            section_id,
            description,
            abv: format!("{abv}"),
            glass,
            color,
            tags: json_list(id, "tags", &tags).join(", "),
            steps: json_list(id, "steps", &steps).join("\n"),
            options: crate::domain::options_text(&super::drink_options(id, options.as_deref())),
            lines: lines
                .into_iter()
                .map(|(ingredient, amount, unit, optional)| LineForm {
                    ingredient,
                    amount: format!("{amount}"),
                    unit,
                    optional: (optional != 0).then(|| "on".to_string()),
                })
                .collect(),
        }))
    }

    /// False when there is no such drink on the menu.
    pub async fn set_drink_active(&self, id: &str, active: bool) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "update drinks set active = $1, updated_at = $2 where id = $3 and deleted_at is null",
        )
        .bind(i64::from(active))
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Soft delete: the drink leaves the menu, but orders that name it stay readable. False when
    /// there is no such drink on the menu.
    pub async fn delete_drink(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "update drinks set deleted_at = $1, updated_at = $1 where id = $2 and deleted_at is null",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
