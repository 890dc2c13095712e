//! The one application state, built once at startup and shared by every handler.

use super::auth::CookiePolicy;
use super::images::{LocalPhotos, Photos, S3Photos};
use super::{config::Config, hub::Hub, menu::MenuCache, store::Store};
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// A handle on the shared state: cloning it (every request does, once per middleware layer) is one
/// reference count, not a copy of every field.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shared {
    pub config: Arc<Config>,
    pub store: Store,
    pub menu: MenuCache,
    pub hub: Hub,
    pub cookies: CookiePolicy,
    pub photos: Photos,
    /// Set when admins sign in through Cognito instead of local accounts.
    pub cognito: Option<Arc<super::cognito::Cognito>>,
    /// The AI bartender: the configured recommender with the house recommender behind it.
    pub ai: super::ai::Bartender,
    /// Wakes the outbox worker.
    pub jobs: super::worker::Jobs,
    /// Per-client rate limits.
    pub limits: super::limits::Limits,
    pub leptos_options: LeptosOptions,
    /// The built site's files (bundles, styles, public files), served from memory.
    pub site: Arc<super::site::SiteFiles>,
    /// Shared pages rendered once per menu version.
    pub pages: super::pages::PageCache,
    /// Live streams open per session (by the session cookie's hash).
    pub streams: super::limits::Slots<String>,
    /// Failed host sign-ins, and the turns at checking passwords.
    pub signin: super::signin::SignInGuard,
    /// What `/metrics` reports (off without `BARBACK_METRICS_TOKEN`).
    pub metrics: super::metrics::Metrics,
    /// The use cases, over the same store, hub, menu, bartender, worker and photos.
    bar: super::bar::Bar,
}

impl AppState {
    /// Connects to the database, brings the schema up to date and loads the menu.
    pub async fn build(
        config: Config,
        leptos_options: LeptosOptions,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        let store = match &config.database_reader_url {
            Some(url) => store.with_reader(url).await?,
            None => store,
        };
        let cookies = CookiePolicy::for_public_url(&config.public_url);
        let photos = match &config.s3 {
            Some(s3) => Photos::S3(S3Photos::connect(s3).await),
            None => Photos::Local(LocalPhotos::open(&config.data_dir)?),
        };
        if !cookies.secure {
            tracing::warn!(
                public_url = %config.public_url,
                "plain http on a network address: session cookies are sent without Secure and the __Host- prefix \
                 (browsers drop Secure cookies on http). Put the bar behind https for anything but a home party."
            );
        }
        let cognito = config
            .cognito
            .clone()
            .map(|c| Arc::new(super::cognito::Cognito::new(c)));
        let ai = match &config.bedrock {
            Some(bedrock) => {
                tracing::info!(models = ?bedrock.models, "AI bartender: Amazon Bedrock");
                use super::ai::bedrock::BedrockRecommender;
                let meter: Arc<dyn super::ai::Meter> = Arc::new(store.clone());
                let first = BedrockRecommender::connect(bedrock).await;
                let client = first.client();
                let embedder = bedrock.embedding_model.clone().map(|model| {
                    super::ai::embeddings::Embedder::new(client.clone(), model, Some(meter.clone()))
                });
                let images = bedrock.image_model.clone().map(|model| {
                    super::ai::pictures::ImageMaker::new(client, model, Some(meter.clone()))
                });
                super::ai::Bartender::new(
                    first.for_models(&bedrock.models, meter, embedder.clone()),
                    config.ai_timeout,
                )
                .with_media(embedder, images)
            }
            None => super::ai::Bartender::house(),
        };
        let limits = super::limits::Limits::new(&config.limits);
        let site = super::site::SiteFiles::load(
            std::path::Path::new(&config.site_root),
            leptos_options.hash_files,
        )?;
        let rules = super::bar::Rules {
            max_active_orders: config.max_active_orders,
            ai_messages_per_hour: config.ai_messages_per_hour,
        };
        let metrics = match config.metrics_token {
            Some(_) => super::metrics::Metrics::on(),
            None => super::metrics::Metrics::off(),
        };
        let bar = super::bar::Bar::new(store.clone(), ai.clone(), Some(photos.clone()), rules)
            .with_metrics(metrics.clone());
        let bar = match super::push::Pusher::load(
            config.vapid_private_key.as_deref(),
            std::path::Path::new(&config.data_dir),
            &config.public_url,
            config.push_over_http,
        ) {
            Ok(pusher) => bar.with_pusher(pusher),
            // A key that was given must work; one that cannot be kept only costs the lock-screen
            // notifications (pages still show the drink is ready).
            Err(err) if config.vapid_private_key.is_some() => return Err(err.into()),
            Err(err) => {
                tracing::error!(error = %err, "no Web Push: set BARBACK_VAPID_PRIVATE_KEY or make the data directory writable");
                bar
            }
        };
        let (menu, hub, jobs) = (bar.menu().clone(), bar.hub().clone(), bar.jobs().clone());
        let state = AppState(Arc::new(Shared {
            config: Arc::new(config),
            store,
            menu,
            hub,
            cookies,
            photos,
            cognito,
            ai,
            jobs,
            bar,
            limits,
            leptos_options,
            site: Arc::new(site),
            pages: Default::default(),
            streams: Default::default(),
            signin: Default::default(),
            metrics,
        }));
        state.menu.rebuild(&state.store).await?;
        Ok(state)
    }

    /// The single "menu changed" hook: every write to sections, drinks, ingredients or stock calls
    /// it after committing, so pages, the API and open menus show the change at once.
    pub async fn menu_changed(&self) -> Result<(), AppError> {
        self.bar().menu_changed().await
    }

    /// The state inside a server function or a rendered page (provided by the router).
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }

    /// Starts the outbox worker, unless the configuration turns it off.
    pub fn start_worker(&self) -> Option<super::worker::Background> {
        self.config
            .jobs
            .run_worker
            .then(|| super::worker::spawn(self.clone()))
    }

    /// The bar's rules (the use cases), over this state's store and hub.
    pub fn bar(&self) -> &super::bar::Bar {
        &self.bar
    }

    /// Starts following other processes' changes, unless the configuration says not to.
    pub fn start_follower(&self) -> Option<super::worker::Background> {
        super::follow::spawn(self.clone())
    }

    pub fn database_url(&self) -> String {
        self.config.database_url.clone()
    }

    pub fn join_url(&self, code: &str) -> String {
        format!("{}/join/{code}", self.config.public_url)
    }

    /// The pickup screen's read-only address for a TV.
    pub fn screen_url(&self, key: &str) -> String {
        format!(
            "{}/screen?{}={key}",
            self.config.public_url,
            crate::model::SCREEN_KEY_PARAM
        )
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
