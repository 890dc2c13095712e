//! The host's night: its stats and shopping list, and "Close the party", which ends it (guests
//! signed out, invites withdrawn, the board left empty for the next) while its stats stay.

use crate::i18n::{td_string, Locale};
use crate::says;
use std::collections::HashMap;

use super::Bar;
use crate::backend::ai::is_house_note;
use crate::backend::store::nights::{self, NightAnswer, NightOrder, RecipeUse};
use crate::backend::store::now_ms;
use crate::error::AppError;
use crate::model::{
    BartenderNight, ChatCard, Night, NightStats, OrderStatus, ShoppingList, Tally, Used, Waits,
};

const QUARTER_MS: i64 = 15 * 60_000;
/// The orders-per-quarter chart shows at most the last day of a night.
const MAX_QUARTERS: i64 = 96;
const TOP_DRINKS: usize = 8;
const TOP_GUESTS: usize = 10;

impl Bar {
    /// Ends the party: every guest is signed out at once (their names free for the next party),
    /// every invite stops working, a pause or last call ends, and the board starts empty. The
    /// night's orders stay, for its stats.
    #[tracing::instrument(skip(self))]
    pub async fn close_party(&self) -> Result<Night, AppError> {
        let now = now_ms();
        let mut tx = self.store.begin_write().await?;
        let (started_at, guests) = nights::close_night(&mut tx, now).await?;
        tx.commit().await?;
        tracing::info!(guests = guests.len(), "party closed");
        for guest in &guests {
            self.hub.guest_removed(guest);
        }
        // Open boards and the other servers start over; guests' notices clear.
        self.hub.bar_changed(&self.bar_status().await?);
        Ok(Night {
            started_at,
            closed_at: Some(now),
            label: String::new(),
        })
    }

    /// The stats of the night that closed at `closed_at`, or of the current one; times of day in
    /// the host's clock, `east_minutes` east of UTC.
    #[tracing::instrument(skip(self))]
    pub async fn night_stats(
        &self,
        closed_at: Option<i64>,
        east_minutes: i64,
        locale: Locale,
    ) -> Result<NightStats, AppError> {
        let mut earlier = self.store.closed_nights().await?;
        for night in &mut earlier {
            night.label = night
                .closed_at
                .map(|at| clock_label(at, east_minutes, locale))
                .unwrap_or_default();
        }
        let night = self.which_night(closed_at, &earlier).await?;
        let to = night.closed_at.unwrap_or(i64::MAX);
        let orders = self.store.night_orders(night.started_at, to).await?;
        let answers = self.store.night_answers(night.started_at, to).await?;
        let shopping = self.shopping_list(&night, &orders).await?;
        Ok(NightStats {
            per_quarter: per_quarter(&orders, east_minutes),
            orders: orders.len() as i64,
            cancelled: orders.iter().filter(|o| is_cancelled(o)).count() as i64,
            waits: waits(&orders),
            top_drinks: top(&orders, |o| &o.drink_name, TOP_DRINKS),
            per_guest: top(&orders, |o| &o.guest_name, TOP_GUESTS),
            bartender: bartender(&answers, &orders),
            shopping,
            night,
            earlier,
        })
    }

    /// The shopping list alone (the CSV): the night's orders, recipes, stock and wishes, nothing
    /// the charts need.
    #[tracing::instrument(skip(self))]
    pub async fn night_shopping_list(
        &self,
        closed_at: Option<i64>,
    ) -> Result<ShoppingList, AppError> {
        let earlier = self.store.closed_nights().await?;
        let night = self.which_night(closed_at, &earlier).await?;
        let orders = self
            .store
            .night_orders(night.started_at, night.closed_at.unwrap_or(i64::MAX))
            .await?;
        self.shopping_list(&night, &orders).await
    }

    /// The night that closed at `closed_at` (one of `earlier`), or the current one.
    async fn which_night(
        &self,
        closed_at: Option<i64>,
        earlier: &[Night],
    ) -> Result<Night, AppError> {
        match closed_at {
            None => Ok(Night {
                started_at: self.store.night_start().await?,
                closed_at: None,
                label: String::new(),
            }),
            Some(at) => earlier
                .iter()
                .find(|night| night.closed_at == Some(at))
                .cloned()
                .ok_or_else(|| AppError::NotFound(says!(errors.that_night))),
        }
    }

