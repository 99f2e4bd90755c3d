//! Starts the real application on 127.0.0.1:0 against a fresh, migrated database:
//! a temporary SQLite file, or a new database in the PostgreSQL cluster named by
//! `DESSINE_TEST_POSTGRES_URL` (the test command starts one).

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use dessine::config::Config;
use dessine::db::Db;
use dessine::state::AppState;

pub use dessine::config::DatabaseKind;

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The app server's state (its search index among others).
    pub state: AppState,
    database_url: String,
    pub client: reqwest::Client,
    pub mail_dir: std::path::PathBuf,
    /// The PostgreSQL database to drop when the test ends: (server URL, database name).
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    /// Drops the test's PostgreSQL database, from a thread of its own (the test's runtime is
    /// shutting down), closing the app's remaining connections first.
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let admin = sqlx::AnyPool::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await?;
                admin.close().await;
                Ok::<(), sqlx::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop a PostgreSQL test database: {dropped:?}");
        }
    }
}

impl TestApp {
    /// The address of the test's own database.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Applies the directory changes written straight to the database (as another app server
    /// would have) to this server's search index, instead of waiting for its next poll.
    pub async fn search_caught_up(&self) {
        self.state.search.ready().await;
        dessine::features::directory::index::catch_up(&self.state)
            .await
            .unwrap();
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// A browser without JavaScript: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// The mails written so far (raw `.eml` text), oldest first: the mailer names its files by
    /// time and sequence, so name order is sending order.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|path| path.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    }

    /// The mails (raw) whose `To` header is `to` (not a `Reply-To`).
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let header = format!("\nTo: {to}");
        self.mails()
            .into_iter()
            .filter(|m| m.contains(&header))
            .collect()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The clone being tested, read when the test runs (cargo and nextest set it): `make test` reuses
/// a build made in another clone of the same sources (scripts/env.sh), and such a build still
/// names, at compile time, the clone it was compiled in — which may be gone.
pub fn project_root() -> std::path::PathBuf {
    std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "t{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// What a test's database holds when the test starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Contents {
    /// The migrations only.
    Migrated,
    /// The migrations and the demo data (`dessine seed demo`).
    Demo,
}

impl Contents {
    fn name(self) -> &'static str {
        match self {
            Contents::Migrated => "migrated",
            Contents::Demo => "demo",
        }
    }
}

/// Names the templates after the test binary itself (its path, size and time), so that a rebuilt
/// binary, whose migrations or demo data may differ, never reuses an older binary's template,
/// while every test of one build (one process each under nextest) shares the same ones.
fn template_key() -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let exe = std::env::current_exe().expect("the test binary's path");
    let meta = std::fs::metadata(&exe).expect("the test binary's metadata");
    let mut hasher = DefaultHasher::new();
    exe.hash(&mut hasher);
    meta.len().hash(&mut hasher);
    meta.modified().ok().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Migrates `database_url` and loads what `contents` asks for.
async fn fill(database_url: &str, contents: Contents) -> Db {
    let config = Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(database_url.to_owned()),
        _ => None,
    })
    .unwrap();
    let db = Db::connect(&config).await.unwrap();
    db.migrate().await.unwrap();
    if contents == Contents::Demo {
        dessine::seed::demo(&db).await.unwrap();
    }
    db
}

/// The SQLite file every test of this build copies: migrated (and seeded) once, under a file
/// lock that the other test processes wait on.
async fn sqlite_template(contents: Contents) -> std::path::PathBuf {
    let root = std::env::temp_dir().join("dessine-test-templates");
    let dir = root.join(template_key());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.db", contents.name()));
    let lock = std::fs::File::create(dir.join(format!("{}.lock", contents.name()))).unwrap();
    lock.lock().unwrap();
    if !path.exists() {
        forget_old_templates(&root, &dir);
        let building = dir.join(format!(
            "{}.{}.building.db",
            contents.name(),
            std::process::id()
        ));
        let db = fill(&format!("sqlite://{}", building.display()), contents).await;
        // The copy takes the main file alone: everything must be in it, none in the WAL.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db.pool)
            .await
            .unwrap();
        db.pool.close().await;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
        }
        std::fs::rename(&building, &path).unwrap();
    }
    drop(lock);
    path
}

