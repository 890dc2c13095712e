//! Reading the menu. Both functions answer from the in-memory snapshot.

use crate::error::AppError;
use crate::model::{Drink, Menu};
use leptos::prelude::*;

#[server(output = crate::api::Answer, endpoint = "menu/get_menu")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_menu", skip_all))]
pub async fn get_menu() -> Result<Menu, AppError> {
    super::answer(
        async move {
            let state = crate::backend::AppState::from_context()?;
            Ok(Menu::clone(&state.menu.snapshot()))
        }
        .await,
    )
}

#[server(output = crate::api::Answer, endpoint = "menu/get_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_drink", skip_all, fields(id = %id)))]
pub async fn get_drink(id: String) -> Result<Drink, AppError> {
    super::answer(
        async move {
            let state = crate::backend::AppState::from_context()?;
            state
                .menu
                .snapshot()
                .drink(&id)
                .cloned()
                .ok_or_else(|| AppError::NotFound(crate::says!(errors.that_drink)))
        }
        .await,
    )
}

/// The drink most like an unavailable one that the bar can make now: (id, name).
#[server(output = crate::api::Answer, endpoint = "menu/closest_drink")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "closest_drink", skip_all, fields(id = %id)))]
pub async fn closest_drink(id: String) -> Result<Option<(String, String)>, AppError> {
    super::answer(
        async move {
            let state = crate::backend::AppState::from_context()?;
            let menu = state.menu.snapshot();
            let drink = menu
                .drink(&id)
                .ok_or_else(|| AppError::NotFound(crate::says!(errors.that_drink)))?;
            Ok(menu
                .closest_available(drink)
                .map(|other| (other.id.clone(), other.name.clone())))
        }
        .await,
    )
}
