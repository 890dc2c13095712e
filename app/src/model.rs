//! Wire types: what crosses between the server and the browser (and the JSON API).
//! Row types (what SQL returns) live in `backend::store`; nothing secret is ever in here.

mod bartender;
pub use bartender::*;

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A menu section ("Classics", "Alcohol-free", ...), shown in `position` order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Section {
    pub id: String,
    pub name: String,
    pub position: i64,
}

/// One ingredient line of a drink's recipe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecipeLine {
    pub ingredient_id: String,
    pub name: String,
    pub amount: f64,
    pub unit: String,
    /// Optional lines (a garnish, a dash of something) never make a drink unavailable.
    pub optional: bool,
    pub in_stock: bool,
}

impl RecipeLine {
    /// "45 ml", "2 dashes", "1 wedge": the amount as a bartender reads it.
    pub fn amount_label(&self) -> String {
        let amount = if self.amount.fract() == 0.0 {
            format!("{}", self.amount as i64)
        } else {
            format!("{}", (self.amount * 100.0).round() / 100.0)
        };
        if self.unit.is_empty() {
            amount
        } else {
            format!("{amount} {}", self.unit)
        }
    }
}

/// A drink as guests see it, with everything its page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Drink {
    pub id: String,
    pub section_id: String,
    pub name: String,
    pub description: String,
    /// Alcohol by volume of the finished drink, in percent.
    pub abv: f64,
    pub alcohol_free: bool,
    pub glass: String,
    /// Image path or URL.
    pub image: String,
    pub tags: Vec<String>,
    pub ingredients: Vec<RecipeLine>,
    pub steps: Vec<String>,
    /// False when a non-optional ingredient is out of stock: shown greyed, never hidden.
    pub available: bool,
}

impl Drink {
    /// The ingredients that stop this drink being made right now.
    pub fn missing_ingredients(&self) -> impl Iterator<Item = &RecipeLine> {
        self.ingredients
            .iter()
            .filter(|line| !line.optional && !line.in_stock)
    }
}

/// The whole menu: sections in order, and drinks in section order then drink order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Menu {
    pub sections: Vec<Section>,
    pub drinks: Vec<Drink>,
}

impl Menu {
    pub fn drink(&self, id: &str) -> Option<&Drink> {
        self.drinks.iter().find(|drink| drink.id == id)
    }

    /// Sections with the drinks of each that pass `filter`; sections left empty are dropped.
    pub fn grouped<'a>(&'a self, filter: &'a MenuFilter) -> Vec<(&'a Section, Vec<&'a Drink>)> {
        self.sections
            .iter()
            .map(|section| {
                let drinks = self
                    .drinks
                    .iter()
                    .filter(|drink| drink.section_id == section.id && filter.matches(drink))
                    .collect::<Vec<_>>();
                (section, drinks)
            })
            .filter(|(_, drinks)| !drinks.is_empty())
            .collect()
    }
}

/// A cheaply cloned, shared menu snapshot.
pub type SharedMenu = Arc<Menu>;

/// What a guest or an integration asks the menu for. The same rules serve the menu page (`/?q=…`)
/// and `GET /api/v1/drinks`, so the two can never disagree.
/// Its field docs are also the query parameters' descriptions in `/api/v1/openapi.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct MenuFilter {
    /// Matches a drink's name, description, tags or any ingredient, case-insensitively; every
    /// word must match (at most 100 characters).
    pub q: Option<String>,
    /// Matches any ingredient name, case-insensitively (at most 100 characters).
    pub ingredient: Option<String>,
    /// `true`: only alcohol-free drinks; `false`: only drinks with alcohol.
    pub alcohol_free: Option<bool>,
    /// `true`: only drinks that can be made now; `false`: only those missing an ingredient.
    pub available: Option<bool>,
}

/// A query parameter that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FilterError {
    pub field: &'static str,
    pub message: String,
}

/// The longest search text we accept; longer input is a mistake or an attack, not a search.
pub const MAX_SEARCH_LEN: usize = 100;

impl MenuFilter {
    /// Builds a filter from query parameters (`q`, `ingredient`, `alcohol_free`, `available`).
    /// Unknown parameters are ignored so links with tracking tags still work.
    pub fn from_query<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, FilterError> {
        let mut filter = MenuFilter::default();
        for (key, value) in params {
            match key {
                "q" => filter.q = parse_text("q", value)?,
                "ingredient" => filter.ingredient = parse_text("ingredient", value)?,
                "alcohol_free" => filter.alcohol_free = parse_flag("alcohol_free", value)?,
                "available" => filter.available = parse_flag("available", value)?,
                _ => {}
            }
        }
        Ok(filter)
    }

    pub fn is_empty(&self) -> bool {
        *self == MenuFilter::default()
    }

