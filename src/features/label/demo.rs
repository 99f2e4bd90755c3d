//! Demo data of the label: a referent, three Artois cohorts (two finished, one under way; the
//! events' demo holds the 9 March information meeting), and structures at every stage — applied, in
//! training, labelled, due for renewal, expired, withdrawn — with fixed identifiers that the
//! README quotes. Dates are relative to today, so that every badge stays meaningful.

use time::{Date, Duration, Time};

use crate::db::Db;
use crate::timestamp::paris_wall_clock;

pub const REFERENT_EMAIL: &str = "referente.label@dessine.example";
pub const REFERENT_PASSWORD: &str = "demo-label-dessine";
/// Valid for more than a year.
pub const VALID_IDENTIFIER: &str = "DP-62-MP7K-Q3XA";
/// Valid for two more months: its managers get the 90-day reminder.
pub const DUE_IDENTIFIER: &str = "DP-62-RD5G-T6KV";
pub const EXPIRED_IDENTIFIER: &str = "DP-62-PB4N-R8TE";
pub const WITHDRAWN_IDENTIFIER: &str = "DP-62-WC9H-D2MZ";

fn months_ago(now: Timestamp, months: i64) -> Timestamp {
    now.plus(Duration::days(-months * 30))
}

/// A cohort of six days, a fortnight apart from `first`, led by `referent`.
async fn cohort(
    db: &Db,
    scheme: &Scheme,
    name: &str,
    first: Date,
    referent: i64,
) -> Result<i64, AppError> {
    let days = (0..scheme.training_days as i64)
        .map(|k| {
            let date = first + Duration::days(14 * k);
            (
                paris_wall_clock(date, Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT)),
                paris_wall_clock(date, Time::from_hms(17, 0, 0).unwrap_or(Time::MIDNIGHT)),
            )
        })
        .collect();
    let valid = ValidCohort {
        name: name.to_owned(),
        territory: "artois-comm".to_owned(),
        referent: Some(referent),
        place_name: "Maison de l'ESS de l'Artois".to_owned(),
        commune: "bethune".to_owned(),
        days,
    };
    super::db::create_cohort(db, scheme, &valid, referent).await
}

use super::model::StepKind;
use crate::error::AppError;
use crate::features::label::Scheme;
use crate::features::label::Step;
use crate::features::label::ValidCohort;
use crate::features::label::journey::add_months;
use crate::timestamp::Timestamp;

