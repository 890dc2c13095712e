//! Admin accounts and their sessions.

use super::{new_id, now_ms, Store};
use crate::domain::Username;

/// A host's account, as a signed-in session knows it.
#[derive(Clone, Debug)]
pub struct Admin {
    pub id: String,
    pub username: String,
}

impl Store {
    pub async fn count_admins(&self) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = sqlx::query_as("select count(*) from admins")
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// The new admin's id, or `None` when the username is taken.
    pub async fn insert_admin(
        &self,
        username: &Username,
        password_hash: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let id = new_id();
        let done = sqlx::query(
            "insert into admins (id, username, password_hash, created_at) values ($1, $2, $3, $4)
             on conflict (username) do nothing",
        )
        .bind(&id)
        .bind(username.as_str())
        .bind(password_hash)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok((done.rows_affected() > 0).then_some(id))
    }

    /// (id, password hash) of the admin with this username.
    pub async fn admin_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        sqlx::query_as("select id, password_hash from admins where username = $1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await
    }

    /// The admin row for a Cognito user (created on first sign-in; it has no usable password).
    pub async fn external_admin(&self, sub: &str) -> Result<String, sqlx::Error> {
        let username = format!("cognito:{sub}");
        sqlx::query(
            "insert into admins (id, username, password_hash, created_at) values ($1, $2, '!', $3)
             on conflict (username) do nothing",
        )
        .bind(new_id())
        .bind(&username)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        let (id,): (String,) = sqlx::query_as("select id from admins where username = $1")
            .bind(&username)
            .fetch_one(&self.pool)
            .await?;
        Ok(id)
    }

    pub async fn insert_admin_session(
        &self,
        token_hash: &str,
        admin_id: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into admin_sessions (token_hash, admin_id, created_at, expires_at) values ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(admin_id)
        .bind(now_ms())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn admin_by_session(&self, token_hash: &str) -> Result<Option<Admin>, sqlx::Error> {
        let row: Option<(String, String)> = sqlx::query_as(
            "select a.id, a.username from admin_sessions s join admins a on a.id = s.admin_id
             where s.token_hash = $1 and s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, username)| Admin { id, username }))
    }

    pub async fn delete_admin_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("delete from admin_sessions where token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
