//! Hosts: accounts (from the command line) and checking a password.

use super::Bar;
use crate::backend::auth::{
    decoy_hash, generate_password, hash_password, verify_password, weak_password,
};
use crate::backend::store::admins::Admin;
use crate::domain::Username;
use crate::error::AppError;

impl Bar {
    /// Adds a host account. A password a guesser would find soon is refused, saying why.
    #[tracing::instrument(skip(self, password))]
    pub async fn create_admin(&self, username: &Username, password: &str) -> Result<(), AppError> {
        if let Some(why) = weak_password(password, username.as_str()) {
            return Err(AppError::invalid("password", why));
        }
        let hash = hash_password(password)?;
        if self.store.insert_admin(username, &hash).await?.is_none() {
            return Err(AppError::Conflict(format!(
                "An admin called {username} already exists."
            )));
        }
        tracing::info!("admin created");
        Ok(())
    }

    /// A new bar's first host, `admin`, with a generated password to show once; `None` when the
    /// bar already has a host.
    #[tracing::instrument(skip_all)]
    pub async fn first_admin(&self) -> Result<Option<(Username, String)>, AppError> {
        if self.store.count_admins().await? > 0 {
            return Ok(None);
        }
        let username = Username::parse("admin")?;
        let password = generate_password();
        self.create_admin(&username, &password).await?;
        Ok(Some((username, password)))
    }

    /// Checks a host's username and password. The same work is done whether or not the user
    /// exists, so the answer's timing does not tell which usernames are real.
    #[tracing::instrument(skip(self, password))]
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
