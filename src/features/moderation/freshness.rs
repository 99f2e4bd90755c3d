//! Entries that stay true: once a year the managers of an entry not verified within the year
//! get a mail with « Toujours exact » (the link opens a page whose button confirms: never a GET
//! that changes data) and a link to edit it. One server sweeps once an hour (a job); the
//! update that claims an entry's yearly reminder makes it sent once. Entries not verified for two years
//! say so on their page, rank after fresher ones of equal relevance (see
//! `directory::index`), and are listed for the moderators.

use crate::error::AppError;
use crate::features::directory::ENTRY_NOTICES;
use crate::features::directory::db::entry;
use crate::mail::Letter;
use crate::state::AppState;
use crate::timestamp::Timestamp;
use crate::tokens::Purpose;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// The hourly sweep, on one server at a time ([`crate::jobs`]); a second sweep would send
/// nothing twice anyway (each entry's reminder is claimed by an update).
pub const STILL_ACCURATE: crate::jobs::Job = crate::jobs::Job {
    name: "still-accurate",
    every: 3600,
    run: |state, now| Box::pin(async move { Ok(sweep(state, now).await? as u64) }),
};

/// The yearly letter to an entry's manager.
pub fn still_accurate_letter(base: &str, entry: &str, slug: &str, token: &str) -> Letter {
    let first = format!(
        "Vous gérez la fiche « {entry} » dans l'annuaire de l'économie sociale et solidaire de DESSINE. Une fois par an, nous vous demandons si elle est toujours exacte."
    );
    let edit = format!(
        "Si quelque chose a changé (adresse, téléphone, activités), modifiez-la : {base}/annuaire/{slug}/modifier"
    );
    Letter::new(
        &format!("Votre fiche est-elle toujours exacte ? {entry}"),
        &[
            &first,
            "Si rien n'a changé, un clic suffit : la fiche affichera la date de cette vérification.",
            &edit,
        ],
        Some((
            "Ma fiche est toujours exacte",
            &format!("{base}/annuaire/toujours-exact?jeton={token}"),
        )),
    )
}

/// One sweep at `now`: the number of mails sent.
pub async fn sweep(state: &AppState, now: Timestamp) -> Result<usize, AppError> {
    let mut mails = 0;
    for (id, slug, name) in entry::due_for_reminder(&state.db, now).await? {
        if !entry::claim_reminder(&state.db, id, now).await? {
            continue;
        }
        for (email, person) in
            crate::features::accounts::db::manager_addresses(&state.db, id).await?
        {
            let mut tx = state.db.begin_write().await?;
            let token =
                crate::tokens::issue(&mut tx, Purpose::StillAccurate, id, None, false).await?;
            tx.commit().await?;
            let letter = still_accurate_letter(&state.config.base_url, &name, &slug, &token);
            state.send_mail(letter.to(&email, &person)).await;
            mails += 1;
        }
    }
    Ok(mails)
}

/// « Toujours exact »: the manager's mailed link confirms that the entry is accurate today.
#[server(endpoint = "annuaire/toujours-exact")]
pub async fn confirm_still_accurate(jeton: String) -> Result<Done, AppError> {
    // The token is the right.
    let state = crate::state::app_state()?;
    let mut conn = state.db.pool.acquire().await?;
    let link = crate::tokens::consume(&mut conn, Purpose::StillAccurate, &jeton)
        .await?
        .ok_or(AppError::InvalidLink)?;
    drop(conn);
    entry::mark_verified(&state.db, link.subject, Timestamp::now()).await?;
    crate::features::directory::index::changed(&state).await;
    let slug: Option<String> = sqlx::query_scalar("SELECT slug FROM structures WHERE id = $1")
        .bind(link.subject)
        .fetch_optional(&state.db.pool)
        .await?;
    let page = slug.map_or_else(
        || "/annuaire".to_owned(),
        |slug| format!("/annuaire/{slug}"),
    );
    Ok(Done::notice(&page, "fiche-verifiee", ENTRY_NOTICES))
}

crate::form_path!(ConfirmStillAccurate => "/annuaire/toujours-exact");