    pub fn matches(&self, drink: &Drink) -> bool {
        if self
            .alcohol_free
            .is_some_and(|wanted| drink.alcohol_free != wanted)
        {
            return false;
        }
        if self
            .available
            .is_some_and(|wanted| drink.available != wanted)
        {
            return false;
        }
        if let Some(ingredient) = &self.ingredient {
            let needle = ingredient.to_lowercase();
            if !drink
                .ingredients
                .iter()
                .any(|line| line.name.to_lowercase().contains(&needle))
            {
                return false;
            }
        }
        if let Some(q) = &self.q {
            // Every word must appear somewhere, so "lime tequila" finds a Margarita.
            let haystack = search_text(drink);
            return q
                .to_lowercase()
                .split_whitespace()
                .all(|word| haystack.contains(word));
        }
        true
    }
}

fn search_text(drink: &Drink) -> String {
    let mut text = String::with_capacity(256);
    text.push_str(&drink.name);
    text.push(' ');
    text.push_str(&drink.description);
    for tag in &drink.tags {
        text.push(' ');
        text.push_str(tag);
    }
    for line in &drink.ingredients {
        text.push(' ');
        text.push_str(&line.name);
    }
    text.to_lowercase()
}

fn parse_text(field: &'static str, value: &str) -> Result<Option<String>, FilterError> {
    let value = value.trim();
    if value.chars().count() > MAX_SEARCH_LEN {
        return Err(FilterError {
            field,
            message: format!("must be at most {MAX_SEARCH_LEN} characters"),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(FilterError {
            field,
            message: "must not contain control characters".into(),
        });
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

fn parse_flag(field: &'static str, value: &str) -> Result<Option<bool>, FilterError> {
    match value {
        "" => Ok(None),
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        other => Err(FilterError {
            field,
            message: format!("must be true or false, not {other:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, optional: bool, in_stock: bool) -> RecipeLine {
        RecipeLine {
            ingredient_id: name.to_lowercase(),
            name: name.into(),
            amount: 30.0,
            unit: "ml".into(),
            optional,
            in_stock,
        }
    }

    fn margarita() -> Drink {
        Drink {
            id: "1".into(),
            section_id: "s".into(),
            name: "Margarita".into(),
            description: "Bright and salty.".into(),
            abv: 18.0,
            alcohol_free: false,
            glass: "coupe".into(),
            image: String::new(),
            tags: vec!["sour".into()],
            ingredients: vec![
                line("Blanco Tequila", false, true),
                line("Lime juice", false, true),
            ],
            steps: vec![],
            available: true,
        }
    }

    #[test]
    fn search_matches_every_word_case_insensitively_across_name_and_ingredients() {
        let drink = margarita();
        let filter = |q: &str| MenuFilter::from_query([("q", q)]).unwrap();
        assert!(filter("TEQUILA").matches(&drink));
        assert!(filter("lime  tequila").matches(&drink));
        assert!(filter("marg").matches(&drink));
        assert!(!filter("lime gin").matches(&drink));
    }

    #[test]
    fn ingredient_filter_only_looks_at_ingredients() {
        let drink = margarita();
        let by = |i: &str| MenuFilter::from_query([("ingredient", i)]).unwrap();
        assert!(by("lime").matches(&drink));
        assert!(!by("margarita").matches(&drink));
    }

    #[test]
    fn flags_accept_only_true_false_or_empty() {
        assert_eq!(
            MenuFilter::from_query([("alcohol_free", "true")])
                .unwrap()
                .alcohol_free,
            Some(true)
        );
        assert_eq!(
            MenuFilter::from_query([("available", "")])
                .unwrap()
                .available,
            None
        );
        let err = MenuFilter::from_query([("available", "yes")]).unwrap_err();
        assert_eq!(err.field, "available");
    }

    #[test]
    fn overlong_or_control_character_search_is_refused() {
        assert!(MenuFilter::from_query([("q", "a".repeat(101).as_str())]).is_err());
        assert!(MenuFilter::from_query([("q", "gin\u{0}")]).is_err());
        assert_eq!(MenuFilter::from_query([("q", "   ")]).unwrap().q, None);
    }

    #[test]
    fn a_missing_required_ingredient_makes_a_drink_unavailable_but_an_optional_one_does_not() {
        let mut drink = margarita();
        drink.ingredients.push(line("Salt", true, false));
        assert_eq!(drink.missing_ingredients().count(), 0);
        drink.ingredients[0].in_stock = false;
        let missing: Vec<_> = drink
            .missing_ingredients()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(missing, ["Blanco Tequila"]);
    }

    #[test]
    fn only_the_lifecycle_transitions_are_allowed() {
        use OrderStatus::*;
        let allowed = |from: OrderStatus, to: OrderStatus, actor| from.can_become(to, actor);
        assert!(allowed(Queued, Making, Actor::Host));
        assert!(allowed(Making, Ready, Actor::Host));
        assert!(allowed(Ready, Collected, Actor::Host));
        assert!(allowed(Queued, Cancelled, Actor::Guest));
        assert!(allowed(Queued, Cancelled, Actor::Host));
        assert!(allowed(Making, Cancelled, Actor::Host));
        assert!(!allowed(Making, Cancelled, Actor::Guest));
        assert!(!allowed(Queued, Making, Actor::Guest));
        let mut count = 0;
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                for actor in [Actor::Guest, Actor::Host] {
                    count += usize::from(allowed(from, to, actor));
                }
            }
        }
        assert_eq!(count, 6, "exactly the six transitions above");
        assert_eq!(OrderStatus::parse("making"), Some(Making));
        assert_eq!(OrderStatus::parse("MAKING"), None);
    }

    #[test]
    fn amounts_read_like_a_recipe() {
        let mut l = line("Gin", false, true);
        l.amount = 45.0;
        assert_eq!(l.amount_label(), "45 ml");
        l.amount = 7.5;
        assert_eq!(l.amount_label(), "7.5 ml");
        l.unit = String::new();
        l.amount = 1.0;
        assert_eq!(l.amount_label(), "1");
    }
}

/// Where an order is. DESIGN.md's lifecycle: queued → making → ready → collected, and cancelled
/// from queued (guest or host) or from making (host only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Queued,
    Making,
    Ready,
    Collected,
    Cancelled,
}

/// Which way a section or a drink moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Direction::Up, Direction::Down];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Up => "↑",
            Direction::Down => "↓",
        }
    }
}

/// Who asks for a status change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Guest,
    Host,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] = [
        OrderStatus::Queued,
        OrderStatus::Making,
        OrderStatus::Ready,
        OrderStatus::Collected,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Queued => "queued",
            OrderStatus::Making => "making",
            OrderStatus::Ready => "ready",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Queued => "Queued",
            OrderStatus::Making => "Making",
            OrderStatus::Ready => "Ready",
            OrderStatus::Collected => "Collected",
            OrderStatus::Cancelled => "Cancelled",
        }
    }

    /// Still on its way to the guest: counts towards the active-order limit.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            OrderStatus::Queued | OrderStatus::Making | OrderStatus::Ready
        )
    }

    /// Not made yet: in the queue or being made (what the wait estimate counts).
    pub fn is_waiting(self) -> bool {
        matches!(self, OrderStatus::Queued | OrderStatus::Making)
    }

    /// The one rule for status changes.
    pub fn can_become(self, next: OrderStatus, actor: Actor) -> bool {
        use OrderStatus::*;
        match (self, next) {
            (Queued, Making) | (Making, Ready) | (Ready, Collected) => actor == Actor::Host,
            (Queued, Cancelled) => true,
            (Making, Cancelled) => actor == Actor::Host,
            _ => false,
        }
    }

    /// The host's one-tap next step on the board, with its button label.
    pub fn next_step(self) -> Option<(OrderStatus, &'static str)> {
        match self {
            OrderStatus::Queued => Some((OrderStatus::Making, "Start")),
            OrderStatus::Making => Some((OrderStatus::Ready, "Ready")),
            OrderStatus::Ready => Some((OrderStatus::Collected, "Collected")),
            _ => None,
        }
    }
}