/// One structure's journey: applied (at `applied`), admitted to the cohort, the first `days` days attended at
/// the cohort's dates, then `after` (kind, when, identifier).
async fn journey(
    db: &Db,
    scheme: &Scheme,
    slug: &str,
    (cohort_id, applied, days): (i64, Timestamp, u32),
    after: &[(StepKind, Timestamp, Option<&str>)],
    referent: i64,
) -> Result<(), AppError> {
    let Some(structure) = crate::features::stewardship::db::structure_id(db, slug).await? else {
        return Ok(());
    };
    let journey = super::db::apply(db, scheme, structure, referent, applied).await?;
    let cohort = super::db::cohort(db, cohort_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let admitted = Step {
        cohort_id: Some(cohort_id),
        ..Step::new(StepKind::Admitted, applied.plus(Duration::days(7)))
    };
    super::db::append(db, scheme, journey, admitted, Some(referent)).await?;
    for (day, _, starts) in cohort.days.iter().take(days as usize) {
        let step = Step {
            day: Some(*day),
            ..Step::new(StepKind::Attended, starts.plus(Duration::hours(8)))
        };
        super::db::append(db, scheme, journey, step, Some(referent)).await?;
    }
    for (kind, at, identifier) in after {
        let step = Step {
            identifier: identifier.map(str::to_owned),
            ..Step::new(*kind, *at)
        };
        let by = (*kind != StepKind::Expired).then_some(referent);
        super::db::append(db, scheme, journey, step, by).await?;
    }
    Ok(())
}

/// Seeds the label's demo (idempotent: nothing when a cohort exists).
pub async fn seed(db: &Db) -> Result<(), AppError> {
    let cohorts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM label_cohorts")
        .fetch_one(&db.pool)
        .await?;
    if cohorts > 0 {
        return Ok(());
    }
    let referent = referent_account(db).await?;
    super::db::set_referent(db, referent, true).await?;
    let scheme = super::db::scheme(db).await?;
    let now = Timestamp::now();
    let today = now.in_paris().date();
    let first = |months: i64| today - Duration::days(months * 30);
    let old = cohort(
        db,
        &scheme,
        "Artois — première promotion",
        first(31),
        referent,
    )
    .await?;
    let middle = cohort(
        db,
        &scheme,
        "Artois — deuxième promotion",
        first(15),
        referent,
    )
    .await?;
    // Under way: three days behind, three ahead.
    let current = cohort(
        db,
        &scheme,
        "Artois — promotion en cours",
        today - Duration::days(35),
        referent,
    )
    .await?;
    use StepKind::*;
    let expired_issue = months_ago(now, 25);
    let expired_on = add_months(expired_issue, scheme.renewal_months);
    journey(
        db,
        &scheme,
        "les-papillons-blancs-de-dunkerque",
        (old, months_ago(now, 33), 6),
        &[
            (Issued, expired_issue, Some(EXPIRED_IDENTIFIER)),
            (Expired, expired_on.plus(Duration::hours(1)), None),
        ],
        referent,
    )
    .await?;
    journey(
        db,
        &scheme,
        "work-co",
        (old, months_ago(now, 33), 6),
        &[
            (Issued, months_ago(now, 25), Some(WITHDRAWN_IDENTIFIER)),
            (Withdrawn, months_ago(now, 6), None),
        ],
        referent,
    )
    .await?;
    journey(
        db,
        &scheme,
        "ressourcerie-du-dunkerquois",
        (old, months_ago(now, 33), 6),
        &[
            (
                Issued,
                add_months(months_ago(now, 0), 2).plus(Duration::days(-365 * 2)),
                Some(DUE_IDENTIFIER),
            ),
            (FollowUp, months_ago(now, 12), None),
            (Review, months_ago(now, 1), None),
        ],
        referent,
    )
    .await?;
    // Its managers got the 90-day reminder when it came within 90 days (the 30-day one is still
    // to come): seeding sends no mail.
    sqlx::query(
        "INSERT INTO label_reminders (journey_id, kind, valid_until, sent_at) \
         SELECT j.id, '90', j.valid_until, $1 FROM label_journeys j \
         JOIN structures s ON s.id = j.structure_id WHERE s.slug = 'ressourcerie-du-dunkerquois'",
    )
    .bind(now.plus(Duration::days(-28)))
    .execute(&db.pool)
    .await?;
    journey(
        db,
        &scheme,
        "maison-de-la-poesie",
        (middle, months_ago(now, 17), 6),
        &[
            (Issued, months_ago(now, 8), Some(VALID_IDENTIFIER)),
            (FollowUp, months_ago(now, 3), None),
        ],
        referent,
    )
    .await?;
    journey(
        db,
        &scheme,
        "les-courses-asteur",
        (current, months_ago(now, 2), 3),
        &[],
        referent,
    )
    .await?;
    // Applied, waiting for the next cohort.
    if let Some(structure) =
        crate::features::stewardship::db::structure_id(db, "jardins-du-littoral").await?
    {
        super::db::apply(
            db,
            &scheme,
            structure,
            referent,
            now.plus(Duration::days(-5)),
        )
        .await?;
    }
    Ok(())
}

/// The demo referent's account, created when missing.
async fn referent_account(db: &Db) -> Result<i64, AppError> {
    crate::features::accounts::demo::member(
        db,
        REFERENT_EMAIL,
        "Gwenaëlle Référente",
        REFERENT_PASSWORD,
    )
    .await
}
