//! Cohorts, their training days (events) and attendance.

use crate::db::Db;
use crate::error::AppError;
use crate::features::events::EventKind;
use crate::features::events::ValidEvent;
use crate::features::events::Visibility;
use crate::features::label::Cohort;
use crate::features::label::Progress;
use crate::features::label::Scheme;
use crate::features::label::ValidCohort;
use crate::features::label::db::steps;
use crate::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

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
