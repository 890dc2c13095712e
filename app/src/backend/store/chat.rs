//! The bartender's memory: taste profiles, chat messages, the host's wish list and drink photo
//! prompts.

use super::outbox::{enqueue, JobKind, Task};
use super::{new_id, now_ms, retrying, Store};
use crate::backend::ai::tools::ToolUse;
use crate::backend::ai::Learned;
use crate::backend::markdown;
use crate::model::{
    ChatCard, ChatMessage, ChatRole, ImagePrompt, Strength, TasteProfile, WishList, WishedDrink,
    WishingGuest,
};
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
struct ProfileRow {
    likes: String,
    dislikes: String,
    allergies: String,
    alcohol_free: i64,
    strength: String,
    learned: String,
}

fn list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn json<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

impl From<ProfileRow> for TasteProfile {
    fn from(row: ProfileRow) -> Self {
        TasteProfile {
            likes: list(&row.likes),
            dislikes: list(&row.dislikes),
            allergies: list(&row.allergies),
            alcohol_free: row.alcohol_free != 0,
            strength: Strength::parse(&row.strength).unwrap_or_default(),
            learned: list(&row.learned),
        }
    }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: String,
    role: String,
    body: String,
    cards: String,
    note: Option<String>,
    source: String,
    created_at: i64,
}

impl From<MessageRow> for ChatMessage {
    fn from(row: MessageRow) -> Self {
        let role = if row.role == "guest" {
            ChatRole::Guest
        } else {
            ChatRole::Bartender
        };
        ChatMessage {
            id: row.id,
            html: (role == ChatRole::Bartender).then(|| markdown::to_html(&row.body)),
            role,
            text: row.body,
            cards: serde_json::from_str(&row.cards).unwrap_or_default(),
            note: row.note,
            source: row.source,
            created_at: row.created_at,
        }
    }
}

/// A finished answer to store.
pub struct NewAnswer<'a> {
    pub guest_id: &'a str,
    /// The guest message it answers: if that is gone ("Forget me"), nothing is stored.
    pub asked_id: &'a str,
    pub asked_at: i64,
    pub text: &'a str,
    pub cards: &'a [ChatCard],
    pub note: Option<&'a str>,
    pub source: &'a str,
    /// The tools the bartender used while answering, in order.
    pub tools: &'a [ToolUse],
}

async fn upsert_profile(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    guest_id: &str,
    profile: &TasteProfile,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into guest_profiles (guest_id, likes, dislikes, allergies, alcohol_free, strength, learned, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (guest_id) do update set likes = excluded.likes, dislikes = excluded.dislikes,
           allergies = excluded.allergies, alcohol_free = excluded.alcohol_free, strength = excluded.strength,
           learned = excluded.learned, updated_at = excluded.updated_at",
    )
    .bind(guest_id)
    .bind(json(&profile.likes))
    .bind(json(&profile.dislikes))
    .bind(json(&profile.allergies))
    .bind(i64::from(profile.alcohol_free))
    .bind(profile.strength.as_str())
    .bind(json(&profile.learned))
    .bind(now_ms())
    .execute(executor)
    .await?;
    Ok(())
}

const SELECT_PROFILE: &str =
    "select likes, dislikes, allergies, alcohol_free, strength, learned from guest_profiles where guest_id = $1";

/// What the guest's bartender budget has spent since `since`: (messages, when the oldest was).
/// The budget has its own ledger: "Forget me" deletes the messages, never what they cost.
pub async fn spent_since(
    tx: &mut Transaction<'_, Any>,
    guest_id: &str,
    since: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    sqlx::query_as(
        "select count(*), min(spent_at) from bartender_spend
          where guest_id = $1 and spent_at > $2",
    )
    .bind(guest_id)
    .bind(since)
    .fetch_one(&mut **tx)
    .await
}

