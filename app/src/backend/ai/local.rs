//! The house recommender: deterministic scoring over the menu's flavour tags, ingredients and
//! strength, the guest's profile and what is in stock, with a templated reason for each pick.
//! It is honest about what it is: rules, not a language model.

use super::taste::{self, drink_has, Intent};
use super::{
    AiError, Ask, Constraints, Learned, Piece, PieceStream, PromptDrink, Recommender, MAX_CARDS,
};
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
    let menu = &ask.menu;
    let intent = taste::understand(&ask.text, menu);
    let constraints = Constraints::new(&ask.profile, &intent);
    let references: Vec<&Drink> = intent
        .drinks
        .iter()
        .filter_map(|id| menu.drink(id))
        .collect();
    let specific = !intent.want.is_empty()
        || !intent.avoid.is_empty()
        || !references.is_empty()
        || intent.strength.is_some();

    let scored = scored(ask, &intent, &constraints, &references);

    let desc = describe(&intent, &references, menu);
    let mut outro = Vec::new();
    if !intent.wishes.is_empty() {
        outro.push(format!(
            "{} {} not on tonight's menu; I've told the host you asked.",
            join_and(&intent.wishes),
            if intent.wishes.len() == 1 {
                "is"
            } else {
                "are"
            }
        ));
    }
    if !constraints.allergies.is_empty() {
        outro.push(format!(
            "I left out anything with {}.",
            join_and(&constraints.allergies)
        ));
    }
    if ask.profile.alcohol_free && !intent.alcohol_free {
        outro.push("Only alcohol-free drinks, as your profile asks.".into());
    }
    let outro = outro.join(" ");

    if scored.is_empty() {
        return Plan {
            intro: "I'm sorry: nothing on the menu that is available right now fits what you can have. \
                    The host may be able to mix you something off the menu."
                .into(),
            picks: Vec::new(),
            outro,
        };
    }
    let fitting: Vec<&Scored> = scored.iter().filter(|s| s.score >= 2.0).collect();
    let (intro, chosen): (String, Vec<&Scored>) = if !specific {
        let intro = if intent.alcohol_free || ask.profile.alcohol_free {
            "Here are my favourite alcohol-free drinks on tonight's menu:".to_string()
        } else if ask.profile.likes.is_empty() {
            "Tell me what you're in the mood for (smoky, fruity, fizzy, no alcohol…). Meanwhile, a few house favourites:".to_string()
        } else {
            format!(
                "Going by your taste ({}), you might like:",
                join_and(&ask.profile.likes)
            )
        };
        (intro, scored.iter().take(MAX_CARDS).collect())
    } else if fitting.is_empty() {
        (
            format!("Nothing on tonight's menu is quite {desc}. The closest I can offer:"),
            scored.iter().take(2).collect(),
        )
    } else {
        (
            format!("For something {desc}, here's what I'd pour:"),
            fitting.into_iter().take(MAX_CARDS).collect(),
        )
    };
    let picks = chosen
        .into_iter()
        .map(|s| (s.drink.id.clone(), reason(s, &intent, &references)))
        .collect();
    Plan {
        intro,
        picks,
        outro,
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
        .map(|d| score(d, intent, &ask.profile, references))
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score));
    scored
}

/// The best `limit` drinks for a request by the house scoring: how a model's context is narrowed
/// on a large menu.
pub fn rank(ask: &Ask, limit: usize) -> Vec<String> {
    let intent = taste::understand(&ask.text, &ask.menu);
    let constraints = Constraints::new(&ask.profile, &intent);
    let references: Vec<&Drink> = intent
        .drinks
        .iter()
        .filter_map(|id| ask.menu.drink(id))
        .collect();
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
fn describe(intent: &Intent, references: &[&Drink], _menu: &Menu) -> String {
    let mut parts: Vec<String> = Vec::new();
    if intent.alcohol_free {
        parts.push("alcohol-free".into());
    }
    parts.extend(intent.want.iter().map(|w| adjective(w)));
    if !intent.avoid.is_empty() {
        parts.push(format!(
            "not {}",
            join_or(
                &intent
                    .avoid
                    .iter()
                    .map(|a| adjective(a))
                    .collect::<Vec<_>>()
            )
        ));
    }
    match intent.strength {
        Some(Strength::Light) if !references.is_empty() => parts.push("lighter".into()),
        Some(Strength::Strong) if !references.is_empty() => parts.push("stronger".into()),
        Some(Strength::Light) => parts.push("light".into()),
        Some(Strength::Strong) => parts.push("strong".into()),
        _ => {}
    }
    let mut text = join_and(&parts);
    if !references.is_empty() {
        let names: Vec<String> = references
            .iter()
            .map(|r| format!("the {}", r.name))
            .collect();
        text = if text.is_empty() {
            format!("like {}", join_and(&names))
        } else {
            format!("like {} but {text}", join_and(&names))
        };
    }
    if text.is_empty() {
        "like that".into()
    } else {
        text
    }
}

fn reason(scored: &Scored, intent: &Intent, references: &[&Drink]) -> String {
    let drink = scored.drink;
    let mut first = Vec::new();
    if drink.alcohol_free {
        first.push("alcohol-free".to_string());
    }
    first.extend(scored.hits.iter().map(|h| adjective(h)));
    let avoided: Vec<String> = intent
        .avoid
        .iter()
        .filter(|a| !drink_has(drink, a))
        .map(|a| format!("not {}", adjective(a)))
        .collect();
    first.extend(avoided);
    let mut sentences = Vec::new();
    if !first.is_empty() {
        sentences.push(capitalize(&join_and(&first)) + ".");
    }
    for reference in references.iter().filter(|r| r.id != drink.id) {
        let shared: Vec<String> = reference
            .tags
            .iter()
            .filter(|t| drink.tags.contains(t))
            .cloned()
            .collect();
        let mut sentence = if shared.is_empty() {
            format!("A change from the {}", reference.name)
        } else {
            format!(
                "Shares the {}'s {} side",
                reference.name,
                join_and(&shared.iter().map(|s| adjective(s)).collect::<Vec<_>>())
            )
        };
        if drink.abv < reference.abv {
            sentence.push_str(&format!(
                ", and lighter at {}% against {}%",
                drink.abv.round(),
                reference.abv.round()
            ));
        } else if drink.abv > reference.abv {
            sentence.push_str(&format!(
                ", and stronger at {}% against {}%",
                drink.abv.round(),
                reference.abv.round()
            ));
        }
        sentences.push(sentence + ".");
    }
    if references.iter().any(|r| r.id == drink.id) {
        sentences.push("The one you named, and it's on tonight.".into());
    }
    if !scored.liked.is_empty() {
        sentences.push(format!("You like {}.", join_and(&scored.liked)));
    }
    let made_with: Vec<String> = drink
        .ingredients
        .iter()
        .filter(|l| !l.optional)
        .take(3)
        .map(|l| l.name.to_lowercase())
        .collect();
    if !made_with.is_empty() {
        sentences.push(format!("Made with {}.", join_and(&made_with)));
    }
    if !drink.alcohol_free {
        sentences.push(format!("About {}% ABV.", drink.abv.round()));
    }
    sentences.join(" ")
}

/// How a taste term reads in a sentence.
fn adjective(term: &str) -> String {
    match term {
        "citrus" => "citrusy".into(),
        "coffee" => "coffee-led".into(),
        "whiskey" | "rum" | "gin" | "tequila" | "mezcal" | "vodka" | "brandy" => {
            format!("{term}-based")
        }
        other if taste::term_of(other).is_some() => other.into(),
        other => format!("with {other}"),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}
