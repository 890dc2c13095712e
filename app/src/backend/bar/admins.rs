//! Hosts: checking a password.

use super::Bar;
use crate::backend::auth::{decoy_hash, verify_password};
use crate::backend::store::admins::Admin;
use crate::error::AppError;

impl Bar {
    /// Checks a host's username and password. The same work is done whether or not the user
    /// exists, so the answer's timing does not tell which usernames are real.
    pub async fn check_admin_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<Admin>, AppError> {
        let found = self.store.admin_by_username(username).await?;
        let hash = found
            .as_ref()
            .map_or(decoy_hash(), |(_, hash)| hash.as_str())
            .to_string();
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .unwrap_or(false);
        Ok(match (found, ok) {
            (Some((id, _)), true) => Some(Admin {
                id,
                username: username.to_string(),
            }),
            _ => None,
        })
    }
}
