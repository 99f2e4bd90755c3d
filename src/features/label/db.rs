//! Queries of the label. The SQL is the same on SQLite and PostgreSQL. A step is appended in one
//! transaction that first bumps its journey's `version` (a row lock on PostgreSQL, the write lock
//! on SQLite), replays the stored steps, checks the new one with [`Progress::apply`], inserts it
//! and rewrites the journey's row.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::*;
use crate::db::Db;
use crate::error::AppError;
use crate::features::events::{EventKind, ValidEvent, Visibility};

/// The scheme (there is one: « Démarche progrès »).
pub async fn scheme(db: &Db) -> Result<Scheme, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, training_days, renewal_months, code_prefix FROM label_schemes \
         WHERE slug = 'demarche-progres'",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(Scheme {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        training_days: row.try_get::<i64, _>("training_days")? as u32,
        renewal_months: row.try_get::<i64, _>("renewal_months")? as u32,
        code_prefix: row.try_get("code_prefix")?,
    })
}

pub async fn is_referent(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar("SELECT label_referent FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(flag == Some(1))
}

/// Gives or takes the referent role; `false` when there is no such account.
pub async fn set_referent(db: &Db, user_id: i64, on: bool) -> Result<bool, sqlx::Error> {
    crate::features::accounts::db::set_label_referent(db, user_id, on).await
}

pub async fn referents(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM users WHERE label_referent = 1 AND disabled_at IS NULL ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
}

/// Départements and intercommunalities, for the cohort form.
pub async fn territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories WHERE kind IN ('departement', 'intercommunalite') \
         ORDER BY kind, name",
    )
    .fetch_all(&db.pool)
    .await
}

const SUMMARY: &str = "SELECT j.id, s.slug, s.name AS structure_name, c.name AS commune, j.state, \
     j.state_since, co.name AS cohort, j.days_attended, j.identifier, j.valid_until \
     FROM label_journeys j \
     JOIN structures s ON s.id = j.structure_id \
     JOIN territories c ON c.id = s.commune_id \
     LEFT JOIN label_cohorts co ON co.id = j.cohort_id";

fn entry(row: &AnyRow) -> Result<PublicEntry, sqlx::Error> {
    Ok(PublicEntry {
        slug: row.try_get("slug")?,
        name: row.try_get("structure_name")?,
        commune: row.try_get("commune")?,
    })
}

