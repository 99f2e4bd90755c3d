//! The `dessine` binary as an operator meets it: configuration errors and shutdown.
#![cfg(feature = "ssr")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn dessine() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dessine"))
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for (variable, value) in [
        ("DATABASE_URL", "mysql://localhost/dessine"),
        ("LEPTOS_SITE_ADDR", "pas-une-adresse"),
        ("DESSINE_BASE_URL", "dessine.example.org"),
        ("DESSINE_MAIL", "http://mail.example.org"),
    ] {
        let output = dessine()
            .arg("migrate")
            .current_dir(dir.path())
            .env_clear()
            .env(variable, value)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{variable}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{variable}: {stderr}");
        assert!(
            stderr.starts_with(&format!("dessine : {variable} : ")),
            "{stderr}"
        );
    }
}

#[test]
fn migrate_and_seed_create_the_sqlite_file_and_folder() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["migrate"][..],
        &["seed", "demo"],
        &["seed", "demo", "--if-empty"],
    ] {
        let output = dessine()
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(dir.path().join("data/dessine.db").is_file());
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = dessine()
        .arg("serve")
        .current_dir(dir.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains("écoute sur http://127.0.0.1:"));
    assert!(started, "the server never said where it listens");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn user_create_reads_the_password_from_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let create = |email: &str, password: &str| {
        let mut child = dessine()
            .args([
                "user",
                "create",
                "--email",
                email,
                "--name",
                "Première Admin",
                "--admin",
            ])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = create("premiere@exemple.fr", "azertyuiop");
    assert_eq!(weak.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("plus courants"));

    let created = create("Premiere@Exemple.fr", "une phrase assez longue");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(
        String::from_utf8_lossy(&created.stdout).contains("premiere@exemple.fr (administrateur)")
    );

    let again = create("premiere@exemple.fr", "une phrase assez longue");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("existe déjà"));
}

/// Starts `dessine serve` in `dir` on a free port with `env`; the child and its base URL.
fn start_server(dir: &std::path::Path, env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut command = dessine();
    command
        .arg("serve")
        .current_dir(dir)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("écoute sur ")
                .nth(1)
                .map(|url| url.trim().to_owned())
        })
        .expect("the server never said where it listens");
    // Keep reading the log so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let output = dessine()
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn structure_count(db: &std::path::Path) -> i64 {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM structures').fetchone()[0])",
        ])
        .arg(db)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn backup_while_serving_then_restore_brings_the_data_back() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "demo"]);
    let (mut server, _) = start_server(dir.path(), &[]);
    let copy = dir.path().join("copie.db");
    run(dir.path(), &["backup", copy.to_str().unwrap()]);
    server.kill().unwrap();
    server.wait().unwrap();
    let db = dir.path().join("data/dessine.db");
    assert_eq!(structure_count(&copy), 60);
    run(dir.path(), &["seed", "synthetic", "--count", "25"]);
    assert_eq!(structure_count(&db), 85);
    run(dir.path(), &["restore", copy.to_str().unwrap()]);
    assert_eq!(structure_count(&db), 60, "the copy's data is back");
    // A file that is not a DESSINE copy is refused and the database is left alone.
    let junk = dir.path().join("pas-une-base.db");
    std::fs::write(&junk, b"pas une base").unwrap();
    let refused = dessine()
        .args(["restore", junk.to_str().unwrap()])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(structure_count(&db), 60);
    let again = dessine()
        .args(["backup", copy.to_str().unwrap()])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing file is never overwritten"
    );
}

