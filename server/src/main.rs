//! `server`: the Barback binary. `serve` runs the bar; the other commands prepare and manage it.

use app::backend::ai::bedrock::BedrockConfig;
use app::backend::auth;
use app::backend::bar::Bar;
use app::backend::cognito::CognitoConfig;
use app::backend::config::S3Config;
use app::backend::config::{
    default_public_url, DEFAULT_ADDR, DEFAULT_AI_MESSAGES_PER_HOUR, DEFAULT_AI_TIMEOUT_SECS,
    DEFAULT_DATABASE_URL, DEFAULT_DATA_DIR, DEFAULT_GUEST_SESSION_HOURS, DEFAULT_MAX_ACTIVE_ORDERS,
    DEFAULT_SITE_ROOT,
};
use app::backend::limits::ConnectionLimits;
use app::backend::store::roles::{Role, Roles};
use app::backend::store::{seed::SeedOutcome, Store};
use app::backend::{AppState, Config};
use app::domain::{GuestName, Username};
use app::error::AppError;
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Barback: a self-hostable AI bartender"
)]
struct Cli {
    /// Database: sqlite://path (created on first run) or postgres://user@host/db.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// `dsql` connects to Aurora DSQL at BARBACK_DSQL_ENDPOINT (IAM auth, TLS verify-full);
    /// otherwise DATABASE_URL decides (`dsql://<endpoint>/<database>` works too).
    #[arg(long, global = true, env = "BARBACK_DB")]
    db: Option<String>,
    /// With BARBACK_DB=dsql: the cluster endpoint, e.g. abcdefgh.dsql.us-east-1.on.aws.
    #[arg(long, global = true, env = "BARBACK_DSQL_ENDPOINT")]
    dsql_endpoint: Option<String>,
    #[command(flatten)]
    public: Public,
    #[command(subcommand)]
    command: Command,
}

/// Where guests reach the bar: used for join links and to choose cookie flags.
#[derive(Args)]
struct Public {
    /// Address to listen on; 0.0.0.0:3000 opens the bar to phones on the same network.
    #[arg(long, global = true, env = "BARBACK_ADDR", default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
    /// The URL guests open, e.g. http://192.168.1.20:3000 (default: derived from the address).
    #[arg(long, global = true, env = "BARBACK_PUBLIC_URL")]
    public_url: Option<String>,
}

impl Public {
    fn url(&self) -> String {
        self.public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| default_public_url(self.addr))
    }
}

