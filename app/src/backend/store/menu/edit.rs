//! Writing the menu: the seed's inserts, and the host's editor (sections, drinks and their
//! recipes; reordering, hiding, deleting).

use super::super::{new_id, now_ms, outbox, retrying, Store, TxError};
use super::json_list;
use crate::domain::{DrinkForm, DrinkInput, LineForm};
use crate::error::AppError;
use crate::model::{AdminDrink, AdminMenu, AdminSection};
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
}

/// Which list a row is reordered in.
#[derive(Clone, Copy)]
enum List<'a> {
    Sections,
    DrinksOf(&'a str),
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

    #[tracing::instrument(skip(self))]
    pub async fn create_section(&self, name: &str) -> Result<String, AppError> {
        Ok(retrying(|| self.try_create_section(name)).await?)
    }

    async fn try_create_section(&self, name: &str) -> Result<String, TxError> {
        let mut tx = self.begin_write().await?;
        let taken: Option<(String,)> =
            sqlx::query_as("select id from sections where lower(name) = lower($1)")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(AppError::invalid(
                "name",
                format!("There is already a section called {name}."),
            )
            .into());
        }
        let (next,): (i64,) =
            sqlx::query_as("select coalesce(max(position), -1) + 1 from sections")
                .fetch_one(&mut *tx)
                .await?;
        let id = insert_section(
            &mut tx,
            &NewSection {
                name,
                position: next,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rename_section(&self, id: &str, name: &str) -> Result<(), AppError> {
        let taken: Option<(String,)> =
            sqlx::query_as("select id from sections where lower(name) = lower($1) and id <> $2")
                .bind(name)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        if taken.is_some() {
            return Err(AppError::invalid(
                "name",
                format!("There is already a section called {name}."),
            ));
        }
        self.update_one(
            "update sections set name = $1, updated_at = $2 where id = $3",
            name,
            id,
            "That section",
        )
        .await
    }

    pub async fn set_section_active(&self, id: &str, active: bool) -> Result<(), AppError> {
        let done = sqlx::query("update sections set active = $1, updated_at = $2 where id = $3")
            .bind(i64::from(active))
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected(), "That section")
    }

    /// Deletes an empty section; one that still has drinks is refused.
    pub async fn delete_section(&self, id: &str) -> Result<(), AppError> {
        Ok(retrying(|| self.try_delete_section(id)).await?)
    }

    async fn try_delete_section(&self, id: &str) -> Result<(), TxError> {
        let mut tx = self.begin_write().await?;
        let (drinks,): (i64,) = sqlx::query_as(
            "select count(*) from drinks where section_id = $1 and deleted_at is null",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if drinks > 0 {
            return Err(AppError::Conflict(
                "This section still has drinks: move or delete them first.".into(),
            )
            .into());
        }
        let done = sqlx::query("delete from sections where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        found(done.rows_affected(), "That section")?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn move_section(&self, id: &str, up: bool) -> Result<(), AppError> {
        self.move_in(List::Sections, id, up).await
    }

    pub async fn move_drink(&self, id: &str, up: bool) -> Result<(), AppError> {
        let section: Option<(String,)> =
            sqlx::query_as("select section_id from drinks where id = $1 and deleted_at is null")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let (section,) = section.ok_or_else(|| AppError::NotFound("That drink".into()))?;
        self.move_in(List::DrinksOf(&section), id, up).await
    }

    /// Swaps a row with its neighbour, then renumbers the list 0..n so positions stay dense.
    async fn move_in(&self, list: List<'_>, id: &str, up: bool) -> Result<(), AppError> {
        Ok(retrying(|| self.try_move_in(list, id, up)).await?)
    }

    async fn try_move_in(&self, list: List<'_>, id: &str, up: bool) -> Result<(), TxError> {
        let mut tx = self.begin_write().await?;
        let (select, update) = match list {
            List::Sections => (
                "select id from sections where $1 = $1 order by position, name",
                "update sections set position = $1 where id = $2",
            ),
            List::DrinksOf(_) => (
                "select id from drinks where section_id = $1 and deleted_at is null order by position, name",
                "update drinks set position = $1 where id = $2",
            ),
        };
        let scope = match list {
            List::Sections => "",
            List::DrinksOf(section) => section,
        };
        let mut ids: Vec<String> = sqlx::query_as::<_, (String,)>(select)
            .bind(scope)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        let at = ids
            .iter()
            .position(|x| x == id)
            .ok_or_else(|| AppError::NotFound("That item".into()))?;
        let other = if up {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|i| *i < ids.len())
        };
        let Some(other) = other else {
            return Ok(()); // already first or last
        };
        ids.swap(at, other);
        for (position, id) in ids.iter().enumerate() {
            sqlx::query(update)
                .bind(position as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The stored drink as its edit form.
    pub async fn drink_form(&self, id: &str) -> Result<DrinkForm, AppError> {
        let row: Option<EditRow> = sqlx::query_as(
            "select name, section_id, description, abv, glass, color, tags, steps from drinks
             where id = $1 and deleted_at is null",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let EditRow {
            name,
            section_id,
            description,
            abv,
            glass,
            color,
            tags,
            steps,
        } = row.ok_or_else(|| AppError::NotFound("That drink".into()))?;
        let lines: Vec<(String, f64, String, i64)> = sqlx::query_as(
            "select i.name, di.amount, di.unit, di.optional from drink_ingredients di
             join ingredients i on i.id = di.ingredient_id where di.drink_id = $1 order by di.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(DrinkForm {
            id: id.to_string(),
            name,
            section_id,
            description,
            abv: format!("{abv}"),
            glass,
            color,
            tags: json_list(id, "tags", &tags).join(", "),
            steps: json_list(id, "steps", &steps).join("\n"),
            lines: lines
                .into_iter()
                .map(|(ingredient, amount, unit, optional)| LineForm {
                    ingredient,
                    amount: format!("{amount}"),
                    unit,
                    optional: (optional != 0).then(|| "on".to_string()),
                })
                .collect(),
        })
    }

    /// Creates (`id` None) or updates a drink with its recipe; ingredients not yet known are
    /// created on the way. Names are unique among drinks on the menu (case-insensitive).
    #[tracing::instrument(skip(self, input), fields(name = %input.name))]
    pub async fn save_drink(
        &self,
        id: Option<&str>,
        input: &DrinkInput,
        image: &str,
    ) -> Result<String, AppError> {
        Ok(retrying(|| self.try_save_drink(id, input, image)).await?)
    }

    async fn try_save_drink(
        &self,
        id: Option<&str>,
        input: &DrinkInput,
        image: &str,
    ) -> Result<String, TxError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let section: Option<(String,)> = sqlx::query_as("select id from sections where id = $1")
            .bind(&input.section_id)
            .fetch_optional(&mut *tx)
            .await?;
        if section.is_none() {
            return Err(AppError::invalid("section_id", "Pick a section for this drink.").into());
        }
        let clash: Option<(String,)> = sqlx::query_as(
            "select id from drinks where lower(name) = lower($1) and deleted_at is null and id <> $2",
        )
        .bind(&input.name)
        .bind(id.unwrap_or(""))
        .fetch_optional(&mut *tx)
        .await?;
        if clash.is_some() {
            return Err(AppError::invalid(
                "name",
                format!("There is already a drink called {}.", input.name),
            )
            .into());
        }
        let to_json = |list: &[String]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
        let id = match id {
            Some(id) => {
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
                .bind(now)
                .bind(id)
                .bind(image)
                .execute(&mut *tx)
                .await?;
                found(done.rows_affected(), "That drink")?;
                sqlx::query("delete from drink_ingredients where drink_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id.to_string()
            }
            None => {
                let (next,): (i64,) = sqlx::query_as(
                    "select coalesce(max(position), -1) + 1 from drinks where section_id = $1",
                )
                .bind(&input.section_id)
                .fetch_one(&mut *tx)
                .await?;
                let tags: Vec<&str> = input.tags.iter().map(String::as_str).collect();
                let steps: Vec<&str> = input.steps.iter().map(String::as_str).collect();
                let new = NewDrink {
                    section_id: &input.section_id,
                    name: &input.name,
                    description: &input.description,
                    abv: input.abv,
                    glass: &input.glass,
                    color: &input.color,
                    image,
                    tags: &tags,
                    steps: &steps,
                    position: next,
                    lines: Vec::new(),
                };
                let id = insert_drink(&mut tx, &new).await?;
                // The photo prompt is written later by the worker; the job commits with the drink.
                let prompt = outbox::Task::ImagePrompt {
                    drink_id: id.clone(),
                };
                outbox::enqueue(&mut tx, &prompt, &id).await?;
                id
            }
        };
        for (position, line) in input.lines.iter().enumerate() {
            let existing: Option<(String,)> =
                sqlx::query_as("select id from ingredients where lower(name) = lower($1)")
                    .bind(&line.ingredient)
                    .fetch_optional(&mut *tx)
                    .await?;
            let ingredient_id = match existing {
                Some((id,)) => id,
                None => {
                    let new = NewIngredient {
                        name: &line.ingredient,
                        in_stock: true,
                    };
                    insert_ingredient(&mut tx, &new).await?
                }
            };
            sqlx::query(
                "insert into drink_ingredients (drink_id, ingredient_id, position, amount, unit, optional)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(&ingredient_id)
            .bind(position as i64)
            .bind(line.amount)
            .bind(&line.unit)
            .bind(i64::from(line.optional))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Points a drink at a new image; returns the one it had.
    pub async fn set_drink_image(&self, id: &str, image: &str) -> Result<String, AppError> {
        Ok(retrying(|| self.try_set_drink_image(id, image)).await?)
    }

    async fn try_set_drink_image(&self, id: &str, image: &str) -> Result<String, TxError> {
        let mut tx = self.begin_write().await?;
        let old: Option<(String,)> =
            sqlx::query_as("select image from drinks where id = $1 and deleted_at is null")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let (old,) = old.ok_or_else(|| AppError::NotFound("That drink".into()))?;
        sqlx::query("update drinks set image = $1, updated_at = $2 where id = $3")
            .bind(image)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(old)
    }

    pub async fn set_drink_active(&self, id: &str, active: bool) -> Result<(), AppError> {
        let done = sqlx::query(
            "update drinks set active = $1, updated_at = $2 where id = $3 and deleted_at is null",
        )
        .bind(i64::from(active))
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        found(done.rows_affected(), "That drink")
    }

    /// Soft delete: the drink leaves the menu, but orders that name it stay readable.
    pub async fn delete_drink(&self, id: &str) -> Result<(), AppError> {
        let done = sqlx::query("update drinks set deleted_at = $1, updated_at = $1 where id = $2 and deleted_at is null")
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected(), "That drink")
    }

    async fn update_one(
        &self,
        sql: &str,
        value: &str,
        id: &str,
        what: &str,
    ) -> Result<(), AppError> {
        let done = sqlx::query(sql)
            .bind(value)
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected(), what)
    }
}

fn found(rows: u64, what: &str) -> Result<(), AppError> {
    if rows == 0 {
        Err(AppError::NotFound(what.to_string()))
    } else {
        Ok(())
    }
}
