//! Web Push for guests: the bar's key, and turning notifications on and off for one browser.

use crate::error::AppError;
use leptos::prelude::*;

/// The key browsers subscribe with (`applicationServerKey`), if this bar sends notifications.
#[server(output = crate::api::Answer, endpoint = "push/key")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "push_key", skip_all))]
pub async fn push_key() -> Result<Option<String>, AppError> {
    let state = crate::backend::AppState::from_context()?;
    Ok(state.bar().push_key())
}

/// Keeps this browser's push subscription (its endpoint and keys, as `PushSubscription.toJSON()`
/// gives them) for the guest.
#[server(output = crate::api::Answer, endpoint = "push/subscribe")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "subscribe_push", skip_all)
)]
pub async fn subscribe_push(
    endpoint: String,
    p256dh: String,
    auth: String,
) -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        let subscription = crate::backend::store::push::PushSubscriptionRow {
            endpoint,
            p256dh,
            auth,
            lang: crate::i18n::I18nLocaleTrait::as_str(crate::language::current()).to_string(),
        };
        state.bar().subscribe_push(&guest.id, &subscription).await
    })
    .await
}

/// Turns notifications off for this browser.
#[server(output = crate::api::Answer, endpoint = "push/unsubscribe")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "unsubscribe_push", skip_all)
)]
pub async fn unsubscribe_push(endpoint: String) -> Result<(), AppError> {
    super::as_guest(async |state, guest| state.bar().unsubscribe_push(&guest.id, &endpoint).await)
        .await
}

/// Whether the bar knows this browser's subscription for the guest.
#[server(output = crate::api::Answer, endpoint = "push/subscribed")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "push_subscribed", skip_all)
)]
pub async fn push_subscribed(endpoint: String) -> Result<bool, AppError> {
    super::as_guest(async |state, guest| state.bar().push_subscribed(&guest.id, &endpoint).await)
        .await
}
