//! Issue 29, item 4: the newsletter, with double opt-in, one-click unsubscription and digests
//! sent once per period, resuming after a crash.

use crate::common;
use common::{TestApp, decoded, location, page, post};
use dessine::features::newsletter::{db, digest, subscription};
use dessine::timestamp::Timestamp;

/// The newsletter's POST route outside the form adapter: what mail clients post to unsubscribe
/// in one click. The link is the right, whoever posts: covered by
/// `digests_go_once_and_unsubscribe_in_one_click` (a live link 200, used or forged 400).
pub(crate) const NEWSLETTER_POSTS: &[&str] = &[subscription::ONE_CLICK_PATH];

fn token_in(mail: &str, path: &str) -> String {
    let text = decoded(mail);
    let marker = format!("{path}?jeton=");
    let start = text.find(&marker).unwrap() + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn subscribe(app: &TestApp, email: &str, frequency: &str) -> reqwest::Response {
    post(
        app,
        &app.browser(),
        "/lettre",
        &[
            ("email", email),
            ("frequence", frequency),
            ("territoire", ""),
        ],
    )
    .await
}

/// Nothing is sent before the address confirms; a confirmed address asked again gets nothing;
/// someone else's address cannot be flooded; a link confirms once.
async fn double_opt_in(app: TestApp) {
    let asked = subscribe(&app, "lecteur@exemple.fr", "hebdomadaire").await;
    assert_eq!(asked.status(), 303);
    assert_eq!(location(&asked), "/lettre?message=verifiez");
    let mails = app.mails_to("lecteur@exemple.fr");
    assert_eq!(mails.len(), 1);
    let token = token_in(&mails[0], "/lettre/confirmer");
    // Not confirmed: the letters skip the address.
    assert_eq!(digest::run(&app.state, Timestamp::now()).await.unwrap(), 0);
    assert_eq!(app.mails_to("lecteur@exemple.fr").len(), 1);
    // The link's page names the address and changes nothing; its button confirms.
    let html = page(
        &app,
        &app.browser(),
        &format!("/lettre/confirmer?jeton={token}"),
    )
    .await;
    assert!(html.contains("lecteur@exemple.fr"));
    let confirmed = post(
        &app,
        &app.browser(),
        "/lettre/confirmer",
        &[("token", &token)],
    )
    .await;
    assert_eq!(location(&confirmed), "/lettre?message=abonne");
    let again = post(
        &app,
        &app.browser(),
        "/lettre/confirmer",
        &[("token", &token)],
    )
    .await;
    assert_eq!(again.status(), 400);
    let forged = post(
        &app,
        &app.browser(),
        "/lettre/confirmer",
        &[("token", "faux")],
    )
    .await;
    assert_eq!(forged.status(), 400);
    // Asked again once confirmed: the same answer, no mail.
    let asked = subscribe(&app, "lecteur@exemple.fr", "mensuelle").await;
    assert_eq!(location(&asked), "/lettre?message=verifiez");
    assert_eq!(app.mails_to("lecteur@exemple.fr").len(), 1);
    // Someone else's address: a few links, then 429.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            subscribe(&app, "cible@exemple.fr", "hebdomadaire")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [303, 303, 303, 303, 303, 429]);
    assert_eq!(app.mails_to("cible@exemple.fr").len(), 5);
    // A bad frequency: refused, field by field.
    let bad = subscribe(&app, "autre@exemple.fr", "quotidienne").await;
    assert_eq!(bad.status(), 422);
}

async fn confirmed(app: &TestApp, email: &str, frequency: &str) -> String {
    subscribe(app, email, frequency).await;
    let token = token_in(app.mails_to(email).last().unwrap(), "/lettre/confirmer");
    post(
        app,
        &app.browser(),
        "/lettre/confirmer",
        &[("token", &token)],
    )
    .await;
    db::by_unsubscribe_token(&app.db, "inconnu").await.unwrap();
    sqlx::query_scalar("SELECT unsubscribe_token FROM subscribers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// A digest goes once per period to each confirmed subscriber, with `List-Unsubscribe` and
/// `List-Unsubscribe-Post`; a run stopped half-way resumes without sending twice; two servers
/// running the job at once send it once; one click unsubscribes.
async fn digests_go_once_and_unsubscribe_in_one_click(app: TestApp) {
    let first = confirmed(&app, "premiere@exemple.fr", "hebdomadaire").await;
    confirmed(&app, "seconde@exemple.fr", "hebdomadaire").await;
    // The test runs the job an hour later in the same week: in the last hour of a week (Sunday
    // 23:00 in Paris) it takes its time two hours back (it failed once there, at 23:20).
    let now = match Timestamp::now() {
        now if digest::periods(now)[0].1
            != digest::periods(now.plus(time::Duration::hours(1)))[0].1 =>
        {
            now.plus(time::Duration::hours(-2))
        }
        now => now,
    };
    // A crash after the first delivery: its row is there, the digest unfinished.
    let [(frequency, period, since), _] = digest::periods(now);
    let (id, _, _) = db::digest_for(&app.db, frequency, &period, since, now)
        .await
        .unwrap();
    let first_id: i64 = sqlx::query_scalar("SELECT id FROM subscribers WHERE email = $1")
        .bind("premiere@exemple.fr")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        db::claim_delivery(&app.db, id, first_id, now)
            .await
            .unwrap()
    );
    // Two servers run the job at once.
    let later = now.plus(time::Duration::hours(1));
    let job = digest::DIGESTS;
    let other = app.state.clone();
    let (a, b) = tokio::join!(
        dessine::jobs::run_once(&app.state, &job, later),
        dessine::jobs::run_once(&other, &job, later),
    );
    let mut runs = [a.unwrap(), b.unwrap()];
    runs.sort();
    assert_eq!(runs[0], None, "one server skipped");
    let letters = |email: &str| {
        app.mails_to(email)
            .into_iter()
            .filter(|m| decoded(m).contains("La lettre de la semaine"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        letters("premiere@exemple.fr").len(),
        0,
        "delivered before the crash"
    );
    let second = letters("seconde@exemple.fr");
    assert_eq!(second.len(), 1, "the run resumed with the one not reached");
    let raw = &second[0];
    assert!(raw.contains("List-Unsubscribe: <http"), "{raw}");
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(raw.contains("text/plain") && raw.contains("text/html"));
    // The same period again: nothing more.
    assert_eq!(digest::run(&app.state, later).await.unwrap(), 0);
    assert_eq!(letters("seconde@exemple.fr").len(), 1);
    // One click, as a mail client posts it; a second click and a forged link change nothing.
    let one_click = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&format!("{}?jeton={token}", subscription::ONE_CLICK_PATH)))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(one_click(first.clone()).await, 200);
    assert_eq!(one_click(first).await, 400);
    assert_eq!(one_click("forge".to_owned()).await, 400);
    let left: Vec<String> = sqlx::query_scalar("SELECT email FROM subscribers ORDER BY email")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, ["seconde@exemple.fr"]);
}

on_both_databases!(double_opt_in, digests_go_once_and_unsubscribe_in_one_click);
