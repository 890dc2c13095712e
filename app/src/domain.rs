//! Domain values parsed at the boundary. Each has a private field and a `parse` that gives a clear
//! error, so code past the boundary never re-validates. Shared by server and browser.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

macro_rules! text_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Control characters, and the Unicode controls that reorder text (bidi embeddings, overrides
/// and isolates): "\u{202E}" can make a name or a note read backwards on the host's screen.
pub fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn has_control(text: &str) -> bool {
    text.chars().any(unsafe_char)
}

/// Characters that show nothing: spaces, zero-width characters, the soft hyphen, BOMs.
pub fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// A guest's display name: 1–40 characters after trimming, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestName(String);
text_newtype!(GuestName);

impl GuestName {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let name = raw.trim();
        if name.chars().all(invisible) {
            return Err(AppError::invalid("name", "Please tell us your name."));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(
                "name",
                format!("Names can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if has_control(name) {
            return Err(AppError::invalid(
                "name",
                "Names cannot contain control characters.",
            ));
        }
        // Checked by the server only: the script tables stay out of the browser's code.
        #[cfg(feature = "ssr")]
        {
            use unicode_security::MixedScript;
            if !name.is_single_script() {
                return Err(AppError::invalid(
                    "name",
                    "Please write your name in one alphabet (letters from two, like Latin and \
                     Cyrillic, can be made to look like someone else's name).",
                ));
            }
        }
        Ok(GuestName(name.to_string()))
    }

    /// The form two names are compared in: names that look alike are the same guest. "Ana" and
    /// "ANA", "Sam" and "Sarn", "Bill" and "BiIl" share their confusable skeleton (Unicode TR39),
    /// with case folded in between.
    #[cfg(feature = "ssr")]
    pub fn key(&self) -> String {
        use unicode_security::confusable_detection::skeleton;
        let folded = skeleton(&self.0).collect::<String>().to_lowercase();
        skeleton(&folded).collect()
    }
}

/// An invite code as typed or scanned: letters and digits, case-insensitive, 4–32 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCode(String);
text_newtype!(InviteCode);

impl InviteCode {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let code: String = raw.trim().chars().filter(|c| *c != '-').collect();
        if !(4..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::invalid("code", "That invite code is not valid."));
        }
        Ok(InviteCode(code.to_ascii_uppercase()))
    }

    /// How logs name an invite: enough to tell codes apart, not enough to join with.
    pub fn hint(&self) -> String {
        invite_hint(&self.0)
    }
}

/// The first three characters of an invite code and an ellipsis (logs never carry whole codes).
pub fn invite_hint(code: &str) -> String {
    let start: String = code.chars().take(3).collect();
    format!("{start}…")
}

/// How many of a drink: 1 to 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity(u8);

impl Quantity {
    pub const MAX: u8 = 3;