#[test]
fn every_confirmed_sign_up_survives_a_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["migrate"]);
    let (mut server, base) = start_server(dir.path(), &[("DESSINE_TRUST_PROXY", "1")]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let confirmed = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let confirmed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for worker in 0..4 {
            let (client, base, confirmed) = (client.clone(), base.clone(), confirmed.clone());
            tasks.push(tokio::spawn(async move {
                for n in 0.. {
                    let email = format!("survie{worker}-{n}@exemple.fr");
                    let sent = client
                        .post(format!("{base}/inscription"))
                        .header("x-forwarded-for", format!("10.9.{worker}.{}", n % 250 + 1))
                        .form(&[
                            ("name", "Survie"),
                            ("email", email.as_str()),
                            ("password", "cheval agrafe batterie"),
                        ])
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 303 => {
                            confirmed.lock().unwrap().push(email)
                        }
                        _ => break, // the server is gone
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        Command::new("kill")
            .args(["-KILL", &server.id().to_string()])
            .status()
            .unwrap();
        for task in tasks {
            let _ = task.await;
        }
        confirmed.lock().unwrap().clone()
    });
    server.wait().unwrap();
    assert!(
        confirmed.len() >= 4,
        "some sign-ups were confirmed before the kill"
    );
    let db = dir.path().join("data/dessine.db");
    let script = "import sqlite3,sys; print('\\n'.join(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT email FROM users')))";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&db)
        .output()
        .unwrap();
    let stored: std::collections::HashSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let lost: Vec<&String> = confirmed.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(
        lost.is_empty(),
        "confirmed but lost after kill -9: {lost:?}"
    );
    // And the database opens and serves again.
    let (mut again, base) = start_server(dir.path(), &[]);
    let health = runtime.block_on(async {
        reqwest::get(format!("{base}/healthz"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(health, 200);
    again.kill().unwrap();
    again.wait().unwrap();
}

#[test]
fn a_request_in_flight_completes_across_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "synthetic", "--count", "4000"]);
    let published: i64 = {
        let script = "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM structures WHERE status = 'published'\").fetchone()[0])";
        let output = Command::new("python3")
            .args(["-c", script])
            .arg(dir.path().join("data/dessine.db"))
            .output()
            .unwrap();
        String::from_utf8(output.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let (mut server, base) = start_server(dir.path(), &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body = runtime.block_on(async {
        let mut response = reqwest::get(format!("{base}/annuaire.csv")).await.unwrap();
        assert_eq!(response.status(), 200);
        let mut body = response.chunk().await.unwrap().unwrap().to_vec();
        // The export has begun: ask the server to stop, then read the rest slowly.
        Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .unwrap();
        while let Some(chunk) = response.chunk().await.unwrap() {
            body.extend_from_slice(&chunk);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        body
    });
    let status = server.wait().unwrap();
    assert!(
        status.success(),
        "clean exit after the last request: {status}"
    );
    let mut reader = csv::Reader::from_reader(&body[3..]);
    assert_eq!(
        reader.records().count() as i64,
        published,
        "the whole export arrived"
    );
}

/// PostgreSQL is backed up with its own tools, as the README says: `dessine backup` points to
/// them, and `pg_dump` / `pg_restore` round-trip a DESSINE database.
#[test]
fn postgres_backups_use_pg_dump_as_the_readme_says() {
    let admin_url = std::env::var("DESSINE_TEST_POSTGRES_URL").expect(
        "PostgreSQL case not run: DESSINE_TEST_POSTGRES_URL is not set (`make test` sets it)",
    );
    let (server_url, _) = admin_url.rsplit_once('/').unwrap();
    let stamp = std::process::id();
    let (source, copy) = (format!("sauvegarde_{stamp}"), format!("restauree_{stamp}"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let admin_sql = |sql: String| {
        let admin_url = admin_url.clone();
        runtime.block_on(async move {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin_url).await.unwrap();
            sqlx::query(&sql).execute(&pool).await.unwrap();
            pool.close().await;
        })
    };
    admin_sql(format!("CREATE DATABASE {source}"));
    admin_sql(format!("CREATE DATABASE {copy}"));
    let dir = tempfile::tempdir().unwrap();
    let source_url = format!("{server_url}/{source}");
    let output = dessine()
        .args(["seed", "demo"])
        .current_dir(dir.path())
        .env("DATABASE_URL", &source_url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let refused = dessine()
        .args(["backup", "copie.db"])
        .current_dir(dir.path())
        .env("DATABASE_URL", &source_url)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("pg_dump"));

    let bin = "/usr/lib/postgresql/15/bin";
    let dump = dir.path().join("dessine.dump");
    let dumped = Command::new(format!("{bin}/pg_dump"))
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&source_url)
        .status()
        .unwrap();
    assert!(dumped.success());
    let restored = Command::new(format!("{bin}/pg_restore"))
        .args(["--no-owner", "--dbname", &format!("{server_url}/{copy}")])
        .arg(&dump)
        .status()
        .unwrap();
    assert!(restored.success());
    let count: i64 = runtime.block_on(async {
        let pool = sqlx::AnyPool::connect(&format!("{server_url}/{copy}"))
            .await
            .unwrap();
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM structures")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    });
    assert_eq!(count, 60);
    admin_sql(format!("DROP DATABASE {source} WITH (FORCE)"));
    admin_sql(format!("DROP DATABASE {copy} WITH (FORCE)"));
}

#[test]
fn label_reminders_send_each_reminder_once() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "demo"]);
    let sweep = || {
        let output = run(dir.path(), &["label", "reminders"]);
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    // The demo's Ressourcerie du Dunkerquois, due in two months, already had its 90-day mail.
    assert_eq!(
        sweep(),
        "0 label(s) expiré(s), 0 courriel(s) de rappel envoyé(s)."
    );
    // Forget that it was sent and that today's sweep looked: the next sweep sends it, once.
    let forget = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM label_reminders'); c.execute('DELETE FROM label_leases'); c.commit()",
        ])
        .arg(dir.path().join("data/dessine.db"))
        .status()
        .unwrap();
    assert!(forget.success());
    assert_eq!(
        sweep(),
        "0 label(s) expiré(s), 1 courriel(s) de rappel envoyé(s)."
    );
    assert_eq!(
        sweep(),
        "0 label(s) expiré(s), 0 courriel(s) de rappel envoyé(s)."
    );
    let mails: Vec<_> = std::fs::read_dir(dir.path().join("data/mail"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .filter(|mail| mail.contains("ressourcerie-du-dunkerquois.example"))
        .collect();
    assert_eq!(mails.len(), 1);
}

/// `seed demo` completes a database that already holds structures (here synthetic ones, which
/// the purchasing matching may rank before the demo's), says what it added, and adds nothing
/// the second time.
#[test]
fn seed_demo_completes_a_database_that_holds_structures() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "synthetic", "--count", "3000"]);
    let first = run(dir.path(), &["seed", "demo"]);
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        said.contains("Données de démonstration ajoutées") && said.contains("60 structures"),
        "{said}"
    );
    let db = dir.path().join("data/dessine.db");
    assert_eq!(structure_count(&db), 3060);
    let second = run(dir.path(), &["seed", "demo"]);
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("rien d'ajouté"),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );
    assert_eq!(structure_count(&db), 3060);
}

/// `import structures`: a dry run says what each line would do and changes nothing; applied,
/// the entries are there; applied again, nothing changes.
#[test]
fn import_structures_dry_run_then_apply_twice() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "demo"]);
    let file = dir.path().join("annuaire.csv");
    std::fs::write(
        &file,
        "\u{feff}nom,forme_juridique,commune,secteurs\nAtelier du port,scop,Dunkerque,recyclage\nSans commune,association,Atlantide,recyclage\n",
    )
    .unwrap();
    let db = dir.path().join("data/dessine.db");
    let dry = run(
        dir.path(),
        &["import", "structures", file.to_str().unwrap()],
    );
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        said.contains("ligne 2 : nouvelle fiche : atelier-du-port"),
        "{said}"
    );
    assert!(
        said.contains("ligne 3 : refusée") && said.contains("Essai à blanc"),
        "{said}"
    );
    assert_eq!(structure_count(&db), 60);
    run(
        dir.path(),
        &[
            "import",
            "structures",
            file.to_str().unwrap(),
            "--appliquer",
        ],
    );
    assert_eq!(structure_count(&db), 61);
    let again = run(
        dir.path(),
        &[
            "import",
            "structures",
            file.to_str().unwrap(),
            "--appliquer",
        ],
    );
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("0 nouvelles, 0 mises à jour, 1 inchangées")
    );
    assert_eq!(structure_count(&db), 61);
}

