//! Single-use links, in the one `tokens` table: they work once, not after their expiry, not for
//! another purpose, and they leave with the row they lead to.

use crate::common::{TestApp, create_member};
use dessine::tokens::{Purpose, consume, find, issue};

async fn links_work_once_for_their_purpose_and_leave_with_their_row(app: TestApp) {
    let user = create_member(&app, "lien@exemple.fr", None).await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    let first = issue(&mut conn, Purpose::Reset, user, None, true)
        .await
        .unwrap();
    // A second mail replaces the first link.
    let second = issue(&mut conn, Purpose::Reset, user, None, true)
        .await
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(find(&mut conn, Purpose::Reset, &first).await.unwrap(), None);
    // Another purpose, another link: neither answers for the other.
    let verify = issue(&mut conn, Purpose::Verify, user, None, true)
        .await
        .unwrap();
    assert_eq!(
        find(&mut conn, Purpose::Verify, &second).await.unwrap(),
        None
    );
    assert_eq!(
        consume(&mut conn, Purpose::Reset, &verify).await.unwrap(),
        None
    );
    // Looked at any number of times, used once.
    let link = find(&mut conn, Purpose::Reset, &second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.subject, user);
    assert!(
        find(&mut conn, Purpose::Reset, &second)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        consume(&mut conn, Purpose::Reset, &second)
            .await
            .unwrap()
            .map(|link| link.subject),
        Some(user)
    );
    assert_eq!(
        consume(&mut conn, Purpose::Reset, &second).await.unwrap(),
        None
    );
    // The detail of an address change comes back with it.
    let change = issue(
        &mut conn,
        Purpose::NewEmail,
        user,
        Some("nouvelle@exemple.fr"),
        true,
    )
    .await
    .unwrap();
    let link = find(&mut conn, Purpose::NewEmail, &change)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.detail.as_deref(), Some("nouvelle@exemple.fr"));
    // Expired: nothing answers.
    sqlx::query("UPDATE tokens SET expires_at = '2000-01-01T00:00:00Z' WHERE purpose = 'email'")
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        consume(&mut conn, Purpose::NewEmail, &change)
            .await
            .unwrap(),
        None
    );
    // The account goes, its links with it (an id can be given again to a new account).
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE subject_id = $1")
        .bind(user)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

/// Two clicks on one link at the same moment: one of them uses it.
async fn two_clicks_at_once_use_a_link_once(app: TestApp) {
    let user = create_member(&app, "double@exemple.fr", None).await;
    let token = {
        let mut conn = app.db.pool.acquire().await.unwrap();
        issue(&mut conn, Purpose::Verify, user, None, true)
            .await
            .unwrap()
    };
    let clicks = (0..8).map(|_| {
        let db = app.db.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let mut tx = db.begin_write().await.unwrap();
            let used = consume(&mut tx, Purpose::Verify, &token).await.unwrap();
            tx.commit().await.unwrap();
            used.is_some()
        })
    });
    let mut used = 0;
    for click in clicks.collect::<Vec<_>>() {
        used += usize::from(click.await.unwrap());
    }
    assert_eq!(used, 1);
}

on_both_databases!(
    links_work_once_for_their_purpose_and_leave_with_their_row,
    two_clicks_at_once_use_a_link_once,
);
