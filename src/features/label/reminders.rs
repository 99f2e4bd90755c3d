//! Expiries and reminder mails. One app server runs [`sweep`] once an hour ([`SWEEP`], a job;
//! `dessine label reminders` runs it once, for cron users):
//!
//! - a label (or a suspension) past its validity gets its expiry step, written by whichever
//!   server appends it first (the step's own check refuses a second one), and the cohort's
//!   referent is mailed once;
//! - a valid label expiring within 90 days makes its structure's managers get a mail 90 days
//!   before, and another 30 days before. A structure is looked at by one server per day: the
//!   server that inserts the day's lease row (`label_leases`) sends, the others find the row and
//!   skip; each mail is also recorded per validity period (`label_reminders`), so a renewal
//!   starts the reminders afresh and nothing is sent twice.

use super::{Step, StepKind};
use crate::error::AppError;
use crate::mail::Letter;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub expired: usize,
    pub mails: usize,
}

/// The sweep, hourly on one server at a time ([`crate::jobs`]); the leases and records below
/// keep a second sweep from sending anything twice.
pub const SWEEP: crate::jobs::Job = crate::jobs::Job {
    name: "label-reminders",
    every: 3600,
    run: |state, now| {
        Box::pin(async move {
            let done = sweep(state, now).await?;
            Ok((done.expired + done.mails) as u64)
        })
    },
};

/// One sweep at `now` (see the module's text).
pub async fn sweep(state: &AppState, now: Timestamp) -> Result<Sweep, AppError> {
    let db = &state.db;
    let mut done = Sweep::default();
    let scheme = super::db::scheme(db).await?;
    let due: Vec<(i64, Timestamp)> = sqlx::query_as(
        "SELECT id, valid_until FROM label_journeys \
         WHERE state IN ('labelled', 'suspended') AND valid_until <= $1",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    for (journey, until) in due {
        match super::db::append(
            db,
            &scheme,
            journey,
            Step::new(StepKind::Expired, now),
            None,
        )
        .await
        {
            Ok(_) => done.expired += 1,
            // Another server wrote it first, or the label was renewed meanwhile.
            Err(AppError::Conflict(_)) => continue,
            Err(error) => return Err(error),
        }
        if record(state, journey, "expired", until, now).await? {
            done.mails += mail_referent(state, journey, until).await?;
        }
    }
    let soon: Vec<(i64, Timestamp)> = sqlx::query_as(
        "SELECT id, valid_until FROM label_journeys \
         WHERE state = 'labelled' AND valid_until > $1 AND valid_until <= $2",
    )
    .bind(now)
    .bind(now.plus(time::Duration::days(90)))
    .fetch_all(&db.pool)
    .await?;
    let today = now.in_paris().date().to_string();
    for (journey, until) in soon {
        let leased: Option<i64> = sqlx::query_scalar(
            "INSERT INTO label_leases (journey_id, day, taken_at) VALUES ($1, $2, $3) \
             ON CONFLICT (journey_id, day) DO NOTHING RETURNING journey_id",
        )
        .bind(journey)
        .bind(&today)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?;
        if leased.is_none() {
            continue;
        }
        let kind = if until <= now.plus(time::Duration::days(30)) {
            "30"
        } else {
            "90"
        };
        if record(state, journey, kind, until, now).await? {
            done.mails += mail_managers(state, journey, until).await?;
        }
    }
    Ok(done)
}

/// Records that the `kind` mail of the validity ending `until` is being sent; `false` when it
/// already was.
async fn record(
    state: &AppState,
    journey: i64,
    kind: &str,
    until: Timestamp,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO label_reminders (journey_id, kind, valid_until, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (journey_id, kind, valid_until) DO NOTHING RETURNING journey_id",
    )
    .bind(journey)
    .bind(kind)
    .bind(until)
    .bind(now)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(inserted.is_some())
}

async fn structure_of(state: &AppState, journey: i64) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, s.name FROM label_journeys j JOIN structures s ON s.id = j.structure_id \
         WHERE j.id = $1",
    )
    .bind(journey)
    .fetch_one(&state.db.pool)
    .await
}

async fn mail_managers(
    state: &AppState,
    journey: i64,
    until: Timestamp,
) -> Result<usize, sqlx::Error> {
    let (slug, structure) = structure_of(state, journey).await?;
    let managers: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.name FROM label_journeys j \
         JOIN structure_managers m ON m.structure_id = j.structure_id \
         JOIN users u ON u.id = m.user_id \
         WHERE j.id = $1 AND u.disabled_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .bind(journey)
    .fetch_all(&state.db.pool)
    .await?;
    let url = format!("{}/annuaire/{slug}", state.config.base_url);
    let first = format!(
        "Le label « démarche progrès » de {structure} est valable jusqu'au {}.",
        until.french_date()
    );
    let count = managers.len();
    for (email, name) in managers {
        let mail = Letter::new(&format!(
                "Votre label démarche progrès arrive à échéance le {}",
                until.french_date()
            ), &[
                &first,
                "Pour le renouveler, prenez rendez-vous avec votre référent pour l'entretien de bilan : le renouvellement suit l'entretien.",
            ], Some(("Voir le parcours de la structure", &url))).to(&email, &name);
        state.send_mail(mail).await;
    }
    Ok(count)
}

async fn mail_referent(
    state: &AppState,
    journey: i64,
    until: Timestamp,
) -> Result<usize, sqlx::Error> {
    let (slug, structure) = structure_of(state, journey).await?;
    let referent: Option<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.name FROM label_journeys j JOIN label_cohorts c ON c.id = j.cohort_id \
         JOIN users u ON u.id = c.referent_id WHERE j.id = $1 AND u.disabled_at IS NULL",
    )
    .bind(journey)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((email, name)) = referent else {
        return Ok(0);
    };
    let url = format!("{}/annuaire/{slug}", state.config.base_url);
    let first = format!(
        "Le label « démarche progrès » de {structure} a expiré le {} : il n'a pas été renouvelé à temps.",
        until.french_date()
    );
    let mail = Letter::new(&format!("Label expiré : {structure}"), &[
            &first,
            "Son identifiant est désormais présenté comme expiré à qui le vérifie. Un entretien de bilan puis un renouvellement le rendent de nouveau valable.",
        ], Some(("Voir le parcours de la structure", &url))).to(&email, &name);
    state.send_mail(mail).await;
    Ok(1)
}
