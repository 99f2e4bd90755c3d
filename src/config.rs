//! Typed configuration read from the environment once at start-up.
//!
//! Every setting has a default so that `dessine` runs with no configuration at all on a
//! developer's machine; a value that is set but wrong stops start-up with a message that names
//! the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::config::LeptosOptions;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/dessine.db";
pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_MAIL_FOLDER: &str = "data/mail";
pub const DEFAULT_MEDIA_FOLDER: &str = "data/medias";
pub const DEFAULT_SITE_ROOT: &str = "target/site";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// Each message is written as an `.eml` file in this folder (development, demos, tests).
    Folder(PathBuf),
    /// An `smtp://` or `smtps://` URL, with optional user and password.
    Smtp(String),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub database_kind: DatabaseKind,
    pub site_addr: SocketAddr,
    /// Absolute base of every link sent outside the site (mails, feeds), without trailing slash.
    pub base_url: String,
    pub mail: MailTransport,
    /// The sender of the portal's mails (`DESSINE_MAIL_FROM`).
    pub mail_from: String,
    /// Behind a reverse proxy (`DESSINE_TRUST_PROXY=1`): the client address is the last
    /// `X-Forwarded-For` entry rather than the TCP peer.
    pub trust_proxy: bool,
    pub site_root: String,
    /// Where uploaded images are kept (`DESSINE_MEDIA`, `data/medias` by default). With several
    /// app servers, a folder they all share.
    pub media_dir: std::path::PathBuf,
    /// Who publishes and hosts the portal, for `/mentions-legales` (LCEN art. 6).
    pub legal: LegalNotice,
    /// How many letters a second the newsletter sends at most (`DESSINE_MAIL_RATE`).
    pub mail_rate: u32,
    /// The client addresses `/metrics` answers (`DESSINE_METRICS_FROM`, comma-separated;
    /// loopback by default), as rate limits read them (IPv6 by /64).
    pub metrics_from: Vec<String>,
    /// Whether this server runs the periodic jobs (`DESSINE_JOBS`, on unless `0`: a deployment
    /// may leave them to `dessine jobs run` in cron, tests run them on their own clock).
    pub jobs: bool,
    /// Whether pages for visitors without a session are shared for up to a second
    /// (`DESSINE_PAGE_CACHE`, on unless `0`; see `page_cache`).
    pub page_cache: bool,
    /// The map's background (`DESSINE_TILES_URL`, `DESSINE_TILES_ATTRIBUTION`): none by default,
    /// and the map then shows its groups on a plain background.
    pub tiles: Option<Tiles>,
}

/// A tile server: its address template and the attribution its licence asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiles {
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png`; `{s}` for a subdomain.
    pub url: String,
    pub attribution: String,
}

impl Tiles {
    /// `https://tile.openstreetmap.org`, `https://*.tile.example.org` with `{s}`: what the
    /// pages' security policy lets images come from.
    pub fn origin(&self) -> String {
        let (scheme, rest) = self.url.split_once("://").unwrap_or(("https", &self.url));
        let host = rest.split('/').next().unwrap_or_default();
        format!("{scheme}://{}", host.replace("{s}", "*"))
    }

    fn parse(url: &str, attribution: Option<String>) -> Result<Tiles, ConfigError> {
        let url = url.trim();
        let bad = |why: &str| {
            err(
                "DESSINE_TILES_URL",
                format!(
                    "« {url} » : {why} (exemple : https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png)"
                ),
            )
        };
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(bad("l'adresse doit commencer par https://"));
        };
        if scheme != "https" && scheme != "http" {
            return Err(bad("l'adresse doit commencer par https://"));
        }
        if !["{z}", "{x}", "{y}"].iter().all(|part| url.contains(part)) {
            return Err(bad("il manque {z}, {x} ou {y}"));
        }
        let host = rest
            .split('/')
            .next()
            .unwrap_or_default()
            .replace("{s}", "s");
        let host_fine = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
        let path_fine = url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"'<>`\\".contains(&b));
        if !host_fine || !path_fine {
            return Err(bad("caractères non permis dans l'adresse"));
        }
        let attribution = attribution
            .map(|a| a.trim().chars().take(300).collect::<String>())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "© les contributeurs d'OpenStreetMap".to_owned());
        Ok(Tiles {
            url: url.to_owned(),
            attribution,
        })
    }
}

