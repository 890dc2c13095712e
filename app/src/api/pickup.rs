//! Picking drinks up: the pickup screen, the pickup place, the screen's TV links, and reminders.

use crate::error::AppError;
use crate::model::{NewScreenLink, Order, PickupScreen, PickupSettings};
use leptos::prelude::*;

/// The pickup screen's list: for a signed-in host, or with a screen link's `key`.
#[server(output = crate::api::Answer, endpoint = "pickup/screen")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "pickup_screen", skip_all))]
pub async fn load_pickup_screen(key: Option<String>) -> Result<PickupScreen, AppError> {
    match key {
        Some(key) => super::answer(
            async move {
                let state = crate::backend::AppState::from_context()?;
                if !state.bar().screen_key_holds(&key).await? {
                    return Err(AppError::Forbidden);
                }
                state.bar().pickup_screen().await
            }
            .await,
        ),
        None => super::as_host(async |state| state.bar().pickup_screen().await).await,
    }
}

/// The host reminds a guest that their drink is ready (their pages, and the screens).
#[server(output = crate::api::Answer, endpoint = "pickup/remind")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "remind", skip_all, fields(order_id = %order_id)))]
pub async fn remind(order_id: String) -> Result<Order, AppError> {
    super::as_host(async |state| state.bar().remind(&order_id).await).await
}

/// Where drinks are picked up, and the screen links in force.
#[server(output = crate::api::Answer, endpoint = "pickup/settings")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "pickup_settings", skip_all)
)]
pub async fn load_pickup_settings() -> Result<PickupSettings, AppError> {
    super::as_host(async |state| {
        Ok(PickupSettings {
            place: state.bar().pickup_place().await?,
            links: state.bar().screen_links().await?,
        })
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "pickup/set_place")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_pickup_place", skip_all)
)]
pub async fn set_pickup_place(place: String) -> Result<String, AppError> {
    super::as_host(async |state| state.bar().set_pickup_place(&place).await).await
}

/// Makes a read-only link to the pickup screen; the answer is the only time its address is shown.
#[server(output = crate::api::Answer, endpoint = "pickup/create_link")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "create_screen_link", skip_all)
)]
pub async fn create_screen_link() -> Result<NewScreenLink, AppError> {
    super::as_host(async |state| {
        let (link, key) = state.bar().create_screen_link().await?;
        Ok(NewScreenLink {
            url: state.screen_url(&key),
            link,
        })
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "pickup/revoke_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_screen_link", skip_all, fields(id = %id)))]
pub async fn revoke_screen_link(id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().revoke_screen_link(&id).await).await
}
