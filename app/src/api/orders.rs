//! A guest's orders: placing, tracking, cancelling.

use crate::error::AppError;
use crate::model::{Order, TrackedOrder};
use leptos::prelude::*;

/// Places an order. The idempotency key makes retries and double taps safe: the same key always
/// answers with the same order.
#[server(endpoint = "orders/place_order")]
pub async fn place_order(
    drink_id: String,
    quantity: i64,
    note: String,
    idempotency_key: String,
) -> Result<Order, AppError> {
    super::answer(
        async move {
            use crate::backend::store::orders::NewOrder;
            use crate::domain::{IdempotencyKey, OrderNote, Quantity};
            let (state, guest) = crate::backend::auth::require_guest().await?;
            let quantity = Quantity::parse(quantity)?;
            let note = OrderNote::parse(&note)?;
            let key = IdempotencyKey::parse(&idempotency_key)?;
            let menu = state.menu.snapshot();
            let drink = menu
                .drink(&drink_id)
                .ok_or_else(|| AppError::NotFound("That drink".into()))?;
            let missing: Vec<&str> = drink
                .missing_ingredients()
                .map(|l| l.name.as_str())
                .collect();
            let unavailable = (!missing.is_empty()).then(|| {
                format!(
                    "Sorry, {} is not available right now: the bar is out of {}.",
                    drink.name,
                    missing.join(", ")
                )
            });
            let (order, created) = state
                .store
                .place_order(&NewOrder {
                    guest_id: &guest.id,
                    drink_id: &drink.id,
                    drink_name: &drink.name,
                    quantity,
                    note: &note,
                    key: &key,
                    max_active: i64::from(state.config.max_active_orders),
                    unavailable,
                })
                .await?;
            if created {
                tracing::info!(order = %order.id, guest = %guest.id, "order placed");
                state.hub.order_changed(&order);
            }
            leptos_axum::redirect("/orders");
            Ok(order)
        }
        .await,
    )
}

#[server(endpoint = "orders/my_orders")]
pub async fn my_orders() -> Result<Vec<TrackedOrder>, AppError> {
    super::answer(
        async move {
            let (state, guest) = crate::backend::auth::require_guest().await?;
            Ok(state.store.tracked_orders(&guest.id).await?)
        }
        .await,
    )
}

/// Cancels one of the caller's own orders while it is still queued.
#[server(endpoint = "orders/cancel_order")]
pub async fn cancel_order(order_id: String) -> Result<Order, AppError> {
    super::answer(
        async move {
            use crate::model::{Actor, OrderStatus};
            let (state, guest) = crate::backend::auth::require_guest().await?;
            let order = state
                .store
                .transition(
                    &order_id,
                    OrderStatus::Cancelled,
                    Actor::Guest,
                    Some(&guest.id),
                )
                .await?;
            state.hub.order_changed(&order);
            Ok(order)
        }
        .await,
    )
}
