//! The bar's rules, one file per thing they are about. Every door (a server function, the JSON
//! API, the command line) authenticates, parses, and makes one call here. A use case checks the
//! rules, says in words what it refuses, writes through the store, and once the change is
//! committed tells open pages (the hub) and other processes on the same database (the change
//! feed).

mod admins;
mod guests;
mod orders;

pub use orders::OrderRequest;

use super::hub::{Change, Hub};
use super::menu::MenuCache;
use super::store::Store;

/// What the use cases work with: the database, the live hub, the menu snapshot and the house
/// rules.
#[derive(Clone, Debug)]
pub struct Bar {
    store: Store,
    hub: Hub,
    menu: MenuCache,
    rules: Rules,
}

/// The rules a host sets at startup.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// How many orders one guest may have on the way at once.
    pub max_active_orders: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_active_orders: super::config::DEFAULT_MAX_ACTIVE_ORDERS,
        }
    }
}

impl Bar {
    pub fn new(store: Store, hub: Hub, menu: MenuCache, rules: Rules) -> Self {
        Bar {
            store,
            hub,
            menu,
            rules,
        }
    }

    /// A bar for a one-off command (the CLI): no page is connected to this process, so its changes
    /// go straight to the change feed, where the serving processes pick them up.
    pub fn for_command(store: Store) -> (Self, Outgoing) {
        let hub = Hub::default();
        let feed = hub.take_feed();
        let outgoing = Outgoing {
            store: store.clone(),
            feed,
        };
        let bar = Bar::new(store, hub, MenuCache::default(), Rules::default());
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
