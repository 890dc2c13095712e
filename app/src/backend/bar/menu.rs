//! The menu and its ingredients: the host edits sections and drinks and switches ingredients on
//! and off the shelf. Every change rebuilds the menu snapshot and reaches guests' open pages,
//! `/api/v1` and the other servers at once.

use super::Bar;
use crate::backend::illustration::illustration_url;
use crate::backend::store::menu::edit::{self, List, NewDrink, NewSection};
use crate::backend::store::outbox::{self, Task};
use crate::backend::store::{retrying, TxError};
use crate::domain::{parse_name, DrinkForm, DrinkInput};
use crate::error::AppError;
use crate::model::{AdminMenu, Direction, ImagePrompt, Ingredient};
use crate::says;

impl Bar {
    /// The whole menu as the editor shows it, hidden sections and drinks included.
    #[tracing::instrument(skip_all)]
    pub async fn admin_menu(&self) -> Result<AdminMenu, AppError> {
        Ok(self.store.admin_menu().await?)
    }

    #[tracing::instrument(skip(self))]
    pub async fn create_section(&self, name: &str) -> Result<String, AppError> {
        let name = parse_name("name", &says!(errors.label_section_name), name)?;
        let id = retrying(|| self.try_create_section(&name)).await?;
        self.menu_changed().await?;
        Ok(id)
    }

