//! Picking drinks up: where, the guest's ready drinks, and the screen by the bar that calls names.

use super::{Order, TrackedOrder};
use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// "Pick it up at the bar.": the place as the host wrote it, or, until the host says (an empty
/// place), the bar in the reader's language.
pub fn pick_up_sentence(locale: Locale, place: &str) -> String {
    let place = place_or_default(locale, place);
    td_string!(locale, orders.pick_up, place).to_string()
}

/// The pickup place to show: the host's, or "at the bar" in the reader's language.
pub fn place_or_default(locale: Locale, place: &str) -> String {
    if place.trim().is_empty() {
        td_string!(locale, orders.default_place).to_string()
    } else {
        place.to_string()
    }
}

/// "Your Negroni is ready", or "Your 2 × Negroni are ready".
pub fn ready_sentence(locale: Locale, order: &Order) -> String {
    let drink = &order.drink_name;
    if order.quantity > 1 {
        td_string!(locale, orders.ready_many, count = order.quantity, drink).to_string()
    } else {
        td_string!(locale, orders.ready_one, drink).to_string()
    }
}

/// A guest's orders, and where to pick up the ready ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestOrders {
    pub place: String,
    pub orders: Vec<TrackedOrder>,
}

/// A guest's drinks that are ready and not collected yet (oldest first), and where they wait.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadyDrinks {
    /// The guest's own name, for the greeting after joining.
    pub guest: String,
    pub place: String,
    pub orders: Vec<Order>,
}

/// What the pickup screen shows: no notes, no ids of guests, only what a room may read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PickupScreen {
    pub place: String,
    /// Newest first.
    pub ready: Vec<PickupCall>,
}

/// One ready drink on the pickup screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickupCall {
    pub order_id: String,
    pub guest_name: String,
    pub drink_name: String,
    pub quantity: u8,
    /// Unix milliseconds.
    pub ready_at: i64,
}

impl From<Order> for PickupCall {
    fn from(order: Order) -> Self {
        PickupCall {
            order_id: order.id,
            guest_name: order.guest_name,
            drink_name: order.drink_name,
            quantity: order.quantity,
            ready_at: order.updated_at,
        }
    }
}

/// The host's pickup settings: the place, and the read-only screen links made for TVs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PickupSettings {
    pub place: String,
    pub links: Vec<ScreenLink>,
}

/// A read-only link to the pickup screen (its secret is shown once, when made).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreenLink {
    pub id: String,
    /// The first characters of its key, to tell links apart.
    pub prefix: String,
    pub created_at: i64,
}

/// A link just made: the whole address, shown once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewScreenLink {
    pub link: ScreenLink,
    pub url: String,
}

/// The query parameter that carries a screen link's key, on `/screen` and `/events`.
pub const SCREEN_KEY_PARAM: &str = "key";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrderStatus;

    #[test]
    fn the_sentences_name_the_drink_how_many_and_where() {
        let mut order = Order::sample("o", OrderStatus::Ready);
        assert_eq!(ready_sentence(Locale::en, &order), "Your Negroni is ready");
        order.quantity = 2;
        assert_eq!(
            ready_sentence(Locale::en, &order),
            "Your 2 × Negroni are ready"
        );
        assert_eq!(pick_up_sentence(Locale::en, ""), "Pick it up at the bar.");
        assert_eq!(pick_up_sentence(Locale::es, ""), "Recógelo en la barra.");
        assert_eq!(
            pick_up_sentence(Locale::es, "by the kitchen window"),
            "Recógelo by the kitchen window.",
            "the host's own words stay as written"
        );
        assert_eq!(
            ready_sentence(Locale::es, &order),
            "Tus 2 × Negroni están listos"
        );
        assert_eq!(
            pick_up_sentence(Locale::es, "en la barra"),
            "Recógelo en la barra."
        );
    }
}