/// Removes the templates of earlier builds that nobody touched for an hour.
fn forget_old_templates(root: &std::path::Path, current: &std::path::Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| modified < hour_ago);
        if old && entry.path() != current {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The PostgreSQL database every test of this build is created from (`CREATE DATABASE …
/// TEMPLATE`): migrated (and seeded) once, under an advisory lock the other processes wait on.
async fn postgres_template(admin: &sqlx::AnyPool, admin_url: &str, contents: Contents) -> String {
    let name = format!("tpl_{}_{}", template_key(), contents.name());
    let mut lock = admin.acquire().await.unwrap();
    sqlx::query("SELECT pg_advisory_lock(724242)")
        .execute(&mut *lock)
        .await
        .unwrap();
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut *lock)
        .await
        .unwrap();
    if exists == 0 {
        let building = format!("{name}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building}"))
            .execute(&mut *lock)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut *lock)
            .await
            .unwrap();
        let db = fill(&database_in(admin_url, &building), contents).await;
        db.pool.close().await;
        // PostgreSQL refuses to rename a database someone is in (55006), waiting 5 s each time.
        // Every write is committed and the pool closed, yet a session has been seen to stay (a
        // connection still being opened when the pool closed): end the sessions still there,
        // then rename.
        let rename = format!("ALTER DATABASE {building} RENAME TO {name}");
        let mut tries = 0;
        loop {
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&building)
            .execute(&mut *lock)
            .await
            .unwrap();
            let Err(error) = sqlx::query(&rename).execute(&mut *lock).await else {
                break;
            };
            tries += 1;
            let busy = error
                .as_database_error()
                .is_some_and(|e| e.code().as_deref() == Some("55006"));
            assert!(busy && tries < 10, "{error}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(724242)")
        .execute(&mut *lock)
        .await
        .unwrap();
    name
}

/// The URL of database `name` on the server of `admin_url`.
fn database_in(admin_url: &str, name: &str) -> String {
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("DESSINE_TEST_POSTGRES_URL needs a database name");
    format!("{base}/{name}")
}

/// A fresh database of `kind` holding `contents`: its URL, and for PostgreSQL the server URL and
/// name to drop it afterwards. It is a copy of a template made once per build, so a test pays
/// neither the migrations nor the demo data (nor its Argon2 hashes). PostgreSQL cases need
/// `DESSINE_TEST_POSTGRES_URL` (the test command starts a throwaway cluster and sets it); without
/// it they fail, so that a run that could not reach PostgreSQL never counts as passed. Run SQLite
/// only with `cargo nextest run -E 'not test(postgres)'` (or `make check`).
async fn fresh_database(
    kind: &DatabaseKind,
    dir: &std::path::Path,
    contents: Contents,
) -> (String, Option<(String, String)>) {
    match kind {
        DatabaseKind::Sqlite => {
            let path = dir.join("test.db");
            std::fs::copy(sqlite_template(contents).await, &path).unwrap();
            (format!("sqlite://{}", path.display()), None)
        }
        DatabaseKind::Postgres => {
            let admin_url = std::env::var("DESSINE_TEST_POSTGRES_URL").expect(
                "PostgreSQL case not run: DESSINE_TEST_POSTGRES_URL is not set. `make test` starts \
                 a throwaway cluster; `make check` runs the SQLite cases only.",
            );
            sqlx::any::install_default_drivers();
            let admin = sqlx::any::AnyPoolOptions::new()
                .max_connections(1)
                .connect(&admin_url)
                .await
                .expect("cannot reach the test PostgreSQL");
            let template = postgres_template(&admin, &admin_url, contents).await;
            let name = unique_name();
            sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            (
                database_in(&admin_url, &name),
                Some((admin_url.clone(), name)),
            )
        }
    }
}