// Parsed once at startup: the size of the biggest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the bar (applies pending migrations first).
    Serve {
        /// The built site (pkg/ and public assets), as produced by `make build`.
        #[arg(long, env = "BARBACK_SITE_ROOT", default_value = DEFAULT_SITE_ROOT)]
        site_root: String,
        /// Open orders a guest may have at once.
        #[arg(long, env = "BARBACK_MAX_ACTIVE_ORDERS", default_value_t = DEFAULT_MAX_ACTIVE_ORDERS)]
        max_active_orders: u32,
        /// How long a guest stays signed in, in hours.
        #[arg(long, env = "BARBACK_GUEST_SESSION_HOURS", default_value_t = DEFAULT_GUEST_SESSION_HOURS)]
        guest_session_hours: u32,
        /// Where uploaded photos (and the Web Push key, unless given below) are kept.
        #[arg(long, env = "BARBACK_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
        data_dir: String,
        /// The bar's Web Push (VAPID) private key: a P-256 scalar, 32 bytes in base64url. Unset,
        /// one is made on first start and kept in the data directory. Several servers of one bar
        /// must share it.
        #[arg(long, env = "BARBACK_VAPID_PRIVATE_KEY", hide_env_values = true)]
        vapid_private_key: Option<String>,
        /// A reader role's login for reading the menu (PostgreSQL or DSQL; see `db roles`).
        #[arg(long, env = "BARBACK_DATABASE_READER_URL", hide_env_values = true)]
        database_reader_url: Option<String>,
        /// The bearer token for GET /metrics (Prometheus text format). Unset: no metrics.
        #[arg(long, env = "BARBACK_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        #[command(flatten)]
        admin_auth: AdminAuth,
        #[command(flatten)]
        images: Images,
        #[command(flatten)]
        ai: Ai,
        /// Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For names the client for rate
        /// limits. Empty: the TCP peer is the client.
        #[arg(long, env = "BARBACK_TRUSTED_PROXIES", default_value = "")]
        trusted_proxies: String,
        /// `optional`: /api/v1 serves calls without a key (a key given must be valid and counts
        /// against its quota); `required`: calls without a valid x-api-key get 401.
        #[arg(long, env = "BARBACK_API_KEYS", default_value = "optional")]
        api_keys: app::backend::config::ApiKeys,
        /// Tries at joining the party per client address per 10 minutes. Raise it when guests
        /// share one public address (a venue's Wi-Fi in front of a bar hosted elsewhere).
        #[arg(long, env = "BARBACK_JOINS_PER_10_MIN", default_value_t = app::backend::limits::DEFAULT_JOINS_PER_10_MIN)]
        joins_per_10_min: u32,
        /// Open connections the server keeps at most; further ones are closed at once.
        #[arg(long, env = "BARBACK_MAX_CONNECTIONS", default_value_t = ConnectionLimits::default().max_open)]
        max_connections: usize,
        /// Open connections one client address may have (a trusted proxy is not counted).
        #[arg(long, env = "BARBACK_MAX_CONNECTIONS_PER_CLIENT", default_value_t = ConnectionLimits::default().per_client)]
        max_connections_per_client: usize,
    },
    /// Apply pending database migrations.
    Migrate,
    /// First run: the demo menu if the bar is empty, an admin if there is none (its password is
    /// printed once), and a guest invite link. Running it again changes nothing.
    Seed,
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage invite codes.
    Invite {
        #[command(subcommand)]
        command: InviteCommand,
    },
    /// Manage guests.
    Guest {
        #[command(subcommand)]
        command: GuestCommand,
    },
    /// Exit 0 if the server listening on BARBACK_ADDR answers `/healthz` (a container's health
    /// check: the image has no shell and no curl).
    Healthcheck,
    /// The database itself (PostgreSQL and Aurora DSQL).
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Least-privilege roles: a reader (select) and a writer (select, insert, update, delete; no
    /// DDL) on every table. Prints the statements; with --apply, runs them (as the tables' owner,
    /// after `migrate`). Serve with the writer's DATABASE_URL and, optionally, the reader's
    /// BARBACK_DATABASE_READER_URL.
    Roles {
        /// Run the statements instead of printing them.
        #[arg(long)]
        apply: bool,
        #[arg(long, default_value = "barback_reader")]
        reader: String,
        #[arg(long, default_value = "barback_writer")]
        writer: String,
        /// PostgreSQL: the reader's password, set with --apply.
        #[arg(long, env = "BARBACK_DB_READER_PASSWORD", hide_env_values = true)]
        reader_password: Option<String>,
        /// PostgreSQL: the writer's password, set with --apply.
        #[arg(long, env = "BARBACK_DB_WRITER_PASSWORD", hide_env_values = true)]
        writer_password: Option<String>,
        /// Aurora DSQL: the IAM role (ARN) that may log in as the reader.
        #[arg(long)]
        reader_iam_role: Option<String>,
        /// Aurora DSQL: the IAM role (ARN) that may log in as the writer.
        #[arg(long)]
        writer_iam_role: Option<String>,
    },
}

/// Where photos are kept: the data dir (default) or S3.
#[derive(Args)]
struct Images {
    /// `local` or `s3`.
    #[arg(long, env = "BARBACK_IMAGES", default_value = "local")]
    images: String,
    /// The bucket for uploads and photo variants.
    #[arg(long, env = "BARBACK_S3_BUCKET")]
    s3_bucket: Option<String>,
    /// Where guests load photos from, e.g. a CloudFront distribution in front of the bucket.
    #[arg(long, env = "BARBACK_IMAGE_BASE_URL")]
    image_base_url: Option<String>,
    /// An S3-compatible endpoint instead of AWS.
    #[arg(long, env = "BARBACK_S3_ENDPOINT")]
    s3_endpoint: Option<String>,
}

impl Images {
    fn s3(self) -> Result<Option<S3Config>, String> {
        match self.images.as_str() {
            "local" => Ok(None),
            "s3" => Ok(Some(S3Config {
                bucket: self
                    .s3_bucket
                    .ok_or("BARBACK_IMAGES=s3 needs BARBACK_S3_BUCKET")?,
                public_base_url: self
                    .image_base_url
                    .ok_or("BARBACK_IMAGES=s3 needs BARBACK_IMAGE_BASE_URL")?,
                endpoint: self.s3_endpoint,
                region: None,
                credentials: None,
            })),
            other => Err(format!("BARBACK_IMAGES must be local or s3, not {other:?}")),
        }
    }
}

