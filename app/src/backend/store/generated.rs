//! What the models made for drinks: their embeddings (retrieval) and proposed photos (waiting for
//! the host's approval).

use super::outbox::{JobKind, Task};
use super::{now_ms, Store};
use crate::backend::ai::embeddings::DrinkVectors;
use crate::model::ProposedPhoto;

/// The outbox id of the job that first embeds a drink: one per drink and model, whoever asks.
fn first_embedding_job(drink_id: &str, model: &str) -> String {
    format!("{}-{drink_id}-{model}", JobKind::Embed.as_str())
}

impl Store {
    /// Every drink's vector from `model`, for drinks still on the books.
    pub async fn drink_vectors(&self, model: &str) -> Result<DrinkVectors, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "select e.drink_id, e.vector from drink_embeddings e
              join drinks d on d.id = e.drink_id
             where e.model = $1 and d.deleted_at is null",
        )
        .bind(model)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, vector)| match serde_json::from_str(&vector) {
                Ok(vector) => Some((id, vector)),
                Err(err) => {
                    tracing::warn!(drink = %id, error = %err, "unreadable embedding skipped");
                    None
                }
            })
            .collect())
    }

    /// The fingerprint of the text a drink's vector from `model` was made from.
    pub async fn embedding_hash(
        &self,
        drink_id: &str,
        model: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as(
            "select text_hash from drink_embeddings where drink_id = $1 and model = $2",
        )
        .bind(drink_id)
        .bind(model)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(hash,)| hash))
    }

    pub async fn save_embedding(
        &self,
        drink_id: &str,
        model: &str,
        text_hash: &str,
        vector: &[f32],
    ) -> Result<(), sqlx::Error> {
        let vector = serde_json::to_string(vector).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "insert into drink_embeddings (drink_id, model, text_hash, vector, updated_at)
             values ($1, $2, $3, $4, $5)
             on conflict (drink_id, model) do update set text_hash = excluded.text_hash,
               vector = excluded.vector, updated_at = excluded.updated_at",
        )
        .bind(drink_id)
        .bind(model)
        .bind(text_hash)
        .bind(vector)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Schedules an `embed` job for each drink that has no vector from `model` yet (the menu
    /// from before retrieval was turned on); a drink already scheduled is not scheduled twice.
    /// Returns how many were scheduled.
    pub async fn schedule_missing_embeddings(&self, model: &str) -> Result<u64, sqlx::Error> {
        let missing: Vec<(String,)> = sqlx::query_as(
            "select d.id from drinks d
             where d.deleted_at is null
               and not exists (select 1 from drink_embeddings e where e.drink_id = d.id and e.model = $1)",
        )
        .bind(model)
        .fetch_all(&self.pool)
        .await?;
        let now = now_ms();
        let mut scheduled = 0;
        for (drink_id,) in missing {
            let task = Task::Embed {
                drink_id: drink_id.clone(),
            };
            scheduled += sqlx::query(
                "insert into outbox (id, kind, subject, payload, state, attempts, run_at, locked_until, created_at, updated_at)
                 values ($1, $2, $3, $4, 'pending', 0, $5, 0, $5, $5)
                 on conflict (id) do nothing",
            )
            .bind(first_embedding_job(&drink_id, model))
            .bind(JobKind::Embed.as_str())
            .bind(&drink_id)
            .bind(task.payload())
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
        }
        Ok(scheduled)
    }

    /// The photo waiting for the host's approval for a drink.
    pub async fn proposed_photo(
        &self,
        drink_id: &str,
    ) -> Result<Option<ProposedPhoto>, sqlx::Error> {
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "select image, prompt, model, created_at from proposed_photos where drink_id = $1",
        )
        .bind(drink_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(image, prompt, model, created_at)| ProposedPhoto {
            image,
            prompt,
            model,
            created_at,
        }))
    }

    /// Keeps a proposed photo; returns the one it replaces (whose files are to go).
    pub async fn propose_photo(
        &self,
        drink_id: &str,
        photo: &ProposedPhoto,
    ) -> Result<Option<String>, sqlx::Error> {
        let old = self.proposed_photo(drink_id).await?;
        sqlx::query(
            "insert into proposed_photos (drink_id, image, prompt, model, created_at)
             values ($1, $2, $3, $4, $5)
             on conflict (drink_id) do update set image = excluded.image, prompt = excluded.prompt,
               model = excluded.model, created_at = excluded.created_at",
        )
        .bind(drink_id)
        .bind(&photo.image)
        .bind(&photo.prompt)
        .bind(&photo.model)
        .bind(photo.created_at)
        .execute(&self.pool)
        .await?;
        Ok(old.map(|p| p.image).filter(|image| *image != photo.image))
    }

    /// Forgets the proposed photo `image` of a drink; false when it is no longer the one waiting
    /// (approved or discarded already, or replaced by a newer one).
    pub async fn drop_proposed_photo(
        &self,
        drink_id: &str,
        image: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("delete from proposed_photos where drink_id = $1 and image = $2")
            .bind(drink_id)
            .bind(image)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
