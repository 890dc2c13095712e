//! What the bartender can do for the guest it is talking to: search the menu, offer to order a
//! drink, say where the guest's drinks are, and offer to cancel a queued order. Both recommenders
//! act through these tools: the house when it understands that the guest asks for one, a model
//! through Bedrock's tool use. A tool never orders or cancels by itself: it offers a card that the
//! guest confirms ("Yes, order it", "Yes, cancel it"), and the confirmation goes through the same
//! doors as the order page, with the same limits and guards. The toolbox is bound to one guest and
//! one answer: no tool takes a guest, a quantity or an order id, so no words can point it at
//! another guest, and an answer offers one drink at most.

use super::{card_for, local, taste, AiError, Ask, Constraints};
use crate::i18n::{td_string, Locale};
use crate::model::{
    pick_up_sentence, ready_sentence, ChatCard, Drink, GuestOrders, Offer, Order, OrderStatus,
};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// The bar's records the tools read, for the guest the toolbox is bound to.
pub trait Doors: Send + Sync + std::fmt::Debug {
    /// The guest's orders with their places in the queue, and where drinks are picked up.
    fn orders(&self) -> BoxFuture<'static, Result<GuestOrders, AiError>>;
}

/// A tool call as a model (or the house) makes it. Unknown fields ("quantity", "guest_id") are
/// ignored: there is nothing for them to change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "tool", content = "input", rename_all = "snake_case")]
pub enum Tool {
    /// Drinks on tonight's menu that fit a request, best first.
    SearchMenu { query: String },
    /// Shows a card for one drink with "Yes, order it"; nothing is ordered.
    PlaceOrder { drink_id: String },
    /// The guest's orders and where they are, from the bar's records.
    MyOrders {},
    /// Shows a card with "Yes, cancel it" for the guest's newest queued order (of this drink,
    /// when one is named); nothing is cancelled.
    CancelOrder {
        #[serde(default)]
        drink_id: Option<String>,
    },
}

/// A tool the bartender used while answering, and what it got back: kept with the answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolUse {
    pub tool: String,
    pub input: Value,
    pub result: Value,
}

/// What a tool did: the result a model reads, the sentence the house says, and the card to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub result: Value,
    pub say: String,
    pub card: Option<ChatCard>,
}

/// A tool's description for a model: name, what it does, and its input's JSON schema.
pub struct Spec {
    pub name: &'static str,
    pub description: &'static str,
    pub schema: fn() -> Value,
}

/// The tools a model is offered.
pub const SPECS: [Spec; 4] = [
    Spec {
        name: "search_menu",
        description: "Finds drinks on tonight's menu that fit a request (a flavour, a spirit, a strength, \
                      a drink name), best first. Only drinks the guest may have are returned.",
        schema: || json!({"type": "object", "properties": {"query": {"type": "string", "description": "what the guest asks for, in their words"}}, "required": ["query"]}),
    },
    Spec {
        name: "place_order",
        description: "Offers one drink from the menu to the guest you are talking to: it shows a card with \
                      \"Yes, order it\". Nothing is ordered until the guest taps it, and one drink per answer.",
        schema: || json!({"type": "object", "properties": {"drink_id": {"type": "string", "description": "the drink's id from the MENU"}}, "required": ["drink_id"]}),
    },
    Spec {
        name: "my_orders",
        description: "The orders of the guest you are talking to, from the bar's records: each drink's \
                      status, place in the queue and minutes to wait. Use it for every question about \
                      their orders; never guess.",
        schema: || json!({"type": "object", "properties": {}}),
    },
    Spec {
        name: "cancel_order",
        description: "Offers to cancel the guest's newest order still in the queue (of this drink, when \
                      given): it shows a card with \"Yes, cancel it\". Nothing is cancelled until the guest taps it.",
        schema: || json!({"type": "object", "properties": {"drink_id": {"type": "string", "description": "the drink's id from the MENU, if the guest named one"}}}),
    },
];

/// How many drinks a search returns.
const SEARCH_RESULTS: usize = 5;

/// The tools for one answer to one guest.
#[derive(Debug)]
pub struct Toolbox {
    doors: Arc<dyn Doors>,
    used: Mutex<Vec<ToolUse>>,
}

