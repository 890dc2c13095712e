//! Understanding what a guest asks for, in plain rules: the words for flavours and spirits (with a
//! few other languages), negation ("not too sweet"), alcohol-free requests, allergies, references
//! to drinks on the menu ("like a Mai Tai but lighter") and drinks that are not on it.
//! Shared by the house recommender, the safety guard and the chat learner.

use crate::model::{Drink, Menu, Strength};

/// Canonical taste terms and the words that mean them. A drink has a term when one of its tags is
/// the term or one of its ingredient names contains one of the words.
const TERMS: &[(&str, &[&str])] = &[
    (
        "smoky",
        &[
            "smoky",
            "smokey",
            "smoke",
            "smoked",
            "peaty",
            "peat",
            "islay",
            "ahumado",
            "fume",
            "rauchig",
            "affumicato",
        ],
    ),
    (
        "sweet",
        &[
            "sweet", "sugary", "dessert", "dulce", "sucre", "suss", "susse", "dolce",
        ],
    ),
    (
        "sour",
        &["sour", "tart", "tangy", "acido", "sauer", "acide", "aspro"],
    ),
    (
        "bitter",
        &[
            "bitter",
            "bittersweet",
            "amaro",
            "amargo",
            "amer",
            "campari",
            "aperol",
        ],
    ),
    (
        "citrus",
        &[
            "citrus",
            "citrusy",
            "lemony",
            "zesty",
            "zingy",
            "lemon",
            "lime",
            "grapefruit",
            "limon",
            "citron",
            "zitrone",
            "limette",
            "agrumi",
        ],
    ),
    (
        "fruity",
        &[
            "fruity",
            "fruit",
            "fruits",
            "berry",
            "berries",
            "juicy",
            "cranberry",
            "afrutado",
            "frutal",
            "fruite",
            "fruchtig",
            "fruttato",
        ],
    ),
    (
        "tropical",
        &[
            "tropical",
            "tiki",
            "pineapple",
            "coconut",
            "beach",
            "island",
            "tropisch",
            "tropicale",
        ],
    ),
    (
        "creamy",
        &[
            "creamy", "cream", "silky", "velvety", "frothy", "foamy", "cremoso", "cremeux",
            "cremig",
        ],
    ),
    (
        "fizzy",
        &[
            "fizzy",
            "bubbly",
            "sparkling",
            "bubbles",
            "fizz",
            "spritz",
            "carbonated",
            "soda",
            "tonic",
            "prosecco",
            "espumoso",
            "petillant",
            "prickelnd",
            "frizzante",
        ],
    ),
    (
        "refreshing",
        &[
            "refreshing",
            "refresh",
            "crisp",
            "summery",
            "cooling",
            "quench",
            "thirsty",
            "refrescante",
            "fresco",
            "rafraichissant",
            "erfrischend",
            "rinfrescante",
        ],
    ),
    (
        "herbal",
        &[
            "herbal",
            "botanical",
            "herby",
            "herbs",
            "herbaceous",
            "vermouth",
        ],
    ),
    (
        "coffee",
        &["coffee", "espresso", "caffeine", "cafe", "kaffee", "caffe"],
    ),
    (
        "spicy",
        &[
            "spicy", "spice", "spiced", "ginger", "peppery", "pepper", "picante", "epice",
            "scharf", "piccante",
        ],
    ),
    ("minty", &["minty", "mint", "menthe", "minze", "menta"]),
    (
        "savory",
        &["savory", "savoury", "umami", "tomato", "salado", "sale"],
    ),
    ("salty", &["salty", "salt", "saline"]),
    ("dry", &["dry", "seco", "trocken", "secco"]),
    ("nutty", &["nutty", "almond", "orgeat"]),
    (
        "whiskey",
        &["whiskey", "whisky", "bourbon", "rye", "scotch"],
    ),
    ("rum", &["rum", "ron", "rhum"]),
    ("gin", &["gin"]),
    ("tequila", &["tequila", "agave"]),
    ("mezcal", &["mezcal", "mescal"]),
    ("vodka", &["vodka"]),
    ("brandy", &["brandy", "cognac", "pisco"]),
];

const LIGHT_WORDS: &[&str] = &[
    "light", "lighter", "lightest", "easy", "low", "mild", "gentle", "weak", "weaker", "session",
    "suave", "ligero", "ligera", "flojo", "floja", "leger", "leicht", "leggero",
];
const STRONG_WORDS: &[&str] = &[
    "strong",
    "stronger",
    "strongest",
    "boozy",
    "boozier",
    "stiff",
    "potent",
    "punchy",
    "fuerte",
    "fort",
    "stark",
    "forte",
];

