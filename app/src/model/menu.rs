//! The menu as guests and integrations read it: sections, drinks and their recipes, the filter
//! both the menu page and `/api/v1/drinks` apply, and drink photos.

use crate::i18n::Locale;
use crate::says;
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
    pub fn amount_label(&self, locale: Locale) -> String {
        amount_label(locale, self.amount, &self.unit)
    }
}

/// "45 ml", "7.5 ml" ("7,5 ml" in Spanish), "1": an amount (to two decimals at most) and its unit.
pub fn amount_label(locale: Locale, amount: f64, unit: &str) -> String {
    let amount = crate::language::number(locale, amount);
    if unit.is_empty() {
        amount
    } else {
        format!("{amount} {unit}")
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
    /// Choices the host offers with it (ice, a double…), each guest picking one of each.
    pub options: Vec<DrinkOption>,
}

/// A choice the host offers with a drink, e.g. "Ice": normal, none, extra. The first choice is
/// the usual one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DrinkOption {
    pub name: String,
    pub choices: Vec<String>,
}

impl Drink {
    /// A guest's picks checked against the drink's options: one per option, in order, each one
    /// of that option's choices. No picks at all means the usual (first) choice of each.
    pub fn choices(&self, picked: &[String]) -> Result<Vec<super::Choice>, String> {
        if picked.is_empty() {
            return Ok(self
                .options
                .iter()
                .filter_map(|option| {
                    option.choices.first().map(|choice| super::Choice {
                        option: option.name.clone(),
                        choice: choice.clone(),
                    })
                })
                .collect());
        }
        if picked.len() != self.options.len() {
            return Err(says!(errors.choices_count, drink = &self.name));
        }
        self.options
            .iter()
            .zip(picked)
            .map(|(option, picked)| {
                let picked = picked.trim();
                option
                    .choices
                    .iter()
                    .find(|choice| choice.as_str() == picked)
                    .map(|choice| super::Choice {
                        option: option.name.clone(),
                        choice: choice.clone(),
                    })
                    .ok_or_else(|| {
                        says!(
                            errors.choice_unknown,
                            picked,
                            option = &option.name,
                            choices = option.choices.join(", ")
                        )
                    })
            })
            .collect()
    }

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

    /// The available drink most like `drink`, to offer when `drink` cannot be made: alcohol-free
    /// for alcohol-free, then the most ingredients in common (two points each), tags in common and
    /// the same section (a point each); the menu's order breaks ties. None when nothing is alike.
    pub fn closest_available(&self, drink: &Drink) -> Option<&Drink> {
        let names = |d: &Drink| {
            d.ingredients
                .iter()
                .filter(|line| !line.optional)
                .map(|line| line.name.to_lowercase())
                .collect::<Vec<_>>()
        };
        let wanted = names(drink);
        let mut best: Option<(usize, &Drink)> = None;
        for other in &self.drinks {
            if other.id == drink.id || !other.available || other.alcohol_free != drink.alcohol_free
            {
                continue;
            }
            let shared = names(other).iter().filter(|n| wanted.contains(n)).count();
            let tags = other.tags.iter().filter(|t| drink.tags.contains(t)).count();
            let section = usize::from(other.section_id == drink.section_id);
            let score = 2 * shared + tags + section;
            if score > 0 && best.is_none_or(|(top, _)| score > top) {
                best = Some((score, other));
            }
        }
        best.map(|(_, other)| other)
    }

