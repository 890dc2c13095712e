//! Orders: their lifecycle, as the guest and the host see them, and what the live stream says.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// Where an order is. DESIGN.md's lifecycle: queued → making → ready → collected, and cancelled
/// from queued (guest or host) or from making (host only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Queued,
    Making,
    Ready,
    Collected,
    Cancelled,
}

/// Which way a section or a drink moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Direction::Up, Direction::Down];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    /// "Move up", in the page's language.
    pub fn label(self, locale: Locale) -> String {
        let direction = match self {
            Direction::Up => td_string!(locale, admin.up),
            Direction::Down => td_string!(locale, admin.down),
        };
        td_string!(locale, admin.move_label, direction).to_string()
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Up => "↑",
            Direction::Down => "↓",
        }
    }
}

/// Who asks for a status change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Guest,
    Host,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] = [
        OrderStatus::Queued,
        OrderStatus::Making,
        OrderStatus::Ready,
        OrderStatus::Collected,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Queued => "queued",
            OrderStatus::Making => "making",
            OrderStatus::Ready => "ready",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            OrderStatus::Queued => td_string!(locale, orders.status.queued),
            OrderStatus::Making => td_string!(locale, orders.status.making),
            OrderStatus::Ready => td_string!(locale, orders.status.ready),
            OrderStatus::Collected => td_string!(locale, orders.status.collected),
            OrderStatus::Cancelled => td_string!(locale, orders.status.cancelled),
        }
    }

    /// Still on its way to the guest: counts towards the active-order limit.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            OrderStatus::Queued | OrderStatus::Making | OrderStatus::Ready
        )
    }

    /// Not made yet: in the queue or being made (what the wait estimate counts).
    pub fn is_waiting(self) -> bool {
        matches!(self, OrderStatus::Queued | OrderStatus::Making)
    }

    /// Whether an order reaching this status changes other guests' places or waits: it left the
    /// line (made, cancelled) or the drink being made changed. A new order joins at the end, so
    /// nobody ahead of it moves; a collected one had already left.
    pub fn moves_the_queue(self) -> bool {
        matches!(
            self,
            OrderStatus::Making | OrderStatus::Ready | OrderStatus::Cancelled
        )
    }

    /// True when an order reaching this status joins or leaves the pickup screen.
    pub fn changes_the_pickup_screen(self) -> bool {
        matches!(
            self,
            OrderStatus::Ready | OrderStatus::Collected | OrderStatus::Cancelled
        )
    }

    /// The one rule for status changes.
    pub fn can_become(self, next: OrderStatus, actor: Actor) -> bool {
        use OrderStatus::*;
        match (self, next) {
            (Queued, Making) | (Making, Ready) | (Ready, Collected) => actor == Actor::Host,
            (Queued, Cancelled) => true,
            (Making, Cancelled) => actor == Actor::Host,
            // Recall: the host takes back a tap made by mistake, from the board's history.
            (Collected, Ready) | (Cancelled, Queued) => actor == Actor::Host,
            _ => false,
        }
    }

    /// Where "Recall" puts a finished order back: a collected drink is ready again, a cancelled
    /// order queued again.
    pub fn recall_step(self) -> Option<OrderStatus> {
        match self {
            OrderStatus::Collected => Some(OrderStatus::Ready),
            OrderStatus::Cancelled => Some(OrderStatus::Queued),
            _ => None,
        }
    }

    /// The host's one-tap next step on the board, with its button label.
    pub fn next_step(self, locale: Locale) -> Option<(OrderStatus, &'static str)> {
        match self {
            OrderStatus::Queued => Some((OrderStatus::Making, td_string!(locale, admin.start))),
            OrderStatus::Making => Some((OrderStatus::Ready, td_string!(locale, admin.ready))),
            OrderStatus::Ready => {
                Some((OrderStatus::Collected, td_string!(locale, admin.collected)))
            }
            _ => None,
        }
    }
}

/// An order as its guest and the host see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub guest_id: String,
    pub guest_name: String,
    pub drink_id: String,
    pub drink_name: String,
    pub quantity: u8,
    pub note: String,
    pub status: OrderStatus,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
    /// What the guest chose for the drink's options, in the drink's order.
    #[serde(default)]
    pub choices: Vec<Choice>,
}

/// A guest's pick for one of a drink's options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub option: String,
    pub choice: String,
}

impl Choice {
    /// "Ice: none".
    pub fn label(&self) -> String {
        format!("{}: {}", self.option, self.choice)
    }
}

#[cfg(test)]
impl Order {
    /// One Negroni for Ana, for tests.
    pub fn sample(id: &str, status: OrderStatus) -> Order {
        Order {
            id: id.into(),
            guest_id: "g".into(),
            guest_name: "Ana".into(),
            drink_id: "d".into(),
            drink_name: "Negroni".into(),
            quantity: 1,
            note: String::new(),
            status,
            created_at: 1,
            updated_at: 1,
            choices: Vec::new(),
        }
    }
}