/// Words that turn the next few words around: "not too sweet", "without gin", "sin azúcar".
const NEGATORS: &[&str] = &[
    "not", "no", "without", "never", "hate", "hates", "dislike", "dont", "doesnt", "isnt", "avoid",
    "nothing", "less", "menos", "sin", "sans", "ohne", "senza", "kein", "keine", "nicht", "pas",
    "nada",
];
const NEGATION_RESETS: &[&str] = &["but", "and", "or", "pero", "mais", "aber", "ma"];

/// Phrases (already normalised) that ask for no alcohol.
const ALCOHOL_FREE_PHRASES: &[&str] = &[
    "no alcohol",
    "non alcoholic",
    "nonalcoholic",
    "alcohol free",
    "alcoholfree",
    "without alcohol",
    "mocktail",
    "virgin",
    "zero proof",
    "driving",
    "designated driver",
    "sober",
    "pregnant",
    "teetotal",
    "dont drink",
    "do not drink",
    "no booze",
    "sin alcohol",
    "conduzco",
    "conduciendo",
    "tengo que conducir",
    "manejo",
    "no bebo",
    "embarazada",
    "cero alcohol",
    "sans alcool",
    "ohne alkohol",
    "alkoholfrei",
    "senza alcol",
    "analcolico",
    "sem alcool",
];

/// Allergy families: what a stated allergy excludes, by ingredient word.
const ALLERGENS: &[(&str, &[&str])] = &[
    (
        "nuts",
        &[
            "nut",
            "nuts",
            "almond",
            "orgeat",
            "amaretto",
            "hazelnut",
            "frangelico",
            "pecan",
            "walnut",
            "pistachio",
            "cashew",
            "macadamia",
            "praline",
            "peanut",
            "nocino",
            // The FDA counts coconut among the tree nuts; a guest allergic to nuts decides.
            "coconut",
            "coco",
            "malibu",
        ],
    ),
    ("peanuts", &["peanut"]),
    ("egg", &["egg", "meringue"]),
    (
        "dairy",
        &[
            "milk", "cream", "butter", "yogurt", "yoghurt", "cheese", "baileys", "whey", "lactose",
            "dairy",
        ],
    ),
    (
        "gluten",
        &[
            "beer", "wheat", "barley", "malt", "ale", "stout", "lager", "gluten",
        ],
    ),
    (
        "citrus",
        &[
            "lemon",
            "lime",
            "orange",
            "grapefruit",
            "citrus",
            "yuzu",
            "curacao",
            "triple sec",
            "cointreau",
        ],
    ),
    ("fish", &["worcestershire", "anchovy", "fish"]),
    (
        "shellfish",
        &[
            "clam",
            "clamato",
            "shrimp",
            "prawn",
            "crab",
            "lobster",
            "oyster",
            "shellfish",
        ],
    ),
    ("soy", &["soy", "soya", "soja", "tofu", "edamame"]),
    ("sesame", &["sesame", "tahini", "sesamo"]),
    ("celery", &["celery"]),
    (
        "sulphites",
        &[
            "wine",
            "vermouth",
            "prosecco",
            "champagne",
            "sulphite",
            "sulfite",
        ],
    ),
    (
        "caffeine",
        &["coffee", "espresso", "cola", "tea", "caffeine"],
    ),
    ("honey", &["honey"]),
    ("ginger", &["ginger"]),
];

/// Names people use for their allergies, mapped to a family above.
const ALLERGY_NAMES: &[(&str, &str)] = &[
    ("nut", "nuts"),
    ("nuts", "nuts"),
    ("tree nut", "nuts"),
    ("tree nuts", "nuts"),
    ("almond", "nuts"),
    ("almonds", "nuts"),
    ("peanut", "peanuts"),
    ("peanuts", "peanuts"),
    ("egg", "egg"),
    ("eggs", "egg"),
    ("egg white", "egg"),
    ("milk", "dairy"),
    ("lactose", "dairy"),
    ("dairy", "dairy"),
    ("wheat", "gluten"),
    ("gluten", "gluten"),
    ("coeliac", "gluten"),
    ("celiac", "gluten"),
    ("citrus", "citrus"),
    ("fish", "fish"),
    ("shellfish", "shellfish"),
    ("crustacean", "shellfish"),
    ("crustaceans", "shellfish"),
    ("shrimp", "shellfish"),
    ("prawns", "shellfish"),
    ("soy", "soy"),
    ("soya", "soy"),
    ("sesame", "sesame"),
    ("coconut", "nuts"),
    ("sulfites", "sulphites"),
    ("sulphites", "sulphites"),
    ("sulfite", "sulphites"),
    ("coffee", "caffeine"),
    ("caffeine", "caffeine"),
    ("nüsse", "nuts"),
    ("nueces", "nuts"),
    ("noix", "nuts"),
    ("huevo", "egg"),
    ("oeuf", "egg"),
    ("lait", "dairy"),
    ("leche", "dairy"),
    ("milch", "dairy"),
    ("frutos", "nuts"),
    ("almendra", "nuts"),
    ("almendras", "nuts"),
    ("cacahuete", "peanuts"),
    ("cacahuetes", "peanuts"),
    ("maní", "peanuts"),
    ("huevos", "egg"),
    ("lactosa", "dairy"),
    ("lácteos", "dairy"),
    ("celíaco", "gluten"),
    ("celíaca", "gluten"),
    ("cítricos", "citrus"),
    ("pescado", "fish"),
    ("marisco", "shellfish"),
    ("mariscos", "shellfish"),
    ("soja", "soy"),
    ("sésamo", "sesame"),
    ("coco", "nuts"),
    ("apio", "celery"),
    ("sulfitos", "sulphites"),
    ("cafeína", "caffeine"),
    ("café", "caffeine"),
    ("miel", "honey"),
    ("jengibre", "ginger"),
];

