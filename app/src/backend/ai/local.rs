//! The house recommender: deterministic scoring over the menu's flavour tags, ingredients and
//! strength, the guest's profile and what is in stock, with a templated reason for each pick.
//! It is honest about what it is: rules, not a language model.

use super::taste::{self, drink_has, Act, Earlier, Intent};
use super::tools::Tool;
use super::{
    AiError, Ask, Constraints, Learned, Piece, PieceStream, PromptDrink, Recommender, MAX_CARDS,
};
use crate::i18n::{td_string, Locale};
use crate::model::{Drink, Menu, SharedMenu, Strength, TasteProfile};
use futures::future::BoxFuture;
use futures::stream::StreamExt;

#[derive(Clone, Copy, Debug, Default)]
pub struct HouseRecommender;

/// What the house recommender decided, before it is streamed.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub intro: String,
    pub picks: Vec<(String, String)>,
    pub outro: String,
}

impl Recommender for HouseRecommender {
    fn source(&self) -> &'static str {
        "house"
    }

    fn recommend(&self, ask: Ask) -> PieceStream {
        // Asked to do something (order, cancel, where is my drink), with the bar's doors lent:
        // the tool's own words and card.
        if let (Some(tool), Some(tools)) = (acting(&ask), ask.tools.clone()) {
            let acted = async move {
                let outcome = tools.run(&ask, tool).await;
                let card = outcome.card.map(|card| Ok(Piece::Offer(card)));
                futures::stream::iter([Ok(Piece::Text(outcome.say))].into_iter().chain(card))
            };
            return futures::stream::once(acted).flatten().boxed();
        }
        let plan = plan(&ask);
        // Words go out one by one as they are written, then the cards, then the closing line.
        let mut pieces: Vec<Result<Piece, AiError>> = Vec::new();
        for word in plan.intro.split_inclusive(' ') {
            pieces.push(Ok(Piece::Text(word.to_string())));
        }
        for (drink_id, reason) in plan.picks {
            pieces.push(Ok(Piece::Pick { drink_id, reason }));
        }
        if !plan.outro.is_empty() {
            pieces.push(Ok(Piece::Text(format!(" {}", plan.outro))));
        }
        futures::stream::iter(pieces).boxed()
    }

    fn learn(
        &self,
        text: String,
        menu: SharedMenu,
    ) -> BoxFuture<'static, Result<Learned, AiError>> {
        Box::pin(async move { Ok(learn(&text, &menu)) })
    }

    fn image_prompt(&self, drink: PromptDrink) -> BoxFuture<'static, Result<String, AiError>> {
        Box::pin(async move { Ok(image_prompt(&drink)) })
    }
}

/// The house style every photo prompt ends with, so the menu looks like one bar.
pub const HOUSE_STYLE: &str = "House style: photorealistic, a warm candle-lit bar counter of dark walnut, \
    soft rim light from the left, shallow depth of field, 4:5 portrait, the glass filling two thirds of the frame, \
    no people, no hands, no text or logos.";

pub fn image_prompt(drink: &PromptDrink) -> String {
    let ingredients = if drink.ingredients.is_empty() {
        String::new()
    } else {
        format!(
            " It is made with {}.",
            join_and(
                Locale::en,
                &drink
                    .ingredients
                    .iter()
                    .map(|i| i.to_lowercase())
                    .collect::<Vec<_>>()
            )
        )
    };
    format!(
        "A {name} served in a {glass} glass; the drink's colour is {color}. {description}{ingredients} {HOUSE_STYLE}",
        name = drink.name,
        glass = drink.glass,
        color = drink.color,
        description = drink.description.trim(),
    )
}

pub fn learn(text: &str, menu: &Menu) -> Learned {
    let intent = taste::understand(text, menu);
    Learned {
        likes: intent.likes,
        dislikes: intent.dislikes,
        allergies: intent.allergies,
        wishes: intent.wishes,
    }
}

struct Scored<'a> {
    drink: &'a Drink,
    score: f64,
    hits: Vec<String>,
    liked: Vec<String>,
}

