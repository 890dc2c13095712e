//! Picking drinks up: where (a setting the host changes while the bar runs), the pickup screen by
//! the bar (for the host's session or a read-only link made for a TV), and the host's reminder to
//! a guest whose drink waits.

use super::Bar;
use crate::backend::auth::{new_token, token_hash};
use crate::backend::store::pickup::{ScreenLinkRow, PICKUP_PLACE};
use crate::error::AppError;
use crate::model::{Order, OrderStatus, PickupCall, PickupScreen, ScreenLink};
use crate::says;

/// How much of a screen link's key is kept in the clear, to tell links apart.
const SHOWN_LEN: usize = 6;
/// The length of a screen link's key: 32 random bytes in hex.
const KEY_LEN: usize = 64;

impl Bar {
    /// Where drinks are picked up: it finishes "Pick it up …". Empty until the host says: each
    /// reader then sees the bar in their own language (`model::pick_up_sentence`).
    pub async fn pickup_place(&self) -> Result<String, AppError> {
        Ok(self.store.setting(PICKUP_PLACE).await?.unwrap_or_default())
    }

    /// The host moves the pickup place; open pages and screens show the new one at once.
    #[tracing::instrument(skip(self, place))]
    pub async fn set_pickup_place(&self, place: &str) -> Result<String, AppError> {
        let place = parse_place(place)?;
        self.store.set_setting(PICKUP_PLACE, &place).await?;
        tracing::info!(%place, "pickup place changed");
        self.hub.pickup_changed(&place);
        Ok(place)
    }

    /// The pickup screen: every ready drink, newest first, by guest name and drink.
    #[tracing::instrument(skip_all)]
    pub async fn pickup_screen(&self) -> Result<PickupScreen, AppError> {
        let mut ready: Vec<Order> = self
            .store
            .board()
            .await?
            .active
            .into_iter()
            .filter(|order| order.status == OrderStatus::Ready)
            .collect();
        ready.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        Ok(PickupScreen {
            place: self.pickup_place().await?,
            ready: ready.into_iter().map(PickupCall::from).collect(),
        })
    }

    /// The host reminds a guest that their drink is ready: their pages show it again (and chime),
    /// their phone is notified again, and the pickup screens flash their name. Only a ready drink
    /// can be reminded of.
    #[tracing::instrument(skip(self))]
    pub async fn remind(&self, order_id: &str) -> Result<Order, AppError> {
        let order = self
            .store
            .order(order_id)
            .await?
            .ok_or_else(|| AppError::NotFound(says!(errors.that_order)))?;
        if order.status != OrderStatus::Ready {
            return Err(AppError::Conflict(says!(
                errors.remind_not_ready,
                status = order
                    .status
                    .label(crate::language::current())
                    .to_lowercase()
            )));
        }
        if self.pusher.is_some() {
            let mut tx = self.store.begin_write().await?;
            self.enqueue_push(&mut tx, &order.id, true).await?;
            tx.commit().await?;
            self.jobs.nudge();
        }
        tracing::info!(guest = %order.guest_id, "guest reminded");
        self.hub.reminded(&order);
        Ok(order)
    }

    /// A read-only link to the pickup screen, for a TV. Its key is returned this once: only its
    /// hash is kept.
    #[tracing::instrument(skip_all)]
    pub async fn create_screen_link(&self) -> Result<(ScreenLink, String), AppError> {
        let (key, hash) = new_token();
        let row = self
            .store
            .insert_screen_link(&key[..SHOWN_LEN], &hash)
            .await?;
        tracing::info!(link = %row.id, "screen link made");
        Ok((row.into(), key))
    }

    /// The screen links in force, newest first.
    #[tracing::instrument(skip_all)]
    pub async fn screen_links(&self) -> Result<Vec<ScreenLink>, AppError> {
        Ok(self
            .store
            .screen_links()
            .await?
            .into_iter()
            .map(ScreenLink::from)
            .collect())
    }

    /// Withdraws a screen link: its screen stops updating at its next check.
    #[tracing::instrument(skip(self))]
    pub async fn revoke_screen_link(&self, id: &str) -> Result<(), AppError> {
        if !self.store.revoke_screen_link(id).await? {
            return Err(AppError::NotFound(says!(errors.that_screen_link)));
        }
        tracing::info!("screen link revoked");
        Ok(())
    }

    /// True when `key` opens the pickup screen (a link in force).
    pub async fn screen_key_holds(&self, key: &str) -> Result<bool, AppError> {
        if !well_formed_key(key) {
            return Ok(false);
        }
        self.screen_hash_holds(&token_hash(key)).await
    }

    /// True when a link with this key hash is in force (a live stream checks it now and then).
    pub async fn screen_hash_holds(&self, hash: &str) -> Result<bool, AppError> {
        Ok(self.store.screen_link_holds(hash).await?)
    }
}

impl From<ScreenLinkRow> for ScreenLink {
    fn from(row: ScreenLinkRow) -> Self {
        ScreenLink {
            id: row.id,
            prefix: row.prefix,
            created_at: row.created_at,
        }
    }
}

fn well_formed_key(key: &str) -> bool {
    key.len() == KEY_LEN && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The pickup place as the host typed it: 1 to 60 characters on one line, without the sentence's
/// full stop ("at the bar", "by the kitchen window").
fn parse_place(place: &str) -> Result<String, AppError> {
    let place = place.trim().trim_end_matches('.').trim_end();
    if place.is_empty() || place.chars().count() > 60 || place.chars().any(char::is_control) {
        return Err(AppError::invalid("place", says!(errors.pickup_place_rule)));
    }
    Ok(place.to_string())
}

#[cfg(test)]
mod tests {
    use super::{parse_place, well_formed_key};

    #[test]
    fn a_place_is_one_short_line_without_its_full_stop() {
        assert_eq!(parse_place("  by the window. ").unwrap(), "by the window");
        assert!(parse_place("").is_err());
        assert!(parse_place("...").is_err());
        assert!(parse_place("at the\nbar").is_err());
        assert!(parse_place(&"x".repeat(61)).is_err());
        assert_eq!(parse_place(&"é".repeat(60)).unwrap().chars().count(), 60);
    }

    #[test]
    fn only_a_keys_shape_is_asked_about() {
        assert!(well_formed_key(&"ab12".repeat(16)));
        assert!(!well_formed_key("ab12"));
        assert!(!well_formed_key(&"zz12".repeat(16)));
    }
}
