//! The live hub: committed changes are published here and fanned out to `/events` streams.

use crate::model::{LiveEvent, Order};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::{broadcast, mpsc};

/// A change made on this server, for the others sharing the database (see `backend::follow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Order(String),
    Menu,
    GuestRemoved(String),
}

/// Who may see a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Admins and the one guest.
    GuestAndAdmins(String),
}

#[derive(Clone, Debug)]
pub enum HubMessage {
    Live {
        id: u64,
        audience: Audience,
        event: LiveEvent,
    },
    /// The guest was removed: their open streams close at once.
    GuestRemoved(String),
    /// The server is stopping: every stream ends cleanly (browsers reconnect to whoever serves next).
    ShuttingDown,
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
            event,
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

    /// An order was placed or changed: its guest and the admins get it; every guest learns that
    /// the queue moved (without details).
    pub fn publish_order(&self, order: &Order) {
        self.live(
            Audience::GuestAndAdmins(order.guest_id.clone()),
            LiveEvent::Order {
                order: order.clone(),
            },
        );
        self.live(Audience::Everyone, LiveEvent::Queue);
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