/// Stores a guest's message, spends one from their budget, and queues learning from it.
pub async fn insert_guest_message(
    tx: &mut Transaction<'_, Any>,
    guest_id: &str,
    message: &ChatMessage,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into chat_messages (id, guest_id, role, body, cards, note, source, created_at)
         values ($1, $2, 'guest', $3, '[]', null, 'guest', $4)",
    )
    .bind(&message.id)
    .bind(guest_id)
    .bind(&message.text)
    .bind(message.created_at)
    .execute(&mut **tx)
    .await?;
    sqlx::query("insert into bartender_spend (id, guest_id, spent_at) values ($1, $2, $3)")
        .bind(new_id())
        .bind(guest_id)
        .bind(message.created_at)
        .execute(&mut **tx)
        .await?;
    let learn = Task::Learn {
        message_id: message.id.clone(),
    };
    enqueue(tx, &learn, guest_id).await?;
    Ok(())
}

impl Store {
    pub async fn taste_profile(&self, guest_id: &str) -> Result<TasteProfile, sqlx::Error> {
        let row: Option<ProfileRow> = sqlx::query_as(SELECT_PROFILE)
            .bind(guest_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(TasteProfile::from).unwrap_or_default())
    }

    /// Saves the profile form. Learned terms the guest kept stay marked as learned.
    #[tracing::instrument(skip(self, profile))]
    pub async fn save_taste_profile(
        &self,
        guest_id: &str,
        profile: &TasteProfile,
    ) -> Result<(), sqlx::Error> {
        retrying(|| self.try_save_taste_profile(guest_id, profile)).await
    }

    async fn try_save_taste_profile(
        &self,
        guest_id: &str,
        profile: &TasteProfile,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let old: Option<ProfileRow> = sqlx::query_as(SELECT_PROFILE)
            .bind(guest_id)
            .fetch_optional(&mut *tx)
            .await?;
        let old = old.map(TasteProfile::from).unwrap_or_default();
        let mut profile = profile.clone();
        profile.learned = old
            .learned
            .into_iter()
            .filter(|t| {
                profile.likes.contains(t)
                    || profile.dislikes.contains(t)
                    || profile.allergies.contains(t)
            })
            .collect();
        upsert_profile(&mut *tx, guest_id, &profile).await?;
        tx.commit().await
    }

    /// Merges what a message taught into the profile. A new like of something disliked (or the
    /// other way round) replaces the old opinion. Returns whether anything changed.
    #[tracing::instrument(skip(self, learned))]
    pub async fn learn_taste(
        &self,
        guest_id: &str,
        learned: &Learned,
    ) -> Result<bool, sqlx::Error> {
        retrying(|| self.try_learn_taste(guest_id, learned)).await
    }