fn summary(row: &AnyRow) -> Result<JourneySummary, sqlx::Error> {
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

/// A cohort's summary row.
const COHORT: &str = "SELECT co.id, co.name, t.name AS territory, u.name AS referent, \
     (SELECT COUNT(*) FROM label_journeys j WHERE j.cohort_id = co.id) AS structures \
     FROM label_cohorts co JOIN territories t ON t.id = co.territory_id \
     JOIN users u ON u.id = co.referent_id";

async fn cohort_from(db: &Db, row: &AnyRow) -> Result<Cohort, sqlx::Error> {
    let id: i64 = row.try_get("id")?;
    let days = sqlx::query(
        "SELECT d.day, e.slug, e.starts_at FROM label_cohort_days d JOIN events e ON e.id = d.event_id \
         WHERE d.cohort_id = $1 ORDER BY d.day",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<i64, _>("day")? as u32,
            r.try_get("slug")?,
            r.try_get("starts_at")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Cohort {
        id,
        name: row.try_get("name")?,
        territory: row.try_get("territory")?,
        referent: row.try_get("referent")?,
        days,
        structures: row.try_get::<i64, _>("structures")? as usize,
    })
}

pub async fn cohorts(db: &Db) -> Result<Vec<Cohort>, sqlx::Error> {
    let rows = sqlx::query(&format!("{COHORT} ORDER BY co.id DESC"))
        .fetch_all(&db.pool)
        .await?;
    let mut cohorts = Vec::with_capacity(rows.len());
    for row in &rows {
        cohorts.push(cohort_from(db, row).await?);
    }
    Ok(cohorts)
}

pub async fn cohort(db: &Db, cohort_id: i64) -> Result<Option<Cohort>, sqlx::Error> {
    match sqlx::query(&format!("{COHORT} WHERE co.id = $1"))
        .bind(cohort_id)
        .fetch_optional(&db.pool)
        .await?
    {
        Some(row) => Ok(Some(cohort_from(db, &row).await?)),
        None => Ok(None),
    }
}

/// Creates a cohort and its training days as events organised by its referent, in one
/// transaction. `Validation` on the territory or the commune when unknown.
pub async fn create_cohort(
    db: &Db,
    scheme: &Scheme,
    cohort: &ValidCohort,
    referent: i64,
) -> Result<i64, AppError> {
    let territory: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM territories WHERE slug = $1 AND kind IN ('departement', 'intercommunalite')",
    )
    .bind(&cohort.territory)
    .fetch_optional(&db.pool)
    .await?;
    let territory = territory.ok_or_else(|| {
        AppError::validation("territory", "Choisissez un territoire dans la liste.")
    })?;
    let commune = (!cohort.commune.is_empty()).then(|| cohort.commune.clone());
    let count = cohort.days.len();
    let mut events = Vec::with_capacity(count);
    for (n, (starts_at, ends_at)) in cohort.days.iter().enumerate() {
        let event = ValidEvent {
            title: format!(
                "{} — {} — journée {} sur {count}",
                scheme.name,
                cohort.name,
                n + 1
            ),
            kind: EventKind::Training,
            description: format!(
                "Journée de formation collective de la démarche progrès, pour les structures de la cohorte « {} ».",
                cohort.name
            ),
            starts_at: *starts_at,
            ends_at: *ends_at,
            place_name: cohort.place_name.clone(),
            address: String::new(),
            commune: commune.clone(),
            online_url: String::new(),
            organiser: None,
            capacity: None,
            per_structure_limit: None,
            opens_at: None,
            closes_at: None,
            visibility: Visibility::Members,
            club: None,
        };
        events.push(event);
    }
    let prepared = crate::features::events::db::prepare_events(db, &events)
        .await?
        .ok_or_else(|| AppError::validation("commune", "Choisissez une commune dans la liste."))?;
    let mut tx = db.begin_write().await?;
    let cohort_id: i64 = sqlx::query_scalar(
        "INSERT INTO label_cohorts (scheme_id, name, territory_id, referent_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(scheme.id)
    .bind(&cohort.name)
    .bind(territory)
    .bind(referent)
    .bind(Timestamp::now())
    .fetch_one(&mut *tx)
    .await?;
    for (n, (event, (commune, slug))) in events.iter().zip(prepared).enumerate() {
        let event_id =
            crate::features::events::db::insert_event(&mut tx, event, commune, &slug, referent)
                .await?;
        sqlx::query("INSERT INTO label_cohort_days (cohort_id, day, event_id) VALUES ($1, $2, $3)")
            .bind(cohort_id)
            .bind(n as i64 + 1)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(cohort_id)
}

pub async fn cohort_referent(db: &Db, cohort_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT referent_id FROM label_cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_optional(&db.pool)
        .await
}

/// The cohort's structures with their presence on `day`.
pub async fn attendance(
    db: &Db,
    scheme: &Scheme,
    cohort_id: i64,
    day: u32,
) -> Result<Vec<(i64, String, bool)>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT j.id, s.name FROM label_journeys j JOIN structures s ON s.id = j.structure_id \
         WHERE j.cohort_id = $1 AND j.state = 'admitted' ORDER BY s.sort_key",
    )
    .bind(cohort_id)
    .fetch_all(&db.pool)
    .await?;
    let mut sheet = Vec::with_capacity(rows.len());
    for (journey, name) in rows {
        let progress = Progress::replay(&steps(db, journey).await?, scheme).map_err(|why| {
            tracing::error!(journey, why, "a stored label journey does not replay");
            AppError::Internal
        })?;
        sheet.push((journey, name, progress.days.contains(&day)));
    }
    Ok(sheet)
}

/// Structures whose label is valid at `now`, by name.
pub async fn labelled(db: &Db, now: Timestamp) -> Result<Vec<Badge>, sqlx::Error> {
    sqlx::query(&format!(
        "{SUMMARY} WHERE j.state = 'labelled' AND j.valid_until > $1 AND s.status = 'published' \
         ORDER BY s.sort_key"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(Badge {
            entry: entry(row)?,
            identifier: row.try_get("identifier")?,
            valid_until: row.try_get("valid_until")?,
        })
    })
    .collect()
}

/// What the verification page says about `identifier` at `now`.
pub async fn verify(
    db: &Db,
    identifier: &str,
    now: Timestamp,
) -> Result<Verification, sqlx::Error> {
    let row = sqlx::query(&format!(
        "{SUMMARY} WHERE j.identifier = $1 AND s.status = 'published'"
    ))
    .bind(identifier)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(Verification::Unknown {
            typed: identifier.to_owned(),
        });
    };
    let journey = summary(&row)?;
    let identifier = identifier.to_owned();
    let structure = journey.entry;
    let until = journey.valid_until.unwrap_or(journey.since);
    Ok(match journey.state {
        State::Withdrawn => Verification::Withdrawn {
            identifier,
            structure,
            on: journey.since,
        },
        _ if until <= now => Verification::Expired {
            identifier,
            structure,
            on: until,
        },
        State::Suspended => Verification::Suspended {
            identifier,
            structure,
            since: journey.since,
        },
        _ => Verification::Valid {
            identifier,
            structure,
            until,
        },
    })
}