/// Well-known drinks, so a request for one that is not on the menu can go on the host's wish list,
/// with what each is like (canonical terms), so the closest drinks on the menu can be offered instead.
const KNOWN_DRINKS: &[(&str, &[&str])] = &[
    ("Aviation", &["gin", "sour", "citrus"]),
    ("Last Word", &["gin", "herbal", "sour"]),
    ("French 75", &["gin", "fizzy", "citrus"]),
    ("Bloody Mary", &["vodka", "savory", "spicy"]),
    ("Caipirinha", &["citrus", "sour", "refreshing"]),
    (
        "Long Island Iced Tea",
        &["vodka", "gin", "rum", "tequila", "citrus"],
    ),
    ("Sex on the Beach", &["vodka", "fruity", "sweet"]),
    ("Zombie", &["rum", "tropical", "fruity"]),
    ("Hurricane", &["rum", "tropical", "fruity"]),
    ("Gimlet", &["gin", "citrus", "sour"]),
    ("Bellini", &["fizzy", "fruity"]),
    ("Mimosa", &["fizzy", "citrus", "fruity"]),
    ("Sangria", &["fruity", "refreshing"]),
    ("White Russian", &["vodka", "coffee", "creamy"]),
    ("Black Russian", &["vodka", "coffee"]),
    ("Mint Julep", &["whiskey", "minty"]),
    ("Paper Plane", &["whiskey", "bitter", "sour"]),
    ("Jungle Bird", &["rum", "bitter", "tropical"]),
    ("Singapore Sling", &["gin", "fruity", "sweet"]),
    ("Tequila Sunrise", &["tequila", "fruity", "sweet"]),
    ("Clover Club", &["gin", "fruity", "sour"]),
    ("Corpse Reviver", &["gin", "citrus", "herbal"]),
    ("Bramble", &["gin", "fruity", "sour"]),
    ("Hugo Spritz", &["fizzy", "herbal", "refreshing"]),
    ("Kir Royale", &["fizzy", "fruity"]),
    ("Irish Coffee", &["whiskey", "coffee", "creamy"]),
    ("Hot Toddy", &["whiskey", "spicy", "citrus"]),
    ("Grasshopper", &["minty", "creamy", "sweet"]),
    ("Amaretto Sour", &["nutty", "sour", "sweet"]),
    ("Lemon Drop", &["vodka", "citrus", "sweet"]),
    ("Vesper", &["gin", "vodka", "dry"]),
    ("Pornstar Martini", &["vodka", "fruity", "fizzy"]),
    ("Rusty Nail", &["whiskey", "sweet"]),
    ("Godfather", &["whiskey", "nutty"]),
    ("Americano", &["bitter", "fizzy"]),
    ("Mudslide", &["vodka", "coffee", "creamy"]),
    ("Blue Lagoon", &["vodka", "citrus", "sweet"]),
    ("Cuba Libre", &["rum", "fizzy", "citrus"]),
    ("Bee's Knees", &["gin", "citrus", "sweet"]),
    ("Southside", &["gin", "minty", "citrus"]),
    ("Gin Fizz", &["gin", "fizzy", "citrus"]),
    ("Ramos Gin Fizz", &["gin", "creamy", "fizzy"]),
    ("Tommy's Margarita", &["tequila", "citrus", "sour"]),
    ("Michelada", &["savory", "spicy", "fizzy"]),
    ("Caipiroska", &["vodka", "citrus", "sour"]),
    ("Painkiller", &["rum", "tropical", "creamy"]),
    ("Planter's Punch", &["rum", "fruity", "tropical"]),
    ("Hemingway Daiquiri", &["rum", "citrus", "sour"]),
    ("Naked and Famous", &["mezcal", "smoky", "citrus"]),
    ("Gin Basil Smash", &["gin", "herbal", "citrus"]),
    ("Bloody Caesar", &["vodka", "savory", "spicy"]),
    ("Mojito Royale", &["rum", "minty", "fizzy"]),
    ("Limoncello Spritz", &["citrus", "fizzy", "sweet"]),
    ("Hanky Panky", &["gin", "bitter", "herbal"]),
    ("Vieux Carre", &["whiskey", "brandy", "herbal"]),
    ("Brooklyn", &["whiskey", "bitter"]),
    ("Rob Roy", &["whiskey", "bitter"]),
    ("Blood and Sand", &["whiskey", "fruity", "sweet"]),
    ("El Diablo", &["tequila", "spicy", "fruity"]),
    ("Kamikaze", &["vodka", "citrus", "sour"]),
    ("Woo Woo", &["vodka", "fruity", "sweet"]),
    ("Screwdriver", &["vodka", "citrus"]),
    ("Harvey Wallbanger", &["vodka", "citrus", "sweet"]),
    ("Tom and Jerry", &["rum", "brandy", "creamy"]),
    ("Eggnog", &["creamy", "sweet", "spicy"]),
    ("Pimm's Cup", &["fruity", "refreshing", "fizzy"]),
    ("Bamboo", &["dry", "herbal"]),
    ("Chartreuse Swizzle", &["herbal", "tropical"]),
    ("Suffering Bastard", &["gin", "brandy", "fizzy"]),
    ("Fog Cutter", &["rum", "gin", "brandy"]),
    ("Scorpion", &["rum", "brandy", "tropical"]),
    ("Navy Grog", &["rum", "citrus", "tropical"]),
    ("Sherry Cobbler", &["fruity", "refreshing"]),
];