/// Starts the app on a fresh database of `kind` with the demo data loaded.
pub async fn spawn(kind: DatabaseKind) -> TestApp {
    spawn_with(kind, true, false).await
}

/// Starts the app; `seed` loads the demo data, `trust_proxy` takes the client address from
/// `X-Forwarded-For` (so that a test can play many visitors).
pub async fn spawn_with(kind: DatabaseKind, seed: bool, trust_proxy: bool) -> TestApp {
    let proxy: &[(&str, &str)] = if trust_proxy {
        &[("DESSINE_TRUST_PROXY", "1")]
    } else {
        &[]
    };
    spawn_configured(kind, seed, proxy).await
}

/// Starts the app with some configuration variables set (`overrides` win over the defaults).
pub async fn spawn_configured(
    kind: DatabaseKind,
    seed: bool,
    overrides: &[(&str, &str)],
) -> TestApp {
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let contents = if seed {
        Contents::Demo
    } else {
        Contents::Migrated
    };
    let (database_url, postgres) = fresh_database(&kind, dir.path(), contents).await;
    let mail_dir = dir.path().join("mail");
    let (base, state) = start_server(&database_url, dir.path(), &overrides).await;
    let db = state.db.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        base,
        db,
        state,
        database_url,
        client,
        mail_dir,
        postgres,
        _dir: dir,
    }
}

/// An app server on `database_url` (already filled from a template): its address and state.
/// Files (mail, media, site) go under `dir`.
async fn start_server(
    database_url: &str,
    dir: &std::path::Path,
    overrides: &[(String, String)],
) -> (String, AppState) {
    let mail = dir.join("mail").display().to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config::from_lookup(|key| {
        if let Some((_, value)) = overrides.iter().find(|(k, _)| k == key) {
            return Some(value.clone());
        }
        match key {
            "DATABASE_URL" => Some(database_url.to_owned()),
            "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
            "DESSINE_BASE_URL" => Some(format!("http://{addr}")),
            "DESSINE_MAIL" => Some(mail.clone()),
            "LEPTOS_SITE_ROOT" => Some(dir.join("site").display().to_string()),
            "DESSINE_MEDIA" => Some(dir.join("medias").display().to_string()),
            // Tests run the periodic jobs themselves, on a clock they choose.
            "DESSINE_JOBS" => Some("0".to_owned()),
            _ => None,
        }
    })
    .unwrap();
    let db = Db::connect(&config).await.unwrap();
    // As a real server does at start-up (nothing is pending on a template's copy).
    db.migrate().await.unwrap();
    let state = AppState::build(db, config).await.unwrap();
    let app = dessine::server::router(state.clone());
    tokio::spawn(dessine::server::serve(listener, app));
    (format!("http://{addr}"), state)
}

impl TestApp {
    /// A second app server on the same database (its own search index, sessions in the shared
    /// database): its base URL.
    pub async fn another_server(&self) -> String {
        start_server(&self.database_url, self._dir.path(), &[])
            .await
            .0
    }

    /// A second app server on the same database and behind the same public address (as two
    /// servers behind one proxy are): its own base URL, to reach it directly.
    pub async fn twin_server(&self) -> String {
        let base = [("DESSINE_BASE_URL".to_owned(), self.base.clone())];
        start_server(&self.database_url, self._dir.path(), &base)
            .await
            .0
    }
}

/// Declares `$test` (an `async fn(TestApp)`) once per database: `$test::sqlite`, `$test::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),+ $(,)?) => {$(
        mod $test {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::common::spawn($crate::common::DatabaseKind::Sqlite).await;
                super::$test(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                let app = $crate::common::spawn($crate::common::DatabaseKind::Postgres).await;
                super::$test(app).await;
            }
        }
    )+};
}