/// Who answers guests at /bartender: the house recommender (default) or Amazon Bedrock.
#[derive(Args)]
struct Ai {
    /// `local` (the house recommender, offline) or `bedrock`.
    #[arg(long, env = "BARBACK_AI", default_value = "local")]
    ai: String,
    /// The Bedrock model or inference profile id, e.g. amazon.nova-lite-v1:0,
    /// anthropic.claude-3-5-haiku-20241022-v1:0 or meta.llama3-1-8b-instruct-v1:0.
    #[arg(long, env = "BARBACK_BEDROCK_MODEL")]
    bedrock_model: Option<String>,
    /// More models the host may switch between at run time, comma-separated ids; the first
    /// (after BARBACK_BEDROCK_MODEL, when set) answers until the host picks another.
    #[arg(long, env = "BARBACK_BEDROCK_MODELS", value_delimiter = ',')]
    bedrock_models: Vec<String>,
    /// A Bedrock runtime endpoint other than AWS's default (a VPC endpoint).
    #[arg(long, env = "BARBACK_BEDROCK_ENDPOINT")]
    bedrock_endpoint: Option<String>,
    /// The embedding model for retrieval (drinks nearest to a message join the model's menu);
    /// empty turns retrieval off.
    #[arg(long, env = "BARBACK_BEDROCK_EMBEDDING_MODEL", default_value = app::backend::ai::embeddings::TITAN_EMBED_V2)]
    bedrock_embedding_model: String,
    /// The image model that makes proposed drink photos from their prompts (Nova Canvas or Titan
    /// Image Generator); empty keeps the drawn illustrations.
    #[arg(long, env = "BARBACK_BEDROCK_IMAGE_MODEL", default_value = app::backend::ai::pictures::NOVA_CANVAS)]
    bedrock_image_model: String,
    /// Messages each guest may send the bartender per hour.
    #[arg(long, env = "BARBACK_AI_MESSAGES_PER_HOUR", default_value_t = DEFAULT_AI_MESSAGES_PER_HOUR)]
    ai_messages_per_hour: u32,
    /// Seconds to wait for the model before the house recommender answers instead.
    #[arg(long, env = "BARBACK_AI_TIMEOUT_SECS", default_value_t = DEFAULT_AI_TIMEOUT_SECS)]
    ai_timeout_secs: u64,
}

impl Ai {
    /// BARBACK_BEDROCK_MODEL first, then BARBACK_BEDROCK_MODELS, each once.
    fn models(&self) -> Result<Vec<String>, String> {
        let mut models: Vec<String> = Vec::new();
        for id in self.bedrock_model.iter().chain(&self.bedrock_models) {
            let id = id.trim();
            if !id.is_empty() && !models.iter().any(|m| m == id) {
                models.push(id.to_string());
            }
        }
        if models.is_empty() {
            return Err(
                "BARBACK_AI=bedrock needs BARBACK_BEDROCK_MODEL or BARBACK_BEDROCK_MODELS".into(),
            );
        }
        Ok(models)
    }

    fn bedrock(&self) -> Result<Option<BedrockConfig>, String> {
        match self.ai.as_str() {
            "local" => Ok(None),
            "bedrock" => Ok(Some(BedrockConfig {
                models: self.models()?,
                endpoint: self.bedrock_endpoint.clone(),
                region: None,
                credentials: None,
                embedding_model: some(&self.bedrock_embedding_model),
                image_model: some(&self.bedrock_image_model),
            })),
            other => Err(format!(
                "BARBACK_AI must be local or bedrock, not {other:?}"
            )),
        }
    }
}

