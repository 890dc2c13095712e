//! Orders and their status history.

use super::{new_id, now_ms, retrying, Store, TxError};
use crate::domain::{IdempotencyKey, OrderNote, Quantity};
use crate::error::AppError;
use crate::model::{Actor, Board, Order, OrderStatus, TrackedOrder};
use sqlx::{Any, Transaction};
use std::sync::LazyLock;

/// Order statuses as SQL lists, `('queued', 'making')`: the one place queries name them, each
/// following a rule of `OrderStatus`.
fn statuses(rule: fn(OrderStatus) -> bool) -> String {
    let names: Vec<String> = OrderStatus::ALL
        .into_iter()
        .filter(|status| rule(*status))
        .map(|status| format!("'{}'", status.as_str()))
        .collect();
    format!("({})", names.join(", "))
}

/// Still on their way to the guest.
pub(super) static ACTIVE: LazyLock<String> = LazyLock::new(|| statuses(OrderStatus::is_active));
/// Not made yet.
static WAITING: LazyLock<String> = LazyLock::new(|| statuses(OrderStatus::is_waiting));
/// Collected or cancelled.
static FINISHED: LazyLock<String> = LazyLock::new(|| statuses(|status| !status.is_active()));

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    guest_id: String,
    guest_name: String,
    drink_id: String,
    drink_name: String,
    quantity: i64,
    note: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

