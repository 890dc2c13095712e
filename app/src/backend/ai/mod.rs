//! The AI bartender. Two recommenders sit behind one trait: the house recommender (local,
//! deterministic, the default) and Amazon Bedrock (`BARBACK_AI=bedrock`). Whatever a recommender
//! says passes through [`Bartender::answer`], which keeps only drinks that are on the menu,
//! available now and safe for the guest's profile, and falls back to the house recommender when
//! the model fails or picks nothing usable.

pub mod answer;
pub mod bedrock;
pub mod local;
pub mod taste;

use crate::i18n::Locale;
use crate::model::{ChatCard, ChatChunk, Drink, SharedMenu, TasteProfile};
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};
use std::sync::Arc;
use std::time::Duration;

pub use local::HouseRecommender;

/// The most cards one answer shows.
pub const MAX_CARDS: usize = 3;

/// A guest's request, with everything a recommender may use.
#[derive(Clone, Debug)]
pub struct Ask {
    pub text: String,
    pub profile: TasteProfile,
    pub menu: SharedMenu,
    /// The guest's language: the answer is written in it.
    pub locale: Locale,
}

/// What a recommender produces, piece by piece.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Text(String),
    /// A drink by menu id, with why it fits. Checked before any guest sees it.
    Pick {
        drink_id: String,
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("the model did not answer in time")]
    Timeout,
    #[error("the model failed: {0}")]
    Model(String),
    #[error("the model's answer could not be read: {0}")]
    Parse(String),
}

pub type PieceStream = BoxStream<'static, Result<Piece, AiError>>;

/// What a guest's message tells us beyond the request itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Learned {
    pub likes: Vec<String>,
    pub dislikes: Vec<String>,
    pub allergies: Vec<String>,
    /// Drinks asked for that are not on the menu.
    pub wishes: Vec<String>,
}

/// The facts about a drink that a photo prompt is written from.
#[derive(Clone, Debug, PartialEq)]
pub struct PromptDrink {
    pub name: String,
    pub description: String,
    pub glass: String,
    pub color: String,
    pub ingredients: Vec<String>,
}

/// A recommender: the house rules or a language model.
pub trait Recommender: Send + Sync + std::fmt::Debug {
    /// Shown with each answer: "house" or "bedrock".
    fn source(&self) -> &'static str;
    /// Streams an answer: text and picks, in any order.
    fn recommend(&self, ask: Ask) -> PieceStream;
    /// Extracts stated likes, dislikes, allergies and off-menu wishes from a message.
    fn learn(&self, text: String, menu: SharedMenu)
        -> BoxFuture<'static, Result<Learned, AiError>>;
    /// A photo prompt in the house style for a new drink.
    fn image_prompt(&self, drink: PromptDrink) -> BoxFuture<'static, Result<String, AiError>>;
}

/// The hard limits on what may be recommended: the profile's, plus any stated in this message
/// ("no alcohol, I'm driving", "I'm allergic to nuts"). A model cannot talk its way past them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub alcohol_free: bool,
    pub allergies: Vec<String>,
}

impl Constraints {
    pub fn new(profile: &TasteProfile, intent: &taste::Intent) -> Self {
        let mut allergies: Vec<String> = profile
            .allergies
            .iter()
            .chain(&intent.allergies)
            .map(|a| taste::allergy_family(a))
            .filter(|a| !a.is_empty())
            .collect();
        allergies.dedup();
        Constraints {
            alcohol_free: profile.alcohol_free || intent.alcohol_free,
            allergies,
        }
    }

    /// Why a drink may not be recommended, if it may not.
    pub fn refuse(&self, drink: &Drink) -> Option<String> {
        if !drink.available {
            return Some("not available right now".into());
        }
        if self.alcohol_free && !drink.alcohol_free {
            return Some("not alcohol-free".into());
        }
        self.allergies.iter().find_map(|allergy| {
            taste::allergen_in(drink, allergy).map(|what| format!("{what} (allergy: {allergy})"))
        })
    }
}

/// Turns a recommender's picks into cards, keeping only what may be shown.
#[derive(Debug)]
struct Guard {
    menu: SharedMenu,
    constraints: Constraints,
    shown: Vec<String>,
}

impl Guard {
    fn card(&mut self, drink_id: &str, reason: &str) -> Option<ChatCard> {
        let Some(drink) = self.menu.drink(drink_id.trim()) else {
            tracing::warn!(
                drink_id,
                "recommender picked a drink that is not on the menu: dropped"
            );
            return None;
        };
        if let Some(why) = self.constraints.refuse(drink) {
            tracing::warn!(drink = %drink.name, why, "recommender pick refused");
            return None;
        }
        if self.shown.len() >= MAX_CARDS || self.shown.contains(&drink.id) {
            return None;
        }
        self.shown.push(drink.id.clone());
        Some(card_for(drink, &clean_reason(reason, drink)))
    }
}

