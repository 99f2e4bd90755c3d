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
