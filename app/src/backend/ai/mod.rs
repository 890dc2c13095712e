//! The AI bartender. Two recommenders sit behind one trait: the house recommender (local,
//! deterministic, the default) and Amazon Bedrock (`BARBACK_AI=bedrock`). Whatever a recommender
//! says passes through [`Bartender::answer`], which keeps only drinks that are on the menu,
//! available now and safe for the guest's profile, and falls back to the house recommender when
//! the model fails or picks nothing usable.

pub mod answer;
pub mod bedrock;
pub mod embeddings;
pub mod local;
pub mod pictures;
pub mod taste;
pub mod tools;

use crate::i18n::Locale;
use crate::model::{
    ChatCard, ChatChunk, ChatMessage, ChatRole, Drink, Offer, SharedMenu, TasteProfile,
};
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};
use std::future::Future;
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
    /// The conversation so far, oldest first, as much as [`HISTORY_TOKENS`] allows: what "lighter
    /// than that" or "the second one" refer to.
    pub history: Vec<Turn>,
    /// What the bartender may do for this guest in this answer (order, cancel, look up their
    /// orders), when the bar lends its doors; without them it can only suggest.
    pub tools: Option<Arc<tools::Toolbox>>,
    /// The drinks' embeddings, when there is retrieval (Bedrock with an embedding model).
    pub vectors: Option<Arc<embeddings::DrinkVectors>>,
}

/// One earlier message of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    pub role: ChatRole,
    pub text: String,
    /// The drinks a bartender's answer showed, in the order shown (ids).
    pub picks: Vec<String>,
}

impl Turn {
    /// A rough count of the tokens a model reads for this turn: about four characters each, and a
    /// few for the message itself and each pick's tag.
    fn tokens(&self) -> usize {
        let chars =
            self.text.chars().count() + self.picks.iter().map(|p| p.len() + 16).sum::<usize>();
        chars.div_ceil(4) + 4
    }
}

/// How much of the conversation goes with a new message, in tokens: the newest turns that fit,
/// the oldest dropped first.
pub const HISTORY_TOKENS: usize = 1500;

/// The newest turns of a conversation that fit in `budget` tokens, oldest first. Starts with a
/// guest's message (a model's conversation must), and leaves out answers still being written.
pub fn recent_turns(messages: &[ChatMessage], budget: usize) -> Vec<Turn> {
    let mut kept: Vec<Turn> = Vec::new();
    let mut spent = 0;
    for message in messages.iter().rev() {
        let turn = Turn {
            role: message.role,
            text: message.text.clone(),
            picks: message.cards.iter().map(|c| c.drink_id.clone()).collect(),
        };
        spent += turn.tokens();
        if spent > budget {
            break;
        }
        kept.push(turn);
    }
    while kept.last().is_some_and(|t| t.role != ChatRole::Guest) {
        kept.pop();
    }
    kept.reverse();
    kept
}

impl Ask {
    /// The drinks of the bartender's last answer, in the order shown.
    pub fn last_picks(&self) -> &[String] {
        self.history
            .iter()
            .rev()
            .find(|t| t.role == ChatRole::Bartender && !t.picks.is_empty())
            .map(|t| t.picks.as_slice())
            .unwrap_or_default()
    }
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
    /// A card a tool made, offering to order or cancel once the guest confirms.
    Offer(ChatCard),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("the model did not answer in time")]
    Timeout,
    #[error("the model failed: {0}")]
    Model(String),
    #[error("the model's answer could not be read: {0}")]
    Parse(String),
    #[error("the bar's records could not be read: {0}")]
    Records(String),
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

    /// An offer a tool made. An order is checked like a pick (on the menu, available, safe for
    /// the guest); a cancellation is of the guest's own order, whatever the menu says now. It
    /// takes the place of a pick of the same drink.
    fn offer(&mut self, card: ChatCard) -> Option<ChatCard> {
        if card.offer == Some(Offer::Order) {
            let drink = self.menu.drink(&card.drink_id)?;
            if let Some(why) = self.constraints.refuse(drink) {
                tracing::warn!(drink = %drink.name, why, "order offer refused");
                return None;
            }
        }
        if !self.shown.contains(&card.drink_id) {
            self.shown.push(card.drink_id.clone());
        }
        Some(card)
    }

    /// A piece as the guest sees it, if it may be shown.
    fn chunk(&mut self, piece: Piece) -> Option<ChatChunk> {
        match piece {
            Piece::Text(text) => Some(ChatChunk::Text { text }),
            Piece::Pick { drink_id, reason } => self
                .card(&drink_id, &reason)
                .map(|card| ChatChunk::Card { card }),
            Piece::Offer(card) => self.offer(card).map(|card| ChatChunk::Card { card }),
        }
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
        offer: None,
    }
}

pub use crate::model::HOUSE;

/// Counts the tokens each model call used, for the host.
pub trait Meter: Send + Sync + std::fmt::Debug {
    fn used(&self, model: &str, input_tokens: i64, output_tokens: i64);
}

/// Who answers now: `HOUSE` or a model's id, and the recommender that does.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub id: String,
    pub recommender: Arc<dyn Recommender>,
}

/// The configured recommenders with the house recommender behind them.
#[derive(Clone, Debug)]
pub struct Bartender {
    /// Each configured model by id, the default first; empty when only the house answers.
    models: Vec<(String, Arc<dyn Recommender>)>,
    house: Arc<HouseRecommender>,
    /// How long to wait for the model's first words, and between pieces, before falling back.
    patience: Duration,
    /// Embeds drinks for retrieval (with Bedrock and an embedding model).
    embedder: Option<embeddings::Embedder>,
    /// Makes proposed drink photos from their prompts (with Bedrock and an image model).
    images: Option<pictures::ImageMaker>,
}

