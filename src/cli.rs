//! The `dessine` command line: serve (the default), migrate, seed.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db::Db;
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(
    name = "dessine",
    version,
    about = "Portail de l'économie sociale et solidaire"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Applique les migrations puis sert le portail (commande par défaut).
    Serve,
    /// Applique les migrations de la base et s'arrête.
    Migrate,
    /// Charge des données.
    Seed {
        #[command(subcommand)]
        what: SeedCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Données de démonstration (idempotent).
    Demo {
        /// Ne rien faire si la base contient déjà des données.
        #[arg(long)]
        if_empty: bool,
    },
    /// Structures fictives réalistes en grand nombre (tests de charge), déterministes.
    Synthetic {
        /// Nombre de structures.
        #[arg(long, default_value_t = 200_000)]
        count: u64,
    },
}

/// Parses the command line, runs the command, and turns any failure into one French line on
/// standard error and a non-zero exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match execute(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dessine : {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

async fn execute(command: Command) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let db = Db::connect(&config).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    match command {
        Command::Migrate => {
            println!("Migrations appliquées.");
            Ok(())
        }
        Command::Seed {
            what: SeedCommand::Demo { if_empty },
        } => {
            if if_empty && !crate::seed::is_empty(&db).await.map_err(db_error)? {
                println!("La base contient déjà des données : rien à faire.");
                return Ok(());
            }
            crate::seed::demo(&db).await.map_err(db_error)?;
            println!("Données de démonstration chargées.");
            Ok(())
        }
        Command::Seed {
            what: SeedCommand::Synthetic { count },
        } => {
            let started = std::time::Instant::now();
            let added = crate::seed::synthetic(&db, count).await.map_err(db_error)?;
            println!(
                "{added} structures fictives ajoutées en {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Serve => serve(db, config).await,
    }
}

fn db_error(error: sqlx::Error) -> String {
    format!("erreur de base de données : {error}")
}

async fn serve(db: Db, config: Config) -> Result<(), String> {
    let addr = config.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("LEPTOS_SITE_ADDR : impossible d'écouter sur {addr} : {e}"))?;
    let state = AppState::new(db, config);
    crate::server::serve(listener, crate::server::router(state))
        .await
        .map_err(|e| format!("serveur arrêté : {e}"))
}
