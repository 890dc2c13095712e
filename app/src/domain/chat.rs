//! What a guest tells the bartender: the message, and taste terms.

use super::*;
use crate::says;

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
            return Err(AppError::invalid("message", says!(errors.chat_empty)));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(AppError::invalid(
                "message",
                says!(errors.chat_too_long, max = Self::MAX_CHARS),
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
                    says!(errors.taste_entry_too_long, max = Self::MAX_CHARS),
                ));
            }
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        if terms.len() > Self::MAX_TERMS {
            return Err(AppError::invalid(
                field,
                says!(errors.taste_too_many, max = Self::MAX_TERMS),
            ));
        }
        Ok(TasteTerms(terms))
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[cfg(test)]
mod tests {
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
