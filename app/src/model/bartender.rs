//! Wire types of the AI bartender: chat messages, drink cards, the streamed answer, the taste
//! profile, and what the host sees (wish list, image prompts).

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// How strong a guest likes their drinks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    #[default]
    Any,
    Light,
    Medium,
    Strong,
}

impl Strength {
    pub const ALL: [Strength; 4] = [
        Strength::Any,
        Strength::Light,
        Strength::Medium,
        Strength::Strong,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Any => "any",
            Strength::Light => "light",
            Strength::Medium => "medium",
            Strength::Strong => "strong",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Strength::Any => td_string!(locale, bartender.strength_any),
            Strength::Light => td_string!(locale, bartender.strength_light),
            Strength::Medium => td_string!(locale, bartender.strength_medium),
            Strength::Strong => td_string!(locale, bartender.strength_strong),
        }
    }

    /// Whether a drink of this ABV is in the range.
    pub fn fits(self, abv: f64) -> bool {
        match self {
            Strength::Any => true,
            Strength::Light => abv < 12.0,
            Strength::Medium => (12.0..24.0).contains(&abv),
            Strength::Strong => abv >= 24.0,
        }
    }
}

/// What the bartender knows about a guest's taste. Terms are lower-case words or short phrases.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasteProfile {
    pub likes: Vec<String>,
    pub dislikes: Vec<String>,
    pub allergies: Vec<String>,
    pub alcohol_free: bool,
    pub strength: Strength,
    /// Terms among the above that were learned from the chat rather than typed into the form.
    pub learned: Vec<String>,
}

impl TasteProfile {
    pub fn is_empty(&self) -> bool {
        self.likes.is_empty()
            && self.dislikes.is_empty()
            && self.allergies.is_empty()
            && !self.alcohol_free
            && self.strength == Strength::Any
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChatRole {
    Guest,
    Bartender,
}

/// A recommended drink with the reason it fits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatCard {
    pub drink_id: String,
    pub name: String,
    pub image: String,
    pub reason: String,
    pub alcohol_free: bool,
    pub abv: f64,
    /// Whether it can be ordered right now (a card in the history may have run out since).
    pub available: bool,
    /// Set when the card asks the guest to confirm something they asked for in the chat, rather
    /// than suggesting a drink. Nothing happens until they tap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
}

/// What a card in the chat offers to do, once the guest confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", try_from = "offer_wire::Wire")]
pub enum Offer {
    /// "Yes, order it": one of the card's drink, through the same door as the Order button.
    Order,
    /// "Yes, cancel it": the guest's own order, still in the queue.
    Cancel { order_id: String },
}

read_tagged!(
    Offer by "kind" in offer_wire,
    fields { order_id: String },
    variants { Order, Cancel { order_id } },
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: String,
    pub role: ChatRole,
    pub text: String,
    pub cards: Vec<ChatCard>,
    /// Something the guest should know about how this answer was made (e.g. the fallback).
    pub note: Option<String>,
    /// Which recommender answered ("house" or "bedrock").
    pub source: String,
    pub created_at: i64,
    /// The bartender's words as HTML of a small safe subset (the server renders its Markdown:
    /// `backend::markdown`); `None` for the guest's own words.
    #[serde(default)]
    pub html: Option<String>,
}

/// One piece of a streamed answer, sent as one line of JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "snake_case",
    tag = "type",
    try_from = "chat_chunk_wire::Wire"
)]
pub enum ChatChunk {
    /// The guest's message as stored.
    Asked {
        message: ChatMessage,
    },
    /// More words of the answer.
    Text {
        text: String,
    },
    Card {
        card: ChatCard,
    },
    Note {
        text: String,
    },
    /// The answer is complete and stored.
    Done {
        message: ChatMessage,
    },
}

read_tagged!(
    ChatChunk by "type" in chat_chunk_wire,
    fields {
        message: ChatMessage,
        text: String,
        card: ChatCard,
    },
    variants {
        Asked { message },
        Text { text },
        Card { card },
        Note { text },
        Done { message },
    },
);

impl ChatChunk {
    /// One NDJSON line.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// Splits a growing NDJSON buffer into complete chunks, leaving any partial line in `buffer`.
pub fn drain_chunks(buffer: &mut String) -> Vec<ChatChunk> {
    let mut chunks = Vec::new();
    while let Some(end) = buffer.find('\n') {
        let line: String = buffer.drain(..=end).collect();
        if let Ok(chunk) = serde_json::from_str(line.trim()) {
            chunks.push(chunk);
        }
    }
    chunks
}

/// The chat page's data: the history and the profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatHistory {
    pub guest_name: String,
    pub messages: Vec<ChatMessage>,
    pub profile: TasteProfile,
    pub messages_per_hour: u32,
    /// Who answers: "house" (the rules-based recommender) or the model's id.
    pub bartender: String,
}

/// The host's choice of who answers guests: the house recommender, or one of the configured
/// models by id (`BARBACK_BEDROCK_MODELS`).
pub const HOUSE: &str = "house";

/// Who answers guests, as the host sets it, and what the models have used.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BartenderSettings {
    /// "house" or a model's id.
    pub active: String,
    /// The configured models' ids (`BARBACK_BEDROCK_MODELS`), the default first.
    pub models: Vec<String>,
    pub usage: Vec<ModelUsage>,
}

/// One model's calls and tokens, all nights together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelUsage {
    pub model: String,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
}