/// Chooses up to three drinks and writes why.
pub fn plan(ask: &Ask) -> Plan {
    let (mut intent, references) = understood(ask);
    // "Can I get a Long Island Iced Tea?": not on the menu, so the closest drinks to what it is
    // like, rather than an answer about nothing in particular.
    let wished = (references.is_empty() && !intent.has_signal())
        .then(|| {
            intent
                .wishes
                .iter()
                .find_map(|wish| taste::known_profile(wish).map(|terms| (wish.clone(), terms)))
        })
        .flatten();
    if let Some((_, terms)) = &wished {
        intent.want.extend(terms.iter().map(|t| t.to_string()));
    }
    let constraints = Constraints::new(&ask.profile, &intent);
    let specific = !intent.want.is_empty()
        || !intent.avoid.is_empty()
        || !references.is_empty()
        || intent.strength.is_some();

    let scored = scored(ask, &intent, &constraints, &references);

    let locale = ask.locale;
    let desc = describe(locale, &intent, &references);
    let mut outro = Vec::new();
    if !intent.wishes.is_empty() && wished.is_none() {
        let wishes = join_and(locale, &intent.wishes);
        outro.push(if intent.wishes.len() == 1 {
            td_string!(locale, house.wishes_one, wishes).to_string()
        } else {
            td_string!(locale, house.wishes_many, wishes).to_string()
        });
    }
    if !constraints.allergies.is_empty() {
        let families: Vec<String> = constraints
            .allergies
            .iter()
            .map(|family| allergy_name(locale, family))
            .collect();
        let allergies = join_and(locale, &families);
        outro.push(td_string!(locale, house.left_out, allergies).to_string());
    }
    if ask.profile.alcohol_free && !intent.alcohol_free {
        outro.push(td_string!(locale, house.profile_alcohol_free).to_string());
    }
    let outro = outro.join(" ");

    if scored.is_empty() {
        return Plan {
            intro: td_string!(locale, house.nothing).to_string(),
            picks: Vec::new(),
            outro,
        };
    }
    let fitting: Vec<&Scored> = scored.iter().filter(|s| s.score >= 2.0).collect();
    let (intro, chosen): (String, Vec<&Scored>) = if !specific {
        let intro = if intent.alcohol_free || ask.profile.alcohol_free {
            td_string!(locale, house.favourites_alcohol_free).to_string()
        } else if ask.profile.likes.is_empty() {
            td_string!(locale, house.tell_me).to_string()
        } else {
            let likes = join_and(locale, &ask.profile.likes);
            td_string!(locale, house.by_taste, likes).to_string()
        };
        (intro, scored.iter().take(MAX_CARDS).collect())
    } else if let Some((wish, _)) = &wished {
        let closest: Vec<&Scored> = if fitting.is_empty() {
            scored.iter().take(2).collect()
        } else {
            fitting.into_iter().take(MAX_CARDS).collect()
        };
        (
            td_string!(locale, house.wish_closest, wish).to_string(),
            closest,
        )
    } else if fitting.is_empty() {
        (
            td_string!(locale, house.nothing_quite, desc).to_string(),
            scored.iter().take(2).collect(),
        )
    } else {
        (
            td_string!(locale, house.for_something, desc).to_string(),
            fitting.into_iter().take(MAX_CARDS).collect(),
        )
    };
    let picks = chosen
        .into_iter()
        .map(|s| (s.drink.id.clone(), reason(locale, s, &intent, &references)))
        .collect();
    Plan {
        intro,
        picks,
        outro,
    }
}

/// What a message asks for, and the drinks it is measured against: those it names, or else those
/// of the bartender's last answer that it points at ("lighter than that": all of them, as drinks
/// to move away from; "the second one": that one).
fn understood(ask: &Ask) -> (Intent, Vec<&Drink>) {
    let mut intent = taste::understand(&ask.text, &ask.menu);
    let named: Vec<&Drink> = intent
        .drinks
        .iter()
        .filter_map(|id| ask.menu.drink(id))
        .collect();
    if !named.is_empty() {
        return (intent, named);
    }
    let last = ask.last_picks();
    let pointed: Vec<&String> = match intent.earlier {
        Some(Earlier::All) => {
            intent.wants_variation = true;
            last.iter().collect()
        }
        Some(Earlier::Nth(n)) => last.get(n).into_iter().collect(),
        Some(Earlier::Last) => last.last().into_iter().collect(),
        None => Vec::new(),
    };
    let references = pointed
        .into_iter()
        .filter_map(|id| ask.menu.drink(id))
        .collect();
    (intent, references)
}

