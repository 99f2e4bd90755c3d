//! The clubs' letters: to the people a change concerns and to the club's admins.

use super::db;
use crate::error::AppError;
use crate::state::AppState;
/// Sends the same mail to each recipient.
pub async fn notify(
    state: &AppState,
    recipients: Vec<(String, String)>,
    subject: &str,
    paragraphs: &[&str],
    link: (&str, &str),
) {
    let url = format!("{}{}", state.config.base_url, link.1);
    for (email, name) in recipients {
        let mail = crate::mail::compose(&email, subject, &name, paragraphs, Some((link.0, &url)));
        state.send_mail(mail).await;
    }
}

/// Tells the club's admins, with a link to the membership page of `page` (the club's).
pub async fn tell_admins(
    state: &AppState,
    club_id: i64,
    subject: &str,
    sentence: &str,
    page: &str,
) -> Result<(), AppError> {
    let admins = db::admin_addresses(&state.db, club_id).await?;
    let members = format!("{page}/membres");
    notify(
        state,
        admins,
        subject,
        &[sentence],
        ("Voir les membres", &members),
    )
    .await;
    Ok(())
}