/// The legal notice's facts; `None` when the operator has not set them (the page says so).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalNotice {
    /// `DESSINE_EDITEUR`: the publisher's name, legal form, address, SIRET.
    pub publisher: Option<String>,
    /// `DESSINE_DIRECTEUR_PUBLICATION`.
    pub director: Option<String>,
    /// `DESSINE_HEBERGEUR`: the host's name, address and telephone.
    pub host: Option<String>,
    /// `DESSINE_CONTACT`: the address people write to about their data and accessibility.
    pub contact: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable} : {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url =
            lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let database_kind = parse_database_kind(&database_url)?;

        let addr_text = lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_SITE_ADDR.to_owned());
        let site_addr: SocketAddr = addr_text.trim().parse().map_err(|_| {
            err(
                "LEPTOS_SITE_ADDR",
                format!("« {addr_text} » n'est pas une adresse IP:port (exemple : 127.0.0.1:3000)"),
            )
        })?;

        let base_url = match lookup("DESSINE_BASE_URL") {
            Some(value) => parse_base_url(&value)?,
            None => format!("http://{site_addr}"),
        };

        let mail = parse_mail(
            lookup("DESSINE_MAIL")
                .as_deref()
                .unwrap_or(DEFAULT_MAIL_FOLDER),
        )?;
        let site_root = lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| DEFAULT_SITE_ROOT.to_owned());
        let mail_from = lookup("DESSINE_MAIL_FROM")
            .unwrap_or_else(|| "DESSINE <ne-pas-repondre@dessine.example>".to_owned());
        if !mail_from.contains('@') {
            return Err(err(
                "DESSINE_MAIL_FROM",
                format!(
                    "« {mail_from} » n'est pas une adresse e-mail (exemple : DESSINE <contact@exemple.fr>)"
                ),
            ));
        }

        let trust_proxy = match lookup("DESSINE_TRUST_PROXY").as_deref().map(str::trim) {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                return Err(err(
                    "DESSINE_TRUST_PROXY",
                    format!("« {other} » : indiquez 1 (derrière un proxy) ou 0"),
                ));
            }
        };

        let media_dir = lookup("DESSINE_MEDIA")
            .unwrap_or_else(|| DEFAULT_MEDIA_FOLDER.to_owned())
            .into();

        let legal = LegalNotice {
            publisher: lookup("DESSINE_EDITEUR"),
            director: lookup("DESSINE_DIRECTEUR_PUBLICATION"),
            host: lookup("DESSINE_HEBERGEUR"),
            contact: lookup("DESSINE_CONTACT"),
        };

        let mail_rate = match lookup("DESSINE_MAIL_RATE") {
            None => 10,
            Some(text) => match text.trim().parse::<u32>() {
                Ok(rate) if (1..=1000).contains(&rate) => rate,
                _ => {
                    return Err(err(
                        "DESSINE_MAIL_RATE",
                        format!(
                            "« {text} » : indiquez un nombre de courriels par seconde, de 1 à 1000"
                        ),
                    ));
                }
            },
        };

        let jobs = match lookup("DESSINE_JOBS").as_deref().map(str::trim) {
            None | Some("1") => true,
            Some("0") => false,
            Some(other) => {
                return Err(err(
                    "DESSINE_JOBS",
                    format!(
                        "« {other} » : indiquez 1 (ce serveur fait les tâches périodiques) ou 0"
                    ),
                ));
            }
        };

        let page_cache = match lookup("DESSINE_PAGE_CACHE").as_deref().map(str::trim) {
            None | Some("1") => true,
            Some("0") => false,
            Some(other) => {
                return Err(err(
                    "DESSINE_PAGE_CACHE",
                    format!(
                        "« {other} » : indiquez 1 (pages des visiteurs gardées une seconde) ou 0"
                    ),
                ));
            }
        };

        let tiles = lookup("DESSINE_TILES_URL")
            .map(|url| Tiles::parse(&url, lookup("DESSINE_TILES_ATTRIBUTION")))
            .transpose()?;

        let metrics_from = lookup("DESSINE_METRICS_FROM")
            .unwrap_or_else(|| "127.0.0.1,::1".to_owned())
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<std::net::IpAddr>()
                    .map(crate::ip::rate_key)
                    .map_err(|_| {
                        err(
                            "DESSINE_METRICS_FROM",
                            format!("« {a} » n'est pas une adresse IP"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;

        Ok(Config {
            tiles,
            metrics_from,
            jobs,
            page_cache,
            mail_rate,
            legal,
            media_dir,
            database_url,
            database_kind,
            site_addr,
            base_url,
            mail,
            mail_from,
            trust_proxy,
            site_root,
        })
    }

    /// Whether cookies must carry `Secure`: the public address is https.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Leptos options built from our settings rather than from `Cargo.toml`, which is not
    /// shipped with the binary. Hashed asset names are used when cargo-leptos left its
    /// `hash.txt` beside the binary (release builds), plain names otherwise (tests).
    pub fn leptos_options(&self) -> LeptosOptions {
        let hash_file =
            std::env::var("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|_| "hash.txt".to_owned());
        let hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&hash_file)))
            .is_some_and(|path| path.is_file());
        LeptosOptions::builder()
            .output_name("dessine")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.site_addr)
            .hash_files(hash_files)
            .hash_file(std::sync::Arc::<str>::from(hash_file))
            .build()
    }
}

