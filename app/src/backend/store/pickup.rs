//! The bar's run-time settings (one row per name) and the pickup screen's read-only links.

use super::{new_id, now_ms, Store};

/// The setting that finishes "Pick it up …".
pub const PICKUP_PLACE: &str = "pickup_place";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ScreenLinkRow {
    pub id: String,
    pub prefix: String,
    pub created_at: i64,
}

impl Store {
    pub async fn setting(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        let found: Option<(String,)> =
            sqlx::query_as("select value from bar_settings where name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.map(|(value,)| value))
    }

    /// Sets a setting in one statement (an upsert), so two hosts saving at once never collide.
    pub async fn set_setting(&self, name: &str, value: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into bar_settings (name, value, updated_at) values ($1, $2, $3)
             on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn insert_screen_link(
        &self,
        prefix: &str,
        key_hash: &str,
    ) -> Result<ScreenLinkRow, sqlx::Error> {
        let row = ScreenLinkRow {
            id: new_id(),
            prefix: prefix.to_string(),
            created_at: now_ms(),
        };
        sqlx::query(
            "insert into screen_links (id, prefix, key_hash, created_at) values ($1, $2, $3, $4)",
        )
        .bind(&row.id)
        .bind(&row.prefix)
        .bind(key_hash)
        .bind(row.created_at)
        .execute(&self.pool)
        .await?;
        Ok(row)
    }

    /// The links still in force, newest first.
    pub async fn screen_links(&self) -> Result<Vec<ScreenLinkRow>, sqlx::Error> {
        sqlx::query_as(
            "select id, prefix, created_at from screen_links
             where revoked_at is null order by created_at desc, id desc",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// True when a link with this key hash is in force.
    pub async fn screen_link_holds(&self, key_hash: &str) -> Result<bool, sqlx::Error> {
        let found: Option<(String,)> = sqlx::query_as(
            "select id from screen_links where key_hash = $1 and revoked_at is null",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    pub async fn revoke_screen_link(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "update screen_links set revoked_at = $1 where id = $2 and revoked_at is null",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