    pub fn parse(raw: i64) -> Result<Self, AppError> {
        if (1..=i64::from(Self::MAX)).contains(&raw) {
            Ok(Quantity(raw as u8))
        } else {
            Err(AppError::invalid(
                "quantity",
                format!("You can order 1 to {} at a time.", Self::MAX),
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// An optional note for the bartender ("no ice"): at most 200 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderNote(String);
text_newtype!(OrderNote);

impl OrderNote {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let note = raw.trim();
        if note.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(
                "note",
                format!("Notes can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if note.chars().any(|c| unsafe_char(c) && c != '\n') {
            return Err(AppError::invalid(
                "note",
                "Notes cannot contain control characters.",
            ));
        }
        Ok(OrderNote(note.to_string()))
    }
}

/// The key that makes an order submission safe to repeat: 8–64 of `[A-Za-z0-9-]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyKey(String);
text_newtype!(IdempotencyKey);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let key = raw.trim();
        if !(8..=64).contains(&key.len())
            || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(AppError::invalid(
                "idempotency_key",
                "The order form is out of date; please reload the page.",
            ));
        }
        Ok(IdempotencyKey(key.to_string()))
    }

    /// A fresh random key (browser: `crypto.getRandomValues`, which also works on plain http).
    pub fn generate() -> String {
        let mut bytes = [0u8; 16];
        fill_random(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(feature = "ssr")]
fn fill_random(bytes: &mut [u8]) {
    use rand::RngCore;
    rand::rng().fill_bytes(bytes);
}

#[cfg(not(feature = "ssr"))]
fn fill_random(bytes: &mut [u8]) {
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

/// An admin's username: 3–32 of `[a-z0-9_.-]`, compared lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);
text_newtype!(Username);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let name = raw.trim().to_lowercase();
        if !(3..=32).contains(&name.len())
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(AppError::invalid(
                "username",
                "Usernames are 3–32 letters, digits, '.', '_' or '-'.",
            ));
        }
        Ok(Username(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(GuestName::parse("  Ana ").unwrap().as_str(), "Ana");
        assert!(GuestName::parse("   ").is_err());
        assert!(GuestName::parse("\u{200B}\u{FEFF}").is_err());
        assert!(GuestName::parse("Ana\u{202E}lla").is_err());
        assert!(OrderNote::parse("no \u{2066}ice").is_err());
        assert_eq!(GuestName::parse("👩‍👩‍👧").unwrap().as_str(), "👩‍👩‍👧");
        assert!(GuestName::parse(&"x".repeat(41)).is_err());
        assert!(
            GuestName::parse(&"é".repeat(40)).is_ok(),
            "40 characters, not bytes"
        );
        assert!(GuestName::parse("Ana\u{7}").is_err());
        assert_eq!(
            GuestName::parse("ANA").unwrap().key(),
            GuestName::parse("ana").unwrap().key()
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn look_alike_names_share_a_key_and_mixed_scripts_are_refused() {
        let key = |name: &str| GuestName::parse(name).unwrap().key();
        assert_eq!(key("Sam"), key("Sarn"));
        assert_eq!(key("Bill"), key("BiIl"));
        assert_eq!(key("Ana"), key("ana"));
        assert_ne!(key("Ana"), key("Anna"));
        let mixed = GuestName::parse("\u{410}na").unwrap_err(); // Cyrillic А, Latin "na"
        assert!(mixed.to_string().contains("one alphabet"), "{mixed}");
        for fine in [
            "Ana 🍹",
            "Zoë",
            "Анна",
            "山田 はなこ",
            "Jean-Luc O'Neil",
            "R2-D2",
        ] {
            assert!(GuestName::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn invite_codes_are_logged_by_their_first_characters_only() {
        let code = InviteCode::parse("ab12-cd34").unwrap();
        assert_eq!(code.hint(), "AB1…");
        assert!(!code.hint().contains(code.as_str()));
        assert_eq!(invite_hint("XY"), "XY…");
    }

    #[test]
    fn invite_codes_ignore_case_and_dashes() {
        assert_eq!(
            InviteCode::parse(" abcd-efgh ").unwrap().as_str(),
            "ABCDEFGH"
        );
        assert!(InviteCode::parse("abc").is_err());
        assert!(InviteCode::parse("abcd efgh").is_err());
        assert!(InviteCode::parse("../../etc").is_err());
    }

    #[test]
    fn quantities_are_one_to_three() {
        assert!(Quantity::parse(0).is_err());
        assert_eq!(Quantity::parse(3).unwrap().get(), 3);
        assert!(Quantity::parse(4).is_err());
        assert!(Quantity::parse(-1).is_err());
    }

    #[test]
    fn notes_are_at_most_200_characters() {
        assert_eq!(OrderNote::parse(" no ice ").unwrap().as_str(), "no ice");
        assert!(OrderNote::parse(&"x".repeat(201)).is_err());
        assert!(OrderNote::parse("a\u{0}b").is_err());
    }

    #[test]
    fn idempotency_keys_are_plain_and_bounded() {
        let key = IdempotencyKey::generate();
        assert_eq!(key.len(), 32);
        assert!(IdempotencyKey::parse(&key).is_ok());
        assert_ne!(key, IdempotencyKey::generate());
        assert!(IdempotencyKey::parse("short").is_err());
        assert!(IdempotencyKey::parse("has spaces in it").is_err());
    }

    #[test]
    fn usernames_are_lowercased_and_restricted() {
        assert_eq!(Username::parse(" Host ").unwrap().as_str(), "host");
        assert!(Username::parse("ho").is_err());
        assert!(Username::parse("a b c").is_err());
    }
}

/// A drink as the host submits it, before any database work; `parse` checks every field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DrinkForm {
    /// Empty for a new drink.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub section_id: String,
    #[serde(default)]
    pub description: String,
    pub abv: String,
    pub glass: String,
    pub color: String,
    /// Comma-separated flavour tags.
    #[serde(default)]
    pub tags: String,
    /// One step per line.
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub lines: Vec<LineForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub ingredient: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub unit: String,
    /// A checkbox: present ("on"/"true") when ticked.
    #[serde(default)]
    pub optional: Option<String>,
}

/// A checked drink, ready for the store.
#[derive(Clone, Debug, PartialEq)]
pub struct DrinkInput {
    pub name: String,
    pub section_id: String,
    pub description: String,
    pub abv: f64,
    pub glass: String,
    pub color: String,
    pub tags: Vec<String>,
    pub steps: Vec<String>,
    pub lines: Vec<LineInput>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LineInput {
    pub ingredient: String,
    pub amount: f64,
    pub unit: String,
    pub optional: bool,
}

/// The glasses a drink can be served in (the illustration follows it).
pub const GLASSES: &[&str] = &[
    "rocks",
    "highball",
    "coupe",
    "martini",
    "wine",
    "copper mug",
    "hurricane",
];

fn bounded(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, AppError> {
    let text = raw.trim();
    let len = text.chars().count();
    if len < min {
        return Err(AppError::invalid(
            field,
            format!("{label} cannot be empty."),
        ));
    }
    if len > max {
        return Err(AppError::invalid(
            field,
            format!("{label} can be at most {max} characters."),
        ));
    }
    if text.chars().any(|c| unsafe_char(c) && c != '\n') {
        return Err(AppError::invalid(
            field,
            format!("{label} cannot contain control characters."),
        ));
    }
    Ok(text.to_string())
}

/// A section or ingredient name: 1–60 characters.
pub fn parse_name(field: &str, label: &str, raw: &str) -> Result<String, AppError> {
    let name = bounded(field, label, raw, 1, 60)?;
    if name.contains('\n') {
        return Err(AppError::invalid(
            field,
            format!("{label} must be on one line."),
        ));
    }
    Ok(name)
}

impl DrinkForm {
    pub fn parse(&self) -> Result<DrinkInput, AppError> {
        let name = parse_name("name", "The name", &self.name)?;
        let description = bounded("description", "The description", &self.description, 0, 300)?;
        let abv: f64 = self
            .abv
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("abv", "ABV must be a number, e.g. 12.5."))?;
        if !(0.0..=80.0).contains(&abv) {
            return Err(AppError::invalid("abv", "ABV must be between 0 and 80 %."));
        }
        let glass = self.glass.trim().to_lowercase();
        if !GLASSES.contains(&glass.as_str()) {
            return Err(AppError::invalid(
                "glass",
                format!("Pick a glass: {}.", GLASSES.join(", ")),
            ));
        }
        let color = self.color.trim().to_lowercase();
        if color.len() != 7
            || !color.starts_with('#')
            || !color[1..].chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(AppError::invalid(
                "color",
                "The colour must look like #a1b2c3.",
            ));
        }
        let tags: Vec<String> = self
            .tags
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > 12 || tags.iter().any(|t| t.chars().count() > 24) {
            return Err(AppError::invalid(
                "tags",
                "Up to 12 tags of at most 24 characters.",
            ));
        }
        let steps: Vec<String> = self
            .steps
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if steps.len() > 20 || steps.iter().any(|s| s.chars().count() > 300) {
            return Err(AppError::invalid(
                "steps",
                "Up to 20 steps of at most 300 characters.",
            ));
        }
        let mut lines = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            if line.ingredient.trim().is_empty() && line.amount.trim().is_empty() {
                continue; // an unused blank row
            }
            let n = i + 1;
            let ingredient = parse_name("lines", &format!("Ingredient {n}"), &line.ingredient)?;
            let amount: f64 = line.amount.trim().parse().map_err(|_| {
                AppError::invalid(
                    "lines",
                    format!("The amount of {ingredient} must be a number."),
                )
            })?;
            if !(amount > 0.0 && amount <= 2000.0) {
                return Err(AppError::invalid(
                    "lines",
                    format!("The amount of {ingredient} must be more than 0 and at most 2000."),
                ));
            }
            let unit = bounded(
                "lines",
                &format!("The unit of {ingredient}"),
                &line.unit,
                0,
                20,
            )?;
            if lines
                .iter()
                .any(|l: &LineInput| l.ingredient.eq_ignore_ascii_case(&ingredient))
            {
                return Err(AppError::invalid(
                    "lines",
                    format!("{ingredient} is listed twice."),
                ));
            }
            let optional = line
                .optional
                .as_deref()
                .is_some_and(|v| matches!(v, "on" | "true"));
            lines.push(LineInput {
                ingredient,
                amount,
                unit,
                optional,
            });
        }
        if lines.is_empty() {
            return Err(AppError::invalid(
                "lines",
                "A drink needs at least one ingredient.",
            ));
        }
        if lines.len() > 20 {
            return Err(AppError::invalid("lines", "At most 20 ingredients."));
        }
        Ok(DrinkInput {
            name,
            section_id: self.section_id.trim().to_string(),
            description,
            abv,
            glass,
            color,
            tags,
            steps,
            lines,
        })
    }
}

#[cfg(test)]
mod drink_form_tests {
    use super::*;

    fn form() -> DrinkForm {
        DrinkForm {
            name: "Gin Fizz".into(),
            section_id: "s".into(),
            abv: "12".into(),
            glass: "highball".into(),
            color: "#EEEEEE".into(),
            tags: "Fizzy, sour,,".into(),
            steps: "Shake.\n\n  Top with soda.  ".into(),
            lines: vec![
                LineForm {
                    ingredient: "Gin".into(),
                    amount: "45".into(),
                    unit: "ml".into(),
                    optional: None,
                },
                LineForm::default(),
                LineForm {
                    ingredient: "Lemon".into(),
                    amount: "1".into(),
                    unit: "wedge".into(),
                    optional: Some("on".into()),
                },
            ],
            ..DrinkForm::default()
        }
    }

    #[test]
    fn a_good_form_parses_with_blank_rows_skipped() {
        let input = form().parse().unwrap();
        assert_eq!(input.tags, ["fizzy", "sour"]);
        assert_eq!(input.steps, ["Shake.", "Top with soda."]);
        assert_eq!(input.lines.len(), 2);
        assert!(input.lines[1].optional && !input.lines[0].optional);
        assert_eq!(input.color, "#eeeeee");
    }

    #[test]
    fn every_bad_field_is_named() {
        type Change = Box<dyn Fn(&mut DrinkForm)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|f| f.name = "  ".into()), "name"),
            (Box::new(|f| f.abv = "strong".into()), "abv"),
            (Box::new(|f| f.abv = "-1".into()), "abv"),
            (Box::new(|f| f.glass = "boot".into()), "glass"),
            (Box::new(|f| f.color = "red".into()), "color"),
            (Box::new(|f| f.lines[0].amount = "-5".into()), "lines"),
            (Box::new(|f| f.lines[0].amount = "lots".into()), "lines"),
            (Box::new(|f| f.lines[2].ingredient = "gin".into()), "lines"),
            (Box::new(|f| f.lines.clear()), "lines"),
        ];
        for (change, field) in cases {
            let mut f = form();
            change(&mut f);
            match f.parse() {
                Err(AppError::Invalid { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}

/// What a guest writes to the bartender: 1–2000 characters after trimming. Longer input is a
/// paste accident or an attack on the model's context, not a drink request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatText(String);
text_newtype!(ChatText);

impl ChatText {
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let clean: String = raw
            .chars()
            .map(|c| if unsafe_char(c) && c != '\n' { ' ' } else { c })
            .collect();
        let text = clean.trim();
        if text.is_empty() {
            return Err(AppError::invalid(
                "message",
                "Tell the bartender what you feel like.",
            ));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(
                "message",
                format!(
                    "That is a long message: keep it under {} characters.",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(ChatText(text.to_string()))
    }
}

/// A comma-separated list of taste terms ("smoky, gin, not too sweet"): at most 20 terms of
/// 1–40 characters, lower-cased, duplicates dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasteTerms(Vec<String>);

impl TasteTerms {
    pub const MAX_TERMS: usize = 20;
    pub const MAX_CHARS: usize = 40;

    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        let mut terms: Vec<String> = Vec::new();
        for part in raw.split([',', ';', '\n']) {
            let term = part.split_whitespace().collect::<Vec<_>>().join(" ");
            let term = term.to_lowercase();
            if term.is_empty() {
                continue;
            }
            if term.chars().count() > Self::MAX_CHARS || has_control(&term) {
                return Err(AppError::invalid(
                    field,
                    format!(
                        "Each entry can be at most {} characters; separate entries with commas.",
                        Self::MAX_CHARS
                    ),
                ));
            }
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        if terms.len() > Self::MAX_TERMS {
            return Err(AppError::invalid(
                field,
                format!("At most {} entries, please.", Self::MAX_TERMS),
            ));
        }
        Ok(TasteTerms(terms))
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[cfg(test)]
mod chat_tests {
    use super::*;

    #[test]
    fn chat_text_is_trimmed_bounded_and_never_empty() {
        assert_eq!(
            ChatText::parse("  smoky please \u{7}").unwrap().as_str(),
            "smoky please"
        );
        assert!(ChatText::parse("   ").is_err());
        assert!(ChatText::parse(&"a".repeat(ChatText::MAX_CHARS)).is_ok());
        let err = ChatText::parse(&"a".repeat(ChatText::MAX_CHARS + 1)).unwrap_err();
        assert_eq!(err.status(), 400);
    }

    #[test]
    fn taste_terms_split_on_commas_and_lower_case() {
        let terms = TasteTerms::parse("likes", "Smoky,  gin ;GIN,\n not  too sweet,").unwrap();
        assert_eq!(terms.into_vec(), ["smoky", "gin", "not too sweet"]);
        assert!(TasteTerms::parse("likes", &"x".repeat(41)).is_err());
        let many = (0..21)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(TasteTerms::parse("likes", &many).is_err());
    }
}
