//! Whether the bar takes orders: the host pauses them (with a message for guests) when swamped, and
//! calls last orders for a time, after which no more are taken.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// The bar's order controls, as the host set them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarStatus {
    /// Set while orders are paused: the host's message to guests (may be empty).
    pub paused: Option<String>,
    /// Last call: orders close at this time (unix ms).
    pub last_call_at: Option<i64>,
    /// The server's clock when this was read (unix ms), so a page counts minutes against it.
    pub now: i64,
}

/// Where ordering stands at a given moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderWindow {
    Open,
    /// Last call is on: orders close in this many minutes (rounded up, at least 1).
    LastCall {
        minutes_left: i64,
    },
    /// The host paused orders, with their message.
    Paused {
        message: String,
    },
    /// Last call has passed.
    Closed,
}

impl BarStatus {
    /// The most a pause message may say.
    pub const MAX_MESSAGE_CHARS: usize = 140;
    /// The longest a last call may run.
    pub const MAX_LAST_CALL_MINUTES: i64 = 180;

    /// Where ordering stands at `now` (unix ms). A pause wins over last call.
    pub fn at(&self, now: i64) -> OrderWindow {
        if let Some(message) = &self.paused {
            return OrderWindow::Paused {
                message: message.clone(),
            };
        }
        match self.last_call_at {
            Some(at) if at <= now => OrderWindow::Closed,
            Some(at) => OrderWindow::LastCall {
                minutes_left: (at - now + 59_999) / 60_000,
            },
            None => OrderWindow::Open,
        }
    }

    /// Why an order cannot be placed at `now`, in words for the guest; `None` when it can.
    pub fn refusal_at(&self, now: i64, locale: Locale) -> Option<String> {
        match self.at(now) {
            OrderWindow::Open | OrderWindow::LastCall { .. } => None,
            OrderWindow::Paused { message } if message.is_empty() => {
                Some(td_string!(locale, bar.paused).to_string())
            }
            OrderWindow::Paused { message } => {
                Some(td_string!(locale, bar.paused_because, message).to_string())
            }
            OrderWindow::Closed => Some(td_string!(locale, bar.closed).to_string()),
        }
    }

    /// What guests are told at `now`: the refusal, or how long last call has left.
    pub fn notice_at(&self, now: i64, locale: Locale) -> Option<String> {
        match self.at(now) {
            OrderWindow::LastCall { minutes_left: 1 } => {
                Some(td_string!(locale, bar.last_call_one).to_string())
            }
            OrderWindow::LastCall { minutes_left } => {
                Some(td_string!(locale, bar.last_call_many, minutes = minutes_left).to_string())
            }
            _ => self.refusal_at(now, locale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn an_open_bar_takes_orders_and_says_nothing() {
        let status = BarStatus::default();
        assert_eq!(status.at(5), OrderWindow::Open);
        assert_eq!(status.refusal_at(5, Locale::en), None);
        assert_eq!(status.notice_at(5, Locale::en), None);
    }

    #[test]
    fn a_pause_refuses_with_the_hosts_message_and_wins_over_last_call() {
        let status = BarStatus {
            paused: Some("back in 10 minutes".into()),
            last_call_at: Some(100 * MIN),
            now: 0,
        };
        assert_eq!(
            status.refusal_at(0, Locale::en).unwrap(),
            "Orders are paused: back in 10 minutes"
        );
        assert_eq!(
            status.notice_at(0, Locale::en),
            status.refusal_at(0, Locale::en)
        );
        let quiet = BarStatus {
            paused: Some(String::new()),
            ..status
        };
        assert_eq!(
            quiet.refusal_at(0, Locale::en).unwrap(),
            "Orders are paused for a moment. Try again soon."
        );
    }

    #[test]
    fn last_call_counts_down_in_whole_minutes_then_closes() {
        let status = BarStatus {
            paused: None,
            last_call_at: Some(10 * MIN),
            now: 0,
        };
        assert_eq!(status.at(0), OrderWindow::LastCall { minutes_left: 10 });
        assert_eq!(
            status.at(MIN / 2),
            OrderWindow::LastCall { minutes_left: 10 }
        );
        assert_eq!(
            status.at(10 * MIN - 1),
            OrderWindow::LastCall { minutes_left: 1 }
        );
        assert_eq!(status.refusal_at(9 * MIN, Locale::en), None);
        assert_eq!(
            status.notice_at(9 * MIN, Locale::en).unwrap(),
            "Last call: orders close in 1 minute."
        );
        assert_eq!(
            status.notice_at(0, Locale::en).unwrap(),
            "Last call: orders close in 10 minutes."
        );
        assert_eq!(status.at(10 * MIN), OrderWindow::Closed);
        assert!(status
            .refusal_at(11 * MIN, Locale::en)
            .unwrap()
            .contains("Last call has passed"));
    }
}