/// The note shown when the model failed and the house recommender answered instead.
pub fn fallback_note(locale: Locale) -> String {
    crate::i18n::td_string!(locale, bartender.fallback_note).to_string()
}

/// The note shown when none of the model's picks could be shown and the house picked instead.
pub fn nothing_usable_note(locale: Locale) -> String {
    crate::i18n::td_string!(locale, bartender.nothing_usable_note).to_string()
}

/// The note on an answer the guest stopped half-way.
pub fn stopped_note(locale: Locale) -> String {
    crate::i18n::td_string!(locale, bartender.stopped_note).to_string()
}

/// Whether a stored answer's note says the house recommender stood in, in any language.
pub fn is_house_note(note: &str) -> bool {
    crate::language::ALL
        .into_iter()
        .any(|locale| note == fallback_note(locale) || note == nothing_usable_note(locale))
}

impl Bartender {
    /// A bartender with these models (id and recommender), the first answering until the host
    /// picks another; with none, the house answers.
    pub fn new(models: Vec<(String, Arc<dyn Recommender>)>, patience: Duration) -> Self {
        Bartender {
            models,
            house: Arc::new(HouseRecommender),
            patience,
            embedder: None,
            images: None,
        }
    }

    /// With retrieval (drinks embedded by `embedder`; the models embed messages themselves) and
    /// proposed photos (made by `images`), each when configured.
    pub fn with_media(
        self,
        embedder: Option<embeddings::Embedder>,
        images: Option<pictures::ImageMaker>,
    ) -> Self {
        Bartender {
            embedder,
            images,
            ..self
        }
    }

    /// What embeds the drinks, when there is retrieval.
    pub fn embedder(&self) -> Option<&embeddings::Embedder> {
        self.embedder.as_ref()
    }

    /// What makes proposed drink photos, when there is an image model.
    pub fn image_maker(&self) -> Option<&pictures::ImageMaker> {
        self.images.as_ref()
    }

    pub fn house() -> Self {
        Bartender::new(Vec::new(), Duration::from_secs(10))
    }

    /// The configured models' ids, the default first.
    pub fn models(&self) -> Vec<String> {
        self.models.iter().map(|(id, _)| id.clone()).collect()
    }

    /// Who answers for the host's setting: a configured model by id, the house for `HOUSE`, and
    /// the default (the first model, else the house) when nothing, or a model no longer
    /// configured, was picked.
    pub fn chosen(&self, setting: Option<&str>) -> Chosen {
        let house = || Chosen {
            id: HOUSE.to_string(),
            recommender: self.house.clone(),
        };
        if setting == Some(HOUSE) {
            return house();
        }
        self.models
            .iter()
            .find(|(id, _)| Some(id.as_str()) == setting)
            .or(self.models.first())
            .map_or_else(house, |(id, recommender)| Chosen {
                id: id.clone(),
                recommender: recommender.clone(),
            })
    }

    /// The answer to a guest, as chunks: text as it is produced, checked cards, and a note when
    /// the house recommender had to step in. Never fails: the worst case is the house's answer.
    /// When `stop` completes (the guest pressed Stop), the answer ends where it is, with a note.
    pub fn answer(
        &self,
        ask: Ask,
        chosen: &Chosen,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> BoxStream<'static, ChatChunk> {
        let intent = taste::understand(&ask.text, &ask.menu);
        let guard = Guard {
            menu: ask.menu.clone(),
            constraints: Constraints::new(&ask.profile, &intent),
            shown: Vec::new(),
        };
        let primary = chosen.recommender.clone();
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
            let mut stopped = false;
            let mut stop = std::pin::pin!(stop);
            let mut stream = primary.recommend(ask.clone());
            loop {
                let next = tokio::select! {
                    biased;
                    () = &mut stop => {
                        stopped = true;
                        break;
                    }
                    next = tokio::time::timeout(patience, stream.next()) => next,
                };
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
                wrote_text |= matches!(piece, Piece::Text(_));
                let Some(chunk) = guard.chunk(piece) else {
                    continue;
                };
                // A guest who closed the page no longer listens; the answer is still finished.
                let _ = tx.unbounded_send(chunk);
            }
            // Dropping the model's stream ends its request: a stopped answer costs no more tokens.
            drop(stream);
            if stopped {
                let _ = tx.unbounded_send(ChatChunk::Note {
                    text: stopped_note(ask.locale),
                });
                return;
            }
            // An answer that looked something up or offered a card needs no picks.
            let acted = ask.tools.as_ref().is_some_and(|t| !t.used().is_empty());
            let note = match (&failed, guard.shown.is_empty() && !acted) {
                (Some(err), _) if !is_house => {
                    tracing::warn!(error = %err, source = primary.source(), "recommender failed: house fallback");
                    Some(fallback_note(ask.locale))
                }
                (None, true) if !is_house => Some(nothing_usable_note(ask.locale)),
                _ => None,
            };
            let Some(note) = note else { return };
            let _ = tx.unbounded_send(ChatChunk::Note { text: note });
            let mut fallback = house.recommend(ask);
            let mut first = true;
            while let Some(Ok(mut piece)) = fallback.next().await {
                if let Piece::Text(text) = &mut piece {
                    if first && wrote_text {
                        text.insert_str(0, "\n\n");
                    }
                    first = false;
                }
                if let Some(chunk) = guard.chunk(piece) {
                    let _ = tx.unbounded_send(chunk);
                }
            }
        };
        tokio::spawn(producer);
        rx.boxed()
    }
}
