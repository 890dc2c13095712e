//! `server`: the Barback binary. `serve` runs the bar; `migrate` and `seed` prepare the database.

use app::backend::config::{DEFAULT_ADDR, DEFAULT_DATABASE_URL, DEFAULT_SITE_ROOT};
use app::backend::store::{seed::SeedOutcome, Store};
use app::backend::{AppState, Config};
use clap::{Parser, Subcommand};
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the bar (applies pending migrations first).
    Serve {
        /// Address to listen on; 0.0.0.0:3000 opens the bar to phones on the same network.
        #[arg(long, env = "BARBACK_ADDR", default_value = DEFAULT_ADDR)]
        addr: SocketAddr,
        /// The built site (pkg/ and public assets), as produced by `make build`.
        #[arg(long, env = "BARBACK_SITE_ROOT", default_value = DEFAULT_SITE_ROOT)]
        site_root: String,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Fill an empty bar with the demo menu (does nothing if the bar has a menu).
    Seed,
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
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
            tracing::error!("{err}");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Migrate => {
            let store = Store::connect(&cli.database_url).await?;
            store.migrate().await?;
            println!("Database is up to date.");
        }
        Command::Seed => {
            let store = Store::connect(&cli.database_url).await?;
            store.migrate().await?;
            match store.seed_demo().await? {
                SeedOutcome::Seeded { sections, drinks, ingredients } => println!(
                    "Seeded the demo bar: {sections} sections, {drinks} drinks, {ingredients} ingredients."
                ),
                SeedOutcome::AlreadySeeded => println!("The bar already has a menu; nothing seeded."),
            }
        }
        Command::Serve { addr, site_root } => {
            let config = Config {
                database_url: cli.database_url,
                addr,
                site_root,
            };
            let options = server::leptos_options(&config);
            let state = AppState::build(config, options).await?;
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            tracing::info!(%local, "listening");
            println!("Barback is open on http://{local}");
            server::serve(listener, server::router(state), server::shutdown_signal()).await?;
        }
    }
    Ok(())
}
