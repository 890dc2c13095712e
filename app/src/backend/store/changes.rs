//! The change feed between server processes sharing one database.

use super::{new_id, now_ms, Store};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub at: i64,
}

impl Store {
    pub async fn record_change(
        &self,
        node: &str,
        kind: &str,
        subject: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into changes (id, node, kind, subject, at) values ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(node)
        .bind(kind)
        .bind(subject)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Changes other processes recorded at or after `since`, oldest first.
    pub async fn changes_since(
        &self,
        node: &str,
        since: i64,
    ) -> Result<Vec<ChangeRow>, sqlx::Error> {
        sqlx::query_as(
            "select id, kind, subject, at from changes where node <> $1 and at >= $2 order by at, id limit 1000",
        )
        .bind(node)
        .bind(since)
        .fetch_all(&self.pool)
        .await
    }

    /// Drops changes older than `before`.
    pub async fn prune_changes(&self, before: i64) -> Result<(), sqlx::Error> {
        sqlx::query("delete from changes where at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