/// What the message asks the bar to do, if anything, as the tool that does it. An order is for a
/// drink named or pointed at in the last answer, and only one the guest may be offered (available,
/// safe for their profile); otherwise the bartender suggests instead. A cancellation is of the
/// drink named, or of the guest's newest queued order.
pub fn acting(ask: &Ask) -> Option<Tool> {
    let (intent, references) = understood(ask);
    match intent.act? {
        Act::Status => Some(Tool::MyOrders {}),
        Act::Cancel => Some(Tool::CancelOrder {
            drink_id: intent.drinks.first().cloned(),
        }),
        Act::Order => {
            let drink = references.first()?;
            let constraints = Constraints::new(&ask.profile, &intent);
            constraints
                .refuse(drink)
                .is_none()
                .then(|| Tool::PlaceOrder {
                    drink_id: drink.id.clone(),
                })
        }
    }
}

/// "Lighter than the Negroni" admits only drinks below the strongest drink compared with, and
/// "stronger" only drinks above the lightest: a firm limit, not a preference. ("Strong, like a
/// Sazerac" compares nothing.)
fn strength_allows(drink: &Drink, intent: &Intent, references: &[&Drink]) -> bool {
    if references.is_empty() || !intent.comparative {
        return true;
    }
    match intent.strength {
        Some(Strength::Light) => references.iter().any(|r| drink.abv < r.abv),
        Some(Strength::Strong) => references.iter().any(|r| drink.abv > r.abv),
        _ => true,
    }
}

/// The drinks that may be recommended, best first. Stable: equal scores keep menu order, so the
/// same question always gets the same answer.
fn scored<'a>(
    ask: &'a Ask,
    intent: &Intent,
    constraints: &Constraints,
    references: &[&Drink],
) -> Vec<Scored<'a>> {
    let mut scored: Vec<Scored> = ask
        .menu
        .drinks
        .iter()
        .filter(|d| constraints.refuse(d).is_none())
        .filter(|d| !(intent.wants_variation && references.iter().any(|r| r.id == d.id)))
        .filter(|d| strength_allows(d, intent, references))
        .map(|d| score(d, intent, &ask.profile, references))
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score));
    scored
}

/// The best `limit` drinks for a request by the house scoring: how a model's context is narrowed
/// on a large menu.
pub fn rank(ask: &Ask, limit: usize) -> Vec<String> {
    let (intent, references) = understood(ask);
    let constraints = Constraints::new(&ask.profile, &intent);
    scored(ask, &intent, &constraints, &references)
        .into_iter()
        .take(limit)
        .map(|s| s.drink.id.clone())
        .collect()
}

fn score<'a>(
    drink: &'a Drink,
    intent: &Intent,
    profile: &TasteProfile,
    references: &[&Drink],
) -> Scored<'a> {
    let matching = |terms: &[String]| -> Vec<String> {
        terms
            .iter()
            .filter(|t| drink_has(drink, t))
            .cloned()
            .collect()
    };
    let hits = matching(&intent.want);
    let liked = matching(&profile.likes);
    let mut score = 3.0 * hits.len() as f64 - 4.0 * matching(&intent.avoid).len() as f64
        + liked.len() as f64
        - 2.0 * matching(&profile.dislikes).len() as f64;
    for reference in references {
        if reference.id == drink.id {
            score += 5.0;
            continue;
        }
        let shared = reference
            .tags
            .iter()
            .filter(|t| drink.tags.contains(t))
            .count();
        score += shared as f64;
    }
    let lightest_reference = references
        .iter()
        .map(|r| r.abv)
        .fold(f64::INFINITY, f64::min);
    let strongest_reference = references.iter().map(|r| r.abv).fold(0.0, f64::max);
    match intent.strength {
        Some(Strength::Light) if !references.is_empty() => {
            score += if drink.abv < lightest_reference {
                2.0
            } else {
                -3.0
            };
        }
        Some(Strength::Strong) if !references.is_empty() => {
            score += if drink.abv > strongest_reference {
                2.0
            } else {
                -3.0
            };
        }
        Some(strength) => score += if strength.fits(drink.abv) { 2.0 } else { -2.0 },
        None if profile.strength != Strength::Any => {
            score += if profile.strength.fits(drink.abv) {
                1.0
            } else {
                -1.0
            };
        }
        None => {}
    }
    Scored {
        drink,
        score,
        hits,
        liked,
    }
}