/// A guest's order with where it stands in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackedOrder {
    pub order: Order,
    /// 1 = next to be made; only for queued orders.
    pub queue_position: Option<u32>,
    /// Estimated minutes until ready; only for queued and making orders.
    pub eta_minutes: Option<u32>,
}

/// Puts what a live event says about one of the guest's orders into the list they see, in place.
/// A place or wait the new status no longer has goes; new places and waits (other orders moved)
/// come from the server. False when the order is not in the list (then the list needs fetching).
pub fn patch_tracked(list: &mut [TrackedOrder], order: &Order) -> bool {
    let Some(tracked) = list.iter_mut().find(|t| t.order.id == order.id) else {
        return false;
    };
    if order.status != OrderStatus::Queued {
        tracked.queue_position = None;
    }
    if !order.status.is_waiting() {
        tracked.eta_minutes = None;
    }
    tracked.order = order.clone();
    true
}

/// What the bar board shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Queued, making and ready orders, oldest first.
    pub active: Vec<Order>,
    /// Collected and cancelled orders, newest first.
    pub history: Vec<Order>,
    /// The time the board was read (unix ms), so ages are computed against the server clock.
    pub now: i64,
}

/// What `/events` sends, as JSON in each event's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "live_event_wire::Wire"
)]
pub enum LiveEvent {
    /// An order changed: sent to its guest and to admins.
    Order { order: Order },
    /// Some order moved, so queue places may have changed: sent to every guest, with no details.
    Queue,
    /// The menu changed (stock, drinks, sections).
    Menu,
    /// The host reminded the guest that this ready drink waits: sent to its guest and to admins.
    Reminder { order: Order },
    /// The host moved where drinks are picked up: sent to every guest and screen.
    Pickup { place: String },
    /// The pickup screen's list changed (a drink became ready or left): sent to screens, no details.
    Screen,
    /// The host reminded a guest: the screen flashes the name on this order.
    Flash { order_id: String },
    /// The host paused or resumed orders, or called last orders: sent to every guest and admin.
    Bar { status: super::BarStatus },
}

read_tagged!(
    LiveEvent by "kind" in live_event_wire,
    fields {
        order: Order,
        place: String,
        order_id: String,
        status: crate::model::BarStatus,
    },
    variants {
        Order { order },
        Queue,
        Menu,
        Reminder { order },
        Pickup { place },
        Screen,
        Flash { order_id },
        Bar { status },
    },
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_events_read_back_as_written_and_a_missing_field_is_named() {
        let order = Order::sample("a", OrderStatus::Ready);
        let events = [
            LiveEvent::Order {
                order: order.clone(),
            },
            LiveEvent::Queue,
            LiveEvent::Menu,
            LiveEvent::Reminder { order },
            LiveEvent::Pickup {
                place: "by the window.".into(),
            },
            LiveEvent::Screen,
            LiveEvent::Flash {
                order_id: "a".into(),
            },
            LiveEvent::Bar {
                status: crate::model::BarStatus::default(),
            },
        ];
        crate::model::assert_reads_back(events);
        // The wire as it always was: tagged by `kind`, in any order of fields.
        crate::model::assert_writes(
            &LiveEvent::Pickup {
                place: "here".into(),
            },
            r#"{"kind":"pickup","place":"here"}"#,
        );
        assert_eq!(
            serde_json::from_str::<LiveEvent>(r#"{"place":"here","kind":"pickup"}"#).unwrap(),
            LiveEvent::Pickup {
                place: "here".into()
            }
        );
        crate::model::assert_names_missing::<LiveEvent>(r#"{"kind":"flash"}"#, "order_id");
        assert!(serde_json::from_str::<LiveEvent>(r#"{"kind":"party"}"#).is_err());
    }

    fn tracked(
        id: &str,
        status: OrderStatus,
        place: Option<u32>,
        eta: Option<u32>,
    ) -> TrackedOrder {
        TrackedOrder {
            order: Order::sample(id, status),
            queue_position: place,
            eta_minutes: eta,
        }
    }

    #[test]
    fn a_live_order_patches_its_own_line_only() {
        let mut list = vec![
            tracked("a", OrderStatus::Queued, Some(1), Some(4)),
            tracked("b", OrderStatus::Queued, Some(2), Some(8)),
        ];
        let mut making = list[0].order.clone();
        making.status = OrderStatus::Making;
        making.updated_at = 2;
        assert!(patch_tracked(&mut list, &making));
        assert_eq!(list[0].order, making);
        assert_eq!(
            (list[0].queue_position, list[0].eta_minutes),
            (None, Some(4))
        );
        assert_eq!(list[1], tracked("b", OrderStatus::Queued, Some(2), Some(8)));

        making.status = OrderStatus::Ready;
        assert!(patch_tracked(&mut list, &making));
        assert_eq!((list[0].queue_position, list[0].eta_minutes), (None, None));

        let mut unknown = making.clone();
        unknown.id = "c".into();
        assert!(!patch_tracked(&mut list, &unknown));
        assert_eq!(list.len(), 2);
    }
}
