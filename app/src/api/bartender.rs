//! The AI bartender for guests: the chat (streamed), the taste profile, "Forget me".

use crate::error::AppError;
use crate::model::ChatHistory;
use leptos::prelude::*;
use leptos::server_fn::codec::{StreamingText, TextStream};

/// The guest's chat and profile; cards in the history show whether they can be ordered now.
#[server(output = crate::api::Answer, endpoint = "bartender/load_chat")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_chat", skip_all))]
pub async fn load_chat() -> Result<ChatHistory, AppError> {
    super::as_guest(async |state, guest| state.bar().chat_history(guest).await).await
}

/// Asks the bartender. The answer streams back as lines of JSON (`ChatChunk`): the stored
/// question, words as they are produced, checked drink cards, notes, and the stored answer.
#[server(output = StreamingText, endpoint = "bartender/ask_bartender")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "ask_bartender", skip_all))]
pub async fn ask_bartender(message: String) -> Result<TextStream<AppError>, AppError> {
    super::as_guest(async |state, guest| {
        let text = crate::domain::ChatText::parse(&message)?;
        let locale = crate::backend::language::of_request();
        let lines = state.bar().ask_bartender(&guest.id, &text, locale).await?;
        Ok(TextStream::new(lines))
    })
    .await
}

/// Stop: the answer being written for the guest ends where it is (what was written is kept).
#[server(output = crate::api::Answer, endpoint = "bartender/stop_answer")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "stop_answer", skip_all))]
pub async fn stop_answer() -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        state.bar().stop_answer(&guest.id);
        Ok(())
    })
    .await
}

/// Saves the taste profile form. Terms are comma-separated.
#[server(output = crate::api::Answer, endpoint = "bartender/save_taste")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_taste", skip_all))]
pub async fn save_taste(
    likes: String,
    dislikes: String,
    allergies: String,
    #[server(default)] alcohol_free: Option<String>,
    strength: String,
) -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        use crate::domain::TasteTerms;
        use crate::model::{Strength, TasteProfile};
        let profile = TasteProfile {
            likes: TasteTerms::parse("likes", &likes)?.into_vec(),
            dislikes: TasteTerms::parse("dislikes", &dislikes)?.into_vec(),
            allergies: TasteTerms::parse("allergies", &allergies)?.into_vec(),
            alcohol_free: alcohol_free.is_some_and(|v| !v.is_empty() && v != "false"),
            strength: Strength::parse(&strength)
                .ok_or_else(|| AppError::invalid("strength", crate::says!(errors.strength_pick)))?,
            learned: Vec::new(),
        };
        state.bar().save_taste(&guest.id, &profile).await?;
        leptos_axum::redirect("/bartender");
        Ok(())
    })
    .await
}

/// Removes one term (a like, dislike or allergy) from the profile.
#[server(output = crate::api::Answer, endpoint = "bartender/forget_taste_term")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "forget_taste_term", skip_all)
)]
pub async fn forget_taste_term(term: String) -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        state.bar().forget_taste_term(&guest.id, &term).await?;
        leptos_axum::redirect("/bartender");
        Ok(())
    })
    .await
}

/// "Forget me": deletes the guest's taste profile, chat history and wishes.
#[server(output = crate::api::Answer, endpoint = "bartender/forget_me")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "forget_me", skip_all))]
pub async fn forget_me() -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        state.bar().forget_me(&guest.id).await?;
        leptos_axum::redirect("/bartender");
        Ok(())
    })
    .await
}

/// "New conversation": the chat starts afresh; the taste profile stays.
#[server(output = crate::api::Answer, endpoint = "bartender/new_conversation")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "new_conversation", skip_all)
)]
pub async fn new_conversation() -> Result<(), AppError> {
    super::as_guest(async |state, guest| {
        state.bar().new_conversation(&guest.id).await?;
        leptos_axum::redirect("/bartender");
        Ok(())
    })
    .await
}
