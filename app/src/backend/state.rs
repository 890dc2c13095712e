//! The one application state, built once at startup and shared by every handler.

use super::{config::Config, menu::MenuCache, store::Store};
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub menu: MenuCache,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// Connects to the database, brings the schema up to date and loads the menu.
    pub async fn build(config: Config, leptos_options: LeptosOptions) -> Result<Self, sqlx::Error> {
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        let state = AppState {
            config: Arc::new(config),
            store,
            menu: MenuCache::default(),
            leptos_options,
        };
        state.menu.rebuild(&state.store).await?;
        Ok(state)
    }

    /// The single "menu changed" hook: every write to sections, drinks, ingredients or stock calls
    /// it after committing, so pages and the API show the change at once.
    pub async fn menu_changed(&self) -> Result<(), AppError> {
        self.menu.rebuild(&self.store).await.map_err(AppError::from)
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state inside a server function or a rendered page (provided by the router).
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}
