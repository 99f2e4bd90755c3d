//! `dessine doctor`: checks a configuration before a start, in French, one line per check —
//! « ✓ » fine, « ! » worth a look, « ✗ » will not work — and fails when one is « ✗ ». It
//! changes nothing: it does not migrate, and what it writes to test a folder it removes.

use crate::config::{Config, MailTransport};

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Fine(String),
    Warning(String),
    Broken(String),
}

impl Check {
    pub fn line(&self) -> String {
        match self {
            Check::Fine(text) => format!("✓ {text}"),
            Check::Warning(text) => format!("! {text}"),
            Check::Broken(text) => format!("✗ {text}"),
        }
    }
}

/// Whether a file can be written in `folder` (created if missing).
fn writable(folder: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let probe = folder.join(".dessine-doctor");
    std::fs::write(&probe, b"ok").map_err(|e| e.to_string())?;
    std::fs::remove_file(&probe).map_err(|e| e.to_string())
}

/// Every check of `config`.
pub async fn checks(config: &Config) -> Vec<Check> {
    let mut report = Vec::new();
    match crate::db::Db::connect(config).await {
        Err(error) => report.push(Check::Broken(format!(
            "DATABASE_URL : la base ne répond pas ({error})"
        ))),
        Ok(db) => match db.migrations_applied().await {
            Ok(true) => report.push(Check::Fine(
                "Base de données joignable, migrations à jour.".to_owned(),
            )),
            _ => report.push(Check::Warning(
                "Base de données joignable ; des migrations restent à appliquer (`dessine migrate`, ou le premier démarrage les applique).".to_owned(),
            )),
        },
    }
    let host = crate::config::host_of(&config.base_url);
    let local = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| host.starts_with(h));
    if config.is_https() {
        report.push(Check::Fine(format!(
            "DESSINE_BASE_URL : {} (https).",
            config.base_url
        )));
    } else if local {
        report.push(Check::Warning(format!(
            "DESSINE_BASE_URL : {} — une adresse locale : les liens des courriels ne marcheront que sur cette machine.",
            config.base_url
        )));
    } else {
        report.push(Check::Broken(format!(
            "DESSINE_BASE_URL : {} — en http, les mots de passe et les cookies circulent en clair ; indiquez l'adresse https du portail.",
            config.base_url
        )));
    }
    match &config.mail {
        MailTransport::Folder(folder) => match writable(folder) {
            Ok(()) => report.push(Check::Warning(format!(
                "DESSINE_MAIL : les courriels sont écrits dans {} et n'arrivent à personne (bien pour une démonstration ; indiquez un serveur smtp:// pour un portail ouvert).",
                folder.display()
            ))),
            Err(error) => report.push(Check::Broken(format!(
                "DESSINE_MAIL : impossible d'écrire dans {} ({error}).",
                folder.display()
            ))),
        },
        MailTransport::Smtp(_) => {
            let reached = match crate::mail::Mailer::from_config(config) {
                Ok(crate::mail::Mailer::Smtp(transport)) => {
                    transport.test_connection().await.unwrap_or(false)
                }
                _ => false,
            };
            report.push(if reached {
                Check::Fine("DESSINE_MAIL : le serveur SMTP répond.".to_owned())
            } else {
                Check::Broken(
                    "DESSINE_MAIL : le serveur SMTP ne répond pas (adresse, port, identifiants ?)."
                        .to_owned(),
                )
            });
        }
    }
    match writable(&config.media_dir) {
        Ok(()) => report.push(Check::Fine(format!(
            "DESSINE_MEDIA : {} accepte les images envoyées.",
            config.media_dir.display()
        ))),
        Err(error) => report.push(Check::Broken(format!(
            "DESSINE_MEDIA : impossible d'écrire dans {} ({error}).",
            config.media_dir.display()
        ))),
    }
    report.push(if config.trust_proxy {
        Check::Warning("DESSINE_TRUST_PROXY=1 : l'adresse des visiteurs est lue dans X-Forwarded-For ; n'activez cela que si un proxy inverse, seul à joindre ce serveur, ajoute cet en-tête.".to_owned())
    } else {
        Check::Fine("DESSINE_TRUST_PROXY : l'adresse des visiteurs est celle de la connexion (pas de proxy inverse déclaré).".to_owned())
    });
    let legal = &config.legal;
    let missing: Vec<&str> = [
        ("DESSINE_EDITEUR", &legal.publisher),
        ("DESSINE_DIRECTEUR_PUBLICATION", &legal.director),
        ("DESSINE_HEBERGEUR", &legal.host),
        ("DESSINE_CONTACT", &legal.contact),
    ]
    .iter()
    .filter(|(_, value)| value.is_none())
    .map(|(name, _)| *name)
    .collect();
    report.push(if missing.is_empty() {
        Check::Fine(
            "Mentions légales : éditeur, publication, hébergeur et contact renseignés.".to_owned(),
        )
    } else {
        Check::Warning(format!(
            "Mentions légales incomplètes (la loi les demande avant l'ouverture) : {}.",
            missing.join(", ")
        ))
    });
    report
}