impl Toolbox {
    pub fn new(doors: Arc<dyn Doors>) -> Self {
        Toolbox {
            doors,
            used: Mutex::new(Vec::new()),
        }
    }

    /// Every tool used so far in this answer, in order.
    pub fn used(&self) -> Vec<ToolUse> {
        self.used.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// Whether this answer has already offered a card to confirm.
    fn offered(&self) -> bool {
        self.used
            .lock()
            .is_ok_and(|used| used.iter().any(|u| u.result["offered"] == true))
    }

    /// Runs a tool by the name and input a model gave; an unknown tool or unreadable input gets
    /// an error result the model can read, and does nothing.
    pub async fn call(&self, ask: &Ask, name: &str, input: &Value) -> Outcome {
        match serde_json::from_value::<Tool>(json!({"tool": name, "input": input})) {
            Ok(tool) => self.run(ask, tool).await,
            Err(err) => {
                let outcome = Outcome {
                    result: json!({"error": format!("unknown tool or input: {err}")}),
                    say: String::new(),
                    card: None,
                };
                self.keep(name, input.clone(), &outcome);
                outcome
            }
        }
    }

    /// Runs a tool and keeps it with the answer.
    pub async fn run(&self, ask: &Ask, tool: Tool) -> Outcome {
        let input = serde_json::to_value(&tool)
            .ok()
            .and_then(|v| v.get("input").cloned())
            .unwrap_or(Value::Null);
        let name = match &tool {
            Tool::SearchMenu { .. } => "search_menu",
            Tool::PlaceOrder { .. } => "place_order",
            Tool::MyOrders {} => "my_orders",
            Tool::CancelOrder { .. } => "cancel_order",
        };
        let offers = matches!(tool, Tool::PlaceOrder { .. } | Tool::CancelOrder { .. });
        let outcome = match tool {
            _ if offers && self.offered() => one_offer(),
            Tool::SearchMenu { query } => search_menu(ask, &query),
            Tool::PlaceOrder { drink_id } => offer_order(ask, &drink_id),
            Tool::MyOrders {} => self.my_orders(ask.locale).await,
            Tool::CancelOrder { drink_id } => self.offer_cancel(ask, drink_id.as_deref()).await,
        };
        self.keep(name, input, &outcome);
        outcome
    }

    fn keep(&self, tool: &str, input: Value, outcome: &Outcome) {
        tracing::info!(tool, result = %outcome.result, "bartender used a tool");
        if let Ok(mut used) = self.used.lock() {
            used.push(ToolUse {
                tool: tool.to_string(),
                input,
                result: outcome.result.clone(),
            });
        }
    }

    async fn my_orders(&self, locale: Locale) -> Outcome {
        match self.doors.orders().await {
            Ok(orders) => {
                let say = where_are_my_drinks(locale, &orders);
                let list: Vec<Value> = orders
                    .orders
                    .iter()
                    .map(|t| {
                        json!({
                            "drink": t.order.drink_name,
                            "status": t.order.status.as_str(),
                            "queue_position": t.queue_position,
                            "eta_minutes": t.eta_minutes,
                        })
                    })
                    .collect();
                Outcome {
                    result: json!({"orders": list, "summary": say}),
                    say,
                    card: None,
                }
            }
            Err(err) => failed(err),
        }
    }

    async fn offer_cancel(&self, ask: &Ask, drink_id: Option<&str>) -> Outcome {
        let locale = ask.locale;
        let orders = match self.doors.orders().await {
            Ok(orders) => orders.orders,
            Err(err) => return failed(err),
        };
        // Newest first: "cancel my Mojito" means the one just ordered. A model may name the
        // drink rather than give its id.
        let named = |o: &Order| {
            drink_id.is_none_or(|id| {
                id.trim() == o.drink_id || taste::normalize(id) == taste::normalize(&o.drink_name)
            })
        };
        let queued = orders
            .iter()
            .map(|t| &t.order)
            .find(|o| o.status == OrderStatus::Queued && named(o));
        let Some((order, drink)) = queued.and_then(|o| ask.menu.drink(&o.drink_id).map(|d| (o, d)))
        else {
            let say = td_string!(locale, bartender.nothing_to_cancel).to_string();
            return Outcome {
                result: json!({"offered": false, "reason": say}),
                say,
                card: None,
            };
        };
        let name = &order.drink_name;
        let say = td_string!(locale, bartender.cancel_offer, name).to_string();
        Outcome {
            result: json!({
                "offered": true,
                "drink": order.drink_name,
                "message": "A card with \"Yes, cancel it\" is shown: the order stays in the queue until the guest taps it.",
            }),
            say,
            card: Some(offer_card(
                drink,
                td_string!(locale, bartender.cancel_offer_reason).to_string(),
                Offer::Cancel {
                    order_id: order.id.clone(),
                },
            )),
        }
    }
}

fn failed(err: AiError) -> Outcome {
    tracing::warn!(error = %err, "a bartender tool could not read the bar's records");
    Outcome {
        result: json!({"error": "the bar's records could not be read just now"}),
        say: String::new(),
        card: None,
    }
}

fn offer_card(drink: &Drink, reason: String, offer: Offer) -> ChatCard {
    let mut card = card_for(drink, &reason);
    card.offer = Some(offer);
    card
}

fn search_menu(ask: &Ask, query: &str) -> Outcome {
    let search = Ask {
        text: query.chars().take(500).collect(),
        ..ask.clone()
    };
    let drinks: Vec<Value> = local::rank(&search, SEARCH_RESULTS)
        .iter()
        .filter_map(|id| ask.menu.drink(id))
        .map(|d| {
            json!({
                "id": d.id,
                "name": d.name,
                "alcohol_free": d.alcohol_free,
                "abv": d.abv,
                "tags": d.tags,
                "description": d.description,
            })
        })
        .collect();
    Outcome {
        result: json!({ "drinks": drinks }),
        say: String::new(),
        card: None,
    }
}

fn offer_order(ask: &Ask, drink_id: &str) -> Outcome {
    let locale = ask.locale;
    let refused = |reason: String| Outcome {
        result: json!({"offered": false, "reason": reason}),
        say: td_string!(locale, bartender.nothing_to_order).to_string(),
        card: None,
    };
    let Some(drink) = ask.menu.drink(drink_id.trim()) else {
        return refused("that drink is not on tonight's menu".into());
    };
    let intent = taste::understand(&ask.text, &ask.menu);
    if let Some(why) = Constraints::new(&ask.profile, &intent).refuse(drink) {
        return refused(format!("{} cannot be offered: {why}", drink.name));
    }
    let name = &drink.name;
    Outcome {
        result: json!({
            "offered": true,
            "drink": drink.name,
            "message": "A card with \"Yes, order it\" is shown: nothing is ordered until the guest taps it, one drink per card.",
        }),
        say: td_string!(locale, bartender.order_offer, name).to_string(),
        card: Some(offer_card(
            drink,
            td_string!(locale, bartender.order_offer_reason).to_string(),
            Offer::Order,
        )),
    }
}

/// A second order or cancellation in one answer is refused: one card to confirm at a time.
fn one_offer() -> Outcome {
    Outcome {
        result: json!({"offered": false, "reason": "one card per answer: the guest can ask again once they have tapped this one"}),
        say: String::new(),
        card: None,
    }
}

/// "Your Paloma is #2 in the queue, about 4 min. Your Negroni is ready! Pick it up at the bar."
pub fn where_are_my_drinks(locale: Locale, orders: &GuestOrders) -> String {
    let GuestOrders { orders, place } = orders;
    let lines: Vec<String> = orders
        .iter()
        .filter_map(|tracked| {
            let drink = &tracked.order.drink_name;
            match (
                tracked.order.status,
                tracked.queue_position,
                tracked.eta_minutes,
            ) {
                (OrderStatus::Queued, Some(place), Some(eta)) => {
                    Some(td_string!(locale, bartender.status_queued, drink, place, eta).to_string())
                }
                (OrderStatus::Making, _, Some(eta)) => {
                    Some(td_string!(locale, bartender.status_making, drink, eta).to_string())
                }
                (OrderStatus::Ready, ..) => Some(format!(
                    "{}. {}",
                    ready_sentence(locale, &tracked.order),
                    pick_up_sentence(locale, place)
                )),
                _ => None,
            }
        })
        .collect();
    if lines.is_empty() {
        td_string!(locale, bartender.status_none).to_string()
    } else {
        lines.join(" ")
    }
}