impl From<OrderRow> for Order {
    fn from(row: OrderRow) -> Self {
        Order {
            status: OrderStatus::parse(&row.status).unwrap_or_else(|| {
                tracing::error!(order = %row.id, status = %row.status, "unknown order status in database");
                OrderStatus::Cancelled
            }),
            id: row.id,
            guest_id: row.guest_id,
            guest_name: row.guest_name,
            drink_id: row.drink_id,
            drink_name: row.drink_name,
            quantity: row.quantity.clamp(0, 255) as u8,
            note: row.note,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

const SELECT_ORDER: &str =
    "select o.id, o.guest_id, g.name as guest_name, o.drink_id, o.drink_name, o.quantity,
       o.note, o.status, o.created_at, o.updated_at
  from orders o join guests g on g.id = o.guest_id";

/// What a new order asks for; every field already parsed.
pub struct NewOrder<'a> {
    pub guest_id: &'a str,
    pub drink_id: &'a str,
    pub drink_name: &'a str,
    pub quantity: Quantity,
    pub note: &'a OrderNote,
    pub key: &'a IdempotencyKey,
    pub max_active: i64,
    /// Why the drink cannot be ordered now, if it cannot. Checked after the idempotency lookup,
    /// so a retry of an order that went through still gets its order back.
    pub unavailable: Option<String>,
}

/// How long a drink takes when there is no history yet.
const DEFAULT_MAKE_MS: i64 = 3 * 60_000;

async fn record_event(
    tx: &mut Transaction<'_, Any>,
    order_id: &str,
    status: OrderStatus,
    actor: Actor,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into order_events (id, order_id, status, actor, at) values ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(order_id)
    .bind(status.as_str())
    .bind(match actor {
        Actor::Guest => "guest",
        Actor::Host => "host",
    })
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which one order to read inside a transaction.
enum OrderBy<'a> {
    Id(&'a str),
    /// A guest's order placed with this idempotency key.
    Key {
        guest_id: &'a str,
        key: &'a IdempotencyKey,
    },
}

async fn order_in(
    tx: &mut Transaction<'_, Any>,
    by: OrderBy<'_>,
) -> Result<Option<Order>, sqlx::Error> {
    let row = match by {
        OrderBy::Id(id) => {
            sqlx::query_as::<_, OrderRow>(&format!("{SELECT_ORDER} where o.id = $1"))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        OrderBy::Key { guest_id, key } => {
            sqlx::query_as::<_, OrderRow>(&format!(
                "{SELECT_ORDER} where o.guest_id = $1 and o.idempotency_key = $2"
            ))
            .bind(guest_id)
            .bind(key.as_str())
            .fetch_optional(&mut **tx)
            .await?
        }
    };
    Ok(row.map(Order::from))
}

impl Store {
    /// Places an order once: the same idempotency key always gives back the same order.
    /// Returns the order and whether it was created now.
    #[tracing::instrument(skip_all, fields(guest = %new.guest_id, drink = %new.drink_id))]
    pub async fn place_order(&self, new: &NewOrder<'_>) -> Result<(Order, bool), AppError> {
        Ok(retrying(|| self.try_place_order(new)).await?)
    }

    async fn try_place_order(&self, new: &NewOrder<'_>) -> Result<(Order, bool), TxError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        // Touching the guest row first serialises this guest's orders (a row lock on PostgreSQL,
        // the write lock on SQLite), so the limit and the idempotency check cannot race.
        let guest = sqlx::query(
            "update guests set updated_at = $1 where id = $2 and removed_at is null and expires_at > $1",
        )
        .bind(now)
        .bind(new.guest_id)
        .execute(&mut *tx)
        .await?;
        if guest.rows_affected() == 0 {
            return Err(AppError::Unauthorized.into());
        }
        if let Some(existing) = order_in(
            &mut tx,
            OrderBy::Key {
                guest_id: new.guest_id,
                key: new.key,
            },
        )
        .await?
        {
            tx.commit().await?;
            return Ok((existing, false));
        }
        if let Some(reason) = &new.unavailable {
            return Err(AppError::Conflict(reason.clone()).into());
        }
        let (active,): (i64,) = sqlx::query_as(&format!(
            "select count(*) from orders where guest_id = $1 and status in {}",
            *ACTIVE
        ))
        .bind(new.guest_id)
        .fetch_one(&mut *tx)
        .await?;
        if active >= new.max_active {
            return Err(AppError::Conflict(format!(
                "You already have {active} drink order{} on the way. Collect one before ordering more.",
                if active == 1 { "" } else { "s" }
            ))
            .into());
        }
        let id = new_id();
        sqlx::query(
            "insert into orders (id, guest_id, drink_id, drink_name, quantity, note, status, idempotency_key,
                                 created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&id)
        .bind(new.guest_id)
        .bind(new.drink_id)
        .bind(new.drink_name)
        .bind(i64::from(new.quantity.get()))
        .bind(new.note.as_str())
        .bind(OrderStatus::Queued.as_str())
        .bind(new.key.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        record_event(&mut tx, &id, OrderStatus::Queued, Actor::Guest, now).await?;
        let order = order_in(&mut tx, OrderBy::Id(&id))
            .await?
            .ok_or(TxError::App(AppError::Internal))?;
        tx.commit().await?;
        Ok((order, true))
    }

    /// Moves an order to `next` if the lifecycle allows it for `actor`. A guest may only touch
    /// their own orders (`guest_id`); anything else is refused and changes nothing.
    #[tracing::instrument(skip(self))]
    pub async fn transition(
        &self,
        order_id: &str,
        next: OrderStatus,
        actor: Actor,
        guest_id: Option<&str>,
    ) -> Result<Order, AppError> {
        Ok(retrying(|| self.try_transition(order_id, next, actor, guest_id)).await?)
    }

    async fn try_transition(
        &self,
        order_id: &str,
        next: OrderStatus,
        actor: Actor,
        guest_id: Option<&str>,
    ) -> Result<Order, TxError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let current = order_in(&mut tx, OrderBy::Id(order_id)).await?;
        let current = match current {
            Some(order) if guest_id.is_none_or(|g| g == order.guest_id) => order,
            // Another guest's order is reported exactly like a missing one.
            _ => return Err(AppError::NotFound("That order".into()).into()),
        };
        if !current.status.can_become(next, actor) {
            return Err(AppError::Conflict(format!(
                "This order is {} and cannot become {}.",
                current.status.as_str(),
                next.as_str()
            ))
            .into());
        }
        // Compare-and-set on the status: a concurrent change makes this one fail cleanly.
        let done = sqlx::query(
            "update orders set status = $1, updated_at = $2 where id = $3 and status = $4",
        )
        .bind(next.as_str())
        .bind(now)
        .bind(order_id)
        .bind(current.status.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(
                AppError::Conflict("This order changed meanwhile; look again.".into()).into(),
            );
        }
        record_event(&mut tx, order_id, next, actor, now).await?;
        tx.commit().await?;
        Ok(Order {
            status: next,
            updated_at: now,
            ..current
        })
    }

    /// The status history of one order: (status, time) in order.
    pub async fn order_history(&self, order_id: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "select status, at from order_events where order_id = $1 order by at, status",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await
    }

    /// One order by id.
    pub async fn order(&self, id: &str) -> Result<Option<Order>, sqlx::Error> {
        let sql = format!("{SELECT_ORDER} where o.id = $1");
        Ok(sqlx::query_as::<_, OrderRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Order::from))
    }

    /// A guest's orders, newest first, with queue places and wait estimates for open ones.
    pub async fn tracked_orders(&self, guest_id: &str) -> Result<Vec<TrackedOrder>, sqlx::Error> {
        let sql =
            format!("{SELECT_ORDER} where o.guest_id = $1 order by o.created_at desc limit 30");
        let mine: Vec<Order> = sqlx::query_as::<_, OrderRow>(&sql)
            .bind(guest_id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Order::from)
            .collect();
        if !mine
            .iter()
            .any(|o| matches!(o.status, OrderStatus::Queued | OrderStatus::Making))
        {
            return Ok(mine
                .into_iter()
                .map(|order| TrackedOrder {
                    order,
                    queue_position: None,
                    eta_minutes: None,
                })
                .collect());
        }
        let queue: Vec<(String, String)> = sqlx::query_as(&format!(
            "select id, status from orders where status in {} order by created_at, id",
            *WAITING
        ))
        .fetch_all(&self.pool)
        .await?;
        let queue: Vec<(String, Option<OrderStatus>)> = queue
            .into_iter()
            .map(|(id, status)| (id, OrderStatus::parse(&status)))
            .collect();
        let make_ms = self.typical_make_ms().await?;
        let making = queue
            .iter()
            .filter(|(_, s)| *s == Some(OrderStatus::Making))
            .count() as i64;
        Ok(mine
            .into_iter()
            .map(|order| {
                let (position, eta) = match order.status {
                    OrderStatus::Queued => {
                        let ahead = queue
                            .iter()
                            .filter(|(_, s)| *s == Some(OrderStatus::Queued))
                            .position(|(id, _)| *id == order.id)
                            .unwrap_or(0) as i64;
                        // Drinks being made finish first (about half done on average), then the
                        // queued ones ahead, then this one.
                        let wait = make_ms * ahead
                            + make_ms * (1 + i64::from(making > 0)) / 2
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

    /// The median time from "making" to "ready" over the last 20 drinks.
    pub async fn typical_make_ms(&self) -> Result<i64, sqlx::Error> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "select r.at - m.at from order_events r
               join order_events m on m.order_id = r.order_id and m.status = $1
              where r.status = $2
              order by r.at desc limit 20",
        )
        .bind(OrderStatus::Making.as_str())
        .bind(OrderStatus::Ready.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut times: Vec<i64> = rows.into_iter().map(|(ms,)| ms.max(0)).collect();
        if times.is_empty() {
            return Ok(DEFAULT_MAKE_MS);
        }
        times.sort_unstable();
        Ok(times[times.len() / 2].max(15_000))
    }

    /// The bar board: open orders oldest first, and the latest finished ones.
    pub async fn board(&self) -> Result<Board, sqlx::Error> {
        let active_sql = format!(
            "{SELECT_ORDER} where o.status in {} order by o.created_at, o.id",
            *ACTIVE
        );
        let active = sqlx::query_as::<_, OrderRow>(&active_sql)
            .fetch_all(&self.pool)
            .await?;
        let history_sql = format!(
            "{SELECT_ORDER} where o.status in {} order by o.updated_at desc limit 50",
            *FINISHED
        );
        let history = sqlx::query_as::<_, OrderRow>(&history_sql)
            .fetch_all(&self.pool)
            .await?;
        Ok(Board {
            active: active.into_iter().map(Order::from).collect(),
            history: history.into_iter().map(Order::from).collect(),
            now: now_ms(),
        })
    }

    pub async fn count_orders(&self) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = sqlx::query_as("select count(*) from orders")
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }
}

fn minutes(ms: i64) -> u32 {
    ((ms + 59_999) / 60_000).clamp(1, 600) as u32
}
