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

use serde::{Deserialize, Serialize};

/// The signed-in person, as pages need to know it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Guest { id: String, name: String },
    Admin { username: String },
}
