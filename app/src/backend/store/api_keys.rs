//! API keys for `/api/v1`, each with a daily quota. A key is shown once, when it is created; the
//! database keeps only its SHA-256 hash (a key carries 192 random bits, so a fast hash is as safe
//! as a slow one and costs nothing per request) and a short prefix to tell keys apart.

use super::{now_ms, retrying, Store};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every key starts with this, so a leaked one is easy to recognise (and to scan for).
pub const KEY_PREFIX: &str = "bbk_";
/// Random bytes in a key: 24 bytes are 32 base64url characters.
const KEY_BYTES: usize = 24;
/// `bbk_` and 32 characters.
pub const KEY_LEN: usize = KEY_PREFIX.len() + KEY_BYTES * 4 / 3;
/// How much of a key is kept in the clear to tell keys apart: `bbk_` and 6 characters.
pub const SHOWN_LEN: usize = KEY_PREFIX.len() + 6;
/// The most calls a key may be given per day.
pub const MAX_DAILY_QUOTA: i64 = 10_000_000;
const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub daily_quota: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// Calls made today (UTC).
    pub used_today: i64,
}

/// What one call with a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// No such key, or it has been revoked.
    Unknown,
    /// Counted: `used` of `quota` calls today, this one included.
    Allowed { quota: i64, used: i64 },
    /// Today's quota is spent; nothing was counted.
    OverQuota { quota: i64 },
}

/// A fresh key: `bbk_` and 32 base64url characters from the OS's random source.
pub fn generate_key() -> String {
    let mut bytes = [0u8; KEY_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// True when `key` has a key's shape; anything else is refused without asking the database.
pub fn well_formed(key: &str) -> bool {
    key.len() == KEY_LEN
        && key.starts_with(KEY_PREFIX)
        && key[KEY_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn hash_key(key: &str) -> String {
    super::super::hex(&Sha256::digest(key.as_bytes()))
}

/// Today, as days since 1970-01-01 UTC, and the seconds until tomorrow (when quotas start over).
pub fn today(now_ms: i64) -> (i64, u64) {
    let day = now_ms.div_euclid(DAY_MS);
    let left_ms = DAY_MS - now_ms.rem_euclid(DAY_MS);
    (day, (left_ms as u64).div_ceil(1000))
}

const SELECT_KEYS: &str =
    "select k.id, k.name, k.prefix, k.daily_quota, k.created_at, k.revoked_at,
        coalesce(u.calls, 0) as used_today
     from api_keys k left join api_key_usage u on u.key_id = k.id and u.day = $1";

impl Store {
    /// Stores a new key by its hash; `row.prefix` is the start of `key`, kept to tell keys apart.
    pub async fn insert_api_key(&self, row: &ApiKeyRow, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into api_keys (id, name, prefix, key_hash, daily_quota, created_at, revoked_at)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&row.id)
        .bind(&row.name)
        .bind(&row.prefix)
        .bind(hash_key(key))
        .bind(row.daily_quota)
        .bind(row.created_at)
        .bind(row.revoked_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every key, active ones first, newest first, with today's calls.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, sqlx::Error> {
        let (day, _) = today(now_ms());
        sqlx::query_as(&format!(
            "{SELECT_KEYS} order by case when k.revoked_at is null then 0 else 1 end, k.created_at desc"
        ))
        .bind(day)
        .fetch_all(&self.pool)
        .await
    }

    /// Returns false when there is no such active key.
    pub async fn revoke_api_key(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done =
            sqlx::query("update api_keys set revoked_at = $1 where id = $2 and revoked_at is null")
                .bind(now_ms())
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Counts one call against `key`'s quota for today, unless the quota is spent. The count is
    /// one atomic upsert, so concurrent calls (on any number of servers) never exceed the quota.
    pub async fn spend_api_call(&self, key: &str) -> Result<Spend, sqlx::Error> {
        if !well_formed(key) {
            return Ok(Spend::Unknown);
        }
        let found: Option<(String, i64)> = sqlx::query_as(
            "select id, daily_quota from api_keys where key_hash = $1 and revoked_at is null",
        )
        .bind(hash_key(key))
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, quota)) = found else {
            return Ok(Spend::Unknown);
        };
        let (day, _) = today(now_ms());
        let counted: Option<(i64,)> = retrying(|| {
            sqlx::query_as(
                "insert into api_key_usage (key_id, day, calls) values ($1, $2, 1)
                 on conflict (key_id, day) do update set calls = api_key_usage.calls + 1
                 where api_key_usage.calls < $3
                 returning calls",
            )
            .bind(&id)
            .bind(day)
            .bind(quota)
            .fetch_optional(&self.pool)
        })
        .await?;
        Ok(match counted {
            Some((used,)) => Spend::Allowed { quota, used },
            None => Spend::OverQuota { quota },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let (a, b) = (generate_key(), generate_key());
        assert!(well_formed(&a) && well_formed(&b), "{a} {b}");
        assert_ne!(a, b);
        assert_ne!(hash_key(&a), hash_key(&b));
        assert_eq!(hash_key(&a).len(), 64);
    }

    #[test]
    fn malformed_keys_are_refused_by_shape() {
        let good = generate_key();
        for bad in [
            String::new(),
            "bbk_".into(),
            good[..KEY_LEN - 1].to_string(),
            format!("{good}x"),
            good.replacen("bbk_", "bbx_", 1),
            format!("{}é", &good[..KEY_LEN - 2]),
            format!("{} ", &good[..KEY_LEN - 1]),
            format!("{}/", &good[..KEY_LEN - 1]),
        ] {
            assert!(!well_formed(&bad), "{bad:?}");
        }
    }

    #[test]
    fn days_turn_at_utc_midnight() {
        assert_eq!(today(0), (0, 86_400));
        assert_eq!(today(DAY_MS - 1), (0, 1));
        assert_eq!(today(DAY_MS), (1, 86_400));
        assert_eq!(today(DAY_MS + 1_500), (1, 86_399));
    }
}