/// What a well-known drink is like ("gin", "citrus", "sour"), if it is one.
pub fn known_profile(name: &str) -> Option<&'static [&'static str]> {
    let name = normalize(name);
    KNOWN_DRINKS
        .iter()
        .find(|(known, _)| normalize(known) == name)
        .map(|(_, terms)| *terms)
}

/// Everything a message says that matters for choosing a drink.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Intent {
    /// Canonical terms (or ingredient words) the guest wants.
    pub want: Vec<String>,
    /// Terms the guest does not want in this drink.
    pub avoid: Vec<String>,
    pub alcohol_free: bool,
    /// Allergies stated in this message (family names, or the word as written).
    pub allergies: Vec<String>,
    pub strength: Option<Strength>,
    /// Menu drinks the message names, by id.
    pub drinks: Vec<String>,
    /// "but lighter", "something different": the named drinks are a reference, not the pick.
    pub wants_variation: bool,
    /// Drinks asked for that are not on the menu.
    pub wishes: Vec<String>,
    /// The strength is relative: "lighter", "stronger", "más suave" (not "light", "strong").
    pub comparative: bool,
    /// The guest asks the bar to do something rather than to suggest: order, cancel, say where
    /// their drink is.
    pub act: Option<Act>,
    /// The message points back at the bartender's last answer: "lighter than that", "the second
    /// one", "más fuerte que eso".
    pub earlier: Option<Earlier>,
    /// Stated likes and dislikes, worth remembering beyond this message.
    pub likes: Vec<String>,
    pub dislikes: Vec<String>,
}

/// Which part of the last answer a message points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Earlier {
    /// All of it: "than that", "like those", "que eso".
    All,
    /// One pick, counted from 0: "the second one", "la primera".
    Nth(usize),
    /// The last pick: "the last one", "el último".
    Last,
}

/// Something a guest asks the bar to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// "I'll have the first one", "order a Paloma", "quiero la segunda".
    Order,
    /// "cancel my Mojito", "cancela mi pedido".
    Cancel,
    /// "where's my drink?", "¿dónde está mi bebida?".
    Status,
}

const CANCEL_WORDS: &[&str] = &[
    "cancel",
    "cancelar",
    "cancela",
    "cancelame",
    "anula",
    "anular",
];

const STATUS_PHRASES: &[&str] = &[
    "wheres my",
    "where is my",
    "is my drink",
    "is my order",
    "my order ready",
    "how long",
    "status of my",
    "donde esta mi",
    "donde estan mis",
    "mi pedido",
    "mis pedidos",
    "cuanto falta",
    "esta lista mi",
    "esta listo mi",
];

