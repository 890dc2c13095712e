//! The in-memory menu snapshot. Every page and API call reads it; nothing reads the menu tables
//! per request. Any write that changes the menu calls `AppState::menu_changed`, which rebuilds it.
//! Each snapshot has a fingerprint of its content: a page names the one it was rendered with and the
//! live stream's greeting names the current one, so an open menu refetches only when they differ.

use super::store::Store;
use crate::model::{Menu, SharedMenu};
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug, Default)]
pub struct MenuCache {
    current: Arc<RwLock<Current>>,
    /// Serialises rebuilds so a slow, older rebuild can never overwrite a newer one.
    rebuild: Arc<tokio::sync::Mutex<()>>,
}

/// The snapshot and its fingerprint, swapped together.
#[derive(Debug, Default)]
struct Current {
    menu: SharedMenu,
    fingerprint: Arc<str>,
}

impl MenuCache {
    /// The current snapshot (a cheap `Arc` clone).
    pub fn snapshot(&self) -> SharedMenu {
        self.read(|current| current.menu.clone())
    }

    /// A fingerprint of the current snapshot's content: equal menus (on any server process) have
    /// equal fingerprints, and any change to what a menu shows changes it. Empty before the first
    /// load.
    pub fn fingerprint(&self) -> Arc<str> {
        self.read(|current| current.fingerprint.clone())
    }

    fn read<T>(&self, f: impl FnOnce(&Current) -> T) -> T {
        match self.current.read() {
            Ok(current) => f(&current),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    /// Reloads the menu from the database and swaps it in.
    #[tracing::instrument(skip_all)]
    pub async fn rebuild(&self, store: &Store) -> Result<(), sqlx::Error> {
        let _guard = self.rebuild.lock().await;
        let menu: Menu = store.load_menu().await?;
        tracing::debug!(drinks = menu.drinks.len(), "menu snapshot rebuilt");
        let fingerprint = fingerprint(&menu).into();
        let menu = Arc::new(menu);
        let next = Current { menu, fingerprint };
        match self.current.write() {
            Ok(mut current) => *current = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(())
    }
}

/// The first 16 bytes of the SHA-256 of the menu's JSON, in hex.
fn fingerprint(menu: &Menu) -> String {
    use sha2::{Digest, Sha256};
    match serde_json::to_vec(menu) {
        Ok(json) => super::hex(&Sha256::digest(json)[..16]),
        Err(err) => {
            // Never happens (plain data); an empty fingerprint matches no page, so pages refetch.
            tracing::error!(error = %err, "could not fingerprint the menu");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;
    use crate::model::{Menu, Section};

    #[test]
    fn fingerprints_follow_the_content() {
        let menu = |name: &str| Menu {
            sections: vec![Section {
                id: "s".into(),
                name: name.into(),
                position: 0,
            }],
            drinks: vec![],
        };
        assert_eq!(
            fingerprint(&menu("Classics")),
            fingerprint(&menu("Classics"))
        );
        assert_ne!(fingerprint(&menu("Classics")), fingerprint(&menu("Sours")));
        assert_eq!(fingerprint(&menu("Classics")).len(), 32);
    }
}