/// Les Courses Asteur's entry saved by a new manager of it (`email`) through its edit form,
/// under `name` with `offer` (a 303).
pub async fn edit_asteur(app: &TestApp, email: &str, name: &str, offer: &str) {
    create_member(app, email, Some("les-courses-asteur")).await;
    let manager = log_in(app, email, MEMBER_PASSWORD).await;
    let saved = post(
        app,
        &manager,
        "/annuaire/les-courses-asteur/modifier",
        &[
            ("name", name),
            ("offer", offer),
            ("postal_code", "59140"),
            ("sectors", "mobilite"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303, "edit by {email}");
}

/// Posts a form the way a browser without JavaScript does (same-origin `Origin` header).
pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(path))
        .header("origin", &app.base)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Where a redirect points, or "" when the answer is not a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The HTML of `path` as `client` sees it.
pub async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A browser logged in as `email`.
pub async fn log_in(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = app.browser();
    let response = post(
        app,
        &client,
        "/connexion",
        &[("email", email), ("password", password), ("suivant", "")],
    )
    .await;
    assert_eq!(response.status(), 303, "login of {email}");
    client
}

/// The `<main>` element of a page as served: what a browser without JavaScript shows (content
/// streamed out of order into `<template>`s would not be in it).
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("</main>") + start;
    &html[start..end]
}

/// The password of the members tests create.
pub const MEMBER_PASSWORD: &str = "cheval agrafe batterie";

/// The samples of a `/metrics` text, name (with its labels) → value; every sample line must be
/// a well-formed name and a number.
pub fn metric_samples(text: &str) -> std::collections::BTreeMap<String, f64> {
    let mut samples = std::collections::BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (name, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        assert!(
            name.chars().next().unwrap().is_ascii_lowercase()
                && (!name.contains('{') || name.ends_with('}')),
            "{line}"
        );
        samples.insert(name.to_owned(), value);
    }
    samples
}

/// A verified member with [`MEMBER_PASSWORD`], optionally manager of the entry `manages`; their id.
pub async fn create_member(app: &TestApp, email: &str, manages: Option<&str>) -> i64 {
    use dessine::features::accounts::{db as accounts, password};
    // One Argon2 hash per test process: every member shares the password.
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = HASH
        .get_or_init(|| async { password::hash(MEMBER_PASSWORD.to_owned()).await.unwrap() })
        .await;
    let id = accounts::create_user(
        &app.db,
        accounts::NewUser {
            email,
            name: "Membre Test",
            password_hash: hash,
            verified: true,
            role: dessine::features::accounts::SiteRole::Member,
        },
    )
    .await
    .unwrap()
    .unwrap();
    if let Some(slug) = manages {
        let structure: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
            .bind(slug)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        accounts::add_manager(&app.db, id, structure).await.unwrap();
    }
    id
}

/// A mail as a reader sees it: quoted-printable soft breaks and escapes undone.
pub fn decoded(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A new published entry in Dunkerque (no manager); its id.
pub async fn create_structure(app: &TestApp, name: &str) -> i64 {
    use dessine::features::directory::db::{NewStructure, insert_context, insert_structures};
    let slug = dessine::slug::slugify(name);
    let context = insert_context(&app.db).await.unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    let structure = NewStructure {
        slug: slug.clone(),
        name: name.to_owned(),
        legal_form: "association".to_owned(),
        commune_slug: "dunkerque".to_owned(),
        status: "published".to_owned(),
        timestamp: dessine::timestamp::Timestamp::now().to_string(),
        ..Default::default()
    };
    insert_structures(&mut tx, &context, &[structure])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.search_caught_up().await;
    sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Makes `user` a manager of the entry `structure`.
pub async fn make_manager(app: &TestApp, user: i64, structure: i64) {
    dessine::features::accounts::db::add_manager(&app.db, user, structure)
        .await
        .unwrap();
}