const ORDER_PHRASES: &[&str] = &[
    "ill have",
    "i will have",
    "ill take",
    "i will take",
    "ill get",
    "order",
    "can i get",
    "can i have",
    "could i get",
    "could i have",
    "i want",
    "id like",
    "give me",
    "get me",
    "quiero",
    "me pido",
    "pideme",
    "ponme",
    "me tomo",
    "me quedo con",
    "pide",
    "pedir",
];

/// Words that make a named drink a comparison, not the drink wanted: "like the Margarita".
const LIKENESS_PHRASES: &[&str] = &[
    "like the", "like a", "like an", "como el", "como la", "como un", "como una",
];

/// What the message asks the bar to do, if anything. An order needs a drink to order: named, or
/// pointed at in the last answer ("the first one"); "can I get something fruity" asks for
/// suggestions.
fn act(normalized: &str, tokens: &[String], intent: &Intent) -> Option<Act> {
    if tokens.iter().any(|t| CANCEL_WORDS.contains(&t.as_str())) {
        return Some(Act::Cancel);
    }
    if STATUS_PHRASES
        .iter()
        .any(|p| contains_phrase(normalized, p))
    {
        return Some(Act::Status);
    }
    let target = !intent.drinks.is_empty()
        || matches!(intent.earlier, Some(Earlier::Nth(_) | Earlier::Last));
    let ordering = ORDER_PHRASES.iter().any(|p| contains_phrase(normalized, p));
    let comparing = intent.wants_variation
        || LIKENESS_PHRASES
            .iter()
            .any(|p| contains_phrase(normalized, p));
    (target && ordering && !comparing).then_some(Act::Order)
}

/// Strength words that compare: "lighter than", "stronger".
const COMPARATIVES: &[&str] = &[
    "lighter", "weaker", "milder", "gentler", "stronger", "boozier", "stiffer", "punchier",
];

/// "than that", "like those": phrases that point at the whole last answer.
const POINTING_PHRASES: &[&str] = &[
    "than that",
    "than those",
    "than these",
    "than them",
    "like that",
    "like those",
    "like these",
    "like them",
    "que eso",
    "que ese",
    "que esa",
    "que esos",
    "que esas",
    "como eso",
    "como ese",
    "como esa",
    "como esos",
    "como esas",
];

/// Ordinal words and the pick they point at.
const ORDINALS: &[(&str, Earlier)] = &[
    ("first", Earlier::Nth(0)),
    ("1st", Earlier::Nth(0)),
    ("second", Earlier::Nth(1)),
    ("2nd", Earlier::Nth(1)),
    ("third", Earlier::Nth(2)),
    ("3rd", Earlier::Nth(2)),
    ("last", Earlier::Last),
    ("primero", Earlier::Nth(0)),
    ("primera", Earlier::Nth(0)),
    ("primer", Earlier::Nth(0)),
    ("segundo", Earlier::Nth(1)),
    ("segunda", Earlier::Nth(1)),
    ("tercero", Earlier::Nth(2)),
    ("tercera", Earlier::Nth(2)),
    ("tercer", Earlier::Nth(2)),
    ("ultimo", Earlier::Last),
    ("ultima", Earlier::Last),
];

/// What the message points at in the last answer, if anything. An ordinal counts when it reads
/// as a pick ("the second one", "la segunda", "number 2"), not as "first time here".
fn earlier(normalized: &str, tokens: &[String], comparative: bool) -> Option<Earlier> {
    for (i, token) in tokens.iter().enumerate() {
        let before = i
            .checked_sub(1)
            .and_then(|j| tokens.get(j))
            .map(String::as_str);
        let after = tokens.get(i + 1).map(String::as_str);
        if let Some((_, which)) = ORDINALS.iter().find(|(word, _)| word == token) {
            let article = matches!(before, Some("the" | "el" | "la" | "lo"));
            let noun = matches!(
                after,
                Some("one" | "option" | "drink" | "pick" | "uno" | "una" | "opcion" | "bebida")
            );
            if article || noun {
                return Some(*which);
            }
        }
        if matches!(
            token.as_str(),
            "number" | "option" | "numero" | "opcion" | "no"
        ) {
            if let Some(n) = after
                .and_then(|a| a.parse::<usize>().ok())
                .filter(|n| (1..=3).contains(n))
            {
                return Some(Earlier::Nth(n - 1));
            }
        }
    }
    if POINTING_PHRASES
        .iter()
        .any(|p| contains_phrase(normalized, p))
    {
        return Some(Earlier::All);
    }
    // "something stronger", "algo más suave": stronger or lighter than what was just offered.
    comparative.then_some(Earlier::All)
}

impl Intent {
    /// True when the message says anything a recommendation can follow.
    pub fn has_signal(&self) -> bool {
        !self.want.is_empty()
            || !self.avoid.is_empty()
            || self.strength.is_some()
            || !self.drinks.is_empty()
            || self.alcohol_free
    }
}

