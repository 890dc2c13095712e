//! Invite codes: they expire, have a use limit, and can be revoked.

use super::{new_id, now_ms, Store};
use crate::says;
use rand::Rng;

/// The `bar_settings` row holding the party's name (empty: none given).
pub const PARTY_NAME: &str = "party_name";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InviteRow {
    pub code: String,
    pub note: String,
    pub max_uses: i64,
    pub uses: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

impl InviteRow {
    /// Why this code cannot be used now, as the guest should read it; `None` when it can.
    pub fn refusal(&self, now: i64) -> Option<String> {
        if self.revoked_at.is_some() {
            Some(says!(errors.invite_withdrawn))
        } else if self.expires_at <= now {
            Some(says!(errors.invite_expired))
        } else if self.uses >= self.max_uses {
            Some(says!(errors.invite_used_up))
        } else {
            None
        }
    }
}

/// Unambiguous characters only: no 0/O, 1/I/L.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub fn generate_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Store {
    pub async fn insert_invite(&self, row: &InviteRow) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into invite_codes (id, code, note, max_uses, uses, expires_at, revoked_at, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&row.code)
        .bind(&row.note)
        .bind(row.max_uses)
        .bind(row.uses)
        .bind(row.expires_at)
        .bind(row.revoked_at)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn invite(&self, code: &str) -> Result<Option<InviteRow>, sqlx::Error> {
        sqlx::query_as(
            "select code, note, max_uses, uses, expires_at, revoked_at from invite_codes where code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await
    }

    /// Codes that can still be used, newest first.
    pub async fn usable_invites(&self) -> Result<Vec<InviteRow>, sqlx::Error> {
        sqlx::query_as(
            "select code, note, max_uses, uses, expires_at, revoked_at from invite_codes
             where revoked_at is null and expires_at > $1 and uses < max_uses
             order by created_at desc",
        )
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await
    }

    /// Returns false when there is no such code.
    pub async fn revoke_invite(&self, code: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "update invite_codes set revoked_at = $1 where code = $2 and revoked_at is null",
        )
        .bind(now_ms())
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
