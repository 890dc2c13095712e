//! Aurora DSQL: PostgreSQL's wire protocol with an IAM auth token as the password (a SigV4
//! presigned request made locally by aws-sdk-dsql, valid for a few minutes) over TLS that checks
//! the certificate and host name. The pool gets fresh connect options before each token expires,
//! so new connections always log in with a valid one.

use std::time::Duration;

/// `BARBACK_DB=dsql` (with `BARBACK_DSQL_ENDPOINT`), or `DATABASE_URL=dsql://<endpoint>/<database>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsqlConfig {
    /// The cluster endpoint, e.g. `abcdefgh.dsql.us-east-1.on.aws`.
    pub endpoint: String,
    pub port: u16,
    pub database: String,
    /// `admin` signs with the admin action; other users with the plain connect action.
    pub user: String,
    /// `AWS_REGION` (or the SDK's chain) when `None`.
    pub region: Option<String>,
    /// How long each token is valid; it is replaced at 80 % of that.
    pub token_lifetime: Duration,
    /// `verify-full` always on DSQL; tests against a local PostgreSQL use `disable`.
    pub sslmode: String,
    /// Fixed credentials (tests); otherwise the AWS credential chain.
    pub credentials: Option<(String, String)>,
}

impl DsqlConfig {
    pub fn new(endpoint: impl Into<String>) -> Self {
        DsqlConfig {
            endpoint: endpoint.into(),
            port: 5432,
            database: "postgres".into(),
            user: "admin".into(),
            region: None,
            token_lifetime: Duration::from_secs(15 * 60),
            sslmode: "verify-full".into(),
            credentials: None,
        }
    }

    /// `dsql://<endpoint>[:port][/database][?region=…&user=…]`.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("dsql://")
            .ok_or_else(|| format!("not a dsql:// URL: {url:?}"))?;
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, database) = location.split_once('/').unwrap_or((location, ""));
        let (endpoint, port) = match host.rsplit_once(':') {
            Some((endpoint, port)) => (
                endpoint,
                port.parse().map_err(|_| format!("bad port in {url:?}"))?,
            ),
            None => (host, 5432),
        };
        if endpoint.is_empty() {
            return Err(format!("no cluster endpoint in {url:?}"));
        }
        let mut config = DsqlConfig::new(endpoint);
        config.port = port;
        if !database.is_empty() {
            config.database = database.into();
        }
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "region" => config.region = Some(value.into_owned()),
                "user" => config.user = value.into_owned(),
                _ => {}
            }
        }
        Ok(config)
    }

    /// The region the token is signed for: the cluster's, from its endpoint, when not given.
    fn region(&self) -> Option<String> {
        self.region.clone().or_else(|| {
            let mut parts = self.endpoint.split('.');
            let _cluster = parts.next()?;
            (parts.next()? == "dsql").then(|| parts.next().map(String::from))?
        })
    }
}

/// Makes IAM auth tokens for one cluster.
#[derive(Clone, Debug)]
pub struct Tokens {
    config: DsqlConfig,
    sdk: aws_config::SdkConfig,
}

impl Tokens {
    pub async fn new(config: &DsqlConfig) -> Self {
        let sdk =
            crate::backend::aws_config(config.region().as_deref(), config.credentials.as_ref())
                .await;
        Tokens {
            config: config.clone(),
            sdk,
        }
    }

    pub async fn token(&self) -> Result<String, sqlx::Error> {
        use aws_sdk_dsql::auth_token::{AuthTokenGenerator, Config};
        let generator = Config::builder()
            .hostname(&self.config.endpoint)
            .expires_in(self.config.token_lifetime.as_secs().max(1))
            .build()
            .map(AuthTokenGenerator::new)
            .map_err(|err| sqlx::Error::Configuration(err.to_string().into()))?;
        let token = if self.config.user == "admin" {
            generator.db_connect_admin_auth_token(&self.sdk).await
        } else {
            generator.db_connect_auth_token(&self.sdk).await
        };
        token
            .map(|t| t.as_str().to_string())
            .map_err(|err| sqlx::Error::Configuration(format!("DSQL auth token: {err}").into()))
    }

    /// A PostgreSQL URL that logs in with a fresh token.
    pub async fn url(&self) -> Result<String, sqlx::Error> {
        let token: String =
            form_urlencoded::byte_serialize(self.token().await?.as_bytes()).collect();
        let user: String = form_urlencoded::byte_serialize(self.config.user.as_bytes()).collect();
        Ok(format!(
            "postgres://{user}:{token}@{}:{}/{}?sslmode={}",
            self.config.endpoint, self.config.port, self.config.database, self.config.sslmode
        ))
    }

    /// When to replace a token: at 80 % of its life.
    pub fn refresh_every(&self) -> Duration {
        self.config
            .token_lifetime
            .mul_f64(0.8)
            .max(Duration::from_millis(200))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsql_urls_name_the_cluster_database_and_region() {
        let config = DsqlConfig::from_url("dsql://abc123.dsql.eu-west-1.on.aws/postgres").unwrap();
        assert_eq!(config.endpoint, "abc123.dsql.eu-west-1.on.aws");
        assert_eq!(
            (config.port, config.database.as_str(), config.user.as_str()),
            (5432, "postgres", "admin")
        );
        assert_eq!(
            config.region().as_deref(),
            Some("eu-west-1"),
            "from the endpoint"
        );
        assert_eq!(config.sslmode, "verify-full");
        let config =
            DsqlConfig::from_url("dsql://127.0.0.1:6543/bar?region=us-east-1&user=app").unwrap();
        assert_eq!(
            (
                config.endpoint.as_str(),
                config.port,
                config.database.as_str()
            ),
            ("127.0.0.1", 6543, "bar")
        );
        assert_eq!(
            (config.region.as_deref(), config.user.as_str()),
            (Some("us-east-1"), "app")
        );
        assert!(DsqlConfig::from_url("dsql:///db").is_err());
        assert!(DsqlConfig::from_url("postgres://x").is_err());
    }
}
