//! Wire types: what crosses between the server and the browser (and the JSON API).
//! Row types (what SQL returns) live in `backend::store`; nothing secret is ever in here.

mod bartender;
mod controls;
mod host;
mod menu;
mod orders;
mod pickup;
mod stats;

pub use bartender::*;
pub use controls::*;
pub use host::*;
pub use menu::*;
pub use orders::*;
pub use pickup::*;
pub use stats::*;

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// The signed-in person, as pages need to know it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Guest {
        id: String,
        name: String,
        /// The guest's orders on the way now, and how many the bar allows at once.
        on_the_way: u32,
        most_on_the_way: u32,
    },
    Admin {
        username: String,
    },
}

impl Viewer {
    /// Why this guest cannot order one more now, said before the tap (the server refuses the
    /// same, in case the page is old).
    pub fn order_limit(&self, locale: Locale) -> Option<String> {
        match self {
            Viewer::Guest {
                on_the_way,
                most_on_the_way,
                ..
            } if on_the_way >= most_on_the_way => Some(if *on_the_way == 1 {
                td_string!(locale, drink.limit_one).to_string()
            } else {
                td_string!(locale, drink.limit_many, count = *on_the_way).to_string()
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod viewer_tests {
    use super::Viewer;
    use crate::i18n::Locale;

    #[test]
    fn the_order_limit_is_said_before_the_tap() {
        let guest = |on_the_way| Viewer::Guest {
            id: "g".into(),
            name: "Mia".into(),
            on_the_way,
            most_on_the_way: 2,
        };
        assert_eq!(guest(1).order_limit(Locale::en), None);
        assert_eq!(
            guest(2).order_limit(Locale::en).as_deref(),
            Some("You have 2 drinks on the way — one more when one is collected.")
        );
        assert_eq!(
            guest(2).order_limit(Locale::es).as_deref(),
            Some("Tienes 2 bebidas en camino: una más cuando recojas una.")
        );
        assert_eq!(Viewer::Anonymous.order_limit(Locale::en), None);
    }
}
