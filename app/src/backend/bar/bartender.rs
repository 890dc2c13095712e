//! The AI bartender: a guest's message within their hourly budget, and the answer streamed back
//! and kept (even if the guest leaves half-way).

use super::Bar;
use crate::backend::ai::local::{self, Acting};
use crate::backend::ai::{card_for, is_house_note, recent_turns, Ask, HISTORY_TOKENS};
use crate::backend::store::chat::{self, NewAnswer};
use crate::backend::store::guests::GuestRow;
use crate::backend::store::{guests, new_id, now_ms, retrying, TxError};
use crate::domain::ChatText;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::i18n::Locale;
use crate::model::{
    pick_up_sentence, ready_sentence, ChatChunk, ChatHistory, ChatMessage, ChatRole, Drink,
    GuestOrders, Offer, OrderStatus,
};
use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::stream::BoxStream;
use futures::StreamExt;

const HOUR_MS: i64 = 3_600_000;

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
            bartender: self.ai.source().to_string(),
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
        // The conversation so far, read before this message joins it.
        let earlier = self.store.chat_history(guest_id).await?;
        let asked = retrying(|| self.try_keep_question(guest_id, text)).await?;
        self.jobs.nudge();
        let profile = self.store.taste_profile(guest_id).await?;
        let ask = Ask {
            text: text.as_str().to_string(),
            profile,
            menu: self.menu.snapshot(),
            locale,
            history: recent_turns(&earlier, HISTORY_TOKENS),
        };
        // Asked to do something (order, cancel, where is my drink): the bar answers from its own
        // records, whichever recommender is configured; otherwise the bartender suggests.
        let (mut answer, source) = match local::acting(&ask) {
            Some(acting) => (self.act(guest_id, acting, &ask).await?, "house"),
            None => (self.ai.answer(ask), self.ai.source()),
        };
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

    /// The answer to a guest who asked the bar to do something. An order or a cancellation is
    /// only offered: a card the guest confirms ("Yes, order it", "Yes, cancel it") through the
    /// same doors as the order page, with the same limits. Where their drinks are comes from the
    /// database, never from a model.
    async fn act(
        &self,
        guest_id: &str,
        acting: Acting,
        ask: &Ask,
    ) -> Result<BoxStream<'static, ChatChunk>, AppError> {
        let locale = ask.locale;
        let mut chunks: Vec<ChatChunk> = Vec::new();
        let mut card = |drink: &Drink, reason: String, offer: Offer| {
            let mut card = card_for(drink, &reason);
            card.offer = Some(offer);
            chunks.push(ChatChunk::Card { card });
        };
        let text = match acting {
            Acting::Order(drink_id) => match ask.menu.drink(&drink_id) {
                Some(drink) => {
                    let name = &drink.name;
                    card(
                        drink,
                        td_string!(locale, bartender.order_offer_reason).to_string(),
                        Offer::Order,
                    );
                    td_string!(locale, bartender.order_offer, name).to_string()
                }
                None => td_string!(locale, bartender.nothing_to_order).to_string(),
            },
            Acting::Cancel(named) => {
                let mine = self.store.guest_orders(guest_id).await?;
                let queued = mine.iter().find(|o| {
                    o.status == OrderStatus::Queued
                        && (named.is_empty() || named.contains(&o.drink_id))
                });
                match queued.and_then(|o| ask.menu.drink(&o.drink_id).map(|d| (o, d))) {
                    Some((order, drink)) => {
                        let name = &order.drink_name;
                        card(
                            drink,
                            td_string!(locale, bartender.cancel_offer_reason).to_string(),
                            Offer::Cancel {
                                order_id: order.id.clone(),
                            },
                        );
                        td_string!(locale, bartender.cancel_offer, name).to_string()
                    }
                    None => td_string!(locale, bartender.nothing_to_cancel).to_string(),
                }
            }
            Acting::Status => self.where_are_my_drinks(guest_id, locale).await?,
        };
        chunks.insert(0, ChatChunk::Text { text });
        Ok(futures::stream::iter(chunks).boxed())
    }

    /// "Your Paloma is #2 in the queue, about 4 min. Your Negroni is ready! Pick it up at the bar."
    async fn where_are_my_drinks(
        &self,
        guest_id: &str,
        locale: Locale,
    ) -> Result<String, AppError> {
        let GuestOrders { orders, place } = self.my_orders(guest_id).await?;
        let lines: Vec<String> = orders
            .iter()
            .filter_map(|tracked| {
                let drink = &tracked.order.drink_name;
                match (
                    tracked.order.status,
                    tracked.queue_position,
                    tracked.eta_minutes,
                ) {
                    (OrderStatus::Queued, Some(place), Some(eta)) => Some(
                        td_string!(locale, bartender.status_queued, drink, place, eta).to_string(),
                    ),
                    (OrderStatus::Making, _, Some(eta)) => {
                        Some(td_string!(locale, bartender.status_making, drink, eta).to_string())
                    }
                    (OrderStatus::Ready, ..) => Some(format!(
                        "{}. {}",
                        ready_sentence(locale, &tracked.order),
                        pick_up_sentence(locale, &place)
                    )),
                    _ => None,
                }
            })
            .collect();
        Ok(if lines.is_empty() {
            td_string!(locale, bartender.status_none).to_string()
        } else {
            lines.join(" ")
        })
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
        };
        chat::insert_guest_message(&mut tx, guest_id, &message).await?;
        tx.commit().await?;
        Ok(message)
    }
}
