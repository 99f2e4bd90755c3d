//! Journeys and their steps: a step is appended and the journey's sum rewritten in one
//! transaction.

use crate::db::Db;
use crate::error::AppError;
use crate::features::label::JourneyDetail;
use crate::features::label::JourneySummary;
use crate::features::label::Progress;
use crate::features::label::PublicEntry;
use crate::features::label::Scheme;
use crate::features::label::State;
use crate::features::label::Step;
use crate::features::label::StepKind;
use crate::features::label::db::cohort;
use crate::features::label::new_identifier;
use crate::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(super) const SUMMARY: &str = "SELECT j.id, s.slug, s.name AS structure_name, c.name AS commune, j.state, \
     j.state_since, co.name AS cohort, j.days_attended, j.identifier, j.valid_until \
     FROM label_journeys j \
     JOIN structures s ON s.id = j.structure_id \
     JOIN territories c ON c.id = s.commune_id \
     LEFT JOIN label_cohorts co ON co.id = j.cohort_id";

pub(super) fn entry(row: &AnyRow) -> Result<PublicEntry, sqlx::Error> {
    Ok(PublicEntry {
        slug: row.try_get("slug")?,
        name: row.try_get("structure_name")?,
        commune: row.try_get("commune")?,
    })
}

pub(super) fn summary(row: &AnyRow) -> Result<JourneySummary, sqlx::Error> {
    let state: String = row.try_get("state")?;
    Ok(JourneySummary {
        id: row.try_get("id")?,
        entry: entry(row)?,
        state: State::parse(&state).unwrap_or(State::Applied),
        since: row.try_get("state_since")?,
        cohort: row.try_get("cohort")?,
        days_attended: row.try_get::<i64, _>("days_attended")? as u32,
        identifier: row.try_get("identifier")?,
        valid_until: row.try_get("valid_until")?,
    })
}