/// "smoky and not sweet", "like the Mai Tai but lighter", "alcohol-free".
fn describe(locale: Locale, intent: &Intent, references: &[&Drink]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if intent.alcohol_free {
        parts.push(td_string!(locale, house.alcohol_free).to_string());
    }
    parts.extend(intent.want.iter().map(|w| adjective(locale, w)));
    if !intent.avoid.is_empty() {
        let avoided: Vec<String> = intent.avoid.iter().map(|a| adjective(locale, a)).collect();
        let what = join_or(locale, &avoided);
        parts.push(td_string!(locale, house.not, what).to_string());
    }
    let strength = match intent.strength {
        Some(Strength::Light) if !references.is_empty() => Some(td_string!(locale, house.lighter)),
        Some(Strength::Strong) if !references.is_empty() => {
            Some(td_string!(locale, house.stronger))
        }
        Some(Strength::Light) => Some(td_string!(locale, house.light)),
        Some(Strength::Strong) => Some(td_string!(locale, house.strong)),
        _ => None,
    };
    parts.extend(strength.map(str::to_string));
    let mut text = join_and(locale, &parts);
    if !references.is_empty() {
        let names: Vec<String> = references
            .iter()
            .map(|r| {
                let name = &r.name;
                td_string!(locale, house.the, name).to_string()
            })
            .collect();
        let names = join_and(locale, &names);
        text = if text.is_empty() {
            td_string!(locale, house.like, names).to_string()
        } else {
            td_string!(locale, house.like_but, names, text).to_string()
        };
    }
    if text.is_empty() {
        td_string!(locale, house.like_that).to_string()
    } else {
        text
    }
}

fn reason(locale: Locale, scored: &Scored, intent: &Intent, references: &[&Drink]) -> String {
    let drink = scored.drink;
    let mut first = Vec::new();
    if drink.alcohol_free {
        first.push(td_string!(locale, house.alcohol_free).to_string());
    }
    first.extend(scored.hits.iter().map(|h| adjective(locale, h)));
    let avoided: Vec<String> = intent
        .avoid
        .iter()
        .filter(|a| !drink_has(drink, a))
        .map(|a| {
            let what = adjective(locale, a);
            td_string!(locale, house.not, what).to_string()
        })
        .collect();
    first.extend(avoided);
    let mut sentences = Vec::new();
    if !first.is_empty() {
        sentences.push(capitalize(&join_and(locale, &first)) + ".");
    }
    let abv = |value: f64| crate::language::number(locale, value.round());
    for reference in references.iter().filter(|r| r.id != drink.id) {
        let shared: Vec<String> = reference
            .tags
            .iter()
            .filter(|t| drink.tags.contains(t))
            .map(|t| adjective(locale, t))
            .collect();
        let name = &reference.name;
        let mut sentence = if shared.is_empty() {
            td_string!(locale, house.change_from, name).to_string()
        } else {
            let sides = join_and(locale, &shared);
            td_string!(locale, house.shares, name, sides).to_string()
        };
        let (this, other) = (abv(drink.abv), abv(reference.abv));
        if drink.abv < reference.abv {
            sentence.push_str(&td_string!(locale, house.lighter_at, abv = this, other).to_string());
        } else if drink.abv > reference.abv {
            sentence
                .push_str(&td_string!(locale, house.stronger_at, abv = this, other).to_string());
        }
        sentences.push(sentence + ".");
    }
    if references.iter().any(|r| r.id == drink.id) {
        sentences.push(td_string!(locale, house.named).to_string());
    }
    if !scored.liked.is_empty() {
        let likes = join_and(locale, &scored.liked);
        sentences.push(td_string!(locale, house.you_like, likes).to_string());
    }
    let made_with: Vec<String> = drink
        .ingredients
        .iter()
        .filter(|l| !l.optional)
        .take(3)
        .map(|l| l.name.clone())
        .collect();
    if !made_with.is_empty() {
        let what = join_and(locale, &made_with);
        sentences.push(td_string!(locale, house.made_with, what).to_string());
    }
    if !drink.alcohol_free {
        let abv = abv(drink.abv);
        sentences.push(td_string!(locale, house.about_abv, abv).to_string());
    }
    sentences.join(" ")
}