/// `import sirene`: the written sample, dry run then applied twice, as a network would run it.
#[test]
fn import_sirene_dry_run_then_apply_twice() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["seed", "demo"]);
    let sample = crate::common::project_root().join("tests/data/sirene");
    let units = sample.join("StockUniteLegale.csv");
    let establishments = sample.join("StockEtablissement.csv");
    let args = |apply: bool| {
        let mut args = vec![
            "import".to_owned(),
            "sirene".to_owned(),
            units.display().to_string(),
            establishments.display().to_string(),
            "--departements".to_owned(),
            "59,62".to_owned(),
        ];
        if apply {
            args.push("--appliquer".to_owned());
        }
        args
    };
    let db = dir.path().join("data/dessine.db");
    let said = |apply: bool| {
        let args = args(apply);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        String::from_utf8_lossy(&run(dir.path(), &args).stdout).into_owned()
    };
    let dry = said(false);
    assert!(
        dry.contains("Essai à blanc") && dry.contains("8 nouvelles fiches"),
        "{dry}"
    );
    assert!(
        dry.contains("ligne 13 : refusée, guillemet ouvert"),
        "{dry}"
    );
    assert_eq!(structure_count(&db), 60);
    let applied = said(true);
    assert!(applied.contains("Import SIRENE fait"), "{applied}");
    assert_eq!(structure_count(&db), 68);
    let again = said(true);
    assert!(
        again.contains("0 nouvelles fiches") && again.contains("8 déjà dans l'annuaire"),
        "{again}"
    );
    assert_eq!(structure_count(&db), 68);
}