    /// The drinks that pass `filter`, in menu order.
    pub fn matching<'a>(&'a self, filter: &MenuFilter) -> Vec<&'a Drink> {
        let search = filter.search(self);
        self.drinks
            .iter()
            .filter(|drink| filter.matches_with(drink, &search))
            .collect()
    }

    /// Sections with the drinks of each that pass `filter`; sections left empty are dropped.
    pub fn grouped<'a>(&'a self, filter: &MenuFilter) -> Vec<(&'a Section, Vec<&'a Drink>)> {
        let drinks = self.matching(filter);
        self.sections
            .iter()
            .map(|section| {
                let in_section = drinks
                    .iter()
                    .copied()
                    .filter(|drink| drink.section_id == section.id)
                    .collect::<Vec<_>>();
                (section, in_section)
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

    /// The search's words, each to be found as a whole word where the menu has it as one, and as
    /// the start of a word otherwise: "gin" finds the gin drinks and not a Penicillin through its
    /// ginger, while "marg", half typed, still finds the Margarita.
    fn search(&self, menu: &Menu) -> Vec<SearchWord> {
        let Some(q) = &self.q else {
            return Vec::new();
        };
        let wanted = words(q).collect::<Vec<_>>();
        let mut whole = vec![false; wanted.len()];
        for drink in &menu.drinks {
            for word in words(&search_text(drink)) {
                for (is_whole, want) in whole.iter_mut().zip(&wanted) {
                    *is_whole |= word == *want;
                }
            }
        }
        wanted
            .into_iter()
            .zip(whole)
            .map(|(text, whole)| SearchWord { text, whole })
            .collect()
    }

    /// Whether `drink` passes, as one of `menu`'s drinks (see `Menu::matching`).
    pub fn matches(&self, drink: &Drink, menu: &Menu) -> bool {
        self.matches_with(drink, &self.search(menu))
    }

    fn matches_with(&self, drink: &Drink, search: &[SearchWord]) -> bool {
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
        if search.is_empty() {
            return self.q.is_none();
        }
        // Every word must be found, so "lime tequila" finds a Margarita.
        let text = search_text(drink);
        search.iter().all(|wanted| {
            words(&text).any(|word| {
                if wanted.whole {
                    word == wanted.text
                } else {
                    word.starts_with(&wanted.text)
                }
            })
        })
    }
}

/// One word of a search, and whether the menu has it as a whole word.
struct SearchWord {
    text: String,
    whole: bool,
}

/// The lower-cased words of `text`: runs of letters and digits ("Gin & Tonic" is "gin", "tonic").
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
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
    text
}

/// How a filter is named in a message that stands on its own (a page shows it without the field).
fn filter_name(field: &str) -> String {
    match field {
        "q" => says!(errors.filter_search),
        other => says!(errors.filter_named, name = other),
    }
}

fn parse_text(field: &'static str, value: &str) -> Result<Option<String>, FilterError> {
    let value = value.trim();
    if value.chars().count() > MAX_SEARCH_LEN {
        return Err(FilterError {
            field,
            message: says!(
                errors.filter_too_long,
                what = filter_name(field),
                max = MAX_SEARCH_LEN
            ),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(FilterError {
            field,
            message: says!(errors.filter_control, what = filter_name(field)),
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
            message: says!(
                errors.filter_flag,
                what = filter_name(field),
                value = format!("{other:?}")
            ),
        }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

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
            options: vec![DrinkOption {
                name: "Salt rim".into(),
                choices: vec!["yes".into(), "no".into()],
            }],
        }
    }

    #[test]
    fn a_guest_picks_one_of_each_option_or_gets_the_usual() {
        let drink = margarita();
        let usual = drink.choices(&[]).unwrap();
        assert_eq!(usual[0].label(), "Salt rim: yes");
        assert_eq!(
            drink.choices(&["no".into()]).unwrap()[0].label(),
            "Salt rim: no"
        );
        assert!(drink
            .choices(&["maybe".into()])
            .unwrap_err()
            .contains("pick yes, no"));
        assert!(drink.choices(&["no".into(), "no".into()]).is_err());
    }

    fn menu_of(drinks: Vec<Drink>) -> Menu {
        Menu {
            sections: vec![],
            drinks,
        }
    }

    #[test]
    fn search_matches_every_word_case_insensitively_across_name_and_ingredients() {
        let menu = menu_of(vec![margarita()]);
        let filter = |q: &str| MenuFilter::from_query([("q", q)]).unwrap();
        assert!(filter("TEQUILA").matches(&menu.drinks[0], &menu));
        assert!(filter("lime  tequila").matches(&menu.drinks[0], &menu));
        assert!(filter("marg").matches(&menu.drinks[0], &menu));
        assert!(!filter("lime gin").matches(&menu.drinks[0], &menu));
    }

    #[test]
    fn a_word_the_menu_has_whole_is_not_found_inside_longer_words() {
        let mut penicillin = margarita();
        penicillin.id = "penicillin".into();
        penicillin.name = "Penicillin".into();
        penicillin.ingredients = vec![line("Ginger syrup", false, true)];
        let mut tonic = margarita();
        tonic.id = "gin-tonic".into();
        tonic.name = "Gin & Tonic".into();
        tonic.ingredients = vec![line("Gin", false, true)];
        let menu = menu_of(vec![margarita(), penicillin, tonic]);
        let names = |q: &str| {
            let filter = MenuFilter::from_query([("q", q)]).unwrap();
            menu.matching(&filter)
                .iter()
                .map(|drink| drink.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("gin"), ["Gin & Tonic"]);
        assert_eq!(names("GINGER"), ["Penicillin"]);
        // Half typed, and no whole word of the menu: the start of a word is enough.
        assert_eq!(names("ging"), ["Penicillin"]);
        assert_eq!(names("marg"), ["Margarita"]);
        assert_eq!(names("gin&tonic"), ["Gin & Tonic"]);
        assert!(names("rita").is_empty());
    }

    #[test]
    fn an_unavailable_drink_points_to_the_closest_one_that_can_be_made() {
        let margarita = margarita();
        let mut tommys = margarita.clone();
        tommys.id = "tommys".into();
        tommys.name = "Tommy's".into();
        tommys.tags = vec![];
        let mut paloma = margarita.clone();
        paloma.id = "paloma".into();
        paloma.name = "Paloma".into();
        paloma.ingredients = vec![line("Blanco Tequila", false, true)];
        paloma.tags = vec![];
        let mut nojito = margarita.clone();
        nojito.id = "nojito".into();
        nojito.alcohol_free = true;
        let mut menu = menu_of(vec![margarita, paloma, tommys.clone(), nojito]);
        // Tequila and lime beat tequila alone; the alcohol-free twin is never offered.
        assert_eq!(
            menu.closest_available(&menu.drinks[0])
                .map(|d| d.name.as_str()),
            Some("Tommy's")
        );
        menu.drinks[2].available = false;
        assert_eq!(
            menu.closest_available(&menu.drinks[0])
                .map(|d| d.name.as_str()),
            Some("Paloma")
        );
        let mut odd = tommys;
        odd.id = "odd".into();
        odd.section_id = "elsewhere".into();
        odd.ingredients = vec![line("Milk", false, true)];
        assert!(menu_of(vec![odd, menu.drinks[3].clone()])
            .closest_available(&menu.drinks[0])
            .is_none());
    }

    #[test]
    fn ingredient_filter_only_looks_at_ingredients() {
        let menu = menu_of(vec![margarita()]);
        let by = |i: &str| MenuFilter::from_query([("ingredient", i)]).unwrap();
        assert!(by("lime").matches(&menu.drinks[0], &menu));
        assert!(!by("margarita").matches(&menu.drinks[0], &menu));
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
        assert!(allowed(Collected, Ready, Actor::Host));
        assert!(allowed(Cancelled, Queued, Actor::Host));
        assert!(!allowed(Collected, Ready, Actor::Guest));
        assert!(!allowed(Cancelled, Queued, Actor::Guest));
        let mut count = 0;
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                for actor in [Actor::Guest, Actor::Host] {
                    count += usize::from(allowed(from, to, actor));
                }
            }
        }
        assert_eq!(count, 8, "exactly the eight transitions above");
        assert_eq!(OrderStatus::parse("making"), Some(Making));
        assert_eq!(OrderStatus::parse("MAKING"), None);
    }

    #[test]
    fn amounts_read_like_a_recipe() {
        let mut l = line("Gin", false, true);
        l.amount = 45.0;
        assert_eq!(l.amount_label(Locale::en), "45 ml");
        l.amount = 7.5;
        assert_eq!(l.amount_label(Locale::en), "7.5 ml");
        l.unit = String::new();
        l.amount = 1.0;
        assert_eq!(l.amount_label(Locale::en), "1");
    }
}
