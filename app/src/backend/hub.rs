//! The live hub: committed changes are published here and fanned out to `/events` streams.

use crate::model::{BarStatus, LiveEvent, Order};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::{broadcast, mpsc};

/// A change made by this process, for the others sharing the database (see `backend::follow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Order(String),
    Menu,
    GuestRemoved(String),
    /// The host reminded the guest of this ready order.
    Reminder(String),
    /// The pickup place changed.
    Pickup,
    /// The host paused or resumed orders, or called last orders.
    Bar,
    /// The guest asked the bartender to stop the answer it is writing for them.
    StopAnswer(String),
}

impl Change {
    /// How the change feed's table writes it: a kind and what it is about.
    pub fn to_row(&self) -> (&'static str, &str) {
        match self {
            Change::Order(id) => ("order", id),
            Change::Menu => ("menu", ""),
            Change::GuestRemoved(id) => ("guest_removed", id),
            Change::Reminder(id) => ("reminder", id),
            Change::Pickup => ("pickup", ""),
            Change::Bar => ("bar", ""),
            Change::StopAnswer(guest_id) => ("stop_answer", guest_id),
        }
    }

    /// A change read back from the feed's table; `None` for a kind this build does not know.
    pub fn from_row(kind: &str, subject: String) -> Option<Self> {
        match kind {
            "order" => Some(Change::Order(subject)),
            "menu" => Some(Change::Menu),
            "guest_removed" => Some(Change::GuestRemoved(subject)),
            "reminder" => Some(Change::Reminder(subject)),
            "pickup" => Some(Change::Pickup),
            "bar" => Some(Change::Bar),
            "stop_answer" => Some(Change::StopAnswer(subject)),
            _ => None,
        }
    }
}

/// Who may see a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Admins and the one guest.
    GuestAndAdmins(String),
    /// Admins and the pickup screens.
    Screens,
}

#[derive(Clone, Debug)]
pub enum HubMessage {
    Live {
        id: u64,
        audience: Audience,
        /// Boxed: an order's event is far bigger than the other messages.
        event: Box<LiveEvent>,
    },
    /// The guest was removed: their open streams close at once.
    GuestRemoved(String),
    /// The server is stopping: every stream ends cleanly (browsers reconnect to whoever serves next).
    ShuttingDown,
    /// The guest pressed Stop: the answer being written for them ends where it is.
    StopAnswer(String),
}

#[derive(Clone, Debug)]
pub struct Hub {
    tx: broadcast::Sender<Arc<HubMessage>>,
    next_id: Arc<AtomicU64>,
    /// Where local changes go for other servers, once a follower listens.
    feed: Arc<OnceLock<mpsc::UnboundedSender<Change>>>,
}

impl Default for Hub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(4096);
        Hub {
            tx,
            next_id: Arc::new(AtomicU64::new(1)),
            feed: Arc::default(),
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<HubMessage>> {
        self.tx.subscribe()
    }

    fn send(&self, message: HubMessage) {
        // No subscribers is not an error: nobody is watching right now.
        let _ = self.tx.send(Arc::new(message));
    }

    fn live(&self, audience: Audience, event: LiveEvent) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.send(HubMessage::Live {
            id,
            audience,
            event: Box::new(event),
        });
    }

    /// The changes made here, for the follower to pass on; only the first caller gets them.
    pub fn take_feed(&self) -> Option<mpsc::UnboundedReceiver<Change>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.feed.set(tx).ok().map(|()| rx)
    }

    fn record(&self, change: Change) {
        if let Some(feed) = self.feed.get() {
            let _ = feed.send(change);
        }
    }

    /// An order was placed or changed here.
    pub fn order_changed(&self, order: &Order) {
        self.record(Change::Order(order.id.clone()));
        self.publish_order(order);
    }

    /// The menu changed here.
    pub fn menu_changed(&self) {
        self.record(Change::Menu);
        self.publish_menu();
    }

    /// A guest was removed here.
    pub fn guest_removed(&self, guest_id: &str) {
        self.record(Change::GuestRemoved(guest_id.to_string()));
        self.publish_guest_removed(guest_id);
    }

    /// The host reminded a guest of a ready order here.
    pub fn reminded(&self, order: &Order) {
        self.record(Change::Reminder(order.id.clone()));
        self.publish_reminder(order);
    }

    /// The pickup place changed here.
    pub fn pickup_changed(&self, place: &str) {
        self.record(Change::Pickup);
        self.publish_pickup(place);
    }

    /// The order controls changed here.
    pub fn bar_changed(&self, status: &BarStatus) {
        self.record(Change::Bar);
        self.publish_bar(status);
    }

    /// The guest pressed Stop while the bartender was answering (on whichever server answers).
    pub fn stop_answer(&self, guest_id: &str) {
        self.record(Change::StopAnswer(guest_id.to_string()));
        self.publish_stop_answer(guest_id);
    }

    pub fn publish_stop_answer(&self, guest_id: &str) {
        self.send(HubMessage::StopAnswer(guest_id.to_string()));
    }

    /// An order was placed or changed: its guest and the admins get it; when places or waits
    /// changed, every guest learns that the queue moved (without details), so open order pages
    /// refetch only then; when it became ready or left, the pickup screens refetch.
    pub fn publish_order(&self, order: &Order) {
        self.live(
            Audience::GuestAndAdmins(order.guest_id.clone()),
            LiveEvent::Order {
                order: order.clone(),
            },
        );
        if order.status.moves_the_queue() {
            self.live(Audience::Everyone, LiveEvent::Queue);
        }
        if order.status.changes_the_pickup_screen() {
            self.live(Audience::Screens, LiveEvent::Screen);
        }
    }

    /// The guest hears about their ready drink again; the screens flash their name.
    pub fn publish_reminder(&self, order: &Order) {
        self.live(
            Audience::GuestAndAdmins(order.guest_id.clone()),
            LiveEvent::Reminder {
                order: order.clone(),
            },
        );
        self.live(
            Audience::Screens,
            LiveEvent::Flash {
                order_id: order.id.clone(),
            },
        );
    }

    pub fn publish_pickup(&self, place: &str) {
        self.live(
            Audience::Everyone,
            LiveEvent::Pickup {
                place: place.to_string(),
            },
        );
    }

    pub fn publish_bar(&self, status: &BarStatus) {
        self.live(
            Audience::Everyone,
            LiveEvent::Bar {
                status: status.clone(),
            },
        );
    }

    pub fn publish_menu(&self) {
        self.live(Audience::Everyone, LiveEvent::Menu);
    }

    pub fn shutting_down(&self) {
        self.send(HubMessage::ShuttingDown);
    }

    pub fn publish_guest_removed(&self, guest_id: &str) {
        self.send(HubMessage::GuestRemoved(guest_id.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn changes_read_back_as_they_were_written() {
        for change in [
            Change::Order("o1".into()),
            Change::Menu,
            Change::GuestRemoved("g1".into()),
            Change::Reminder("o2".into()),
            Change::Pickup,
            Change::Bar,
            Change::StopAnswer("g2".into()),
        ] {
            let (kind, subject) = change.to_row();
            assert_eq!(
                Change::from_row(kind, subject.to_string()),
                Some(change.clone())
            );
        }
        assert_eq!(Change::from_row("gossip", String::new()), None);
    }
}