fn parse_database_kind(url: &str) -> Result<DatabaseKind, ConfigError> {
    if url.starts_with("sqlite:") {
        Ok(DatabaseKind::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DatabaseKind::Postgres)
    } else {
        let scheme = url.split(':').next().unwrap_or_default();
        Err(err(
            "DATABASE_URL",
            format!(
                "base « {scheme} » non prise en charge : utilisez sqlite://chemin.db ou postgres://…"
            ),
        ))
    }
}

fn parse_base_url(value: &str) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(value.trim()).map_err(|_| {
        err(
            "DESSINE_BASE_URL",
            format!(
                "« {value} » n'est pas une URL absolue (exemple : https://dessine.example.org)"
            ),
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(err(
            "DESSINE_BASE_URL",
            "l'URL doit commencer par http:// ou https:// et nommer un hôte",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(err(
            "DESSINE_BASE_URL",
            "l'URL ne doit contenir ni « ? » ni « # »",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn parse_mail(value: &str) -> Result<MailTransport, ConfigError> {
    let value = value.trim();
    if value.starts_with("smtp://") || value.starts_with("smtps://") {
        let parsed =
            url::Url::parse(value).map_err(|_| err("DESSINE_MAIL", "URL SMTP illisible"))?;
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(err(
                "DESSINE_MAIL",
                "l'URL SMTP doit nommer un serveur (smtp://hôte:port)",
            ));
        }
        Ok(MailTransport::Smtp(value.to_owned()))
    } else if value.contains("://") {
        Err(err(
            "DESSINE_MAIL",
            "attendu un dossier, ou une URL smtp:// ou smtps://",
        ))
    } else {
        Ok(MailTransport::Folder(PathBuf::from(value)))
    }
}

/// The host of a base URL (`https://dessine.example:8443/x` → `dessine.example`): calendar UIDs,
/// the feeds' tag URIs and the mails' identifiers name the site with it.
pub fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_read_off_the_base_url() {
        assert_eq!(host_of("https://dessine.example:8443/x"), "dessine.example");
        assert_eq!(host_of("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host_of("dessine.example"), "dessine.example");
    }
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|key| map.get(key).cloned())
    }

    #[test]
    fn defaults_need_no_environment() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.database_kind, DatabaseKind::Sqlite);
        assert_eq!(c.site_addr.to_string(), DEFAULT_SITE_ADDR);
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert_eq!(
            c.mail,
            MailTransport::Folder(PathBuf::from(DEFAULT_MAIL_FOLDER))
        );
        assert!(!c.is_https());
    }

    #[test]
    fn tiles_are_a_template_with_an_origin_for_the_policy() {
        assert_eq!(config(&[]).unwrap().tiles, None);
        let osm = config(&[(
            "DESSINE_TILES_URL",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )])
        .unwrap()
        .tiles
        .unwrap();
        assert_eq!(osm.origin(), "https://tile.openstreetmap.org");
        assert!(osm.attribution.contains("OpenStreetMap"));
        let own = config(&[
            (
                "DESSINE_TILES_URL",
                "https://{s}.tuiles.example:8443/{z}/{x}/{y}.png",
            ),
            ("DESSINE_TILES_ATTRIBUTION", "  © IGN  "),
        ])
        .unwrap()
        .tiles
        .unwrap();
        assert_eq!(own.origin(), "https://*.tuiles.example:8443");
        assert_eq!(own.attribution, "© IGN");
        for bad in [
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
            "ftp://tiles.example/{z}/{x}/{y}.png",
            "https://tiles.example/{z}/{x}.png",
            "https://tiles.example/{z}/{x}/{y}.png\"onload=\"x",
            "https://tiles.example;script-src */{z}/{x}/{y}",
            "https:///{z}/{x}/{y}",
        ] {
            let error = config(&[("DESSINE_TILES_URL", bad)]).unwrap_err();
            assert_eq!(error.variable, "DESSINE_TILES_URL", "{bad}");
            assert!(error.message.contains("exemple"), "{}", error.message);
        }
    }

    #[test]
    fn trust_proxy_is_off_unless_one() {
        assert!(!config(&[]).unwrap().trust_proxy);
        assert!(config(&[("DESSINE_TRUST_PROXY", "1")]).unwrap().trust_proxy);
        let error = config(&[("DESSINE_TRUST_PROXY", "oui")]).unwrap_err();
        assert_eq!(error.variable, "DESSINE_TRUST_PROXY");
    }

    #[test]
    fn postgres_urls_select_postgres() {
        for url in [
            "postgres://u@localhost/db",
            "postgresql://u@localhost:5433/db",
        ] {
            assert_eq!(
                config(&[("DATABASE_URL", url)]).unwrap().database_kind,
                DatabaseKind::Postgres
            );
        }
    }

    #[test]
    fn unknown_database_scheme_names_the_variable() {
        let e = config(&[("DATABASE_URL", "mysql://localhost/db")]).unwrap_err();
        assert_eq!(e.variable, "DATABASE_URL");
        assert!(e.to_string().starts_with("DATABASE_URL : "));
        assert!(e.message.contains("mysql"));
    }

    #[test]
    fn bad_site_addr_is_refused() {
        let e = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
        assert_eq!(e.variable, "LEPTOS_SITE_ADDR");
    }

    #[test]
    fn base_url_is_normalised_and_checked() {
        let c = config(&[("DESSINE_BASE_URL", "https://dessine.example.org/")]).unwrap();
        assert_eq!(c.base_url, "https://dessine.example.org");
        assert!(c.is_https());
        for bad in ["dessine.example.org", "ftp://x.org", "https://x.org/?a=1"] {
            assert_eq!(
                config(&[("DESSINE_BASE_URL", bad)]).unwrap_err().variable,
                "DESSINE_BASE_URL",
                "{bad}"
            );
        }
    }

    #[test]
    fn mail_accepts_folders_and_smtp_urls_only() {
        assert_eq!(
            config(&[("DESSINE_MAIL", "smtps://user:pw@mail.example.org:465")])
                .unwrap()
                .mail,
            MailTransport::Smtp("smtps://user:pw@mail.example.org:465".into())
        );
        assert_eq!(
            config(&[("DESSINE_MAIL", "/var/mail/dessine")])
                .unwrap()
                .mail,
            MailTransport::Folder("/var/mail/dessine".into())
        );
        for bad in ["http://mail.example.org", "smtp://"] {
            assert_eq!(
                config(&[("DESSINE_MAIL", bad)]).unwrap_err().variable,
                "DESSINE_MAIL",
                "{bad}"
            );
        }
    }
}
