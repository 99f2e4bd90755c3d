//! The labelled structures and identifier checks.

use super::journeys::{SUMMARY, entry};
use crate::db::Db;
use crate::features::label::Badge;
use crate::features::label::State;
use crate::features::label::Verification;
use crate::timestamp::Timestamp;
use sqlx::Row;

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
    let journey = super::journeys::summary(&row)?;
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