/// `dessine jobs run` runs each job once per period: a second run in the same period (as a
/// second server or a second cron line would) skips them all.
#[test]
fn jobs_run_once_per_period() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let output = dessine()
            .args(["jobs", "run"])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env("DESSINE_MAIL", dir.path().join("mails"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let first = run();
    assert!(
        first.contains("unconfirmed-registrations : fait (0)."),
        "{first}"
    );
    // The open data's daily snapshot, from cron too (no search index to wait for).
    assert!(first.contains("open-data-snapshot : fait (0)."), "{first}");
    let second = run();
    assert!(
        second.contains("unconfirmed-registrations : déjà fait pour cette période."),
        "{second}"
    );
    assert!(!second.contains(": fait ("), "{second}");
}

/// `dessine doctor` says in French what would not work, and changes nothing.
#[test]
fn doctor_checks_a_configuration_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let fine = dessine()
        .arg("doctor")
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("DESSINE_MAIL", dir.path().join("mails"))
        .env("DESSINE_MEDIA", dir.path().join("medias"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(fine.stdout).unwrap();
    assert!(fine.status.success(), "{stdout}");
    assert!(stdout.contains("✓ DESSINE_MEDIA"), "{stdout}");
    assert!(
        stdout.contains("! Mentions légales incomplètes"),
        "{stdout}"
    );
    let file = dir.path().join("fichier");
    std::fs::write(&file, "pas un dossier").unwrap();
    let broken = dessine()
        .arg("doctor")
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("DESSINE_MAIL", dir.path().join("mails"))
        .env("DESSINE_MEDIA", file.join("medias"))
        .env("DESSINE_BASE_URL", "http://portail.exemple.fr")
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8(broken.stdout).unwrap();
    assert!(stdout.contains("✗ DESSINE_MEDIA"), "{stdout}");
    assert!(stdout.contains("✗ DESSINE_BASE_URL"), "{stdout}");
    assert!(
        String::from_utf8(broken.stderr)
            .unwrap()
            .contains("2 points empêchent")
    );
}

/// The move to several servers: a demo SQLite database copied into an empty PostgreSQL one,
/// every table the same after, ids continuing; a second copy is refused (not empty).
#[tokio::test]
async fn copy_to_postgres_copies_and_checks_every_row() {
    use dessine::config::DatabaseKind;
    let sqlite = crate::common::spawn_with(DatabaseKind::Sqlite, true, false).await;
    let postgres = crate::common::spawn_with(DatabaseKind::Postgres, false, false).await;
    // Text a copy could spoil: quotes, a backslash, non-ASCII.
    let odd = r" « Ça dépend » — 50 % \ 'ok'";
    sqlx::query(
        "UPDATE structures SET description = description || $1 WHERE slug = 'les-courses-asteur'",
    )
    .bind(odd)
    .execute(&sqlite.db.pool)
    .await
    .unwrap();
    let copy = || {
        dessine()
            .args(["copy-to-postgres", postgres.database_url()])
            .env("DATABASE_URL", sqlite.database_url())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let output = copy();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("chacune relue et comparée"), "{stdout}");
    for table in [
        "users",
        "structures",
        "territories",
        "events",
        "registrations",
        "clubs",
        "club_history",
        "articles",
        "label_steps",
    ] {
        let (a, b) = (sqlite.count(table).await, postgres.count(table).await);
        assert!(a > 0, "{table} is empty in the demo");
        assert_eq!(a, b, "{table}");
    }
    let description: String =
        sqlx::query_scalar("SELECT description FROM structures WHERE slug = 'les-courses-asteur'")
            .fetch_one(&postgres.db.pool)
            .await
            .unwrap();
    assert!(description.ends_with(odd), "{description}");
    // New rows take ids after the copied ones.
    let next: i64 =
        sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('structures', 'id'))")
            .fetch_one(&postgres.db.pool)
            .await
            .unwrap();
    let highest: i64 = sqlx::query_scalar("SELECT max(id) FROM structures")
        .fetch_one(&sqlite.db.pool)
        .await
        .unwrap();
    assert_eq!(next, highest + 1);
    let again = copy();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("n'est pas vide"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