    async fn try_learn_taste(
        &self,
        guest_id: &str,
        learned: &Learned,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let row: Option<ProfileRow> = sqlx::query_as(SELECT_PROFILE)
            .bind(guest_id)
            .fetch_optional(&mut *tx)
            .await?;
        let mut profile = row.map(TasteProfile::from).unwrap_or_default();
        let before = profile.clone();
        let mut add =
            |term: &String,
             into: fn(&mut TasteProfile) -> &mut Vec<String>,
             out_of: Option<fn(&mut TasteProfile) -> &mut Vec<String>>| {
                if let Some(out_of) = out_of {
                    out_of(&mut profile).retain(|t| t != term);
                }
                let list = into(&mut profile);
                if !list.contains(term) && list.len() < crate::domain::TasteTerms::MAX_TERMS {
                    list.push(term.clone());
                    if !profile.learned.contains(term) {
                        profile.learned.push(term.clone());
                    }
                }
            };
        for term in &learned.likes {
            add(term, |p| &mut p.likes, Some(|p| &mut p.dislikes));
        }
        for term in &learned.dislikes {
            add(term, |p| &mut p.dislikes, Some(|p| &mut p.likes));
        }
        for term in &learned.allergies {
            add(term, |p| &mut p.allergies, None);
        }
        let changed = profile != before;
        if changed {
            upsert_profile(&mut *tx, guest_id, &profile).await?;
        }
        if !learned.wishes.is_empty() {
            let name: Option<(String,)> = sqlx::query_as("select name from guests where id = $1")
                .bind(guest_id)
                .fetch_optional(&mut *tx)
                .await?;
            let name = name.map(|(n,)| n).unwrap_or_default();
            for wish in &learned.wishes {
                sqlx::query(
                    "insert into wishes (id, guest_id, guest_name, drink, drink_key, created_at)
                     values ($1, $2, $3, $4, $5, $6) on conflict (guest_id, drink_key) do nothing",
                )
                .bind(new_id())
                .bind(guest_id)
                .bind(&name)
                .bind(wish)
                .bind(wish.to_lowercase())
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Removes one term from the profile (the guest's "×" on a chip).
    pub async fn forget_taste_term(&self, guest_id: &str, term: &str) -> Result<(), sqlx::Error> {
        retrying(|| self.try_forget_taste_term(guest_id, term)).await
    }

    async fn try_forget_taste_term(&self, guest_id: &str, term: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let row: Option<ProfileRow> = sqlx::query_as(SELECT_PROFILE)
            .bind(guest_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = row {
            let mut profile = TasteProfile::from(row);
            for list in [
                &mut profile.likes,
                &mut profile.dislikes,
                &mut profile.allergies,
                &mut profile.learned,
            ] {
                list.retain(|t| t != term);
            }
            upsert_profile(&mut *tx, guest_id, &profile).await?;
        }
        tx.commit().await
    }

    /// Stores the bartender's finished answer, unless the guest has since said "Forget me".
    pub async fn record_answer(
        &self,
        answer: &NewAnswer<'_>,
    ) -> Result<Option<ChatMessage>, sqlx::Error> {
        let message = ChatMessage {
            id: new_id(),
            role: ChatRole::Bartender,
            text: answer.text.to_string(),
            cards: answer.cards.to_vec(),
            note: answer.note.map(String::from),
            source: answer.source.to_string(),
            // One millisecond after the question at least, so the history keeps its order.
            created_at: now_ms().max(answer.asked_at + 1),
            html: Some(markdown::to_html(answer.text)),
        };
        let done = sqlx::query(
            "insert into chat_messages (id, guest_id, role, body, cards, note, source, created_at, tools)
             select $1, $2, 'bartender', $3, $4, $5, $6, $7, $9
              where exists (select 1 from chat_messages where id = $8 and guest_id = $2)",
        )
        .bind(&message.id)
        .bind(answer.guest_id)
        .bind(answer.text)
        .bind(serde_json::to_string(answer.cards).unwrap_or_else(|_| "[]".into()))
        .bind(answer.note)
        .bind(answer.source)
        .bind(message.created_at)
        .bind(answer.asked_id)
        .bind((!answer.tools.is_empty()).then(|| json(answer.tools)))
        .execute(&self.pool)
        .await?;
        Ok((done.rows_affected() == 1).then_some(message))
    }

    /// What the bartender did for a guest through its tools, oldest first: the record behind
    /// every order or cancellation it offered and every status it gave.
    pub async fn chat_tools(&self, guest_id: &str) -> Result<Vec<ToolUse>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "select tools from chat_messages
              where guest_id = $1 and tools is not null
              order by created_at, id",
        )
        .bind(guest_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .flat_map(|(tools,)| serde_json::from_str::<Vec<ToolUse>>(tools).unwrap_or_default())
            .collect())
    }

    /// A guest's chat, oldest first (the last 200 messages).
    pub async fn chat_history(&self, guest_id: &str) -> Result<Vec<ChatMessage>, sqlx::Error> {
        // Since the guest's last "New conversation" (a `new` row marks it).
        let rows: Vec<MessageRow> = sqlx::query_as(
            "select id, role, body, cards, note, source, created_at from chat_messages
              where guest_id = $1 and role <> 'new'
                and created_at > coalesce(
                  (select max(created_at) from chat_messages where guest_id = $1 and role = 'new'),
                  -1)
              order by created_at desc, id desc limit 200",
        )
        .bind(guest_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().rev().map(ChatMessage::from).collect())
    }

    /// Marks where a guest's new conversation starts: what came before is no longer shown or
    /// sent along (it stays for the host's figures until the party closes or "Forget me").
    pub async fn start_conversation(&self, guest_id: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into chat_messages (id, guest_id, role, body, cards, note, source, created_at)
             values ($1, $2, 'new', '', '[]', null, 'guest', $3)",
        )
        .bind(new_id())
        .bind(guest_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A guest message by id: (guest id, text).
    pub async fn guest_message(&self, id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
        sqlx::query_as("select guest_id, body from chat_messages where id = $1 and role = 'guest'")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// "Forget me": the profile, the chat and the guest's wishes go, in one transaction.
    #[tracing::instrument(skip(self))]
    pub async fn forget_guest_chat(&self, guest_id: &str) -> Result<(), sqlx::Error> {
        retrying(|| self.try_forget_guest_chat(guest_id)).await
    }

    async fn try_forget_guest_chat(&self, guest_id: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for sql in [
            "delete from chat_messages where guest_id = $1",
            "delete from guest_profiles where guest_id = $1",
            "delete from wishes where guest_id = $1",
        ] {
            sqlx::query(sql).bind(guest_id).execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// The wish list, by drink (most wished first) and by guest.
    pub async fn wish_list(&self) -> Result<WishList, sqlx::Error> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "select drink, drink_key, guest_name, created_at from wishes order by created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_drink: Vec<(String, WishedDrink)> = Vec::new();
        let mut by_guest: Vec<WishingGuest> = Vec::new();
        for (drink, key, guest, at) in rows {
            match by_drink.iter_mut().find(|(k, _)| *k == key) {
                Some((_, wished)) => {
                    if !wished.guests.contains(&guest) {
                        wished.guests.push(guest.clone());
                    }
                    wished.last_at = wished.last_at.max(at);
                }
                None => by_drink.push((
                    key,
                    WishedDrink {
                        drink: drink.clone(),
                        guests: vec![guest.clone()],
                        last_at: at,
                    },
                )),
            }
            match by_guest.iter_mut().find(|g| g.guest == guest) {
                Some(wishing) => wishing.drinks.push(drink),
                None => by_guest.push(WishingGuest {
                    guest,
                    drinks: vec![drink],
                }),
            }
        }
        let mut by_drink: Vec<WishedDrink> = by_drink.into_iter().map(|(_, w)| w).collect();
        by_drink.sort_by(|a, b| {
            b.guests
                .len()
                .cmp(&a.guests.len())
                .then(b.last_at.cmp(&a.last_at))
        });
        by_guest.sort_by_key(|g| g.guest.to_lowercase());
        Ok(WishList { by_drink, by_guest })
    }

    /// A drink's photo prompt and the state of the job that writes it.
    pub async fn image_prompt(&self, drink_id: &str) -> Result<ImagePrompt, sqlx::Error> {
        Ok(ImagePrompt {
            prompt: self.photo_prompt(drink_id).await?,
            job: self.job_state(JobKind::ImagePrompt, drink_id).await?,
            proposed: self.proposed_photo(drink_id).await?,
            photo_job: self.job_state(JobKind::ProposePhoto, drink_id).await?,
        })
    }

    /// A drink's photo prompt alone, once written.
    pub async fn photo_prompt(&self, drink_id: &str) -> Result<Option<String>, sqlx::Error> {
        let prompt: Option<(String,)> =
            sqlx::query_as("select prompt from drink_prompts where drink_id = $1")
                .bind(drink_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(prompt.map(|(p,)| p))
    }

    /// Keeps a drink's photo prompt; with `then` (making its photo), that job is scheduled in the
    /// same transaction.
    pub async fn save_image_prompt(
        &self,
        drink_id: &str,
        prompt: &str,
        source: &str,
        then: Option<&Task>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into drink_prompts (drink_id, prompt, source, created_at) values ($1, $2, $3, $4)
             on conflict (drink_id) do update set prompt = excluded.prompt, source = excluded.source,
               created_at = excluded.created_at",
        )
        .bind(drink_id)
        .bind(prompt)
        .bind(source)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if let Some(task) = then {
            enqueue(&mut tx, task, drink_id).await?;
        }
        tx.commit().await
    }
}