/// An order as its guest and the host see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub guest_id: String,
    pub guest_name: String,
    pub drink_id: String,
    pub drink_name: String,
    pub quantity: u8,
    pub note: String,
    pub status: OrderStatus,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// A guest's order with where it stands in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackedOrder {
    pub order: Order,
    /// 1 = next to be made; only for queued orders.
    pub queue_position: Option<u32>,
    /// Estimated minutes until ready; only for queued and making orders.
    pub eta_minutes: Option<u32>,
}

/// What the bar board shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Queued, making and ready orders, oldest first.
    pub active: Vec<Order>,
    /// Collected and cancelled orders, newest first.
    pub history: Vec<Order>,
    /// The time the board was read (unix ms), so ages are computed against the server clock.
    pub now: i64,
}

/// The signed-in person, as pages need to know it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Guest { id: String, name: String },
    Admin { username: String },
}

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

/// What `/events` sends, as JSON in each event's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// An order changed: sent to its guest and to admins.
    Order { order: Order },
    /// Some order moved, so queue places may have changed: sent to every guest, with no details.
    Queue,
    /// The menu changed (stock, drinks, sections).
    Menu,
}

/// An ingredient on the stock page: whether it is on the shelf, and which drinks need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockItem {
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

/// Widths of the WebP variants made from every uploaded photo.
pub const PHOTO_WIDTHS: [u32; 3] = [320, 640, 1280];
/// The variant a drink's `image` points at.
pub const PHOTO_MAIN_WIDTH: u32 = 640;

/// The `srcset` for a processed photo (`…-640.webp`); `None` for illustrations.
pub fn image_srcset(image: &str) -> Option<String> {
    let stem = image.strip_suffix(&format!("-{PHOTO_MAIN_WIDTH}.webp"))?;
    Some(
        PHOTO_WIDTHS
            .iter()
            .map(|w| format!("{stem}-{w}.webp {w}w"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}
