//! Domain values parsed at the boundary. Each has a private field and a `parse` that gives a clear
//! error, so code past the boundary never re-validates. Shared by server and browser.

use crate::error::AppError;
use crate::says;
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

// After the macro, which they use.
mod chat;
mod drink_form;

pub use chat::{ChatText, TasteTerms};
pub use drink_form::{
    options_text, parse_name, parse_options, DrinkForm, DrinkInput, LineForm, LineInput, GLASSES,
};

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
            return Err(AppError::invalid("name", says!(errors.name_missing)));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(
                "name",
                says!(errors.name_too_long, max = Self::MAX_CHARS),
            ));
        }
        if has_control(name) {
            return Err(AppError::invalid("name", says!(errors.name_control)));
        }
        // Checked by the server only: the script tables stay out of the browser's code.
        #[cfg(feature = "ssr")]
        {
            use unicode_security::MixedScript;
            if !name.is_single_script() {
                return Err(AppError::invalid("name", says!(errors.name_mixed_scripts)));
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
            return Err(AppError::invalid("code", says!(errors.invite_code_invalid)));
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
                says!(errors.quantity_range, max = Self::MAX),
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
                says!(errors.note_too_long, max = Self::MAX_CHARS),
            ));
        }
        if note.chars().any(|c| unsafe_char(c) && c != '\n') {
            return Err(AppError::invalid("note", says!(errors.note_control)));
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
                says!(errors.order_form_stale),
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
            return Err(AppError::invalid("username", says!(errors.username_rule)));
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