/// Lower-case, accents folded, punctuation as spaces (apostrophes dropped: "don't" → "dont").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        let folded = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ß' => 's',
            '\'' | '’' => continue,
            c if c.is_alphanumeric() || c == '%' => c,
            _ => ' ',
        };
        out.push(folded);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The canonical term a word means, if any.
pub fn term_of(word: &str) -> Option<&'static str> {
    TERMS
        .iter()
        .find(|(term, synonyms)| *term == word || synonyms.contains(&word))
        .map(|(term, _)| *term)
}

fn contains_phrase(haystack: &str, phrase: &str) -> bool {
    format!(" {haystack} ").contains(&format!(" {phrase} "))
}

/// Whether a drink has a taste term: a tag, or an ingredient word meaning it.
pub fn drink_has(drink: &Drink, term: &str) -> bool {
    if drink.tags.iter().any(|tag| tag == term) {
        return true;
    }
    let synonyms = TERMS
        .iter()
        .find(|(t, _)| *t == term)
        .map(|(_, s)| *s)
        .unwrap_or(&[]);
    drink.ingredients.iter().any(|line| {
        let name = normalize(&line.name);
        name.split(' ').any(|w| w == term || synonyms.contains(&w))
    })
}

/// The allergy family a guest's word belongs to, or the word itself.
pub fn allergy_family(raw: &str) -> String {
    let word = normalize(raw);
    ALLERGY_NAMES
        .iter()
        .find(|(name, _)| normalize(name) == word)
        .map(|(_, family)| family.to_string())
        .unwrap_or(word)
}

/// The ingredient that makes a drink unsafe for an allergy, if one does. Optional lines count
/// too: a garnish can still carry the allergen.
pub fn allergen_in<'a>(drink: &'a Drink, allergy: &str) -> Option<&'a str> {
    let family = allergy_family(allergy);
    let keywords: Vec<String> = ALLERGENS
        .iter()
        .find(|(name, _)| *name == family)
        .map(|(_, words)| words.iter().map(|w| w.to_string()).collect())
        .unwrap_or_else(|| vec![family.clone()]);
    drink.ingredients.iter().find_map(|line| {
        let name = normalize(&line.name);
        let hit = keywords.iter().any(|k| {
            if k.contains(' ') {
                contains_phrase(&name, k)
            } else {
                name.split(' ')
                    .any(|w| w == k || w.trim_end_matches('s') == k.trim_end_matches('s'))
            }
        });
        hit.then_some(line.name.as_str())
    })
}