    async fn shopping_list(
        &self,
        night: &Night,
        orders: &[NightOrder],
    ) -> Result<ShoppingList, AppError> {
        let to = night.closed_at.unwrap_or(i64::MAX);
        let recipes = self.store.recipe_uses().await?;
        Ok(ShoppingList {
            out_of_stock: self.store.out_of_stock().await?,
            used: used(orders, &recipes),
            wished: tallies(self.store.night_wishes(night.started_at, to).await?),
        })
    }
}

/// "Sat 28 Nov, 23:40" ("sáb 28 nov, 23:40"): a moment on the host's clock, `east_minutes` east
/// of UTC, in the page's language.
fn clock_label(at_ms: i64, east_minutes: i64, locale: Locale) -> String {
    use time::{Month, Weekday};
    let offset = time::UtcOffset::from_whole_seconds((east_minutes * 60) as i32)
        .unwrap_or(time::UtcOffset::UTC);
    let Ok(moment) = time::OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000)) else {
        return String::new();
    };
    let moment = moment.to_offset(offset);
    let weekday = match moment.weekday() {
        Weekday::Monday => td_string!(locale, dates.mon),
        Weekday::Tuesday => td_string!(locale, dates.tue),
        Weekday::Wednesday => td_string!(locale, dates.wed),
        Weekday::Thursday => td_string!(locale, dates.thu),
        Weekday::Friday => td_string!(locale, dates.fri),
        Weekday::Saturday => td_string!(locale, dates.sat),
        Weekday::Sunday => td_string!(locale, dates.sun),
    };
    let month = match moment.month() {
        Month::January => td_string!(locale, dates.jan),
        Month::February => td_string!(locale, dates.feb),
        Month::March => td_string!(locale, dates.mar),
        Month::April => td_string!(locale, dates.apr),
        Month::May => td_string!(locale, dates.may),
        Month::June => td_string!(locale, dates.jun),
        Month::July => td_string!(locale, dates.jul),
        Month::August => td_string!(locale, dates.aug),
        Month::September => td_string!(locale, dates.sep),
        Month::October => td_string!(locale, dates.oct),
        Month::November => td_string!(locale, dates.nov),
        Month::December => td_string!(locale, dates.dec),
    };
    let (day, time) = (
        moment.day(),
        format!("{:02}:{:02}", moment.hour(), moment.minute()),
    );
    td_string!(locale, dates.moment, weekday, day, month, time).to_string()
}

fn is_cancelled(order: &NightOrder) -> bool {
    order.status == OrderStatus::Cancelled.as_str()
}

fn tallies(rows: Vec<(String, i64)>) -> Vec<Tally> {
    rows.into_iter()
        .map(|(label, count)| Tally { label, count })
        .collect()
}