/// A setting that is off when empty.
fn some(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

/// How admins sign in: local accounts (default) or Cognito's hosted UI.
#[derive(Args)]
struct AdminAuth {
    /// `local` or `cognito`.
    #[arg(long, env = "BARBACK_ADMIN_AUTH", default_value = "local")]
    admin_auth: String,
    /// The hosted UI domain, e.g. https://bar.auth.eu-west-1.amazoncognito.com
    #[arg(long, env = "BARBACK_COGNITO_DOMAIN")]
    cognito_domain: Option<String>,
    /// The app client id.
    #[arg(long, env = "BARBACK_COGNITO_CLIENT_ID")]
    cognito_client_id: Option<String>,
    /// The app client secret, if the client has one.
    #[arg(long, env = "BARBACK_COGNITO_CLIENT_SECRET")]
    cognito_client_secret: Option<String>,
    /// The user pool issuer, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc123
    #[arg(long, env = "BARBACK_COGNITO_ISSUER")]
    cognito_issuer: Option<String>,
    /// Where the signing keys are (default: <issuer>/.well-known/jwks.json).
    #[arg(long, env = "BARBACK_COGNITO_JWKS_URL")]
    cognito_jwks_url: Option<String>,
}

impl AdminAuth {
    fn cognito(self) -> Result<Option<CognitoConfig>, String> {
        match self.admin_auth.as_str() {
            "local" => Ok(None),
            "cognito" => {
                let need = |value: Option<String>, name: &str| {
                    value
                        .map(|v| v.trim_end_matches('/').to_string())
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| format!("BARBACK_ADMIN_AUTH=cognito needs {name}"))
                };
                let issuer = need(self.cognito_issuer, "BARBACK_COGNITO_ISSUER")?;
                Ok(Some(CognitoConfig {
                    domain: need(self.cognito_domain, "BARBACK_COGNITO_DOMAIN")?,
                    client_id: need(self.cognito_client_id, "BARBACK_COGNITO_CLIENT_ID")?,
                    client_secret: self.cognito_client_secret.filter(|s| !s.is_empty()),
                    jwks_url: self
                        .cognito_jwks_url
                        .unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json")),
                    issuer,
                }))
            }
            other => Err(format!(
                "BARBACK_ADMIN_AUTH must be local or cognito, not {other:?}"
            )),
        }
    }
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Add an admin. The password is read from standard input, or generated and printed.
    Create {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum InviteCommand {
    /// Create an invite code and print its join URL.
    Create {
        /// How many guests may join with it.
        #[arg(long, default_value_t = 20)]
        uses: i64,
        /// How many hours it stays valid.
        #[arg(long, default_value_t = 12)]
        hours: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Revoke an invite code: nobody can join with it any more.
    Revoke { code: String },
}

#[derive(Subcommand)]
enum GuestCommand {
    /// Remove a guest by name: their phone is signed out at once.
    Remove { name: String },
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("BARBACK_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::debug!("{err}");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn store(url: &str) -> Result<Store, Box<dyn std::error::Error + Send + Sync>> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    Ok(store)
}

impl Cli {
    /// The database to use: DATABASE_URL, or the DSQL cluster BARBACK_DB=dsql names.
    fn database(&self) -> Result<String, String> {
        match self.db.as_deref() {
            None | Some("") | Some("sqlite") | Some("postgres") => Ok(self.database_url.clone()),
            Some("dsql") => {
                let endpoint = self
                    .dsql_endpoint
                    .as_deref()
                    .filter(|e| !e.trim().is_empty())
                    .ok_or("BARBACK_DB=dsql needs BARBACK_DSQL_ENDPOINT")?;
                Ok(format!("dsql://{}/postgres", endpoint.trim()))
            }
            Some(other) => Err(format!(
                "BARBACK_DB must be sqlite, postgres or dsql, not {other:?}"
            )),
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let public_url = cli.public.url();
    let database = cli.database()?;
    match cli.command {
        Command::Migrate => {
            store(&database).await?;
            println!("Database is up to date.");
        }
        Command::Seed => {
            let store = store(&database).await?;
            match store.seed_demo().await? {
                SeedOutcome::Seeded { sections, drinks, ingredients } => println!(
                    "Seeded the demo bar: {sections} sections, {drinks} drinks, {ingredients} ingredients."
                ),
                SeedOutcome::AlreadySeeded => println!("The bar already has a menu; nothing seeded."),
            }
            let (bar, _) = Bar::for_command(store);
            if let Some((username, password)) = bar.first_admin().await? {
                println!("Created the admin account (shown only this once):");
                println!("  sign in at {public_url}/admin/login");
                println!("  username:  {username}");
                println!("  password:  {password}");
            }
            let invite = bar.demo_invite().await?;
            println!("Guests join at {public_url}/join/{}", invite.code);
        }
        Command::Admin {
            command: AdminCommand::Create { username },
        } => {
            let store = store(&database).await?;
            let username = Username::parse(&username)?;
            let stdin = std::io::stdin();
            let (password, generated) = if stdin.is_terminal() {
                (auth::generate_password(), true)
            } else {
                let mut line = String::new();
                stdin.lock().read_line(&mut line)?;
                let line = line.trim_end_matches(['\r', '\n']).to_string();
                if line.is_empty() {
                    (auth::generate_password(), true)
                } else {
                    (line, false)
                }
            };
            let (bar, _) = Bar::for_command(store);
            bar.create_admin(&username, &password)
                .await
                .map_err(|err| match err {
                    AppError::Invalid { message, .. } => message,
                    other => other.to_string(),
                })?;
            println!("Created admin {username}.");
            if generated {
                println!("  password: {password}");
            }
        }
        Command::Invite {
            command: InviteCommand::Create { uses, hours, note },
        } => {
            let (bar, _) = Bar::for_command(store(&database).await?);
            let invite = bar.create_invite(uses, hours, &note).await?;
            println!("Invite code: {}", invite.code);
            println!("Join URL:    {public_url}/join/{}", invite.code);
            println!("Valid for {hours} h, {uses} guest(s).");
        }
        Command::Invite {
            command: InviteCommand::Revoke { code },
        } => {
            let (bar, _) = Bar::for_command(store(&database).await?);
            let code = app::domain::InviteCode::parse(&code)?;
            bar.revoke_invite(&code).await.map_err(|err| match err {
                AppError::NotFound(_) => format!("no active invite {code}"),
                other => other.to_string(),
            })?;
            println!("Revoked {code}.");
        }
        Command::Guest {
            command: GuestCommand::Remove { name },
        } => {
            let name = GuestName::parse(&name)?;
            let (bar, outgoing) = Bar::for_command(store(&database).await?);
            bar.remove_guest_named(&name).await?;
            // The server signs the guest out of the pages they have open when it reads this.
            outgoing.send().await?;
            println!("Removed {name}; their session no longer works.");
        }
        Command::Healthcheck => healthcheck(cli.public.addr).await?,
        Command::Db {
            command:
                DbCommand::Roles {
                    apply,
                    reader,
                    writer,
                    reader_password,
                    writer_password,
                    reader_iam_role,
                    writer_iam_role,
                },
        } => {
            let mut roles = Roles {
                reader: Role::named(&reader)?,
                writer: Role::named(&writer)?,
            };
            roles.reader.password = reader_password.filter(|p| !p.is_empty());
            roles.writer.password = writer_password.filter(|p| !p.is_empty());
            roles.reader.iam_role = reader_iam_role;
            roles.writer.iam_role = writer_iam_role;
            let store = store(&database).await?;
            if apply {
                let done = store.apply_roles(&roles).await?;
                println!(
                    "Applied {} statements: {} reads, {} reads and changes rows.",
                    done.len(),
                    roles.reader.name,
                    roles.writer.name
                );
            } else {
                for statement in store.role_statements(&roles, false).await? {
                    println!("{statement};");
                }
            }
        }
        Command::Serve {
            site_root,
            max_active_orders,
            guest_session_hours,
            data_dir,
            vapid_private_key,
            database_reader_url,
            metrics_token,
            admin_auth,
            images,
            ai,
            trusted_proxies,
            api_keys,
            max_connections,
            max_connections_per_client,
            joins_per_10_min,
        } => {
            let addr = cli.public.addr;
            let config = Config {
                site_root,
                public_url,
                max_active_orders,
                guest_session_hours,
                data_dir,
                vapid_private_key: vapid_private_key.filter(|key| !key.trim().is_empty()),
                cognito: admin_auth.cognito()?,
                s3: images.s3()?,
                bedrock: ai.bedrock()?,
                ai_messages_per_hour: ai.ai_messages_per_hour,
                ai_timeout: std::time::Duration::from_secs(ai.ai_timeout_secs.max(1)),
                limits: app::backend::limits::LimitsConfig {
                    trusted_proxies: app::backend::limits::parse_trusted_proxies(&trusted_proxies)?,
                    joins_per_10_min,
                    connections: ConnectionLimits {
                        max_open: max_connections,
                        per_client: max_connections_per_client,
                        ..Default::default()
                    },
                    ..Default::default()
                },
                api_keys,
                metrics_token: metrics_token.filter(|token| !token.trim().is_empty()),
                database_reader_url: database_reader_url.filter(|url| !url.trim().is_empty()),
                ..Config::new(database, addr)
            };
            let options = server::leptos_options(&config);
            let state = AppState::build(config, options).await?;
            let worker = state.start_worker();
            let follower = state.start_follower();
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            tracing::info!(%local, "listening");
            println!(
                "Barback is open on http://{local} (guests use {})",
                state.config.public_url
            );
            let hub = state.hub.clone();
            let shutdown = async move {
                server::shutdown_signal().await;
                // Event streams would otherwise hold the shutdown open until the grace runs out.
                hub.shutting_down();
            };
            let limits = state.config.limits.clone();
            server::serve(listener, server::router(state), &limits, shutdown).await?;
            tracing::info!("stopped serving");
            if let Some(worker) = worker {
                worker.stop().await;
            }
            if let Some(follower) = follower {
                follower.stop().await;
            }
        }
    }
    Ok(())
}

/// GETs `/healthz` from the server on `addr` (on this host when it listens on every interface).
async fn healthcheck(addr: SocketAddr) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let host = if addr.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    };
    let url = format!("http://{host}/healthz");
    let response = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()?
        .get(&url)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("{url} answered {}", response.status()).into());
    }
    println!("ok");
    Ok(())
}