/// Reads a message against the menu.
pub fn understand(text: &str, menu: &Menu) -> Intent {
    let normalized = normalize(text);
    let tokens = words(text);
    let mut intent = Intent {
        alcohol_free: ALCOHOL_FREE_PHRASES
            .iter()
            .any(|p| contains_phrase(&normalized, p)),
        ..Intent::default()
    };

    // Menu drinks named in the message, longest names first so "Virgin Piña Colada" wins over
    // "Piña Colada".
    let mut by_length: Vec<&Drink> = menu.drinks.iter().collect();
    by_length.sort_by_key(|d| std::cmp::Reverse(d.name.len()));
    let mut rest = format!(" {normalized} ");
    for drink in by_length {
        let name = format!(" {} ", normalize(&drink.name));
        if name.trim().len() > 2 && rest.contains(&name) {
            rest = rest.replacen(&name, " ", 1);
            intent.drinks.push(drink.id.clone());
        }
    }
    // A drink asked for by name is not a list of flavours: "Long Island Iced Tea" is not a wish
    // for something tropical.
    let mut wish_free = format!(" {normalized} ");
    for (known, _) in KNOWN_DRINKS {
        let name = normalize(known);
        let on_menu = menu.drinks.iter().any(|d| normalize(&d.name) == name);
        if !on_menu && contains_phrase(&rest, &name) {
            intent.wishes.push(known.to_string());
            wish_free = wish_free.replacen(&format!(" {name} "), " ", 1);
        }
    }
    let tokens: Vec<String> = if intent.wishes.is_empty() {
        tokens
    } else {
        wish_free.split_whitespace().map(String::from).collect()
    };
    intent.wants_variation = [
        "but",
        "lighter",
        "stronger",
        "less",
        "more",
        "different",
        "instead",
        "similar",
        "other",
        "else",
        "pero",
        "mas",
        "menos",
        "diferente",
        "distinto",
        "parecido",
        "otro",
        "otra",
    ]
    .iter()
    .any(|w| contains_phrase(&normalized, w));

    let ingredient_words: Vec<String> = menu
        .drinks
        .iter()
        .flat_map(|d| d.ingredients.iter())
        .flat_map(|line| words(&line.name))
        .filter(|w| w.len() >= 4)
        .collect();

    let mut negated_for = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        if NEGATION_RESETS.contains(&token.as_str()) {
            negated_for = 0;
            continue;
        }
        if NEGATORS.contains(&token.as_str()) {
            negated_for = 3;
            continue;
        }
        let negated = negated_for > 0;
        negated_for = negated_for.saturating_sub(1);
        let (list, other) = if negated {
            (&mut intent.avoid, &intent.want)
        } else {
            (&mut intent.want, &intent.avoid)
        };
        let term = term_of(token)
            .map(String::from)
            .or_else(|| ingredient_words.contains(token).then(|| token.clone()));
        if let Some(term) = term {
            if !list.contains(&term) && !other.contains(&term) {
                list.push(term);
            }
        } else if LIGHT_WORDS.contains(&token.as_str()) {
            intent.strength = Some(if negated {
                Strength::Strong
            } else {
                Strength::Light
            });
        } else if STRONG_WORDS.contains(&token.as_str()) {
            intent.strength = Some(if negated {
                Strength::Light
            } else {
                Strength::Strong
            });
        }
        // "allergic to nuts", "nut allergy", "intolerant to lactose"
        if matches!(
            token.as_str(),
            "allergic"
                | "allergy"
                | "allergies"
                | "intolerant"
                | "intolerance"
                | "alergico"
                | "alergica"
                | "alergicos"
                | "alergicas"
                | "alergia"
                | "intolerante"
                | "allergique"
                | "allergisch"
                | "allergico"
        ) {
            let candidates: Vec<&String> =
                if matches!(token.as_str(), "allergy" | "allergies" | "intolerance") && i > 0 {
                    tokens.get(i - 1).into_iter().collect()
                } else {
                    tokens.iter().skip(i + 1).take(3).collect()
                };
            for word in candidates {
                if [
                    "to", "a", "an", "of", "the", "my", "i", "im", "am", "al", "aux", "gegen",
                    "auf", "los", "las", "la", "el", "del", "de", "soy", "tengo",
                ]
                .contains(&word.as_str())
                {
                    continue;
                }
                let family = allergy_family(word);
                if !family.is_empty() && family.len() <= 20 && !intent.allergies.contains(&family) {
                    intent.allergies.push(family);
                }
                break;
            }
        }
    }
    // Allergens are never wanted, whatever else the message says.
    intent
        .want
        .retain(|w| !intent.allergies.iter().any(|a| allergy_family(w) == *a));

    intent.comparative = intent.strength.is_some()
        && tokens.iter().enumerate().any(|(i, token)| {
            COMPARATIVES.contains(&token.as_str())
                || (matches!(token.as_str(), "mas" | "menos")
                    && tokens.get(i + 1).is_some_and(|next| {
                        LIGHT_WORDS.contains(&next.as_str())
                            || STRONG_WORDS.contains(&next.as_str())
                    }))
        });
    if intent.drinks.is_empty() {
        intent.earlier = earlier(&normalized, &tokens, intent.comparative);
    }
    intent.act = act(&normalized, &tokens, &intent);

    learn_preferences(&tokens, &mut intent);
    intent
}

