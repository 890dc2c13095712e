//! The in-memory menu snapshot. Every page and API call reads it; nothing reads the menu tables
//! per request. Any write that changes the menu calls `AppState::menu_changed`, which rebuilds it.

use super::store::Store;
use crate::model::{Menu, SharedMenu};
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug, Default)]
pub struct MenuCache {
    current: Arc<RwLock<SharedMenu>>,
    /// Serialises rebuilds so a slow, older rebuild can never overwrite a newer one.
    rebuild: Arc<tokio::sync::Mutex<()>>,
}

impl MenuCache {
    /// The current snapshot (a cheap `Arc` clone).
    pub fn snapshot(&self) -> SharedMenu {
        match self.current.read() {
            Ok(menu) => menu.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reloads the menu from the database and swaps it in.
    #[tracing::instrument(skip_all)]
    pub async fn rebuild(&self, store: &Store) -> Result<(), sqlx::Error> {
        let _guard = self.rebuild.lock().await;
        let menu: Menu = store.load_menu().await?;
        tracing::debug!(drinks = menu.drinks.len(), "menu snapshot rebuilt");
        let menu = Arc::new(menu);
        match self.current.write() {
            Ok(mut current) => *current = menu,
            Err(poisoned) => *poisoned.into_inner() = menu,
        }
        Ok(())
    }
}
