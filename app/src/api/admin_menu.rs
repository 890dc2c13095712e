//! The host edits the menu: sections and drinks. Each is a door to one use case in
//! `backend::bar::menu`, which also tells guests' open pages and `/api/v1`.

use crate::domain::DrinkForm;
use crate::error::AppError;
use crate::model::{AdminMenu, Direction, ImagePrompt};
use leptos::prelude::*;

#[server(output = crate::api::Answer, endpoint = "admin_menu/load_admin_menu")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_admin_menu", skip_all)
)]
pub async fn load_admin_menu() -> Result<AdminMenu, AppError> {
    super::as_host(async |state| state.bar().admin_menu().await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/create_section")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "create_section", skip_all)
)]
pub async fn create_section(name: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().create_section(&name).await.map(drop)).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/rename_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "rename_section", skip_all, fields(id = %id)))]
pub async fn rename_section(id: String, name: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().rename_section(&id, &name).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/show_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "show_section", skip_all, fields(id = %id)))]
pub async fn show_section(id: String, active: bool) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().show_section(&id, active).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/delete_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_section", skip_all, fields(id = %id)))]
pub async fn delete_section(id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().delete_section(&id).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/move_section")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "move_section", skip_all, fields(id = %id, direction = ?direction)))]
pub async fn move_section(id: String, direction: Direction) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().move_section(&id, direction).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/load_drink_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_drink_form", skip_all, fields(id = %id)))]
pub async fn load_drink_form(id: String) -> Result<DrinkForm, AppError> {
    super::as_host(async |state| state.bar().drink_form(&id).await).await
}

/// Creates or updates a drink (an empty `form.id` creates), then returns to the menu editor.
#[server(output = crate::api::Answer, endpoint = "admin_menu/save_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_drink", skip_all))]
pub async fn save_drink(form: DrinkForm) -> Result<String, AppError> {
    super::as_host(async |state| {
        let id = state.bar().save_drink(&form).await?;
        leptos_axum::redirect("/admin/menu");
        Ok(id)
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/show_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "show_drink", skip_all, fields(id = %id)))]
pub async fn show_drink(id: String, active: bool) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().show_drink(&id, active).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/delete_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_drink", skip_all, fields(id = %id)))]
pub async fn delete_drink(id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().delete_drink(&id).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_menu/move_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "move_drink", skip_all, fields(id = %id, direction = ?direction)))]
pub async fn move_drink(id: String, direction: Direction) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().move_drink(&id, direction).await).await
}

/// A drink's photo prompt and the state of the job writing it.
#[server(output = crate::api::Answer, endpoint = "admin_menu/drink_image_prompt")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "drink_image_prompt", skip_all, fields(id = %id)))]
pub async fn drink_image_prompt(id: String) -> Result<ImagePrompt, AppError> {
    super::as_host(async |state| state.bar().image_prompt(&id).await).await
}

/// The host approves the photo the image model proposed: it becomes the drink's picture.
#[server(output = crate::api::Answer, endpoint = "admin_menu/approve_photo")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "approve_photo", skip_all, fields(id = %id)))]
pub async fn approve_photo(id: String, image: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().approve_photo(&id, &image).await).await
}

/// The host discards the photo the image model proposed.
#[server(output = crate::api::Answer, endpoint = "admin_menu/discard_photo")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "discard_photo", skip_all, fields(id = %id)))]
pub async fn discard_photo(id: String, image: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().discard_photo(&id, &image).await).await
}
