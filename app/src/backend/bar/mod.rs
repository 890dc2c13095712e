//! The bar's rules, one file per thing they are about. Every door (a server function, the JSON
//! API, the command line) authenticates, parses, and makes one call here. A use case checks the
//! rules, says in words what it refuses, writes through the store, and once the change is
//! committed tells open pages (the hub) and other processes on the same database (the change
//! feed).

mod admins;
mod api_keys;
mod bartender;
mod guests;
mod invites;
mod menu;
mod orders;
mod photos;
mod taste;

pub use orders::OrderRequest;

use super::ai::Bartender;
use super::hub::{Change, Hub};
use super::images::Photos;
use super::menu::MenuCache;
use super::store::Store;
use super::worker::Jobs;

/// What the use cases work with: the database, the live hub, the menu snapshot, the AI bartender,
/// the outbox worker's wake-up call, the photo store (a server's; a one-off command has none) and
/// the house rules.
#[derive(Clone, Debug)]
pub struct Bar {
    pub(crate) store: Store,
    pub(crate) hub: Hub,
    pub(crate) menu: MenuCache,
    pub(crate) ai: Bartender,
    pub(crate) jobs: Jobs,
    pub(crate) photos: Option<Photos>,
    pub(crate) rules: Rules,
}

/// The rules a host sets at startup.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// How many orders one guest may have on the way at once.
    pub max_active_orders: u32,
    /// How many messages one guest may send the bartender per hour.
    pub ai_messages_per_hour: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_active_orders: super::config::DEFAULT_MAX_ACTIVE_ORDERS,
            ai_messages_per_hour: super::config::DEFAULT_AI_MESSAGES_PER_HOUR,
        }
    }
}

impl Bar {
    /// A bar for a one-off command (the CLI): no page is connected to this process, so its changes
    /// go straight to the change feed, where the serving processes pick them up.
    pub fn for_command(store: Store) -> (Self, Outgoing) {
        let hub = Hub::default();
        let feed = hub.take_feed();
        let outgoing = Outgoing {
            store: store.clone(),
            feed,
        };
        let bar = Bar {
            store,
            hub,
            menu: MenuCache::default(),
            ai: Bartender::house(),
            jobs: Jobs::default(),
            photos: None,
            rules: Rules::default(),
        };
        (bar, outgoing)
    }
}

/// The changes a one-off command made, still to be written to the change feed.
pub struct Outgoing {
    store: Store,
    feed: Option<tokio::sync::mpsc::UnboundedReceiver<Change>>,
}

impl Outgoing {
    /// Writes the command's changes to the change feed, for the serving processes.
    pub async fn send(mut self) -> Result<(), sqlx::Error> {
        let Some(feed) = self.feed.as_mut() else {
            return Ok(());
        };
        let node = super::store::new_id();
        while let Ok(change) = feed.try_recv() {
            super::follow::record(&self.store, &node, &change).await?;
        }
        Ok(())
    }
}