/// Every journey, the ones that need the referent first (applications, training), then by name.
pub async fn journeys(db: &Db) -> Result<Vec<JourneySummary>, sqlx::Error> {
    sqlx::query(&format!(
        "{SUMMARY} ORDER BY CASE j.state WHEN 'applied' THEN 0 WHEN 'admitted' THEN 1 ELSE 2 END, s.sort_key"
    ))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// The journeys of the structures `user_id` manages.
pub async fn journeys_managed_by(
    db: &Db,
    user_id: i64,
) -> Result<Vec<JourneySummary>, sqlx::Error> {
    sqlx::query(&format!(
        "{SUMMARY} JOIN structure_managers m ON m.structure_id = j.structure_id \
         WHERE m.user_id = $1 ORDER BY s.sort_key"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(summary)
    .collect()
}

pub async fn journey_summary(
    db: &Db,
    journey_id: i64,
) -> Result<Option<JourneySummary>, sqlx::Error> {
    sqlx::query(&format!("{SUMMARY} WHERE j.id = $1"))
        .bind(journey_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(summary)
        .transpose()
}

/// The journey of a structure, if it applied.
pub async fn journey_of(db: &Db, structure_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM label_journeys WHERE structure_id = $1")
        .bind(structure_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn journey_structure(db: &Db, journey_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT structure_id FROM label_journeys WHERE id = $1")
        .bind(journey_id)
        .fetch_optional(&db.pool)
        .await
}

async fn steps_in(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    journey_id: i64,
) -> Result<Vec<Step>, sqlx::Error> {
    sqlx::query(
        "SELECT st.kind, st.day, st.cohort_id, st.identifier, st.note, u.name AS by_name, st.at \
         FROM label_steps st LEFT JOIN users u ON u.id = st.by_user \
         WHERE st.journey_id = $1 ORDER BY st.id",
    )
    .bind(journey_id)
    .fetch_all(executor)
    .await?
    .iter()
    .map(|row| {
        let kind: String = row.try_get("kind")?;
        Ok(Step {
            kind: StepKind::parse(&kind)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown label step {kind}").into()))?,
            day: row.try_get::<Option<i64>, _>("day")?.map(|d| d as u32),
            cohort_id: row.try_get("cohort_id")?,
            identifier: row.try_get("identifier")?,
            note: row.try_get("note")?,
            by: row.try_get("by_name")?,
            at: row.try_get("at")?,
        })
    })
    .collect()
}

pub async fn steps(db: &Db, journey_id: i64) -> Result<Vec<Step>, sqlx::Error> {
    steps_in(&db.pool, journey_id).await
}

/// A journey's summary, history and what it misses.
pub async fn journey_detail(
    db: &Db,
    scheme: &Scheme,
    journey_id: i64,
) -> Result<Option<JourneyDetail>, AppError> {
    let Some(summary) = journey_summary(db, journey_id).await? else {
        return Ok(None);
    };
    let steps = steps(db, journey_id).await?;
    let progress = Progress::replay(&steps, scheme).map_err(|why| {
        tracing::error!(journey_id, why, "a stored label journey does not replay");
        AppError::Internal
    })?;
    let cohort_days = match progress.cohort_id {
        Some(cohort_id) => cohort(db, cohort_id)
            .await?
            .map(|c| c.days)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(Some(JourneyDetail {
        cohort_days,
        missing_days: progress.missing_days(scheme),
        reviewed: progress.reviewed_at.is_some(),
        training_days: scheme.training_days,
        summary,
        steps,
    }))
}

/// A structure applies: its journey starts. A second application is a conflict.
pub async fn apply(
    db: &Db,
    scheme: &Scheme,
    structure_id: i64,
    by: i64,
    at: Timestamp,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO label_journeys (scheme_id, structure_id, state, state_since) \
         VALUES ($1, $2, 'applied', $3) ON CONFLICT (scheme_id, structure_id) DO NOTHING RETURNING id",
    )
    .bind(scheme.id)
    .bind(structure_id)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(journey_id) = inserted else {
        return Err(AppError::Conflict(
            "Cette structure a déjà candidaté au label.".to_owned(),
        ));
    };
    sqlx::query(
        "INSERT INTO label_steps (journey_id, kind, by_user, at) VALUES ($1, 'applied', $2, $3)",
    )
    .bind(journey_id)
    .bind(by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(journey_id)
}

/// Appends `step` to the journey if it may follow the stored ones (else `Conflict` with the
/// reason) and rewrites the journey's row; answers what the journey now adds up to. An issued
/// step without an identifier gets a fresh one.
pub async fn append(
    db: &Db,
    scheme: &Scheme,
    journey_id: i64,
    mut step: Step,
    by: Option<i64>,
) -> Result<Progress, AppError> {
    let mut tx = db.begin_write().await?;
    let found = sqlx::query("UPDATE label_journeys SET version = version + 1 WHERE id = $1")
        .bind(journey_id)
        .execute(&mut *tx)
        .await?;
    if found.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let steps = steps_in(&mut *tx, journey_id).await?;
    let mut progress = Progress::replay(&steps, scheme).map_err(|why| {
        tracing::error!(journey_id, why, "a stored label journey does not replay");
        AppError::Internal
    })?;
    if step.kind == StepKind::Issued && step.identifier.is_none() {
        step.identifier = Some(new_identifier(&scheme.code_prefix));
    }
    progress
        .apply(&step, scheme)
        .map_err(|why| AppError::Conflict(why.to_owned()))?;
    sqlx::query(
        "INSERT INTO label_steps (journey_id, kind, day, cohort_id, identifier, note, by_user, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(journey_id)
    .bind(step.kind.as_str())
    .bind(step.day.map(i64::from))
    .bind(step.cohort_id)
    .bind(&step.identifier)
    .bind(&step.note)
    .bind(by)
    .bind(step.at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE label_journeys SET state = $1, state_since = $2, cohort_id = $3, days_attended = $4, \
         identifier = $5, valid_until = $6 WHERE id = $7",
    )
    .bind(progress.state.as_str())
    .bind(progress.since)
    .bind(progress.cohort_id)
    .bind(progress.days.len() as i64)
    .bind(&progress.identifier)
    .bind(progress.valid_until)
    .bind(journey_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(progress)
}

/// A merge of two entries: `from`'s label journeys become `into`'s (where `into` follows the
/// same scheme already, its own journey stays and `from`'s goes with it).
pub async fn move_journeys(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE label_journeys SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM label_journeys o WHERE o.structure_id = $1 AND o.scheme_id = label_journeys.scheme_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
