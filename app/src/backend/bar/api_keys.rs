//! API keys for `/api/v1`: the host makes one per integration, with a daily quota, sees today's
//! use, and revokes it.

use super::Bar;
use crate::backend::store::api_keys::{generate_key, ApiKeyRow, MAX_DAILY_QUOTA, SHOWN_LEN};
use crate::backend::store::{new_id, now_ms};
use crate::error::AppError;
use crate::says;

impl Bar {
    /// Makes a key named `name` with `daily_quota` calls a day. Returns it with the key itself,
    /// which is shown this once: only its hash is kept.
    #[tracing::instrument(skip(self, name))]
    pub async fn create_api_key(
        &self,
        name: &str,
        daily_quota: i64,
    ) -> Result<(ApiKeyRow, String), AppError> {
        let name = parse_name(name)?;
        let daily_quota = check_quota(daily_quota)?;
        let key = generate_key();
        let row = ApiKeyRow {
            id: new_id(),
            name,
            prefix: key[..SHOWN_LEN].to_string(),
            daily_quota,
            created_at: now_ms(),
            revoked_at: None,
            used_today: 0,
        };
        self.store.insert_api_key(&row, &key).await?;
        tracing::info!(key = %row.prefix, "API key created");
        Ok((row, key))
    }

    /// Every key, active ones first, newest first, with today's calls.
    #[tracing::instrument(skip_all)]
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, AppError> {
        Ok(self.store.api_keys().await?)
    }

    /// Revokes a key: calls with it are refused from now on, on every server.
    #[tracing::instrument(skip(self))]
    pub async fn revoke_api_key(&self, id: &str) -> Result<(), AppError> {
        if !self.store.revoke_api_key(id).await? {
            return Err(AppError::NotFound(says!(errors.that_api_key)));
        }
        tracing::info!("API key revoked");
        Ok(())
    }
}

/// A key's name as the host typed it: 1 to 60 characters on one line.
fn parse_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("name", says!(errors.api_key_name_rule)));
    }
    Ok(name.to_string())
}

fn check_quota(daily_quota: i64) -> Result<i64, AppError> {
    if !(1..=MAX_DAILY_QUOTA).contains(&daily_quota) {
        return Err(AppError::invalid(
            "daily_quota",
            says!(errors.api_quota_rule, max = MAX_DAILY_QUOTA),
        ));
    }
    Ok(daily_quota)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_quotas_are_checked() {
        assert_eq!(parse_name("  Till app ").unwrap(), "Till app");
        assert!(parse_name("").is_err());
        assert!(parse_name("a\nb").is_err());
        assert!(parse_name(&"x".repeat(61)).is_err());
        assert!(check_quota(0).is_err());
        assert!(check_quota(-5).is_err());
        assert!(check_quota(MAX_DAILY_QUOTA + 1).is_err());
        assert_eq!(check_quota(1000).unwrap(), 1000);
    }
}
