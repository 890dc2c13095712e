//! The bar's rules, one file per thing they are about. Every door (a server function, the JSON
//! API, the command line) authenticates, parses, and makes one call here. A use case checks the
//! rules, says in words what it refuses, writes through the store, and once the change is
//! committed tells open pages (the hub) and other processes on the same database (the change
//! feed).

mod admins;
mod api_keys;
mod bartender;
mod controls;
mod guests;
mod invites;
mod menu;
mod nights;
mod orders;
mod photos;
mod pickup;
mod push;
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
    store: Store,
    hub: Hub,
    menu: MenuCache,
    ai: Bartender,
    jobs: Jobs,
    photos: Option<Photos>,
    /// Web Push, when the bar has a key for it.
    pusher: Option<super::push::Pusher>,
    metrics: super::metrics::Metrics,
    rules: Rules,
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
    /// A bar over `store`, with a live hub, menu snapshot and worker wake-up call of its own
    /// (a server shares them through `hub()`, `menu()` and `jobs()`).
    pub fn new(store: Store, ai: Bartender, photos: Option<Photos>, rules: Rules) -> Self {
        Bar {
            store,
            hub: Hub::default(),
            menu: MenuCache::default(),
            ai,
            jobs: Jobs::default(),
            photos,
            pusher: None,
            metrics: super::metrics::Metrics::off(),
            rules,
        }
    }

    /// The same bar, sending Web Push notifications with `pusher`.
    pub fn with_pusher(self, pusher: super::push::Pusher) -> Self {
        Bar {
            pusher: Some(pusher),
            ..self
        }
    }

    /// A bar for a one-off command (the CLI): no page is connected to this process, so its changes
    /// go straight to the change feed, where the serving processes pick them up.
    pub fn for_command(store: Store) -> (Self, Outgoing) {
        let bar = Bar::new(store.clone(), Bartender::house(), None, Rules::default());
        let outgoing = Outgoing {
            store,
            feed: bar.hub.take_feed(),
        };
        (bar, outgoing)
    }

    /// The same bar, counting what it does for `/metrics`.
    pub fn with_metrics(self, metrics: super::metrics::Metrics) -> Self {
        Bar { metrics, ..self }
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn menu(&self) -> &MenuCache {
        &self.menu
    }

    pub fn jobs(&self) -> &Jobs {
        &self.jobs
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
