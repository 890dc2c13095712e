//! The AI bartender: a guest's message within their hourly budget, and the answer streamed back
//! and kept (even if the guest leaves half-way).

use super::Bar;
use crate::backend::ai::tools::{Doors, Toolbox};
use crate::backend::ai::{
    is_house_note, recent_turns, AiError, Ask, Chosen, HISTORY_TOKENS, HOUSE,
};
use crate::backend::hub::HubMessage;
use crate::backend::store::chat::{self, NewAnswer};
use crate::backend::store::guests::GuestRow;
use crate::backend::store::{guests, new_id, now_ms, retrying, TxError};
use crate::domain::ChatText;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{BartenderSettings, ChatChunk, ChatHistory, ChatMessage, ChatRole, GuestOrders};
use crate::says;
use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::future::BoxFuture;
use futures::StreamExt;
use std::sync::Arc;
use tokio::sync::broadcast;

const HOUR_MS: i64 = 3_600_000;

/// The setting that names who answers guests: `house` or a model's id.
const BARTENDER_MODEL: &str = "bartender_model";

/// The answer as it is written: one JSON line (`ChatChunk`) per piece.
pub type AnswerLines = UnboundedReceiver<Result<String, AppError>>;

impl Bar {
    /// The guest's chat and taste profile; drink cards say whether they can be ordered now.
    #[tracing::instrument(skip_all, fields(guest = %guest.id))]
    pub async fn chat_history(&self, guest: &GuestRow) -> Result<ChatHistory, AppError> {
        let menu = self.menu.snapshot();
        let mut messages = self.store.chat_history(&guest.id).await?;
        for card in messages.iter_mut().flat_map(|m| m.cards.iter_mut()) {
            card.available = menu.drink(&card.drink_id).is_some_and(|d| d.available);
        }
        Ok(ChatHistory {
            guest_name: guest.name.clone(),
            messages,
            profile: self.store.taste_profile(&guest.id).await?,
            messages_per_hour: self.rules.ai_messages_per_hour,
            bartender: self.bartender().await?.id,
        })
    }

    /// Asks the bartender for the guest: the message is kept and spent from the hourly budget,
    /// then the answer streams back (the stored question first, words as they come, checked drink
    /// cards, notes, and the stored answer last), in the guest's language.
    #[tracing::instrument(skip_all, fields(guest = %guest_id))]
    pub async fn ask_bartender(
        &self,
        guest_id: &str,
        text: &ChatText,
        locale: Locale,
    ) -> Result<AnswerLines, AppError> {
        let asked = retrying(|| self.try_keep_question(guest_id, text)).await?;
        self.jobs.nudge();
        // The conversation so far, without the message just kept.
        let mut earlier = self.store.chat_history(guest_id).await?;
        earlier.retain(|m| m.id != asked.id);
        let profile = self.store.taste_profile(guest_id).await?;
        let tools = Arc::new(Toolbox::new(Arc::new(GuestDoors {
            bar: self.clone(),
            guest_id: guest_id.to_string(),
        })));
        let chosen = self.bartender().await?;
        // With retrieval, a model gets the drinks nearest to the message among its candidates.
        let vectors = match self.ai.embedder() {
            Some(embedder) if chosen.id != HOUSE => Some(Arc::new(
                self.store.drink_vectors(embedder.model_id()).await?,
            )),
            _ => None,
        };
        let ask = Ask {
            text: text.as_str().to_string(),
            profile,
            menu: self.menu.snapshot(),
            locale,
            history: recent_turns(&earlier, HISTORY_TOKENS),
            tools: Some(tools.clone()),
            vectors,
        };
        let source = chosen.recommender.source();
        let stop = stop_pressed(self.hub.subscribe(), guest_id.to_string());
        let mut answer = self.ai.answer(ask, &chosen, stop);
        let (lines, rx) = unbounded::<Result<String, AppError>>();
        let _ = lines.unbounded_send(Ok(ChatChunk::Asked {
            message: asked.clone(),
        }
        .to_line()));
        let store = self.store.clone();
        let metrics = self.metrics.clone();
        let guest_id = guest_id.to_string();
        // Its own task: the answer is stored even if the guest leaves half-way.
        tokio::spawn(async move {
            let (mut text, mut cards, mut note) = (String::new(), Vec::new(), None::<String>);
            while let Some(chunk) = answer.next().await {
                match &chunk {
                    ChatChunk::Text { text: more } => text.push_str(more),
                    ChatChunk::Card { card } => cards.push(card.clone()),
                    ChatChunk::Note { text } => note = Some(text.clone()),
                    _ => {}
                }
                let _ = lines.unbounded_send(Ok(chunk.to_line()));
            }
            let fell_back = note.as_deref().is_some_and(is_house_note);
            metrics.bartender_answered(source, fell_back);
            let stored = store
                .record_answer(&NewAnswer {
                    guest_id: &guest_id,
                    asked_id: &asked.id,
                    asked_at: asked.created_at,
                    text: text.trim(),
                    cards: &cards,
                    note: note.as_deref(),
                    source: if fell_back { "house" } else { source },
                    tools: &tools.used(),
                })
                .await;
            match stored {
                Ok(Some(message)) => {
                    tracing::info!(guest = %guest_id, cards = message.cards.len(), "bartender answered");
                    let _ = lines.unbounded_send(Ok(ChatChunk::Done { message }.to_line()));
                }
                Ok(None) => {
                    tracing::info!(guest = %guest_id, "answer not stored: the chat was forgotten")
                }
                Err(err) => {
                    tracing::error!(error = %err, "could not store the bartender's answer");
                    let _ = lines.unbounded_send(Err(AppError::Internal));
                }
            }
        });
        Ok(rx)
    }

