//! The bar's order controls: anyone may read them (guests' pages show them); only a host changes
//! them.

use crate::error::AppError;
use crate::model::BarStatus;
use leptos::prelude::*;

/// Whether the bar takes orders now.
#[server(output = crate::api::Answer, endpoint = "controls/status")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "bar_status", skip_all))]
pub async fn load_bar_status() -> Result<BarStatus, AppError> {
    super::answer(
        async {
            let state = crate::backend::AppState::from_context()?;
            state.bar().bar_status().await
        }
        .await,
    )
}

/// Pauses orders, telling guests `message` (may be empty).
#[server(output = crate::api::Answer, endpoint = "controls/pause")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "pause_orders", skip_all))]
pub async fn pause_orders(message: String) -> Result<BarStatus, AppError> {
    super::as_host(async |state| state.bar().pause_orders(&message).await).await
}

#[server(output = crate::api::Answer, endpoint = "controls/resume")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "resume_orders", skip_all))]
pub async fn resume_orders() -> Result<BarStatus, AppError> {
    super::as_host(async |state| state.bar().resume_orders().await).await
}

/// Last call: orders close in `minutes`.
#[server(output = crate::api::Answer, endpoint = "controls/last_call")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "call_last_orders", skip_all, fields(minutes))
)]
pub async fn call_last_orders(minutes: i64) -> Result<BarStatus, AppError> {
    super::as_host(async |state| state.bar().call_last_orders(minutes).await).await
}

#[server(output = crate::api::Answer, endpoint = "controls/cancel_last_call")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "cancel_last_call", skip_all)
)]
pub async fn cancel_last_call() -> Result<BarStatus, AppError> {
    super::as_host(async |state| state.bar().cancel_last_call().await).await
}
