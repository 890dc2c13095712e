//! The host edits the menu: sections and drinks. Every write ends with the menu-changed hook, so
//! guests' open pages and `/api/v1` follow at once.

use crate::domain::DrinkForm;
use crate::error::AppError;
use crate::model::{AdminMenu, Direction};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn admin_write(
    write: impl AsyncFnOnce(&crate::backend::AppState) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let (state, admin) = crate::backend::auth::require_admin().await?;
    write(&state).await?;
    tracing::info!(admin = %admin.username, "menu changed");
    state.menu_changed().await
}

#[server(endpoint = "admin_menu/load_admin_menu")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_admin_menu", skip_all)
)]
pub async fn load_admin_menu() -> Result<AdminMenu, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            Ok(state.store.admin_menu().await?)
        }
        .await,
    )
}

#[server(endpoint = "admin_menu/create_section")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "create_section", skip_all)
)]
pub async fn create_section(name: String) -> Result<(), AppError> {
    super::answer(
        admin_write(async |state| {
            let name = crate::domain::parse_name("name", "The section name", &name)?;
            state.store.create_section(&name).await.map(drop)
        })
        .await,
    )
}

#[server(endpoint = "admin_menu/rename_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "rename_section", skip_all, fields(id = %id)))]
pub async fn rename_section(id: String, name: String) -> Result<(), AppError> {
    super::answer(
        admin_write(async |state| {
            let name = crate::domain::parse_name("name", "The section name", &name)?;
            state.store.rename_section(&id, &name).await
        })
        .await,
    )
}

#[server(endpoint = "admin_menu/show_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "show_section", skip_all, fields(id = %id)))]
pub async fn show_section(id: String, active: bool) -> Result<(), AppError> {
    super::answer(
        admin_write(async |state| state.store.set_section_active(&id, active).await).await,
    )
}

#[server(endpoint = "admin_menu/delete_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_section", skip_all, fields(id = %id)))]
pub async fn delete_section(id: String) -> Result<(), AppError> {
    super::answer(admin_write(async |state| state.store.delete_section(&id).await).await)
}

#[server(endpoint = "admin_menu/move_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "move_section", skip_all, fields(id = %id, direction = ?direction)))]
pub async fn move_section(id: String, direction: Direction) -> Result<(), AppError> {
    super::answer(
        admin_write(async |state| {
            state
                .store
                .move_section(&id, direction == Direction::Up)
                .await
        })
        .await,
    )
}

#[server(endpoint = "admin_menu/load_drink_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_drink_form", skip_all, fields(id = %id)))]
pub async fn load_drink_form(id: String) -> Result<DrinkForm, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            state.store.drink_form(&id).await
        }
        .await,
    )
}

/// Creates or updates a drink (an empty `form.id` creates), then returns to the menu editor.
#[server(endpoint = "admin_menu/save_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_drink", skip_all))]
pub async fn save_drink(form: DrinkForm) -> Result<String, AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            let input = form.parse()?;
            let image = crate::backend::illustration::illustration_url(&input.glass, &input.color);
            let id = (!form.id.is_empty()).then_some(form.id.as_str());
            let id = state.store.save_drink(id, &input, &image).await?;
            tracing::info!(drink = %id, admin = %admin.username, "drink saved");
            state.jobs.nudge(); // a new drink comes with a photo prompt job
            state.menu_changed().await?;
            leptos_axum::redirect("/admin/menu");
            Ok(id)
        }
        .await,
    )
}

#[server(endpoint = "admin_menu/show_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "show_drink", skip_all, fields(id = %id)))]
pub async fn show_drink(id: String, active: bool) -> Result<(), AppError> {
    super::answer(admin_write(async |state| state.store.set_drink_active(&id, active).await).await)
}

#[server(endpoint = "admin_menu/delete_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_drink", skip_all, fields(id = %id)))]
pub async fn delete_drink(id: String) -> Result<(), AppError> {
    super::answer(admin_write(async |state| state.store.delete_drink(&id).await).await)
}

#[server(endpoint = "admin_menu/move_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "move_drink", skip_all, fields(id = %id, direction = ?direction)))]
pub async fn move_drink(id: String, direction: Direction) -> Result<(), AppError> {
    super::answer(
        admin_write(async |state| {
            state
                .store
                .move_drink(&id, direction == Direction::Up)
                .await
        })
        .await,
    )
}

/// A drink's photo prompt and the state of the job writing it.
#[server(endpoint = "admin_menu/drink_image_prompt")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "drink_image_prompt", skip_all, fields(id = %id)))]
pub async fn drink_image_prompt(id: String) -> Result<crate::model::ImagePrompt, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            Ok(state.store.image_prompt(&id).await?)
        }
        .await,
    )
}