/// An allergy family as the guest's language names it ("frutos secos" for `nuts`); a word the
/// families do not know stays as the guest wrote it.
fn allergy_name(locale: Locale, family: &str) -> String {
    match family {
        "nuts" => td_string!(locale, house.allergy.nuts),
        "peanuts" => td_string!(locale, house.allergy.peanuts),
        "egg" => td_string!(locale, house.allergy.egg),
        "dairy" => td_string!(locale, house.allergy.dairy),
        "gluten" => td_string!(locale, house.allergy.gluten),
        "citrus" => td_string!(locale, house.allergy.citrus),
        "fish" => td_string!(locale, house.allergy.fish),
        "shellfish" => td_string!(locale, house.allergy.shellfish),
        "soy" => td_string!(locale, house.allergy.soy),
        "sesame" => td_string!(locale, house.allergy.sesame),
        "celery" => td_string!(locale, house.allergy.celery),
        "sulphites" => td_string!(locale, house.allergy.sulphites),
        "caffeine" => td_string!(locale, house.allergy.caffeine),
        "honey" => td_string!(locale, house.allergy.honey),
        "ginger" => td_string!(locale, house.allergy.ginger),
        other => other,
    }
    .to_string()
}

/// How a taste term reads in a sentence: "citrusy", "gin-based", "with cucumber".
fn adjective(locale: Locale, term: &str) -> String {
    let word = match term {
        "smoky" => td_string!(locale, house.term.smoky),
        "sweet" => td_string!(locale, house.term.sweet),
        "sour" => td_string!(locale, house.term.sour),
        "bitter" => td_string!(locale, house.term.bitter),
        "citrus" => td_string!(locale, house.term.citrus),
        "fruity" => td_string!(locale, house.term.fruity),
        "tropical" => td_string!(locale, house.term.tropical),
        "creamy" => td_string!(locale, house.term.creamy),
        "fizzy" => td_string!(locale, house.term.fizzy),
        "refreshing" => td_string!(locale, house.term.refreshing),
        "herbal" => td_string!(locale, house.term.herbal),
        "coffee" => td_string!(locale, house.term.coffee),
        "spicy" => td_string!(locale, house.term.spicy),
        "savory" => td_string!(locale, house.term.savory),
        "minty" => td_string!(locale, house.term.minty),
        "salty" => td_string!(locale, house.term.salty),
        "dry" => td_string!(locale, house.term.dry),
        "nutty" => td_string!(locale, house.term.nutty),
        "whiskey" => td_string!(locale, house.term.whiskey),
        "rum" => td_string!(locale, house.term.rum),
        "gin" => td_string!(locale, house.term.gin),
        "tequila" => td_string!(locale, house.term.tequila),
        "mezcal" => td_string!(locale, house.term.mezcal),
        "vodka" => td_string!(locale, house.term.vodka),
        "brandy" => td_string!(locale, house.term.brandy),
        other if taste::term_of(other).is_some() => return other.to_string(),
        what => return td_string!(locale, house.with, what).to_string(),
    };
    word.to_string()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a, b and c" ("a, b y c" in Spanish).
pub fn join_and(locale: Locale, items: &[String]) -> String {
    join_with(items, td_string!(locale, house.and))
}

fn join_or(locale: Locale, items: &[String]) -> String {
    join_with(items, td_string!(locale, house.or))
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::ai::Turn;
    use crate::model::ChatRole;
    use crate::model::TasteProfile;
    use std::sync::Arc;

    fn drink(id: &str, abv: f64, alcohol_free: bool, tags: &[&str], ingredient: &str) -> Drink {
        Drink {
            abv,
            alcohol_free,
            ..taste::tests::drink(id, id, tags, &[ingredient])
        }
    }

    fn ask(text: &str, locale: Locale) -> Ask {
        let menu = Menu {
            sections: Vec::new(),
            drinks: vec![
                drink("Negroni", 24.0, false, &["bitter"], "Campari"),
                drink("Nojito", 0.0, true, &["minty", "refreshing"], "Mint"),
                drink("Shirley", 0.0, true, &["sweet", "fizzy"], "Grenadine"),
            ],
        };
        Ask {
            text: text.into(),
            profile: TasteProfile::default(),
            menu: Arc::new(menu),
            locale,
            history: Vec::new(),
            tools: None,
            vectors: None,
        }
    }

    /// A bar of six drinks from 0 to 40 % ABV, and a conversation whose last answer showed
    /// `shown` (ids, in order).
    fn follow_up(text: &str, locale: Locale, shown: &[&str]) -> Ask {
        let menu = Menu {
            sections: Vec::new(),
            drinks: vec![
                drink("Martini", 32.0, false, &["dry"], "Gin"),
                drink("Negroni", 24.0, false, &["bitter"], "Campari"),
                drink("Margarita", 20.0, false, &["sour", "citrus"], "Tequila"),
                drink("Spritz", 9.0, false, &["bitter", "fizzy"], "Aperol"),
                drink("Shandy", 3.0, false, &["fizzy", "refreshing"], "Beer"),
                drink("Nojito", 0.0, true, &["minty", "refreshing"], "Mint"),
            ],
        };
        let history = vec![
            Turn {
                role: ChatRole::Guest,
                text: "something bitter".into(),
                picks: Vec::new(),
            },
            Turn {
                role: ChatRole::Bartender,
                text: "For something bitter, here's what I'd pour:".into(),
                picks: shown.iter().map(|id| id.to_string()).collect(),
            },
        ];
        Ask {
            history,
            ..ask_on(menu, text, locale)
        }
    }

    fn ask_on(menu: Menu, text: &str, locale: Locale) -> Ask {
        Ask {
            menu: Arc::new(menu),
            ..ask(text, locale)
        }
    }

    fn abv_of(ask: &Ask, id: &str) -> f64 {
        ask.menu.drink(id).map(|d| d.abv).unwrap_or(f64::NAN)
    }

    #[test]
    fn lighter_than_that_gives_only_drinks_lighter_than_the_last_answers_strongest() {
        for (text, locale) in [
            ("something lighter than that", Locale::en),
            ("algo más suave que eso", Locale::es),
            ("lighter please", Locale::en),
        ] {
            let asked = follow_up(text, locale, &["Negroni", "Margarita"]);
            let plan = plan(&asked);
            assert!(!plan.picks.is_empty(), "{text}");
            for (id, _) in &plan.picks {
                assert!(abv_of(&asked, id) < 24.0, "{text}: {id}");
                assert!(id != "Negroni" && id != "Margarita", "{text}: {id} again");
            }
        }
    }

    #[test]
    fn stronger_than_that_gives_only_drinks_stronger_than_the_last_answers_lightest() {
        let asked = follow_up(
            "something stronger than those",
            Locale::en,
            &["Spritz", "Shandy"],
        );
        let plan = plan(&asked);
        assert!(!plan.picks.is_empty());
        for (id, _) in &plan.picks {
            assert!(abv_of(&asked, id) > 3.0, "{id}");
        }
    }

    #[test]
    fn the_second_one_means_the_second_drink_of_the_last_answer() {
        for (text, locale) in [
            ("tell me about the second one", Locale::en),
            ("háblame de la segunda", Locale::es),
            ("number 2 please", Locale::en),
        ] {
            let asked = follow_up(text, locale, &["Negroni", "Spritz", "Margarita"]);
            let plan = plan(&asked);
            assert_eq!(plan.picks[0].0, "Spritz", "{text}");
        }
        let asked = follow_up(
            "the last one",
            Locale::en,
            &["Negroni", "Spritz", "Margarita"],
        );
        assert_eq!(plan(&asked).picks[0].0, "Margarita");
    }

    #[test]
    fn a_named_drink_wins_over_the_last_answer_and_a_new_conversation_points_at_nothing() {
        let asked = follow_up("like the Martini but lighter", Locale::en, &["Shandy"]);
        for (id, _) in &plan(&asked).picks {
            assert!(abv_of(&asked, id) < 32.0 && id != "Martini", "{id}");
        }
        // No earlier answer: "the first one" is just words, and "first time" is never a pick.
        let mut fresh = follow_up("the first one", Locale::en, &[]);
        fresh.history.clear();
        assert!(!plan(&fresh).picks.is_empty());
        let asked = follow_up(
            "my first time here, something bitter",
            Locale::en,
            &["Shandy"],
        );
        assert_eq!(taste::understand(&asked.text, &asked.menu).earlier, None);
    }

    #[test]
    fn the_conversation_sent_along_is_the_newest_that_fits_and_starts_with_the_guest() {
        use crate::backend::ai::{recent_turns, HISTORY_TOKENS};
        let message = |role, text: &str, at| crate::model::ChatMessage {
            id: format!("m{at}"),
            role,
            text: text.into(),
            cards: Vec::new(),
            note: None,
            source: "house".into(),
            created_at: at,
            html: None,
        };
        let mut messages = Vec::new();
        for i in 0..40 {
            messages.push(message(
                ChatRole::Guest,
                &format!("question {i} {}", "x".repeat(200)),
                i * 2,
            ));
            messages.push(message(
                ChatRole::Bartender,
                &format!("answer {i} {}", "y".repeat(200)),
                i * 2 + 1,
            ));
        }
        let turns = recent_turns(&messages, HISTORY_TOKENS);
        assert!(turns.len() >= 4 && turns.len() < 80, "{}", turns.len());
        assert_eq!(turns[0].role, ChatRole::Guest);
        assert!(turns.last().unwrap().text.starts_with("answer 39"));
        let spent: usize = turns.iter().map(|t| t.text.len().div_ceil(4) + 4).sum();
        assert!(spent <= HISTORY_TOKENS, "{spent}");
        assert!(recent_turns(&messages, 10).is_empty());
    }

    #[test]
    fn a_spanish_request_gets_alcohol_free_picks_with_spanish_reasons() {
        let plan = plan(&ask("algo sin alcohol, que conduzco", Locale::es));
        assert!(
            plan.intro.starts_with("Estas son mis bebidas sin alcohol"),
            "{}",
            plan.intro
        );
        let ids: Vec<&str> = plan.picks.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["Nojito", "Shirley"]);
        assert!(
            plan.picks[0].1.starts_with("Sin alcohol."),
            "{}",
            plan.picks[0].1
        );
        assert!(
            plan.picks[0].1.contains("Lleva Mint."),
            "{}",
            plan.picks[0].1
        );
    }

    #[test]
    fn the_same_request_in_english_is_answered_in_english() {
        let plan = plan(&ask("something bitter", Locale::en));
        assert_eq!(plan.intro, "For something bitter, here's what I'd pour:");
        assert_eq!(plan.picks[0].0, "Negroni");
        assert_eq!(plan.picks[0].1, "Bitter. Made with Campari. About 24% ABV.");
        let plan = plan_es("algo amargo");
        assert_eq!(plan.intro, "Para algo amargo, esto es lo que te serviría:");
        assert_eq!(plan.picks[0].1, "Amargo. Lleva Campari. Unos 24 % vol.");
    }

    #[test]
    fn a_spanish_allergy_is_understood_and_named_in_spanish() {
        let mut asked = ask("soy alérgico a los frutos secos", Locale::es);
        let mut menu = (*asked.menu).clone();
        menu.drinks
            .push(drink("Mai Tai", 14.0, false, &["tropical"], "Orgeat"));
        asked.menu = Arc::new(menu);
        let plan = plan(&asked);
        assert!(
            plan.picks.iter().all(|(id, _)| id != "Mai Tai"),
            "{:?}",
            plan.picks
        );
        assert!(
            plan.outro
                .contains("He dejado fuera todo lo que lleva frutos secos."),
            "{}",
            plan.outro
        );
    }

    #[test]
    fn orders_cancellations_and_questions_about_drinks_are_told_from_suggestions() {
        let shown = ["Negroni", "Spritz", "Margarita"];
        let cases: [(&str, Locale, Option<Tool>); 14] = [
            (
                "I'll have the first one",
                Locale::en,
                Some(Tool::PlaceOrder {
                    drink_id: "Negroni".into(),
                }),
            ),
            (
                "order a Margarita please",
                Locale::en,
                Some(Tool::PlaceOrder {
                    drink_id: "Margarita".into(),
                }),
            ),
            (
                "quiero la segunda",
                Locale::es,
                Some(Tool::PlaceOrder {
                    drink_id: "Spritz".into(),
                }),
            ),
            (
                "ponme un Martini",
                Locale::es,
                Some(Tool::PlaceOrder {
                    drink_id: "Martini".into(),
                }),
            ),
            ("where's my drink?", Locale::en, Some(Tool::MyOrders {})),
            (
                "¿dónde está mi bebida?",
                Locale::es,
                Some(Tool::MyOrders {}),
            ),
            (
                "cancel my Negroni",
                Locale::en,
                Some(Tool::CancelOrder {
                    drink_id: Some("Negroni".into()),
                }),
            ),
            (
                "cancela mi pedido",
                Locale::es,
                Some(Tool::CancelOrder { drink_id: None }),
            ),
            // Suggestions, not orders: no drink to order, or a drink to compare with.
            ("can I get something fruity?", Locale::en, None),
            ("I'd like something like the Margarita", Locale::en, None),
            ("I'll have the Martini but lighter", Locale::en, None),
            ("order 50 drinks now", Locale::en, None),
            ("Can I get a Long Island Iced Tea?", Locale::en, None),
            ("the second one sounds nice", Locale::en, None),
        ];
        for (text, locale, expected) in cases {
            assert_eq!(acting(&follow_up(text, locale, &shown)), expected, "{text}");
        }
        // A drink the guest may not have is not offered: the bartender suggests instead.
        let mut driving = follow_up("I'll have the Negroni", Locale::en, &shown);
        driving.profile.alcohol_free = true;
        assert_eq!(acting(&driving), None);
    }

    #[test]
    fn a_named_drink_that_is_not_on_the_menu_gets_the_closest_ones() {
        let mut asked = follow_up("Can I get a Long Island Iced Tea?", Locale::en, &[]);
        asked.history.clear();
        let mut menu = (*asked.menu).clone();
        menu.drinks
            .push(drink("Gin Sour", 18.0, false, &["citrus", "sour"], "Gin"));
        asked.menu = Arc::new(menu);
        let plan = plan(&asked);
        assert!(
            plan.intro.starts_with(
                "Long Island Iced Tea is not on tonight's menu; I've told the host you asked."
            ),
            "{}",
            plan.intro
        );
        let ids: Vec<&str> = plan.picks.iter().map(|(id, _)| id.as_str()).collect();
        assert!(
            ids.contains(&"Gin Sour") && ids.contains(&"Margarita"),
            "{ids:?}"
        );
        assert!(
            !ids.contains(&"Nojito") && !ids.contains(&"Shandy"),
            "{ids:?}"
        );
        assert!(
            !plan.outro.contains("not on tonight's menu"),
            "said once: {}",
            plan.outro
        );
        let es = plan_es("¿Me pones un Long Island Iced Tea?");
        assert!(es.intro.contains("no está en la carta"), "{}", es.intro);
    }

    #[test]
    fn a_nut_allergy_leaves_out_coconut_and_shellfish_is_its_own_family() {
        let mut asked = ask("something tropical, I'm allergic to nuts", Locale::en);
        let mut menu = (*asked.menu).clone();
        menu.drinks.push(drink(
            "Piña Colada",
            12.0,
            false,
            &["tropical", "creamy"],
            "Coconut cream",
        ));
        menu.drinks
            .push(drink("Jungle", 14.0, false, &["tropical"], "Pineapple"));
        asked.menu = Arc::new(menu);
        let plan = plan(&asked);
        let ids: Vec<&str> = plan.picks.iter().map(|(id, _)| id.as_str()).collect();
        assert!(!ids.contains(&"Piña Colada"), "{ids:?}");
        assert!(ids.contains(&"Jungle"), "{ids:?}");
        assert_eq!(taste::allergy_family("shrimp"), "shellfish");
        assert_eq!(taste::allergy_family("mariscos"), "shellfish");
        assert_eq!(taste::allergy_family("sesame"), "sesame");
    }

    fn plan_es(text: &str) -> Plan {
        plan(&ask(text, Locale::es))
    }
}
