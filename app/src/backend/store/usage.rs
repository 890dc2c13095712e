//! The tokens the bartender's models used, per model, for the host.

use super::{new_id, now_ms, Store};
use crate::backend::ai::Meter;
use crate::model::ModelUsage;

impl Store {
    pub async fn record_model_usage(
        &self,
        model: &str,
        input_tokens: i64,
        output_tokens: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into model_usage (id, model, input_tokens, output_tokens, created_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(model)
        .bind(input_tokens)
        .bind(output_tokens)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Each model's calls and tokens, most tokens first.
    pub async fn model_usage(&self) -> Result<Vec<ModelUsage>, sqlx::Error> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "select model, count(*), cast(sum(input_tokens) as bigint), cast(sum(output_tokens) as bigint)
               from model_usage group by model
              order by sum(input_tokens) + sum(output_tokens) desc, model",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(model, calls, input_tokens, output_tokens)| ModelUsage {
                model,
                calls,
                input_tokens,
                output_tokens,
            })
            .collect())
    }
}

/// Each call's tokens are written as they are counted, without holding up the answer.
impl Meter for Store {
    fn used(&self, model: &str, input_tokens: i64, output_tokens: i64) {
        let (store, model) = (self.clone(), model.to_string());
        tokio::spawn(async move {
            if let Err(err) = store
                .record_model_usage(&model, input_tokens, output_tokens)
                .await
            {
                tracing::warn!(error = %err, %model, "could not count the model's tokens");
            }
        });
    }
}