/// Stated likes and dislikes: "I love smoky drinks", "I hate gin", "I'm not a fan of sweet".
fn learn_preferences(tokens: &[String], intent: &mut Intent) {
    const LIKE: &[&str] = &[
        "love",
        "like",
        "enjoy",
        "adore",
        "prefer",
        "favourite",
        "favorite",
        "fan",
        "into",
    ];
    const DISLIKE: &[&str] = &["hate", "dislike", "detest", "loathe", "stand"];
    for (i, token) in tokens.iter().enumerate() {
        let likes = LIKE.contains(&token.as_str());
        let dislikes = DISLIKE.contains(&token.as_str());
        if !likes && !dislikes {
            continue;
        }
        let before: Vec<&str> = tokens[i.saturating_sub(3)..i]
            .iter()
            .map(String::as_str)
            .collect();
        if !before.iter().any(|w| *w == "i" || *w == "im" || *w == "my") {
            continue;
        }
        let negated = before
            .iter()
            .any(|w| ["dont", "not", "never", "cant", "cannot"].contains(w));
        let into_dislikes = dislikes || negated;
        for word in tokens.iter().skip(i + 1).take(4) {
            if NEGATION_RESETS.contains(&word.as_str()) {
                break;
            }
            if let Some(term) = term_of(word) {
                let list = if into_dislikes {
                    &mut intent.dislikes
                } else {
                    &mut intent.likes
                };
                if !list.iter().any(|t| t == term) {
                    list.push(term.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::RecipeLine;

    /// A drink of 20% ABV for tests: id, name, tags and ingredient names.
    pub(in crate::backend::ai) fn drink(
        id: &str,
        name: &str,
        tags: &[&str],
        ingredients: &[&str],
    ) -> Drink {
        Drink {
            id: id.into(),
            section_id: "s".into(),
            name: name.into(),
            description: String::new(),
            abv: 20.0,
            alcohol_free: false,
            glass: "rocks".into(),
            image: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ingredients: ingredients
                .iter()
                .map(|n| RecipeLine {
                    ingredient_id: n.to_string(),
                    name: n.to_string(),
                    amount: 1.0,
                    unit: "ml".into(),
                    optional: false,
                    in_stock: true,
                })
                .collect(),
            steps: vec![],
            available: true,
            options: Vec::new(),
        }
    }

    fn menu() -> Menu {
        Menu {
            sections: vec![],
            drinks: vec![
                drink(
                    "mai",
                    "Mai Tai",
                    &["tropical", "fruity"],
                    &["Aged rum", "Orgeat", "Lime juice"],
                ),
                drink(
                    "pina",
                    "Piña Colada",
                    &["tropical", "creamy"],
                    &["White rum", "Coconut cream"],
                ),
                drink(
                    "vpina",
                    "Virgin Piña Colada",
                    &["tropical"],
                    &["Coconut cream"],
                ),
                drink("gt", "Gin & Tonic", &["fizzy"], &["Gin", "Tonic water"]),
                drink("mule", "Moscow Mule", &["spicy"], &["Vodka", "Ginger beer"]),
            ],
        }
    }

    #[test]
    fn negation_turns_a_flavour_into_something_to_avoid() {
        let intent = understand("Something smoky, not too sweet", &menu());
        assert_eq!(intent.want, ["smoky"]);
        assert_eq!(intent.avoid, ["sweet"]);
        assert!(!intent.alcohol_free);
    }

    #[test]
    fn driving_means_alcohol_free_in_several_languages() {
        for text in [
            "no alcohol, I'm driving",
            "Sin alcohol por favor",
            "algo sin alcohol, que conduzco",
            "Esta noche conduzco yo",
            "etwas ohne Alkohol",
            "a MOCKTAIL!",
        ] {
            assert!(understand(text, &menu()).alcohol_free, "{text}");
        }
        assert!(!understand("a strong one", &menu()).alcohol_free);
    }

    #[test]
    fn a_named_drink_is_a_reference_and_lighter_sets_the_strength() {
        let intent = understand("like a Mai Tai but lighter", &menu());
        assert_eq!(intent.drinks, ["mai"]);
        assert!(intent.wants_variation);
        assert_eq!(intent.strength, Some(Strength::Light));
        let intent = understand("virgin pina colada please", &menu());
        assert_eq!(intent.drinks, ["vpina"], "the longer name wins");
    }

    #[test]
    fn allergies_and_off_menu_wishes_are_picked_up() {
        let intent = understand(
            "I'm allergic to nuts. Do you have a Bramble or an Aviation?",
            &menu(),
        );
        assert_eq!(intent.allergies, ["nuts"]);
        assert_eq!(intent.wishes, ["Aviation", "Bramble"]);
        assert_eq!(understand("egg allergy here", &menu()).allergies, ["egg"]);
    }

    #[test]
    fn stated_likes_and_dislikes_are_learned_but_requests_are_not() {
        let intent = understand("I love smoky drinks and I hate gin", &menu());
        assert_eq!(intent.likes, ["smoky"]);
        assert_eq!(intent.dislikes, ["gin"]);
        let intent = understand("I don't like sweet things", &menu());
        assert_eq!(intent.dislikes, ["sweet"]);
        assert!(intent.likes.is_empty());
        let intent = understand("something smoky please", &menu());
        assert!(intent.likes.is_empty() && intent.dislikes.is_empty());
    }

    #[test]
    fn allergens_are_found_by_family_and_ginger_is_not_gin() {
        let m = menu();
        assert_eq!(allergen_in(&m.drinks[0], "nuts"), Some("Orgeat"));
        assert_eq!(allergen_in(&m.drinks[0], "Almonds"), Some("Orgeat"));
        assert_eq!(
            allergen_in(&m.drinks[1], "nuts"),
            Some("Coconut cream"),
            "the FDA counts coconut among the tree nuts"
        );
        assert_eq!(allergen_in(&m.drinks[0], "citrus"), Some("Lime juice"));
        assert!(drink_has(&m.drinks[4], "spicy"));
        assert!(!drink_has(&m.drinks[4], "gin"));
        assert!(drink_has(&m.drinks[3], "gin"));
    }
}