/// A model's name for people, from its Bedrock id: "amazon.nova-lite-v1:0" is "Amazon Nova Lite",
/// "us.anthropic.claude-3-5-haiku-20241022-v1:0" is "Anthropic Claude 3 5 Haiku". Unknown shapes
/// are shown as they are.
pub fn model_name(id: &str) -> String {
    let mut parts = id.split('.');
    let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
        return id.to_string();
    };
    // Cross-region inference profiles start with a geography: "us.", "eu.", "apac.", "global.".
    let (provider, model) = match parts.next() {
        Some(rest) if first.len() <= 6 => (second, rest),
        _ => (first, second),
    };
    let capital = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    let digits = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    // A version ("v1") or a date ("20241022") ends the name.
    let ends = |w: &str| w.strip_prefix('v').is_some_and(digits) || (w.len() >= 6 && digits(w));
    let words: Vec<String> = model
        .split(['-', ':'])
        .take_while(|w| !ends(w))
        .map(capital)
        .collect();
    let provider = match provider {
        "ai21" => "AI21".to_string(),
        other => capital(other),
    };
    format!("{provider} {}", words.join(" ")).trim().to_string()
}

/// The host's wish list: drinks guests asked for that are not on the menu.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WishList {
    pub by_drink: Vec<WishedDrink>,
    pub by_guest: Vec<WishingGuest>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WishedDrink {
    pub drink: String,
    pub guests: Vec<String>,
    pub last_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WishingGuest {
    pub guest: String,
    pub drinks: Vec<String>,
}

/// The state of a background job, as the host sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Pending { attempts: i64 },
    Done,
    Failed { attempts: i64, error: String },
}

/// A drink's photo prompt and the job that writes it; with an image model, the photo made from
/// it (waiting for the host's approval) and the job that makes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImagePrompt {
    pub prompt: Option<String>,
    pub job: Option<JobState>,
    #[serde(default)]
    pub proposed: Option<ProposedPhoto>,
    #[serde(default)]
    pub photo_job: Option<JobState>,
}

/// A photo an image model made for a drink, not shown to guests until the host approves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedPhoto {
    /// The main image's URL (its variants sit beside it, as for an upload).
    pub image: String,
    pub prompt: String,
    pub model: String,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_survive_being_split_anywhere() {
        let chunks = vec![
            ChatChunk::Text {
                text: "Smoky {\"and\"} \n bitter".into(),
            },
            ChatChunk::Note {
                text: "é ✓".into()
            },
        ];
        let wire: String = chunks.iter().map(ChatChunk::to_line).collect();
        for split in 0..wire.len() {
            if !wire.is_char_boundary(split) {
                continue;
            }
            let mut buffer = String::new();
            buffer.push_str(&wire[..split]);
            let mut got = drain_chunks(&mut buffer);
            buffer.push_str(&wire[split..]);
            got.extend(drain_chunks(&mut buffer));
            assert_eq!(got, chunks, "split at {split}");
            assert!(buffer.is_empty());
        }
    }

    #[test]
    fn every_chunk_and_offer_reads_back_as_written() {
        let card = |offer| ChatCard {
            drink_id: "d".into(),
            name: "Paloma".into(),
            image: "/p.svg".into(),
            reason: "Bright".into(),
            alcohol_free: false,
            abv: 10.5,
            available: true,
            offer,
        };
        let message = ChatMessage {
            id: "m".into(),
            role: ChatRole::Bartender,
            text: "Try these".into(),
            cards: vec![card(Some(Offer::Order)), card(None)],
            note: None,
            source: "house".into(),
            created_at: 1,
            html: Some("<p>Try these</p>".into()),
        };
        let chunks = [
            ChatChunk::Asked {
                message: message.clone(),
            },
            ChatChunk::Text { text: "Try".into() },
            ChatChunk::Card {
                card: card(Some(Offer::Cancel {
                    order_id: "o".into(),
                })),
            },
            ChatChunk::Note { text: "n".into() },
            ChatChunk::Done { message },
        ];
        crate::model::assert_reads_back(chunks);
        // The wire as it always was (stored chat messages hold offers in this form, too).
        crate::model::assert_writes(
            &Offer::Cancel {
                order_id: "o".into(),
            },
            r#"{"kind":"cancel","order_id":"o"}"#,
        );
        assert_eq!(
            ChatChunk::Text { text: "t".into() }.to_line(),
            "{\"type\":\"text\",\"text\":\"t\"}\n"
        );
        crate::model::assert_names_missing::<Offer>(r#"{"kind":"cancel"}"#, "order_id");
        assert!(serde_json::from_str::<ChatChunk>(r#"{"type":"done"}"#).is_err());
    }

    #[test]
    fn strength_ranges_cover_every_abv_once() {
        for abv in [0.0, 5.0, 11.9, 12.0, 23.9, 24.0, 40.0] {
            let fitting = [Strength::Light, Strength::Medium, Strength::Strong]
                .into_iter()
                .filter(|s| s.fits(abv))
                .count();
            assert_eq!(fitting, 1, "{abv}");
        }
    }
}

#[cfg(test)]
mod model_name_tests {
    use super::model_name;

    #[test]
    fn model_ids_read_as_names() {
        assert_eq!(model_name("amazon.nova-lite-v1:0"), "Amazon Nova Lite");
        assert_eq!(
            model_name("us.anthropic.claude-3-5-haiku-20241022-v1:0"),
            "Anthropic Claude 3 5 Haiku"
        );
        assert_eq!(
            model_name("meta.llama3-1-8b-instruct-v1:0"),
            "Meta Llama3 1 8b Instruct"
        );
        assert_eq!(model_name("house"), "house");
    }
}
