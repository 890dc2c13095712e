//! Several processes on one database: servers (the step towards many nodes) and the command line.
//! Each process writes the changes it publishes on its hub into the `changes` table, and servers
//! poll that table for the other processes' changes, which they publish on their own hub: an order
//! changed on one server reaches a guest connected to another, and a guest removed from the
//! command line is signed out of the pages they have open. The poll looks back a few seconds and remembers what it
//! has seen, so a change committed late is still delivered, once.

use super::hub::Change;
use super::store::{now_ms, Store};
use super::worker::Background;
use super::AppState;
use std::collections::HashMap;
use tokio::sync::watch;

/// How far back each poll looks, for changes whose transaction committed late.
const LOOKBACK_MS: i64 = 5_000;
/// How long changes are kept in the table.
const KEEP_MS: i64 = 3_600_000;

/// Starts following the database, unless this configuration does not.
pub fn spawn(state: AppState) -> Option<Background> {
    if !state.config.follow_database {
        return None;
    }
    let feed = state.hub.take_feed()?;
    Some(Background::spawn(|stopped| run(state, feed, stopped)))
}

async fn run(
    state: AppState,
    mut feed: tokio::sync::mpsc::UnboundedReceiver<Change>,
    mut stopped: watch::Receiver<bool>,
) {
    let node = super::store::new_id();
    let poll = state.config.follow_poll;
    tracing::info!(%node, poll_ms = poll.as_millis() as u64, "following the database for other servers' changes");
    let mut seen: HashMap<String, i64> = HashMap::new();
    let mut since = now_ms() - LOOKBACK_MS;
    let mut polls: u64 = 0;
    loop {
        tokio::select! {
            change = feed.recv() => match change {
                Some(change) => {
                    if let Err(err) = record(&state.store, &node, &change).await {
                        // Other servers' pages catch up when they next reconnect and refetch.
                        tracing::warn!(error = %err, ?change, "could not record a change for other servers");
                    }
                }
                None => break,
            },
            () = tokio::time::sleep(poll) => {
                since = follow(&state, &node, since, &mut seen).await;
                polls += 1;
                if polls.is_multiple_of(1000) {
                    if let Err(err) = state.store.prune_changes(now_ms() - KEEP_MS).await {
                        tracing::warn!(error = %err, "could not prune the change feed");
                    }
                }
            }
            _ = stopped.changed() => break,
        }
    }
}

/// Writes a change to the feed's table, for the other processes.
pub async fn record(store: &Store, node: &str, change: &Change) -> Result<(), sqlx::Error> {
    let (kind, subject) = change.to_row();
    store.record_change(node, kind, subject).await
}

/// Publishes the other servers' new changes here; returns where the next poll starts.
async fn follow(state: &AppState, node: &str, since: i64, seen: &mut HashMap<String, i64>) -> i64 {
    let rows = match state.store.changes_since(node, since).await {
        Ok(rows) => rows,
        Err(err) => {
            tracing::warn!(error = %err, "could not read the change feed");
            return since;
        }
    };
    let mut latest = since + LOOKBACK_MS;
    let mut menu = false;
    for row in rows {
        latest = latest.max(row.at);
        if seen.insert(row.id.clone(), row.at).is_some() {
            continue;
        }
        match Change::from_row(&row.kind, row.subject) {
            Some(Change::Order(id)) => match state.store.order(&id).await {
                Ok(Some(order)) => state.hub.publish_order(&order),
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "could not load a changed order"),
            },
            Some(Change::Menu) => menu = true,
            Some(Change::GuestRemoved(id)) => state.hub.publish_guest_removed(&id),
            Some(Change::Reminder(id)) => match state.store.order(&id).await {
                Ok(Some(order)) => state.hub.publish_reminder(&order),
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "could not load a reminded order"),
            },
            Some(Change::Pickup) => match state.bar().pickup_place().await {
                Ok(place) => state.hub.publish_pickup(&place),
                Err(err) => tracing::warn!(error = %err, "could not read the new pickup place"),
            },
            Some(Change::Bar) => match state.bar().bar_status().await {
                Ok(status) => state.hub.publish_bar(&status),
                Err(err) => tracing::warn!(error = %err, "could not read the order controls"),
            },
            Some(Change::StopAnswer(guest_id)) => state.hub.publish_stop_answer(&guest_id),
            None => tracing::warn!(kind = row.kind, "unknown change kind"),
        }
    }
    if menu {
        match state.menu.rebuild(&state.store).await {
            Ok(()) => state.hub.publish_menu(),
            Err(err) => {
                tracing::warn!(error = %err, "could not rebuild the menu after another server changed it")
            }
        }
    }
    let next = latest - LOOKBACK_MS;
    seen.retain(|_, at| *at >= next);
    next
}
