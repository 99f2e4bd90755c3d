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
    /// Copie la base SQLite dans FICHIER, serveur en marche (VACUUM INTO). Pour PostgreSQL :
    /// pg_dump.
    Backup {
        /// Fichier de destination (ne doit pas exister).
        file: std::path::PathBuf,
    },
    /// Remplace la base SQLite par une copie faite avec `backup` (serveur arrêté).
    Restore {
        /// Copie à restaurer.
        file: std::path::PathBuf,
    },
    /// Copie la base SQLite (DATABASE_URL, portail arrêté) dans une base PostgreSQL vide, puis
    /// compare les deux ligne à ligne : le passage à plusieurs serveurs.
    CopyToPostgres {
        /// Adresse de la base PostgreSQL de destination (postgres://…), vide.
        destination: String,
    },
    /// Label « démarche progrès ».
    Label {
        #[command(subcommand)]
        what: LabelCommand,
    },
    /// Importe des données.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Gère les comptes.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Vérifie la configuration avant un démarrage (base, adresse, courriel, dossiers, proxy,
    /// mentions légales) ; ne change rien.
    Doctor,
    /// Tâches périodiques (purges, rétention des données).
    Jobs {
        #[command(subcommand)]
        what: JobsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Lance une fois chaque tâche dont la période a commencé et qu'aucun serveur n'a encore
    /// faite (à lancer par cron si aucun serveur ne tourne ; les serveurs le font eux-mêmes).
    Run,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Un annuaire existant, en CSV (colonnes : voir le README). Sans --appliquer, affiche
    /// seulement ce que ferait chaque ligne.
    Structures {
        fichier: std::path::PathBuf,
        /// Applique l'import (sinon : essai à blanc).
        #[arg(long)]
        appliquer: bool,
    },
    /// Les fichiers stock SIRENE de l'INSEE (unités légales, établissements) : les
    /// établissements actifs des unités légales actives de l'ESS, dans les départements
    /// choisis. Sans --appliquer, affiche seulement ce que ferait l'import.
    Sirene {
        unites: std::path::PathBuf,
        etablissements: std::path::PathBuf,
        /// Codes INSEE des départements, séparés par des virgules.
        #[arg(long, default_value = "59,62")]
        departements: String,
        /// Applique l'import (sinon : essai à blanc).
        #[arg(long)]
        appliquer: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LabelCommand {
    /// Écrit les expirations et envoie les rappels d'échéance (à lancer chaque jour par cron si
    /// aucun serveur ne tourne ; les serveurs le font eux-mêmes chaque minute).
    Reminders,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Crée un compte déjà confirmé ; le mot de passe est lu sur l'entrée standard.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Administrateur du site.
        #[arg(long)]
        admin: bool,
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
    if let Command::Doctor = &command {
        let report = crate::doctor::checks(&config).await;
        for check in &report {
            println!("{}", check.line());
        }
        let broken = report
            .iter()
            .filter(|c| matches!(c, crate::doctor::Check::Broken(_)))
            .count();
        return match broken {
            0 => Ok(()),
            1 => Err("1 point empêche le portail de marcher (✗ ci-dessus).".to_owned()),
            n => Err(format!(
                "{n} points empêchent le portail de marcher (✗ ci-dessus)."
            )),
        };
    }
    if let Command::Restore { file } = &command {
        // Before connecting: the database file is about to be replaced.
        return crate::db::backup::restore(&config, file).await;
    }
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
            let done = crate::seed::demo(&db).await.map_err(db_error)?;
            println!("{done}");
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
        Command::User {
            what: UserCommand::Create { email, name, admin },
        } => create_user(&db, &email, &name, admin).await,
        Command::Import {
            what: ImportCommand::Structures { fichier, appliquer },
        } => {
            let bytes = std::fs::read(&fichier).map_err(|error| {
                format!("Lecture de {} impossible : {error}", fichier.display())
            })?;
            let report =
                crate::features::moderation::import::import(&db, &bytes, appliquer).await?;
            for (line, outcome) in &report.lines {
                println!("ligne {line} : {}", outcome.describe());
            }
            println!(
                "{} : {}.",
                if appliquer {
                    "Import fait"
                } else {
                    "Essai à blanc (rien n'est modifié ; --appliquer pour importer)"
                },
                report.summary()
            );
            if appliquer {
                db.analyze().await.map_err(db_error)?;
            }
            Ok(())
        }
        Command::Import {
            what:
                ImportCommand::Sirene {
                    unites,
                    etablissements,
                    departements,
                    appliquer,
                },
        } => {
            use crate::features::moderation::sirene;
            let started = std::time::Instant::now();
            let report = sirene::import(
                &db,
                sirene::Source::Path(unites),
                sirene::Source::Path(etablissements),
                sirene::Options {
                    departements: departements.split(',').map(str::to_owned).collect(),
                    apply: appliquer,
                },
            )
            .await?;
            for note in &report.notes {
                println!("{note}");
            }
            if report.notes_left_out > 0 {
                println!(
                    "… et {} autres lignes du même genre.",
                    report.notes_left_out
                );
            }
            println!(
                "{} en {:.1} s : {}.",
                if appliquer {
                    "Import SIRENE fait"
                } else {
                    "Essai à blanc (rien n'est modifié ; --appliquer pour importer)"
                },
                started.elapsed().as_secs_f64(),
                report.summary()
            );
            if appliquer {
                db.analyze().await.map_err(db_error)?;
            }
            Ok(())
        }
        Command::Label {
            what: LabelCommand::Reminders,
        } => {
            let state = AppState::build(db, config).await?;
            let done = crate::features::label::reminders::sweep(
                &state,
                crate::timestamp::Timestamp::now(),
            )
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "{} label(s) expiré(s), {} courriel(s) de rappel envoyé(s).",
                done.expired, done.mails
            );
            Ok(())
        }
        Command::Jobs {
            what: JobsCommand::Run,
        } => {
            let state = AppState::build(db, config).await?;
            let now = crate::timestamp::Timestamp::now();
            for job in crate::server::JOBS {
                match crate::jobs::run_once(&state, job, now).await {
                    Ok(Some(count)) => println!("{} : fait ({count}).", job.name),
                    Ok(None) => println!("{} : déjà fait pour cette période.", job.name),
                    Err(error) => return Err(format!("{} : {error}", job.name)),
                }
            }
            Ok(())
        }
        Command::CopyToPostgres { destination } => {
            let target_config = Config {
                database_kind: crate::config::DatabaseKind::Postgres,
                database_url: destination,
                ..config
            };
            if !target_config.database_url.starts_with("postgres") {
                return Err("la destination doit être une adresse postgres://…".into());
            }
            let target = Db::connect(&target_config)
                .await
                .map_err(|e| format!("destination : {e}"))?;
            target
                .migrate()
                .await
                .map_err(|e| format!("destination : {e}"))?;
            let report = crate::db::to_postgres::copy(&db, &target).await?;
            print!("{report}");
            Ok(())
        }
        Command::Backup { file } => {
            crate::db::backup::backup(&db, &file).await?;
            println!("Copie de la base écrite dans {}.", file.display());
            Ok(())
        }
        Command::Restore { .. } | Command::Doctor => unreachable!("handled before connecting"),
        Command::Serve => serve(db, config).await,
    }
}

