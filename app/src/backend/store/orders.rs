//! Orders and their status history.

use super::nights::NIGHT_START;
use super::{new_id, now_ms, Store};
use crate::domain::{IdempotencyKey, OrderNote, Quantity};
use crate::model::{Actor, Board, Order, OrderStatus};
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

// Queries built from those parts, each built once.
static ORDER_BY_ID: LazyLock<String> = LazyLock::new(|| format!("{SELECT_ORDER} where o.id = $1"));
static ORDER_BY_KEY: LazyLock<String> =
    LazyLock::new(|| format!("{SELECT_ORDER} where o.guest_id = $1 and o.idempotency_key = $2"));
static GUEST_ORDERS: LazyLock<String> = LazyLock::new(|| {
    format!("{SELECT_ORDER} where o.guest_id = $1 order by o.created_at desc limit 30")
});
static COUNT_ACTIVE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "select count(*) from orders where guest_id = $1 and status in {}",
        *ACTIVE
    )
});
// The queue and the board are the current night's: a closed night's orders stay for its stats.
static WAITING_ORDERS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "select id, status from orders where status in {} and created_at >= {NIGHT_START}
         order by created_at, id",
        *WAITING
    )
});
static BOARD_ACTIVE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{SELECT_ORDER} where o.status in {} and o.created_at >= {NIGHT_START}
         order by o.created_at, o.id",
        *ACTIVE
    )
});
static BOARD_HISTORY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{SELECT_ORDER} where o.status in {} and o.created_at >= {NIGHT_START}
         order by o.updated_at desc limit 50",
        *FINISHED
    )
});

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
    /// The guest's choices as JSON, or NULL.
    options: Option<String>,
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
            choices: row
                .options
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default(),
        }
    }
}

const SELECT_ORDER: &str =
    "select o.id, o.guest_id, g.name as guest_name, o.drink_id, o.drink_name, o.quantity,
       o.note, o.status, o.created_at, o.updated_at, o.options
  from orders o join guests g on g.id = o.guest_id";

/// A new order's row; every field already parsed and checked.
pub struct NewOrder<'a> {
    pub guest_id: &'a str,
    pub drink_id: &'a str,
    pub drink_name: &'a str,
    pub quantity: Quantity,
    pub note: &'a OrderNote,
    pub key: &'a IdempotencyKey,
    pub choices: &'a [crate::model::Choice],
}

/// Adds a step to an order's status history.
pub async fn record_event(
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
pub enum OrderBy<'a> {
    Id(&'a str),
    /// A guest's order placed with this idempotency key.
    Key {
        guest_id: &'a str,
        key: &'a IdempotencyKey,
    },
}

/// One order, read inside a transaction.
pub async fn order_in(
    tx: &mut Transaction<'_, Any>,
    by: OrderBy<'_>,
) -> Result<Option<Order>, sqlx::Error> {
    let row = match by {
        OrderBy::Id(id) => {
            sqlx::query_as::<_, OrderRow>(&ORDER_BY_ID)
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        OrderBy::Key { guest_id, key } => {
            sqlx::query_as::<_, OrderRow>(&ORDER_BY_KEY)
                .bind(guest_id)
                .bind(key.as_str())
                .fetch_optional(&mut **tx)
                .await?
        }
    };
    Ok(row.map(Order::from))
}

/// How many of the guest's orders are still on their way: in a transaction (`&mut *tx`) or on
/// the pool.
pub async fn count_active<'c>(
    on: impl sqlx::Executor<'c, Database = Any>,
    guest_id: &str,
) -> Result<i64, sqlx::Error> {
    let (active,): (i64,) = sqlx::query_as(&COUNT_ACTIVE)
        .bind(guest_id)
        .fetch_one(on)
        .await?;
    Ok(active)
}

/// Writes a new queued order and its first history step; the order as stored.
pub async fn insert_order(
    tx: &mut Transaction<'_, Any>,
    new: &NewOrder<'_>,
    now: i64,
) -> Result<Option<Order>, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "insert into orders (id, guest_id, drink_id, drink_name, quantity, note, status, idempotency_key,
                             created_at, updated_at, options)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
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
    .bind(
        (!new.choices.is_empty())
            .then(|| serde_json::to_string(new.choices).ok())
            .flatten(),
    )
    .execute(&mut **tx)
    .await?;
    record_event(tx, &id, OrderStatus::Queued, Actor::Guest, now).await?;
    order_in(tx, OrderBy::Id(&id)).await
}

/// Compare-and-set on an order's status: false when it is no longer `from` (a concurrent change).
pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    order_id: &str,
    from: OrderStatus,
    to: OrderStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("update orders set status = $1, updated_at = $2 where id = $3 and status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(order_id)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
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
        Ok(sqlx::query_as::<_, OrderRow>(&ORDER_BY_ID)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Order::from))
    }

    /// How many of the guest's orders are still on their way (outside a transaction).
    pub async fn count_active_orders(&self, guest_id: &str) -> Result<i64, sqlx::Error> {
        count_active(&self.pool, guest_id).await
    }

    /// A guest's latest 30 orders, newest first.
    pub async fn guest_orders(&self, guest_id: &str) -> Result<Vec<Order>, sqlx::Error> {
        Ok(sqlx::query_as::<_, OrderRow>(&GUEST_ORDERS)
            .bind(guest_id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Order::from)
            .collect())
    }

    /// Every order not made yet, first in line first: (id, status).
    pub async fn waiting_orders(&self) -> Result<Vec<(String, OrderStatus)>, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(&WAITING_ORDERS)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, status)| Some((id, OrderStatus::parse(&status)?)))
            .collect())
    }

    /// How long the last 20 drinks took from "making" to "ready", in milliseconds, newest first.
    pub async fn recent_make_times(&self) -> Result<Vec<i64>, sqlx::Error> {
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
        Ok(rows.into_iter().map(|(ms,)| ms).collect())
    }

    /// The bar board: open orders oldest first, and the latest finished ones.
    pub async fn board(&self) -> Result<Board, sqlx::Error> {
        let active = sqlx::query_as::<_, OrderRow>(&BOARD_ACTIVE)
            .fetch_all(&self.pool)
            .await?;
        let history = sqlx::query_as::<_, OrderRow>(&BOARD_HISTORY)
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
