//! The host's view of a night: what was ordered and when, how long drinks took, what the bartender
//! suggested and what came of it, and what to buy tomorrow.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// One night: from the previous "Close the party" (or the bar's first order) to this one's, or
/// still going (`closed_at` is `None`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Night {
    pub started_at: i64,
    pub closed_at: Option<i64>,
    /// When it closed, on the host's clock ("Sat 28 Nov, 23:40"); empty for the current night.
    pub label: String,
}

/// A labelled count: a drink, a guest, a quarter of an hour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub label: String,
    pub count: i64,
}

/// How long drinks took from the order to "ready", over the drinks that got there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Waits {
    pub ready: usize,
    pub median_secs: Option<i64>,
    pub p90_secs: Option<i64>,
}

/// The bartender's night.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BartenderNight {
    /// Answers given, and how many of them the house recommender gave in place of the model.
    pub answers: i64,
    pub fell_back: i64,
    /// Drinks suggested (cards shown), and orders a guest placed for a drink suggested to them
    /// earlier that night.
    pub picks: i64,
    pub ordered_from_picks: i64,
}

/// An ingredient used: its amount in the unit the recipes use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Used {
    pub ingredient: String,
    pub amount: f64,
    pub unit: String,
}

/// What to buy: what ran out, what was used, and what guests asked for that the bar lacks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShoppingList {
    pub out_of_stock: Vec<String>,
    pub used: Vec<Used>,
    pub wished: Vec<Tally>,
}

/// Everything `/admin/stats` shows for one night.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NightStats {
    pub night: Night,
    /// The nights closed before, newest first, to look back at.
    pub earlier: Vec<Night>,
    /// Orders placed (cancelled ones too) per quarter of an hour, from the first to the last,
    /// labelled with the quarter's start in the host's clock ("21:15").
    pub per_quarter: Vec<Tally>,
    pub orders: i64,
    pub cancelled: i64,
    pub waits: Waits,
    /// The most ordered drinks (by drinks, not orders), most first.
    pub top_drinks: Vec<Tally>,
    /// Drinks per guest, most first.
    pub per_guest: Vec<Tally>,
    pub bartender: BartenderNight,
    pub shopping: ShoppingList,
}

impl Used {
    /// "135 ml", "2.5 oz".
    pub fn amount_label(&self) -> String {
        super::amount_label(Locale::en, self.amount, &self.unit)
    }
}

impl ShoppingList {
    /// The list as CSV (RFC 4180): one row per item, `section,item,amount,unit`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,item,amount,unit\r\n");
        let mut row = |fields: [&str; 4]| {
            let cells: Vec<String> = fields.iter().map(|field| csv_cell(field)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        };
        for name in &self.out_of_stock {
            row(["out of stock", name, "", ""]);
        }
        for used in &self.used {
            let amount = super::amount_label(Locale::en, used.amount, "");
            row(["used tonight", &used.ingredient, &amount, &used.unit]);
        }
        for wish in &self.wished {
            row(["wished for", &wish.label, &wish.count.to_string(), "guests"]);
        }
        out
    }
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break, and never read as a
/// formula by a spreadsheet.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// "4 min 30 s", "45 s".
pub fn duration_label(secs: i64) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shopping_list_is_csv_a_spreadsheet_reads_safely() {
        let list = ShoppingList {
            out_of_stock: vec!["Lime, fresh".into()],
            used: vec![
                Used {
                    ingredient: "Gin".into(),
                    amount: 135.0,
                    unit: "ml".into(),
                },
                Used {
                    ingredient: "Angostura \"bitters\"".into(),
                    amount: 2.5,
                    unit: "dash".into(),
                },
            ],
            wished: vec![Tally {
                label: "=HYPERLINK(\"x\")".into(),
                count: 2,
            }],
        };
        assert_eq!(
            list.to_csv(),
            "section,item,amount,unit\r\n\
             out of stock,\"Lime, fresh\",,\r\n\
             used tonight,Gin,135,ml\r\n\
             used tonight,\"Angostura \"\"bitters\"\"\",2.5,dash\r\n\
             wished for,\"'=HYPERLINK(\"\"x\"\")\",2,guests\r\n"
        );
    }

    #[test]
    fn durations_read_like_a_person_says_them() {
        assert_eq!(duration_label(45), "45 s");
        assert_eq!(duration_label(240), "4 min");
        assert_eq!(duration_label(270), "4 min 30 s");
    }
}
