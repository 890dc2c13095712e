//! The host's order controls: pause orders (with a message for guests) and resume them, call last
//! orders for a time, and call it off. Placing an order obeys them (`orders.rs`).

use super::Bar;
use crate::backend::store::controls::{LAST_CALL_AT, ORDERS_PAUSED};
use crate::backend::store::now_ms;
use crate::error::AppError;
use crate::model::BarStatus;
use crate::says;

impl Bar {
    /// Whether the bar takes orders, as the host set it.
    pub async fn bar_status(&self) -> Result<BarStatus, AppError> {
        Ok(self.store.bar_status().await?)
    }

    /// Pauses orders: guests are told `message` (may be empty), and nothing more is placed until
    /// the host resumes. Orders already placed go on as before.
    #[tracing::instrument(skip(self, message))]
    pub async fn pause_orders(&self, message: &str) -> Result<BarStatus, AppError> {
        let message = parse_message(message)?;
        self.store.set_setting(ORDERS_PAUSED, &message).await?;
        tracing::info!(%message, "orders paused");
        self.controls_changed().await
    }

    #[tracing::instrument(skip(self))]
    pub async fn resume_orders(&self) -> Result<BarStatus, AppError> {
        self.store.clear_setting(ORDERS_PAUSED).await?;
        tracing::info!("orders resumed");
        self.controls_changed().await
    }

    /// Last call: orders close in `minutes` (1 to 180). Calling it again moves the time.
    #[tracing::instrument(skip(self))]
    pub async fn call_last_orders(&self, minutes: i64) -> Result<BarStatus, AppError> {
        if !(1..=BarStatus::MAX_LAST_CALL_MINUTES).contains(&minutes) {
            return Err(AppError::invalid(
                "minutes",
                says!(
                    errors.last_call_range,
                    max = BarStatus::MAX_LAST_CALL_MINUTES
                ),
            ));
        }
        let at = now_ms() + minutes * 60_000;
        self.store
            .set_setting(LAST_CALL_AT, &at.to_string())
            .await?;
        tracing::info!(minutes, "last call");
        self.controls_changed().await
    }

    /// Calls last orders off: the bar takes orders again.
    #[tracing::instrument(skip(self))]
    pub async fn cancel_last_call(&self) -> Result<BarStatus, AppError> {
        self.store.clear_setting(LAST_CALL_AT).await?;
        tracing::info!("last call called off");
        self.controls_changed().await
    }

    /// Tells open pages and the other servers what the controls are now.
    async fn controls_changed(&self) -> Result<BarStatus, AppError> {
        let status = self.bar_status().await?;
        self.hub.bar_changed(&status);
        Ok(status)
    }
}

/// The pause message: one line of at most 140 characters, trimmed; empty is fine.
fn parse_message(message: &str) -> Result<String, AppError> {
    let message = message.trim();
    if message.chars().count() > BarStatus::MAX_MESSAGE_CHARS
        || message.chars().any(char::is_control)
    {
        return Err(AppError::invalid(
            "message",
            says!(errors.bar_message_rule, max = BarStatus::MAX_MESSAGE_CHARS),
        ));
    }
    Ok(message.to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_message;

    #[test]
    fn a_pause_message_is_one_short_line() {
        assert_eq!(parse_message("  back in 10  ").unwrap(), "back in 10");
        assert_eq!(parse_message("").unwrap(), "");
        assert!(parse_message("back\nsoon").is_err());
        assert!(parse_message(&"x".repeat(141)).is_err());
        assert_eq!(
            parse_message(&"é".repeat(140)).unwrap().chars().count(),
            140
        );
    }
}
