//! The database, grouped by aggregate. One code path (sqlx `Any`) serves SQLite and PostgreSQL:
//! every statement is in the portable subset DESIGN.md describes, with `$n` placeholders.

pub mod admins;
pub mod api_keys;
pub mod changes;
pub mod chat;
pub mod controls;
pub mod dsql;
pub mod generated;
pub mod guests;
pub mod invites;
pub mod menu;
mod migrate;
pub mod nights;
pub mod orders;
pub mod outbox;
pub mod pickup;
pub mod purge;
pub mod push;
pub mod roles;
pub mod seed;
pub mod usage;

pub use menu::{IngredientRow, NewDrink, NewIngredient, NewRecipeLine, NewSection};
pub use migrate::{statements as migration_statements, MIGRATIONS};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// Which database a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn of(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err(format!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {:?})",
                url.split(':').next().unwrap_or_default()
            ))
        }
    }
}

/// The one pool, shared by everything that touches the database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// Where the menu is read from: a reader role's own pool (`with_reader`), else `pool`.
    reader: AnyPool,
    kind: DbKind,
    /// Aurora DSQL (PostgreSQL's protocol, DSQL's rules for migrations).
    dsql: bool,
}

impl Store {
    /// Connects (creating the SQLite file and its folder on first use).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("dsql://") {
            let config = dsql::DsqlConfig::from_url(url)
                .map_err(|msg| sqlx::Error::Configuration(msg.into()))?;
            return Self::connect_dsql(&config).await;
        }
        sqlx::any::install_default_drivers();
        let kind = DbKind::of(url).map_err(|msg| sqlx::Error::Configuration(msg.into()))?;
        let url = match kind {
            DbKind::Sqlite => prepare_sqlite_url(url)?,
            DbKind::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = pool(kind, options).await?;
        Ok(Store {
            reader: pool.clone(),
            pool,
            kind,
            dsql: false,
        })
    }

    /// Connects to Aurora DSQL with an IAM auth token, and keeps the pool's token fresh: before
    /// each token expires the pool gets connect options with a new one (for new connections;
    /// open ones stay logged in).
    pub async fn connect_dsql(config: &dsql::DsqlConfig) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let tokens = dsql::Tokens::new(config).await;
        let options = AnyConnectOptions::from_str(&tokens.url().await?)?;
        let pool = pool(DbKind::Postgres, options).await?;
        let refreshed = pool.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(tokens.refresh_every()).await;
                if refreshed.is_closed() {
                    break;
                }
                match tokens
                    .url()
                    .await
                    .and_then(|url| AnyConnectOptions::from_str(&url))
                {
                    Ok(options) => {
                        refreshed.set_connect_options(options);
                        tracing::debug!("DSQL auth token refreshed");
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "could not refresh the DSQL auth token")
                    }
                }
            }
        });
        tracing::info!(endpoint = %config.endpoint, "connected to Aurora DSQL");
        Ok(Store {
            reader: pool.clone(),
            pool,
            kind: DbKind::Postgres,
            dsql: true,
        })
    }

    /// The same store, reading the menu through `url` (a reader role's login).
    pub async fn with_reader(self, url: &str) -> Result<Self, sqlx::Error> {
        let reader = Store::connect(url).await?;
        if reader.kind != self.kind {
            return Err(sqlx::Error::Configuration(
                "BARBACK_DATABASE_READER_URL must point at the same kind of database as DATABASE_URL"
                    .into(),
            ));
        }
        Ok(Store {
            reader: reader.pool,
            ..self
        })
    }

    pub fn is_dsql(&self) -> bool {
        self.dsql
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later is refused
    /// at once with "database is locked" when another writer committed in between, instead of
    /// waiting its turn under the busy timeout.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.kind {
            DbKind::Sqlite => self.pool.begin_with("begin immediate").await,
            DbKind::Postgres => self.pool.begin().await,
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("select 1").execute(&self.pool).await.is_ok()
    }
}

/// The pool for a database of `kind`.
async fn pool(kind: DbKind, options: AnyConnectOptions) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(match kind {
            DbKind::Sqlite => 4,
            DbKind::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if kind == DbKind::Sqlite {
                    // WAL lets readers run beside the one writer; the busy timeout queues
                    // writers instead of failing them.
                    conn.execute(
                        "pragma journal_mode = wal; pragma synchronous = normal; \
                         pragma busy_timeout = 5000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// `sqlite://data/barback.db` → the same with `mode=rwc`, its folder created.
fn prepare_sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    let mut url = url.to_string();
    if !query.contains("mode=") {
        url.push(if query.is_empty() { '?' } else { '&' });
        url.push_str("mode=rwc");
    }
    Ok(url)
}

/// A write transaction's failure: the database's (retried when it is a serialization conflict)
/// or the caller's (a refusal, returned as it is).
#[derive(Debug)]
pub enum TxError {
    Db(sqlx::Error),
    App(crate::error::AppError),
}

impl From<sqlx::Error> for TxError {
    fn from(err: sqlx::Error) -> Self {
        TxError::Db(err)
    }
}

impl From<crate::error::AppError> for TxError {
    fn from(err: crate::error::AppError) -> Self {
        TxError::App(err)
    }
}

impl From<TxError> for crate::error::AppError {
    fn from(err: TxError) -> Self {
        match err {
            TxError::Db(err) => err.into(),
            TxError::App(err) => err,
        }
    }
}

/// Errors that may be worth another try.
pub trait Retryable {
    fn retryable(&self) -> bool;
}

impl Retryable for sqlx::Error {
    /// SQLSTATE 40001: a serialization failure; on Aurora DSQL this is its optimistic
    /// concurrency check (OC000, OC001). Nothing else is retried.
    fn retryable(&self) -> bool {
        matches!(self, sqlx::Error::Database(db) if db.code().as_deref() == Some("40001"))
    }
}

impl Retryable for TxError {
    fn retryable(&self) -> bool {
        matches!(self, TxError::Db(err) if err.retryable())
    }
}

/// How many times a write transaction is tried.
pub const MAX_TRIES: u32 = 5;

/// Runs a write transaction, again after a serialization conflict (with jittered exponential
/// backoff: up to 10, 20, 40, 80 ms), at most [`MAX_TRIES`] times; any other error returns at once.
pub async fn retrying<T, E, F, Fut>(mut transaction: F) -> Result<T, E>
where
    E: Retryable + std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        match transaction().await {
            Err(err) if err.retryable() && attempt < MAX_TRIES => {
                use rand::Rng;
                let cap = 10u64 << (attempt - 1);
                let wait = Duration::from_millis(rand::rng().random_range(1..=cap));
                tracing::debug!(attempt, ?wait, error = ?err, "serialization conflict; retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Unix time in milliseconds: the one time format stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A new row id: a UUID v7 string (time-ordered, so indexes stay compact).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_kind_comes_from_the_url_scheme() {
        assert_eq!(DbKind::of("sqlite://data/x.db"), Ok(DbKind::Sqlite));
        assert_eq!(DbKind::of("postgres://u@h/db"), Ok(DbKind::Postgres));
        assert!(DbKind::of("mysql://h/db").is_err());
    }

    #[test]
    fn sqlite_urls_get_create_mode_and_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/bar.db", dir.path().display());
        let prepared = prepare_sqlite_url(&url).unwrap();
        assert!(prepared.ends_with("?mode=rwc"));
        assert!(dir.path().join("nested").is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }
}
