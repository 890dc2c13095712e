//! Orders: placing one (once per idempotency key, only what the bar can make, within the guest's
//! limit), and moving it along the lifecycle (the guest cancels, the host makes and hands over).

use super::Bar;
use crate::backend::store::orders::{self, NewOrder, OrderBy};
use crate::backend::store::{controls, guests};
use crate::backend::store::{now_ms, retrying, TxError};
use crate::domain::{IdempotencyKey, OrderNote, Quantity};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    Actor, Choice, Drink, GuestOrders, Order, OrderStatus, ReadyDrinks, TrackedOrder,
};
use crate::says;

/// A guest's order as their door parsed it.
#[derive(Clone, Debug)]
pub struct OrderRequest {
    pub drink_id: String,
    pub quantity: Quantity,
    pub note: OrderNote,
    pub key: IdempotencyKey,
    /// The guest's pick for each of the drink's options, in order; empty for the usual ones.
    pub choices: Vec<String>,
}

impl Bar {
    /// Places an order once: the same idempotency key always gives back the same order, even
    /// after the drink ran out, so a retry or a double tap never orders twice.
    #[tracing::instrument(skip_all, fields(guest = %guest_id, drink = %request.drink_id))]
    pub async fn place_order(
        &self,
        guest_id: &str,
        request: &OrderRequest,
    ) -> Result<Order, AppError> {
        let started = std::time::Instant::now();
        let menu = self.menu.snapshot();
        let drink = menu
            .drink(&request.drink_id)
            .ok_or_else(|| AppError::NotFound(says!(errors.that_drink)))?;
        let choices = drink
            .choices(&request.choices)
            .map_err(|why| AppError::invalid("choices", why))?;
        let (order, created) =
            retrying(|| self.try_place_order(guest_id, drink, request, &choices)).await?;
        if created {
            tracing::info!(order = %order.id, "order placed");
            self.metrics.order_placed_in(started.elapsed());
            self.metrics.order_reached(order.status);
            self.hub.order_changed(&order);
        }
        Ok(order)
    }

    async fn try_place_order(
        &self,
        guest_id: &str,
        drink: &Drink,
        request: &OrderRequest,
        choices: &[Choice],
    ) -> Result<(Order, bool), TxError> {
        let now = now_ms();
        let mut tx = self.store.begin_write().await?;
        if !guests::hold_guest(&mut tx, guest_id, now).await? {
            return Err(AppError::Unauthorized.into());
        }
        let placed = OrderBy::Key {
            guest_id,
            key: &request.key,
        };
        if let Some(existing) = orders::order_in(&mut tx, placed).await? {
            tx.commit().await?;
            return Ok((existing, false));
        }
        // A pause or a passed last call committed before this order refuses it.
        if let Some(why) = controls::bar_status_in(&mut tx)
            .await?
            .refusal_at(now, Locale::en)
        {
            return Err(AppError::Conflict(why).into());
        }
        if let Some(why) = unavailable(drink) {
            return Err(AppError::Conflict(why).into());
        }
        let active = orders::count_active(&mut *tx, guest_id).await?;
        if active >= i64::from(self.rules.max_active_orders) {
            return Err(AppError::Conflict(if active == 1 {
                says!(errors.active_limit_one)
            } else {
                says!(errors.active_limit, count = active)
            })
            .into());
        }
        let new = NewOrder {
            guest_id,
            drink_id: &drink.id,
            drink_name: &drink.name,
            quantity: request.quantity,
            note: &request.note,
            key: &request.key,
            choices,
        };
        let order = orders::insert_order(&mut tx, &new, now)
            .await?
            .ok_or(TxError::App(AppError::Internal))?;
        tx.commit().await?;
        Ok((order, true))
    }

    /// The board: every order on the way, by status, and the ones finished lately.
    #[tracing::instrument(skip_all)]
    pub async fn board(&self) -> Result<crate::model::Board, AppError> {
        Ok(self.store.board().await?)
    }

    /// How many of the guest's orders are on the way, and how many may be at once.
    #[tracing::instrument(skip(self))]
    pub async fn orders_on_the_way(&self, guest_id: &str) -> Result<(u32, u32), AppError> {
        let active = self.store.count_active_orders(guest_id).await?;
        Ok((
            u32::try_from(active).unwrap_or(u32::MAX),
            self.rules.max_active_orders,
        ))
    }

    /// The guest's drinks that are ready to pick up, oldest first, and where.
    #[tracing::instrument(skip(self))]
    pub async fn ready_orders(
        &self,
        guest_id: &str,
        guest_name: &str,
    ) -> Result<ReadyDrinks, AppError> {
        let mut ready: Vec<Order> = self
            .store
            .guest_orders(guest_id)
            .await?
            .into_iter()
            .filter(|order| order.status == OrderStatus::Ready)
            .collect();
        ready.reverse();
        Ok(ReadyDrinks {
            guest: guest_name.to_string(),
            place: self.pickup_place().await?,
            orders: ready,
        })
    }

    /// The guest cancels one of their own orders while it is still queued.
    #[tracing::instrument(skip(self))]
    pub async fn cancel_order(&self, guest_id: &str, order_id: &str) -> Result<Order, AppError> {
        self.move_order(
            order_id,
            OrderStatus::Cancelled,
            Actor::Guest,
            Some(guest_id),
        )
        .await
    }

    /// The host moves an order on (or cancels it).
    #[tracing::instrument(skip(self))]
    pub async fn advance_order(
        &self,
        order_id: &str,
        next: OrderStatus,
    ) -> Result<Order, AppError> {
        self.move_order(order_id, next, Actor::Host, None).await
    }