/// A reason as the guest sees it: plain text, one paragraph, at most 300 characters.
fn clean_reason(reason: &str, drink: &Drink) -> String {
    let text: String = reason
        .chars()
        .filter(|c| !c.is_control() && *c != '<' && *c != '>')
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return drink.description.clone();
    }
    match text.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

pub fn card_for(drink: &Drink, reason: &str) -> ChatCard {
    ChatCard {
        drink_id: drink.id.clone(),
        name: drink.name.clone(),
        image: drink.image.clone(),
        reason: reason.to_string(),
        alcohol_free: drink.alcohol_free,
        abv: drink.abv,
        available: drink.available,
    }
}

/// The configured recommender with the house recommender behind it.
#[derive(Clone, Debug)]
pub struct Bartender {
    primary: Arc<dyn Recommender>,
    house: Arc<HouseRecommender>,
    /// How long to wait for the model's first words, and between pieces, before falling back.
    patience: Duration,
}

pub const FALLBACK_NOTE: &str =
    "The AI bartender is not answering right now, so these picks come from the house recommender.";
pub const NOTHING_USABLE_NOTE: &str =
    "The AI bartender's picks were not on tonight's menu, so these come from the house recommender.";

impl Bartender {
    pub fn new(primary: Arc<dyn Recommender>, patience: Duration) -> Self {
        Bartender {
            primary,
            house: Arc::new(HouseRecommender),
            patience,
        }
    }

    pub fn house() -> Self {
        Bartender::new(Arc::new(HouseRecommender), Duration::from_secs(10))
    }

    pub fn source(&self) -> &'static str {
        self.primary.source()
    }

    pub fn recommender(&self) -> Arc<dyn Recommender> {
        self.primary.clone()
    }

    /// The answer to a guest, as chunks: text as it is produced, checked cards, and a note when
    /// the house recommender had to step in. Never fails: the worst case is the house's answer.
    pub fn answer(&self, ask: Ask) -> BoxStream<'static, ChatChunk> {
        let intent = taste::understand(&ask.text, &ask.menu);
        let guard = Guard {
            menu: ask.menu.clone(),
            constraints: Constraints::new(&ask.profile, &intent),
            shown: Vec::new(),
        };
        let primary = self.primary.clone();
        let house = self.house.clone();
        let patience = self.patience;
        let is_house = primary.source() == house.source();
        let (tx, rx) = futures::channel::mpsc::unbounded::<ChatChunk>();
        // The answer is produced by its own task, so it completes (and is stored) even if the
        // guest closes the page half-way.
        let producer = async move {
            let mut guard = guard;
            let mut wrote_text = false;
            let mut failed = None;
            let mut stream = primary.recommend(ask.clone());
            loop {
                let next = tokio::time::timeout(patience, stream.next()).await;
                let piece = match next {
                    Err(_) => {
                        failed = Some(AiError::Timeout);
                        break;
                    }
                    Ok(None) => break,
                    Ok(Some(Err(err))) => {
                        failed = Some(err);
                        break;
                    }
                    Ok(Some(Ok(piece))) => piece,
                };
                let chunk = match piece {
                    Piece::Text(text) => {
                        wrote_text = true;
                        ChatChunk::Text { text }
                    }
                    Piece::Pick { drink_id, reason } => match guard.card(&drink_id, &reason) {
                        Some(card) => ChatChunk::Card { card },
                        None => continue,
                    },
                };
                // A guest who closed the page no longer listens; the answer is still finished.
                let _ = tx.unbounded_send(chunk);
            }
            drop(stream);
            let note = match (&failed, guard.shown.is_empty()) {
                (Some(err), _) if !is_house => {
                    tracing::warn!(error = %err, source = primary.source(), "recommender failed: house fallback");
                    Some(FALLBACK_NOTE)
                }
                (None, true) if !is_house => Some(NOTHING_USABLE_NOTE),
                _ => None,
            };
            let Some(note) = note else { return };
            let _ = tx.unbounded_send(ChatChunk::Note { text: note.into() });
            let mut fallback = house.recommend(ask);
            let mut first = true;
            while let Some(Ok(piece)) = fallback.next().await {
                let chunk = match piece {
                    Piece::Text(mut text) => {
                        if first && wrote_text {
                            text.insert_str(0, "\n\n");
                        }
                        first = false;
                        ChatChunk::Text { text }
                    }
                    Piece::Pick { drink_id, reason } => match guard.card(&drink_id, &reason) {
                        Some(card) => ChatChunk::Card { card },
                        None => continue,
                    },
                };
                let _ = tx.unbounded_send(chunk);
            }
        };
        tokio::spawn(producer);
        rx.boxed()
    }
}