    /// Stop: the answer being written for the guest ends where it is, on whichever server writes
    /// it; what was written is kept with a note. Nothing happens when nothing is being written.
    #[tracing::instrument(skip_all, fields(guest = %guest_id))]
    pub fn stop_answer(&self, guest_id: &str) {
        self.hub.stop_answer(guest_id);
        tracing::info!("answer stopped");
    }

    /// Who answers guests now, as the host set it (the first configured model until then).
    pub async fn bartender(&self) -> Result<Chosen, AppError> {
        let setting = self.store.setting(BARTENDER_MODEL).await?;
        Ok(self.ai.chosen(setting.as_deref()))
    }

    /// Who answers, the models there are to choose from, and the tokens each has used.
    pub async fn bartender_settings(&self) -> Result<BartenderSettings, AppError> {
        Ok(BartenderSettings {
            active: self.bartender().await?.id,
            models: self.ai.models(),
            usage: self.store.model_usage().await?,
        })
    }

    /// Picks who answers guests from the next message on: `house`, or a configured model.
    #[tracing::instrument(skip(self))]
    pub async fn set_bartender(&self, model: &str) -> Result<BartenderSettings, AppError> {
        let model = model.trim();
        if model != HOUSE && !self.ai.models().iter().any(|m| m == model) {
            return Err(AppError::invalid("model", says!(errors.unknown_model)));
        }
        self.store.set_setting(BARTENDER_MODEL, model).await?;
        tracing::info!(model, "bartender changed");
        self.bartender_settings().await
    }

    /// Starts a new conversation: the bartender no longer refers back to what was said, and the
    /// guest's page shows an empty chat. The taste profile, the budget and the host's figures stay.
    #[tracing::instrument(skip_all, fields(guest = %guest_id))]
    pub async fn new_conversation(&self, guest_id: &str) -> Result<(), AppError> {
        self.store.start_conversation(guest_id, now_ms()).await?;
        tracing::info!("new conversation");
        Ok(())
    }

    /// Keeps the guest's message if this hour's budget allows it; one guest's messages are taken
    /// one at a time, so two at once cannot both take the last place.
    async fn try_keep_question(
        &self,
        guest_id: &str,
        text: &ChatText,
    ) -> Result<ChatMessage, TxError> {
        let now = now_ms();
        let mut tx = self.store.begin_write().await?;
        if !guests::hold_guest(&mut tx, guest_id, now).await? {
            return Err(AppError::Unauthorized.into());
        }
        let (spent, oldest) = chat::spent_since(&mut tx, guest_id, now - HOUR_MS).await?;
        if spent >= i64::from(self.rules.ai_messages_per_hour) {
            let free_at = oldest.unwrap_or(now) + HOUR_MS;
            let wait_ms = (free_at - now).max(1000);
            return Err(AppError::RateLimited {
                retry_after_secs: (wait_ms as u64).div_ceil(1000),
            }
            .into());
        }
        let message = ChatMessage {
            id: new_id(),
            role: ChatRole::Guest,
            text: text.as_str().to_string(),
            cards: Vec::new(),
            note: None,
            source: "guest".into(),
            created_at: now,
            html: None,
        };
        chat::insert_guest_message(&mut tx, guest_id, &message).await?;
        tx.commit().await?;
        Ok(message)
    }
}

/// Completes when the guest presses Stop (heard from the hub, subscribed before the answer starts
/// so no press is missed); never, if the hub closes.
async fn stop_pressed(mut hub: broadcast::Receiver<Arc<HubMessage>>, guest_id: String) {
    loop {
        match hub.recv().await {
            Ok(message) if matches!(&*message, HubMessage::StopAnswer(id) if *id == guest_id) => {
                return;
            }
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

/// The bar's records, lent to the bartender while it answers one guest.
#[derive(Debug)]
struct GuestDoors {
    bar: Bar,
    guest_id: String,
}

impl Doors for GuestDoors {
    fn orders(&self) -> BoxFuture<'static, Result<GuestOrders, AiError>> {
        let (bar, guest_id) = (self.bar.clone(), self.guest_id.clone());
        Box::pin(async move {
            bar.my_orders(&guest_id)
                .await
                .map_err(|err| AiError::Records(err.to_string()))
        })
    }
}
