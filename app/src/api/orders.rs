//! A guest's orders: placing, tracking, cancelling.

use crate::error::AppError;
use crate::model::{GuestOrders, Order, ReadyDrinks};
use leptos::prelude::*;

/// Places an order. The idempotency key makes retries and double taps safe: the same key always
/// answers with the same order.
#[server(output = crate::api::Answer, endpoint = "orders/place_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "place_order", skip_all))]
pub async fn place_order(
    drink_id: String,
    quantity: i64,
    note: String,
    idempotency_key: String,
    /// The pick for each of the drink's options, in order (`choices[0]`, …); none for the usual.
    #[server(default)]
    choices: Vec<String>,
    /// Stay on the page (the chat shows "Ordered · Undo") instead of going to `/orders`.
    #[server(default)]
    stay: bool,
) -> Result<Order, AppError> {
    super::as_guest(async |state, guest| {
        use crate::backend::bar::OrderRequest;
        use crate::domain::{IdempotencyKey, OrderNote, Quantity};
        let request = OrderRequest {
            drink_id,
            quantity: Quantity::parse(quantity)?,
            note: OrderNote::parse(&note)?,
            key: IdempotencyKey::parse(&idempotency_key)?,
            choices,
        };
        let order = state.bar().place_order(&guest.id, &request).await?;
        if !stay {
            leptos_axum::redirect("/orders");
        }
        Ok(order)
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "orders/my_orders")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "my_orders", skip_all))]
pub async fn my_orders() -> Result<GuestOrders, AppError> {
    super::as_guest(async |state, guest| state.bar().my_orders(&guest.id).await).await
}

/// Cancels one of the caller's own orders while it is still queued.
#[server(output = crate::api::Answer, endpoint = "orders/cancel_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "cancel_order", skip_all, fields(order_id = %order_id)))]
pub async fn cancel_order(order_id: String) -> Result<Order, AppError> {
    super::as_guest(async |state, guest| state.bar().cancel_order(&guest.id, &order_id).await).await
}

/// The caller's drinks that are ready and not collected yet, and where to pick them up; `None` for
/// a visitor who has not joined (not an error: every page asks).
#[server(output = crate::api::Answer, endpoint = "orders/ready_orders")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "ready_orders", skip_all))]
pub async fn ready_orders() -> Result<Option<ReadyDrinks>, AppError> {
    super::answer(
        async move {
            let (state, guest) = crate::backend::auth::optional_guest().await?;
            match guest {
                Some(guest) => state
                    .bar()
                    .ready_orders(&guest.id, &guest.name)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
        .await,
    )
}
