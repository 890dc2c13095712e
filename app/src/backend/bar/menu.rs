//! The menu and its ingredients: the host edits sections and drinks and switches ingredients on
//! and off the shelf. Every change rebuilds the menu snapshot and reaches guests' open pages,
//! `/api/v1` and the other servers at once.

use super::Bar;
use crate::backend::illustration::illustration_url;
use crate::domain::{parse_name, DrinkForm};
use crate::error::AppError;
use crate::model::{AdminMenu, Direction, ImagePrompt, Ingredient};

impl Bar {
    /// The whole menu as the editor shows it, hidden sections and drinks included.
    pub async fn admin_menu(&self) -> Result<AdminMenu, AppError> {
        Ok(self.store.admin_menu().await?)
    }

    #[tracing::instrument(skip(self))]
    pub async fn create_section(&self, name: &str) -> Result<String, AppError> {
        let name = parse_name("name", "The section name", name)?;
        let id = self.store.create_section(&name).await?;
        self.menu_changed().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self))]
    pub async fn rename_section(&self, id: &str, name: &str) -> Result<(), AppError> {
        let name = parse_name("name", "The section name", name)?;
        self.store.rename_section(id, &name).await?;
        self.menu_changed().await
    }

    /// Shows a section on the menu, or hides it (and its drinks) from guests.
    #[tracing::instrument(skip(self))]
    pub async fn show_section(&self, id: &str, active: bool) -> Result<(), AppError> {
        self.store.set_section_active(id, active).await?;
        self.menu_changed().await
    }

    /// Deletes an empty section; one that still has drinks is refused.
    #[tracing::instrument(skip(self))]
    pub async fn delete_section(&self, id: &str) -> Result<(), AppError> {
        self.store.delete_section(id).await?;
        self.menu_changed().await
    }

    #[tracing::instrument(skip(self))]
    pub async fn move_section(&self, id: &str, direction: Direction) -> Result<(), AppError> {
        self.store
            .move_section(id, direction == Direction::Up)
            .await?;
        self.menu_changed().await
    }

    /// The stored drink as its edit form.
    pub async fn drink_form(&self, id: &str) -> Result<DrinkForm, AppError> {
        self.store.drink_form(id).await
    }

    /// Creates (an empty `form.id`) or updates a drink; returns its id. A new drink starts with
    /// its glass's illustration and a job that writes its photo prompt.
    #[tracing::instrument(skip_all, fields(id = %form.id))]
    pub async fn save_drink(&self, form: &DrinkForm) -> Result<String, AppError> {
        let input = form.parse()?;
        let image = illustration_url(&input.glass, &input.color);
        let id = (!form.id.is_empty()).then_some(form.id.as_str());
        let id = self.store.save_drink(id, &input, &image).await?;
        tracing::info!(drink = %id, "drink saved");
        self.jobs.nudge();
        self.menu_changed().await?;
        Ok(id)
    }

    /// Shows a drink on the menu, or hides it from guests.
    #[tracing::instrument(skip(self))]
    pub async fn show_drink(&self, id: &str, active: bool) -> Result<(), AppError> {
        self.store.set_drink_active(id, active).await?;
        self.menu_changed().await
    }

    #[tracing::instrument(skip(self))]
    pub async fn delete_drink(&self, id: &str) -> Result<(), AppError> {
        self.store.delete_drink(id).await?;
        self.menu_changed().await
    }

    /// Moves a drink one place up or down within its section.
    #[tracing::instrument(skip(self))]
    pub async fn move_drink(&self, id: &str, direction: Direction) -> Result<(), AppError> {
        self.store
            .move_drink(id, direction == Direction::Up)
            .await?;
        self.menu_changed().await
    }

    /// A drink's photo prompt and the state of the job writing it.
    pub async fn image_prompt(&self, id: &str) -> Result<ImagePrompt, AppError> {
        Ok(self.store.image_prompt(id).await?)
    }

    /// Every ingredient, by name, with the drinks on the menu that cannot be made without it.
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
            return Err(AppError::NotFound("That ingredient".into()));
        }
        tracing::info!("stock changed");
        self.menu_changed().await
    }

    /// Rebuilds the menu snapshot and tells open pages and the other servers.
    pub async fn menu_changed(&self) -> Result<(), AppError> {
        self.menu.rebuild(&self.store).await?;
        self.hub.menu_changed();
        Ok(())
    }
}