/// `dessine user create`: the first admin of a new portal. The password comes from standard
/// input (one line), never from the command line where `ps` would show it.
async fn create_user(db: &Db, email: &str, name: &str, admin: bool) -> Result<(), String> {
    use crate::features::accounts::{db as accounts, normalise_email, normalise_name, password};
    let email = normalise_email(email).map_err(|m| format!("--email : {m}"))?;
    let name = normalise_name(name).map_err(|m| format!("--name : {m}"))?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("mot de passe illisible sur l'entrée standard : {e}"))?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    password::check_new_password(&secret, &email).map_err(|m| format!("mot de passe : {m}"))?;
    let hash = password::hash(secret).await.map_err(|e| e.to_string())?;
    let created = accounts::create_user(
        db,
        accounts::NewUser {
            email: &email,
            name: &name,
            password_hash: &hash,
            verified: true,
            role: if admin {
                crate::features::accounts::SiteRole::Admin
            } else {
                crate::features::accounts::SiteRole::Member
            },
        },
    )
    .await
    .map_err(db_error)?;
    match created {
        Some(_) => {
            println!(
                "Compte créé pour {email}{}.",
                if admin { " (administrateur)" } else { "" }
            );
            Ok(())
        }
        None => Err(format!("--email : un compte existe déjà pour {email}")),
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
    let state = AppState::build(db, config).await?;
    state.sessions.spawn_cleanup();
    tokio::spawn(crate::features::accounts::password::measure_a_check());
    crate::server::serve(listener, crate::server::router(state))
        .await
        .map_err(|e| format!("serveur arrêté : {e}"))
}
