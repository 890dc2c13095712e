//! The AI bartender for guests: the chat (streamed), the taste profile, "Forget me".

use crate::error::AppError;
use crate::model::ChatHistory;
use leptos::prelude::*;
use leptos::server_fn::codec::{StreamingText, TextStream};

/// The guest's chat and profile; cards in the history show whether they can be ordered now.
#[server(endpoint = "bartender/load_chat")]
pub async fn load_chat() -> Result<ChatHistory, AppError> {
    super::answer(
        async move {
            use crate::backend::auth;
            let (state, guest) = auth::require_guest().await.inspect_err(|err| {
                // A guest once saw "Join the party to chat" with a cookie that still worked (#16):
                // say whether this request carried a guest cookie at all (never its value).
                if *err == AppError::Unauthorized {
                    let cookie = crate::backend::AppState::from_context().is_ok_and(|state| {
                        state
                            .cookies
                            .read(&auth::request_headers(), auth::GUEST)
                            .is_some()
                    });
                    tracing::info!(guest_cookie = cookie, "chat refused: no guest session");
                }
            })?;
            let menu = state.menu.snapshot();
            let mut messages = state.store.chat_history(&guest.id).await?;
            for card in messages.iter_mut().flat_map(|m| m.cards.iter_mut()) {
                card.available = menu.drink(&card.drink_id).is_some_and(|d| d.available);
            }
            Ok(ChatHistory {
                guest_name: guest.name,
                messages,
                profile: state.store.taste_profile(&guest.id).await?,
                messages_per_hour: state.config.ai_messages_per_hour,
                bartender: state.ai.source().to_string(),
            })
        }
        .await,
    )
}

/// Asks the bartender. The answer streams back as lines of JSON (`ChatChunk`): the stored
/// question, words as they are produced, checked drink cards, notes, and the stored answer.
#[server(output = StreamingText, endpoint = "bartender/ask_bartender")]
pub async fn ask_bartender(message: String) -> Result<TextStream<AppError>, AppError> {
    super::answer(
        async move {
            use crate::backend::ai::{Ask, FALLBACK_NOTE, NOTHING_USABLE_NOTE};
            use crate::backend::store::chat::NewAnswer;
            use crate::domain::ChatText;
            use crate::model::ChatChunk;
            use futures::StreamExt;

            let (state, guest) = crate::backend::auth::require_guest().await?;
            let text = ChatText::parse(&message)?;
            let asked = state
                .store
                .ask_bartender(&guest.id, text.as_str(), state.config.ai_messages_per_hour)
                .await?;
            state.jobs.nudge();
            let profile = state.store.taste_profile(&guest.id).await?;
            let mut answer = state.ai.answer(Ask {
                text: text.as_str().to_string(),
                profile,
                menu: state.menu.snapshot(),
            });
            let (tx, rx) = futures::channel::mpsc::unbounded::<Result<String, AppError>>();
            let _ = tx.unbounded_send(Ok(ChatChunk::Asked {
                message: asked.clone(),
            }
            .to_line()));
            let source = state.ai.source();
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
                    let _ = tx.unbounded_send(Ok(chunk.to_line()));
                }
                let fell_back = note
                    .as_deref()
                    .is_some_and(|n| n == FALLBACK_NOTE || n == NOTHING_USABLE_NOTE);
                let stored = state
                    .store
                    .record_answer(&NewAnswer {
                        guest_id: &guest.id,
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
                        tracing::info!(guest = %guest.id, cards = message.cards.len(), "bartender answered");
                        let _ = tx.unbounded_send(Ok(ChatChunk::Done { message }.to_line()));
                    }
                    Ok(None) => tracing::info!(guest = %guest.id, "answer not stored: the chat was forgotten"),
                    Err(err) => {
                        tracing::error!(error = %err, "could not store the bartender's answer");
                        let _ = tx.unbounded_send(Err(AppError::Internal));
                    }
                }
            });
            Ok(TextStream::new(rx))
        }
        .await,
    )
}

/// Saves the taste profile form. Terms are comma-separated.
#[server(endpoint = "bartender/save_taste")]
pub async fn save_taste(
    likes: String,
    dislikes: String,
    allergies: String,
    #[server(default)] alcohol_free: Option<String>,
    strength: String,
) -> Result<(), AppError> {
    super::answer(
        async move {
            use crate::domain::TasteTerms;
            use crate::model::{Strength, TasteProfile};
            let (state, guest) = crate::backend::auth::require_guest().await?;
            let profile = TasteProfile {
                likes: TasteTerms::parse("likes", &likes)?.into_vec(),
                dislikes: TasteTerms::parse("dislikes", &dislikes)?.into_vec(),
                allergies: TasteTerms::parse("allergies", &allergies)?.into_vec(),
                alcohol_free: alcohol_free.is_some_and(|v| !v.is_empty() && v != "false"),
                strength: Strength::parse(&strength).ok_or_else(|| {
                    AppError::invalid("strength", "Pick a strength from the list.")
                })?,
                learned: Vec::new(),
            };
            state.store.save_taste_profile(&guest.id, &profile).await?;
            leptos_axum::redirect("/bartender");
            Ok(())
        }
        .await,
    )
}

/// Removes one term (a like, dislike or allergy) from the profile.
#[server(endpoint = "bartender/forget_taste_term")]
pub async fn forget_taste_term(term: String) -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, guest) = crate::backend::auth::require_guest().await?;
            state
                .store
                .forget_taste_term(&guest.id, term.trim())
                .await?;
            leptos_axum::redirect("/bartender");
            Ok(())
        }
        .await,
    )
}

/// "Forget me": deletes the guest's taste profile, chat history and wishes.
#[server(endpoint = "bartender/forget_me")]
pub async fn forget_me() -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, guest) = crate::backend::auth::require_guest().await?;
            state.store.forget_guest_chat(&guest.id).await?;
            tracing::info!(guest = %guest.id, "guest asked to be forgotten");
            leptos_axum::redirect("/bartender");
            Ok(())
        }
        .await,
    )
}