    async fn try_create_section(&self, name: &str) -> Result<String, TxError> {
        let mut tx = self.store.begin_write().await?;
        if edit::section_named(&mut tx, name, "").await?.is_some() {
            return Err(AppError::invalid("name", says!(errors.section_taken, name)).into());
        }
        let position = edit::next_position(&mut tx, List::Sections).await?;
        let id = edit::insert_section(&mut tx, &NewSection { name, position }).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self))]
    pub async fn rename_section(&self, id: &str, name: &str) -> Result<(), AppError> {
        let name = parse_name("name", &says!(errors.label_section_name), name)?;
        retrying(|| self.try_rename_section(id, &name)).await?;
        self.menu_changed().await
    }

    async fn try_rename_section(&self, id: &str, name: &str) -> Result<(), TxError> {
        let mut tx = self.store.begin_write().await?;
        if edit::section_named(&mut tx, name, id).await?.is_some() {
            return Err(AppError::invalid("name", says!(errors.section_taken, name)).into());
        }
        if !edit::rename_section(&mut tx, id, name).await? {
            return Err(no_section().into());
        }
        Ok(tx.commit().await?)
    }

    /// Shows a section on the menu, or hides it (and its drinks) from guests.
    #[tracing::instrument(skip(self))]
    pub async fn show_section(&self, id: &str, active: bool) -> Result<(), AppError> {
        if !self.store.set_section_active(id, active).await? {
            return Err(no_section());
        }
        self.menu_changed().await
    }

    /// Deletes an empty section; one that still has drinks is refused.
    #[tracing::instrument(skip(self))]
    pub async fn delete_section(&self, id: &str) -> Result<(), AppError> {
        retrying(|| self.try_delete_section(id)).await?;
        self.menu_changed().await
    }

    async fn try_delete_section(&self, id: &str) -> Result<(), TxError> {
        let mut tx = self.store.begin_write().await?;
        if edit::count_drinks_in(&mut tx, id).await? > 0 {
            return Err(AppError::Conflict(says!(errors.section_not_empty)).into());
        }
        if !edit::delete_section(&mut tx, id).await? {
            return Err(no_section().into());
        }
        Ok(tx.commit().await?)
    }

    #[tracing::instrument(skip(self))]
    pub async fn move_section(&self, id: &str, direction: Direction) -> Result<(), AppError> {
        retrying(|| self.try_move(None, id, direction)).await?;
        self.menu_changed().await
    }

    /// Moves a drink one place up or down within its section.
    #[tracing::instrument(skip(self))]
    pub async fn move_drink(&self, id: &str, direction: Direction) -> Result<(), AppError> {
        retrying(|| self.try_move(Some(id), id, direction)).await?;
        self.menu_changed().await
    }

    /// Swaps a section (`drink` None) or a drink with its neighbour, then numbers the list 0..n
    /// so positions stay dense. The first cannot go up, nor the last down: nothing changes.
    async fn try_move(
        &self,
        drink: Option<&str>,
        id: &str,
        direction: Direction,
    ) -> Result<(), TxError> {
        let mut tx = self.store.begin_write().await?;
        let section = match drink {
            Some(drink) => Some(
                edit::drink_place(&mut tx, drink)
                    .await?
                    .ok_or_else(no_drink)?
                    .section_id,
            ),
            None => None,
        };
        let list = section.as_deref().map_or(List::Sections, List::DrinksOf);
        let mut ids = edit::list_order(&mut tx, list).await?;
        let at = ids
            .iter()
            .position(|x| x == id)
            .ok_or_else(|| AppError::NotFound(says!(errors.that_item)))?;
        let other = match direction {
            Direction::Up => at.checked_sub(1),
            Direction::Down => Some(at + 1).filter(|i| *i < ids.len()),
        };
        let Some(other) = other else {
            return Ok(());
        };
        ids.swap(at, other);
        edit::renumber(&mut tx, list, &ids).await?;
        Ok(tx.commit().await?)
    }

    /// The stored drink as its edit form.
    #[tracing::instrument(skip(self))]
    pub async fn drink_form(&self, id: &str) -> Result<DrinkForm, AppError> {
        self.store.drink_form(id).await?.ok_or_else(no_drink)
    }

    /// Creates (an empty `form.id`) or updates a drink and its recipe; returns its id. Names are
    /// unique on the menu, ignoring case. A new drink starts with its glass's illustration and a
    /// job, committed with it, that writes its photo prompt; with retrieval, every save comes
    /// with a job that embeds the drink again.
    #[tracing::instrument(skip_all, fields(id = %form.id))]
    pub async fn save_drink(&self, form: &DrinkForm) -> Result<String, AppError> {
        let input = form.parse()?;
        let id = (!form.id.is_empty()).then_some(form.id.as_str());
        let id = retrying(|| self.try_save_drink(id, &input)).await?;
        tracing::info!(drink = %id, "drink saved");
        self.jobs.nudge();
        self.menu_changed().await?;
        Ok(id)
    }

    async fn try_save_drink(
        &self,
        id: Option<&str>,
        input: &DrinkInput,
    ) -> Result<String, TxError> {
        let illustration = illustration_url(&input.glass, &input.color);
        let mut tx = self.store.begin_write().await?;
        if !edit::section_exists(&mut tx, &input.section_id).await? {
            return Err(AppError::invalid("section_id", says!(errors.section_pick)).into());
        }
        let except = id.unwrap_or_default();
        if edit::drink_named(&mut tx, &input.name, except)
            .await?
            .is_some()
        {
            return Err(
                AppError::invalid("name", says!(errors.drink_taken, name = &input.name)).into(),
            );
        }
        let id = match id {
            Some(id) => {
                if !edit::update_drink(&mut tx, id, input, &illustration).await? {
                    return Err(no_drink().into());
                }
                id.to_string()
            }
            None => {
                let list = List::DrinksOf(&input.section_id);
                let tags: Vec<&str> = input.tags.iter().map(String::as_str).collect();
                let steps: Vec<&str> = input.steps.iter().map(String::as_str).collect();
                let new = NewDrink {
                    section_id: &input.section_id,
                    name: &input.name,
                    description: &input.description,
                    abv: input.abv,
                    glass: &input.glass,
                    color: &input.color,
                    image: &illustration,
                    tags: &tags,
                    steps: &steps,
                    position: edit::next_position(&mut tx, list).await?,
                    lines: Vec::new(),
                };
                let id = edit::insert_drink(&mut tx, &new).await?;
                let prompt = Task::ImagePrompt {
                    drink_id: id.clone(),
                };
                outbox::enqueue(&mut tx, &prompt, &id).await?;
                id
            }
        };
        edit::replace_recipe(&mut tx, &id, &input.lines).await?;
        edit::set_drink_options(&mut tx, &id, &input.options).await?;
        // With retrieval, its vector follows the drink (the job skips an unchanged text).
        if self.ai.embedder().is_some() {
            let embed = Task::Embed {
                drink_id: id.clone(),
            };
            outbox::enqueue(&mut tx, &embed, &id).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Shows a drink on the menu, or hides it from guests.
    #[tracing::instrument(skip(self))]
    pub async fn show_drink(&self, id: &str, active: bool) -> Result<(), AppError> {
        if !self.store.set_drink_active(id, active).await? {
            return Err(no_drink());
        }
        self.menu_changed().await
    }

    /// Takes a drink off the menu; orders that name it stay readable.
    #[tracing::instrument(skip(self))]
    pub async fn delete_drink(&self, id: &str) -> Result<(), AppError> {
        if !self.store.delete_drink(id).await? {
            return Err(no_drink());
        }
        self.menu_changed().await
    }

    /// Points a drink at a new image; returns the one it had.
    #[tracing::instrument(skip(self))]
    pub async fn set_drink_image(&self, id: &str, image: &str) -> Result<String, AppError> {
        Ok(retrying(|| self.try_set_drink_image(id, image)).await?)
    }

    async fn try_set_drink_image(&self, id: &str, image: &str) -> Result<String, TxError> {
        let mut tx = self.store.begin_write().await?;
        let old = edit::drink_place(&mut tx, id)
            .await?
            .ok_or_else(no_drink)?
            .image;
        edit::set_drink_image(&mut tx, id, image).await?;
        tx.commit().await?;
        Ok(old)
    }

    /// A drink's photo prompt and the state of the job writing it.
    #[tracing::instrument(skip(self))]
    pub async fn image_prompt(&self, id: &str) -> Result<ImagePrompt, AppError> {
        Ok(self.store.image_prompt(id).await?)
    }

    /// Every ingredient, by name, with the drinks on the menu that cannot be made without it.
    #[tracing::instrument(skip_all)]
    pub async fn ingredients(&self) -> Result<Vec<Ingredient>, AppError> {
        let menu = self.menu.snapshot();
        let rows = self.store.ingredients().await?;
        Ok(rows
            .into_iter()
            .map(|row| Ingredient {
                needed_by: menu
                    .drinks
                    .iter()
                    .filter(|drink| {
                        drink
                            .ingredients
                            .iter()
                            .any(|line| line.ingredient_id == row.id && !line.optional)
                    })
                    .map(|drink| drink.name.clone())
                    .collect(),
                in_stock: row.in_stock != 0,
                id: row.id,
                name: row.name,
            })
            .collect())
    }

    /// Puts an ingredient on or off the shelf; every drink that needs it follows, everywhere.
    #[tracing::instrument(skip(self))]
    pub async fn set_in_stock(&self, ingredient_id: &str, in_stock: bool) -> Result<(), AppError> {
        if !self.store.set_in_stock(ingredient_id, in_stock).await? {
            return Err(AppError::NotFound(says!(errors.that_ingredient)));
        }
        tracing::info!("stock changed");
        self.menu_changed().await
    }

    /// Rebuilds the menu snapshot and tells open pages and the other servers.
    #[tracing::instrument(skip_all)]
    pub async fn menu_changed(&self) -> Result<(), AppError> {
        self.menu.rebuild(&self.store).await?;
        self.hub.menu_changed();
        Ok(())
    }
}

fn no_section() -> AppError {
    AppError::NotFound(says!(errors.that_section))
}

fn no_drink() -> AppError {
    AppError::NotFound(says!(errors.that_drink))
}
