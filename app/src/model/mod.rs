//! Wire types: what crosses between the server and the browser (and the JSON API).
//! Row types (what SQL returns) live in `backend::store`; nothing secret is ever in here.

/// Reads an enum the wire tags with a field (`{"kind": "pickup", "place": "…"}`) through a flat
/// struct with every variant's fields optional: the enum says `#[serde(tag = …, try_from =
/// "module::Wire")]` and is written by serde as usual. serde's own reading of such an enum buffers
/// the whole value into a generic tree first, which put a second reader for every type inside it
/// into the browser's code. The JSON is the same either way.
macro_rules! read_tagged {
    (
        $enum:ident by $tag:literal in $module:ident,
        fields { $($field:ident: $ty:ty),* $(,)? },
        variants { $($variant:ident $({ $($payload:ident),* })?),* $(,)? } $(,)?
    ) => {
        mod $module {
            use super::*;

            #[derive(serde::Deserialize)]
            pub struct Wire {
                #[serde(rename = $tag)]
                kind: Kind,
                $($field: Option<$ty>,)*
            }

            #[derive(serde::Deserialize)]
            #[serde(rename_all = "snake_case")]
            enum Kind {
                $($variant,)*
            }

            // A variant of the enum missing from the list above stops the build here.
            const _: fn(&$enum) = |value| match value {
                $($enum::$variant { .. } => {})*
            };

            impl TryFrom<Wire> for $enum {
                type Error = String;

                fn try_from(wire: Wire) -> Result<Self, String> {
                    Ok(match wire.kind {
                        $(Kind::$variant => $enum::$variant $({ $(
                            $payload: wire.$payload.ok_or_else(|| {
                                concat!("missing field `", stringify!($payload), "`").to_string()
                            })?,
                        )* })?,)*
                    })
                }
            }
        }
    };
}

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

/// Each value, written as JSON and read back, is itself.
#[cfg(test)]
fn assert_reads_back<T>(values: impl IntoIterator<Item = T>)
where
    T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    for value in values {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    }
}

/// The value is written as exactly this JSON.
#[cfg(test)]
fn assert_writes<T: Serialize>(value: &T, json: &str) {
    assert_eq!(serde_json::to_string(value).unwrap(), json);
}

/// Reading this JSON as a `T` fails, and the error names the missing field.
#[cfg(test)]
fn assert_names_missing<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str, field: &str) {
    let missing = serde_json::from_str::<T>(json).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains(&format!("missing field `{field}`")),
        "{missing}"
    );
}

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