/// Orders placed per quarter of an hour on the host's clock, every quarter from the first order's
/// to the last's (empty ones too), at most the last day of them.
fn per_quarter(orders: &[NightOrder], east_minutes: i64) -> Vec<Tally> {
    let east = east_minutes * 60_000;
    let quarter = |at: i64| {
        let local = at + east;
        local - local.rem_euclid(QUARTER_MS)
    };
    let (Some(first), Some(last)) = (
        orders.iter().map(|o| o.created_at).min(),
        orders.iter().map(|o| o.created_at).max(),
    ) else {
        return Vec::new();
    };
    let last = quarter(last);
    let first = quarter(first).max(last - (MAX_QUARTERS - 1) * QUARTER_MS);
    let mut counts: HashMap<i64, i64> = HashMap::new();
    for order in orders {
        *counts.entry(quarter(order.created_at)).or_default() += 1;
    }
    (0..=(last - first) / QUARTER_MS)
        .map(|n| first + n * QUARTER_MS)
        .map(|at| {
            let minutes = at.rem_euclid(24 * 60 * 60_000) / 60_000;
            Tally {
                label: format!("{:02}:{:02}", minutes / 60, minutes % 60),
                count: counts.get(&at).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// From the order to "ready": the median and the 90th percentile (nearest rank).
fn waits(orders: &[NightOrder]) -> Waits {
    let mut secs: Vec<i64> = orders
        .iter()
        .filter_map(|o| o.ready_at.map(|ready| (ready - o.created_at).max(0) / 1000))
        .collect();
    secs.sort_unstable();
    let rank = |p: usize| -> Option<i64> {
        let n = secs.len();
        (n > 0).then(|| secs[(n * p).div_ceil(100).clamp(1, n) - 1])
    };
    Waits {
        ready: secs.len(),
        median_secs: rank(50),
        p90_secs: rank(90),
    }
}

/// Drinks (not orders: a double counts twice) per `key`, most first, then by name; cancelled
/// orders left out.
fn top(orders: &[NightOrder], key: fn(&NightOrder) -> &String, limit: usize) -> Vec<Tally> {
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for order in orders.iter().filter(|o| !is_cancelled(o)) {
        *counts.entry(key(order).as_str()).or_default() += order.quantity;
    }
    let mut tally: Vec<Tally> = counts
        .into_iter()
        .map(|(label, count)| Tally {
            label: label.to_string(),
            count,
        })
        .collect();
    tally.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    tally.truncate(limit);
    tally
}

/// Answers, fallbacks, picks, and the orders a guest placed for a drink suggested to them before.
fn bartender(answers: &[NightAnswer], orders: &[NightOrder]) -> BartenderNight {
    let picks: Vec<(&str, i64, Vec<String>)> = answers
        .iter()
        .map(|answer| {
            let cards: Vec<ChatCard> = serde_json::from_str(&answer.cards).unwrap_or_default();
            (
                answer.guest_id.as_str(),
                answer.created_at,
                cards.into_iter().map(|card| card.drink_id).collect(),
            )
        })
        .collect();
    let ordered_from_picks = orders
        .iter()
        .filter(|o| !is_cancelled(o))
        .filter(|order| {
            picks.iter().any(|(guest, at, drinks)| {
                *guest == order.guest_id
                    && *at <= order.created_at
                    && drinks.contains(&order.drink_id)
            })
        })
        .count() as i64;
    BartenderNight {
        answers: answers.len() as i64,
        fell_back: answers
            .iter()
            .filter(|a| a.note.as_deref().is_some_and(is_house_note))
            .count() as i64,
        picks: picks.iter().map(|(_, _, drinks)| drinks.len() as i64).sum(),
        ordered_from_picks,
    }
}

/// What the night's drinks used, per ingredient and unit (cancelled orders left out), by name.
fn used(orders: &[NightOrder], recipes: &[RecipeUse]) -> Vec<Used> {
    let mut by_drink: HashMap<&str, Vec<&RecipeUse>> = HashMap::new();
    for line in recipes {
        by_drink
            .entry(line.drink_id.as_str())
            .or_default()
            .push(line);
    }
    let mut totals: HashMap<(&str, &str), f64> = HashMap::new();
    for order in orders.iter().filter(|o| !is_cancelled(o)) {
        for line in by_drink.get(order.drink_id.as_str()).into_iter().flatten() {
            *totals
                .entry((line.ingredient.as_str(), line.unit.as_str()))
                .or_default() += line.amount * order.quantity as f64;
        }
    }
    let mut used: Vec<Used> = totals
        .into_iter()
        .map(|((ingredient, unit), amount)| Used {
            ingredient: ingredient.to_string(),
            amount,
            unit: unit.to_string(),
        })
        .collect();
    used.sort_by(|a, b| {
        a.ingredient
            .cmp(&b.ingredient)
            .then_with(|| a.unit.cmp(&b.unit))
    });
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn order(guest: &str, drink: &str, quantity: i64, status: OrderStatus, at: i64) -> NightOrder {
        NightOrder {
            guest_id: format!("g-{guest}"),
            guest_name: guest.into(),
            drink_id: format!("d-{drink}"),
            drink_name: drink.into(),
            quantity,
            status: status.as_str().into(),
            created_at: at,
            ready_at: None,
        }
    }

    #[test]
    fn a_night_is_named_by_when_it_closed_on_the_hosts_clock() {
        // 2026-11-28 22:40 UTC, an hour east.
        assert_eq!(
            clock_label(1_795_905_600_000, 60, Locale::en),
            "Sat 28 Nov, 23:40"
        );
        assert_eq!(
            clock_label(1_795_905_600_000, 60, Locale::es),
            "sáb 28 nov, 23:40"
        );
    }

    #[test]
    fn quarters_run_from_the_first_order_to_the_last_on_the_hosts_clock() {
        // 20:50 and 21:20 UTC; the host is an hour east.
        let at = |h: i64, m: i64| (h * 60 + m) * MIN;
        let orders = [
            order("Ana", "Mojito", 1, OrderStatus::Queued, at(20, 50)),
            order("Bo", "Mojito", 1, OrderStatus::Cancelled, at(20, 59)),
            order("Ana", "Negroni", 1, OrderStatus::Ready, at(21, 20)),
        ];
        let quarters: Vec<(String, i64)> = per_quarter(&orders, 60)
            .into_iter()
            .map(|t| (t.label, t.count))
            .collect();
        assert_eq!(
            quarters,
            [
                ("21:45".to_string(), 2),
                ("22:00".to_string(), 0),
                ("22:15".to_string(), 1)
            ]
        );
        assert!(per_quarter(&[], 0).is_empty());
    }

    #[test]
    fn waits_are_the_median_and_the_90th_percentile_of_ready_drinks() {
        let mut orders: Vec<NightOrder> = (1..=10)
            .map(|n| {
                let mut o = order("Ana", "Mojito", 1, OrderStatus::Collected, 0);
                o.ready_at = Some(n * 60_000);
                o
            })
            .collect();
        orders.push(order("Bo", "Mojito", 1, OrderStatus::Queued, 0));
        assert_eq!(
            waits(&orders),
            Waits {
                ready: 10,
                median_secs: Some(300),
                p90_secs: Some(540)
            }
        );
        assert_eq!(waits(&[]), Waits::default());
    }

    #[test]
    fn the_top_counts_drinks_not_orders_and_leaves_cancelled_ones_out() {
        let orders = [
            order("Ana", "Mojito", 2, OrderStatus::Collected, 0),
            order("Bo", "Negroni", 1, OrderStatus::Ready, 0),
            order("Bo", "Negroni", 1, OrderStatus::Queued, 0),
            order("Cy", "Paloma", 3, OrderStatus::Cancelled, 0),
        ];
        let drinks: Vec<(String, i64)> = top(&orders, |o| &o.drink_name, 8)
            .into_iter()
            .map(|t| (t.label, t.count))
            .collect();
        assert_eq!(drinks, [("Mojito".into(), 2), ("Negroni".into(), 2)]);
        let guests = top(&orders, |o| &o.guest_name, 1);
        assert_eq!(guests[0].label, "Ana");
    }

    #[test]
    fn an_order_comes_from_a_pick_suggested_to_that_guest_before_it() {
        let card = |drink: &str| {
            serde_json::json!({"drink_id": format!("d-{drink}"), "name": drink, "image": "", "reason": "",
                "alcohol_free": false, "abv": 20.0, "available": true})
        };
        let answer = |guest: &str, drinks: &[&str], at: i64, note: Option<&str>| NightAnswer {
            guest_id: format!("g-{guest}"),
            cards: serde_json::Value::Array(drinks.iter().map(|d| card(d)).collect()).to_string(),
            note: note.map(String::from),
            created_at: at,
        };
        let answers = [
            answer("Ana", &["Mojito", "Paloma"], 10, None),
            answer(
                "Bo",
                &["Negroni"],
                10,
                Some(crate::backend::ai::fallback_note(crate::i18n::Locale::es).as_str()),
            ),
        ];
        let orders = [
            order("Ana", "Mojito", 1, OrderStatus::Queued, 20),
            // Suggested to someone else, or only after it was ordered: not from a pick.
            order("Ana", "Negroni", 1, OrderStatus::Queued, 20),
            order("Bo", "Negroni", 1, OrderStatus::Queued, 5),
        ];
        assert_eq!(
            bartender(&answers, &orders),
            BartenderNight {
                answers: 2,
                fell_back: 1,
                picks: 3,
                ordered_from_picks: 1
            }
        );
    }

    #[test]
    fn what_was_used_is_orders_times_recipes_in_the_recipes_units() {
        let line = |drink: &str, ingredient: &str, amount: f64, unit: &str| RecipeUse {
            drink_id: format!("d-{drink}"),
            ingredient: ingredient.into(),
            amount,
            unit: unit.into(),
        };
        let recipes = [
            line("Mojito", "White rum", 50.0, "ml"),
            line("Mojito", "Mint", 8.0, "leaf"),
            line("Daiquiri", "White rum", 60.0, "ml"),
        ];
        let orders = [
            order("Ana", "Mojito", 2, OrderStatus::Collected, 0),
            order("Bo", "Daiquiri", 1, OrderStatus::Queued, 0),
            order("Cy", "Daiquiri", 1, OrderStatus::Cancelled, 0),
        ];
        let used: Vec<String> = used(&orders, &recipes)
            .into_iter()
            .map(|u| format!("{} {}", u.ingredient, u.amount_label()))
            .collect();
        assert_eq!(used, ["Mint 16 leaf", "White rum 160 ml"]);
    }
}
