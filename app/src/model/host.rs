//! What the host's pages show: invites, API keys, ingredients, guests, the menu editor and photo
//! uploads.

use serde::{Deserialize, Serialize};

/// An invite code as the host sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub code: String,
    /// The join URL as a QR code (SVG markup, generated on the server).
    pub qr_svg: String,
    pub note: String,
    pub max_uses: i64,
    pub uses: i64,
    pub expires_at: i64,
    pub revoked: bool,
    pub join_url: String,
}

/// An API key for `/api/v1` as the host sees it (never the key itself, which is kept only hashed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// The key's first characters, to tell keys apart (`bbk_Ab3dE9…`).
    pub prefix: String,
    pub daily_quota: i64,
    /// Calls made today (UTC).
    pub used_today: i64,
    pub created_at: i64,
    pub revoked: bool,
}

/// The keys page: every key, and whether `/api/v1` calls need one (`BARBACK_API_KEYS`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyList {
    pub keys: Vec<ApiKey>,
    pub required: bool,
}

/// A key just created: the only time the key itself is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}

/// Where the browser sends a drink's photo: the upload's key and the URL signed for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub key: String,
    pub url: String,
    pub content_type: String,
}

/// An ingredient on the ingredients page: whether it is on the shelf, and which drinks need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ingredient {
    pub id: String,
    pub name: String,
    pub in_stock: bool,
    /// Drinks on the menu for which this ingredient is required (not optional).
    pub needed_by: Vec<String>,
}

/// A guest as the host sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestSummary {
    pub id: String,
    pub name: String,
    pub active_orders: u32,
    /// Asked to leave: the name stays taken until the host lets them back.
    #[serde(default)]
    pub removed: bool,
}

/// The menu as the host edits it: hidden sections and drinks included.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminMenu {
    pub sections: Vec<AdminSection>,
    pub drinks: Vec<AdminDrink>,
    /// Every ingredient name, for picking lines.
    pub ingredients: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminSection {
    pub id: String,
    pub name: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminDrink {
    pub id: String,
    pub section_id: String,
    pub name: String,
    pub active: bool,
    pub image: String,
}
