//! The bar's order controls, kept as settings (`bar_settings`): a pause with its message, and the
//! time last call ends. Read inside an order's transaction, so a pause committed first is obeyed.

use sqlx::{Any, Transaction};

use super::{now_ms, Store};
use crate::model::BarStatus;

/// Set while orders are paused; its value is the host's message.
pub const ORDERS_PAUSED: &str = "orders_paused";
/// Set while last call is on; its value is when orders close (unix ms).
pub const LAST_CALL_AT: &str = "last_call_at";

const SELECT: &str = "select name, value from bar_settings where name in ($1, $2)";

fn status(rows: Vec<(String, String)>) -> BarStatus {
    let mut status = BarStatus {
        now: now_ms(),
        ..BarStatus::default()
    };
    for (name, value) in rows {
        match name.as_str() {
            ORDERS_PAUSED => status.paused = Some(value),
            LAST_CALL_AT => status.last_call_at = value.parse().ok(),
            _ => {}
        }
    }
    status
}

/// The controls as this transaction sees them.
pub async fn bar_status_in(tx: &mut Transaction<'_, Any>) -> Result<BarStatus, sqlx::Error> {
    let rows = sqlx::query_as(SELECT)
        .bind(ORDERS_PAUSED)
        .bind(LAST_CALL_AT)
        .fetch_all(&mut **tx)
        .await?;
    Ok(status(rows))
}

impl Store {
    pub async fn bar_status(&self) -> Result<BarStatus, sqlx::Error> {
        let rows = sqlx::query_as(SELECT)
            .bind(ORDERS_PAUSED)
            .bind(LAST_CALL_AT)
            .fetch_all(&self.pool)
            .await?;
        Ok(status(rows))
    }

    pub async fn clear_setting(&self, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query("delete from bar_settings where name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