    /// Moves an order to `next` if the lifecycle allows it for `actor`; a guest may only touch
    /// their own orders (`guest_id`). Anything else is refused and changes nothing.
    #[tracing::instrument(skip(self))]
    pub async fn move_order(
        &self,
        order_id: &str,
        next: OrderStatus,
        actor: Actor,
        guest_id: Option<&str>,
    ) -> Result<Order, AppError> {
        let started = std::time::Instant::now();
        let order = retrying(|| self.try_move_order(order_id, next, actor, guest_id)).await?;
        tracing::info!(status = order.status.as_str(), "order moved");
        self.metrics.order_moved_in(started.elapsed());
        self.metrics.order_reached(order.status);
        self.hub.order_changed(&order);
        Ok(order)
    }

    async fn try_move_order(
        &self,
        order_id: &str,
        next: OrderStatus,
        actor: Actor,
        guest_id: Option<&str>,
    ) -> Result<Order, TxError> {
        let now = now_ms();
        let mut tx = self.store.begin_write().await?;
        let current = match orders::order_in(&mut tx, OrderBy::Id(order_id)).await? {
            Some(order) if guest_id.is_none_or(|g| g == order.guest_id) => order,
            // Another guest's order is reported exactly like a missing one.
            _ => return Err(AppError::NotFound(says!(errors.that_order)).into()),
        };
        if !current.status.can_become(next, actor) {
            return Err(AppError::Conflict(says!(
                errors.order_cannot_become,
                now = current
                    .status
                    .label(crate::language::current())
                    .to_lowercase(),
                next = next.label(crate::language::current()).to_lowercase()
            ))
            .into());
        }
        if !orders::set_status(&mut tx, order_id, current.status, next, now).await? {
            return Err(AppError::Conflict(says!(errors.order_changed)).into());
        }
        orders::record_event(&mut tx, order_id, next, actor, now).await?;
        let push =
            next == OrderStatus::Ready && self.enqueue_push(&mut tx, order_id, false).await?;
        tx.commit().await?;
        if push {
            self.jobs.nudge();
        }
        Ok(Order {
            status: next,
            updated_at: now,
            ..current
        })
    }

    /// A guest's orders, newest first, with their place in the queue and the wait for open ones,
    /// and where ready drinks are picked up.
    #[tracing::instrument(skip(self))]
    pub async fn my_orders(&self, guest_id: &str) -> Result<GuestOrders, AppError> {
        Ok(GuestOrders {
            orders: self.tracked_orders(guest_id).await?,
            place: self.pickup_place().await?,
        })
    }

    async fn tracked_orders(&self, guest_id: &str) -> Result<Vec<TrackedOrder>, AppError> {
        let mine = self.store.guest_orders(guest_id).await?;
        if !mine.iter().any(|order| order.status.is_waiting()) {
            return Ok(mine.into_iter().map(untracked).collect());
        }
        let queue = self.store.waiting_orders().await?;
        let make_ms = typical_make_ms(self.store.recent_make_times().await?);
        let being_made = queue
            .iter()
            .any(|(_, status)| *status == OrderStatus::Making);
        Ok(mine
            .into_iter()
            .map(|order| {
                let (position, eta) = match order.status {
                    OrderStatus::Queued => {
                        let ahead = queue
                            .iter()
                            .filter(|(_, status)| *status == OrderStatus::Queued)
                            .position(|(id, _)| *id == order.id)
                            .unwrap_or(0) as i64;
                        // Drinks being made finish first (about half done on average), then the
                        // queued ones ahead, then this one.
                        let wait = make_ms * ahead
                            + make_ms * (1 + i64::from(being_made)) / 2
                            + make_ms / 2;
                        (Some(ahead as u32 + 1), Some(minutes(wait)))
                    }
                    OrderStatus::Making => (None, Some(minutes(make_ms / 2))),
                    _ => (None, None),
                };
                TrackedOrder {
                    order,
                    queue_position: position,
                    eta_minutes: eta,
                }
            })
            .collect())
    }
}

fn untracked(order: Order) -> TrackedOrder {
    TrackedOrder {
        order,
        queue_position: None,
        eta_minutes: None,
    }
}

/// How long a drink takes when there is no history yet.
const DEFAULT_MAKE_MS: i64 = 3 * 60_000;

/// The median of the recent times from "making" to "ready", at least 15 s.
fn typical_make_ms(mut times: Vec<i64>) -> i64 {
    if times.is_empty() {
        return DEFAULT_MAKE_MS;
    }
    times.iter_mut().for_each(|ms| *ms = (*ms).max(0));
    times.sort_unstable();
    times[times.len() / 2].max(15_000)
}

/// Whole minutes, rounded up, between 1 and 600.
fn minutes(ms: i64) -> u32 {
    ((ms + 59_999) / 60_000).clamp(1, 600) as u32
}

/// Why the drink cannot be made right now, in the guest's words, if it cannot.
fn unavailable(drink: &Drink) -> Option<String> {
    let missing: Vec<&str> = drink
        .missing_ingredients()
        .map(|line| line.name.as_str())
        .collect();
    (!missing.is_empty()).then(|| {
        says!(
            errors.drink_unavailable,
            drink = &drink.name,
            missing = missing.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{minutes, typical_make_ms, DEFAULT_MAKE_MS};

    #[test]
    fn the_typical_time_is_the_median_of_recent_drinks_and_never_silly() {
        assert_eq!(typical_make_ms(Vec::new()), DEFAULT_MAKE_MS);
        assert_eq!(typical_make_ms(vec![90_000, 30_000, 60_000]), 60_000);
        assert_eq!(typical_make_ms(vec![-5, 1_000]), 15_000);
        assert_eq!((minutes(1), minutes(60_000), minutes(60_001)), (1, 1, 2));
        assert_eq!(minutes(i64::MAX / 2), 600);
    }
}
