//! Writing events: creation (also for other features' demo and label sessions), edits, workshops
//! and questions.

use super::seats::{lock_event, promote};
use crate::db::Db;
use crate::features::events::EventEdit;
use crate::features::events::QuestionInfo;
use crate::features::events::ValidEvent;
use crate::features::events::ValidSession;
use crate::features::events::Visibility;
use crate::features::events::db::Promotion;
use crate::features::events::db::event_id;
use crate::timestamp::Timestamp;
use sqlx::Any;
use sqlx::Row;

/// Longest slug made from a title.
const MAX_SLUG: usize = 80;

/// A title's slug, at most [`MAX_SLUG`] characters: a long one keeps its beginning and its
/// end (« …-journee-3-sur-6 »), where titles of a series differ.
fn title_slug(title: &str) -> String {
    match crate::slug::slugify(title) {
        s if s.is_empty() => "evenement".to_owned(),
        // The addresses of pages under /evenements/ that are not events.
        s if ["nouveau", "confirmer", "annuler"].contains(&s.as_str()) => format!("{s}-evenement"),
        s if s.len() <= MAX_SLUG => s,
        // A slug is ASCII: bytes are characters.
        s => format!(
            "{}-{}",
            s[..MAX_SLUG - 21].trim_end_matches('-'),
            s[s.len() - 20..].trim_start_matches('-')
        ),
    }
}

/// A free slug from the title (`salon-de-l-achat-responsable`, then `-2`, …), neither in the
/// database nor in `taken` (the other events of the same batch).
async fn free_slug(
    db: &Db,
    title: &str,
    taken: &std::collections::HashSet<String>,
) -> Result<String, sqlx::Error> {
    let base = title_slug(title);
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) || event_id(db, &slug).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

async fn commune_id(db: &Db, slug: Option<&str>) -> Result<Option<i64>, sqlx::Error> {
    match slug {
        None => Ok(None),
        Some(slug) => {
            sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await
        }
    }
}

type Query<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds an event's fields as `$1` … `$16`, in the order of the insert and the update (`$16`
/// is the club's slug, read as `(SELECT id FROM clubs WHERE slug = $16)`).
fn bind_fields<'q>(query: Query<'q>, event: &'q ValidEvent, commune: Option<i64>) -> Query<'q> {
    query
        .bind(&event.title)
        .bind(event.kind.slug())
        .bind(&event.description)
        .bind(event.starts_at)
        .bind(event.ends_at)
        .bind(&event.place_name)
        .bind(&event.address)
        .bind(commune)
        .bind(&event.online_url)
        .bind(event.organiser)
        .bind(event.capacity)
        .bind(event.per_structure_limit)
        .bind(event.opens_at)
        .bind(event.closes_at)
        .bind(event.visibility.as_str())
        .bind(event.club.clone())
}

/// Creates an event; its creator becomes one of its organisers. Answers its slug. `None` when
/// the commune is unknown.
pub async fn create_event(
    db: &Db,
    event: &ValidEvent,
    creator: i64,
) -> Result<Option<String>, sqlx::Error> {
    let Some(mut prepared) = prepare_events(db, std::slice::from_ref(event)).await? else {
        return Ok(None);
    };
    let (commune, slug) = prepared.remove(0);
    let mut tx = db.begin_write().await?;
    insert_event(&mut tx, event, commune, &slug, creator).await?;
    tx.commit().await?;
    Ok(Some(slug))
}

/// The commune id and a free slug of each event, before inserting them; `None` when a commune
/// is unknown. Slugs are distinct among `events`, whatever their titles.
pub async fn prepare_events(
    db: &Db,
    events: &[ValidEvent],
) -> Result<Option<Vec<(Option<i64>, String)>>, sqlx::Error> {
    let mut prepared = Vec::with_capacity(events.len());
    let mut taken = std::collections::HashSet::new();
    for event in events {
        let commune = commune_id(db, event.commune.as_deref()).await?;
        if event.commune.is_some() && commune.is_none() {
            return Ok(None);
        }
        let slug = free_slug(db, &event.title, &taken).await?;
        taken.insert(slug.clone());
        prepared.push((commune, slug));
    }
    Ok(Some(prepared))
}

/// Inserts an event prepared by [`prepare_events`] in the caller's transaction; `creator`
/// becomes one of its organisers. Answers its id.
pub async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event: &ValidEvent,
    commune: Option<i64>,
    slug: &str,
    creator: i64,
) -> Result<i64, sqlx::Error> {
    let now = Timestamp::now();
    let id: i64 = bind_fields(
        sqlx::query(
            "INSERT INTO events (title, kind, description, starts_at, ends_at, place_name, address, commune_id, \
             online_url, organiser_id, capacity, per_structure_limit, registration_opens_at, registration_closes_at, \
             visibility, club_id, slug, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             (SELECT id FROM clubs WHERE slug = $16), $17, $18, $18) RETURNING id",
        ),
        event,
        commune,
    )
    .bind(slug)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("INSERT INTO event_organisers (event_id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(creator)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Saves an event's fields (its slug stays) and bumps its calendar SEQUENCE; people waiting take
/// any seats a larger capacity opened. `None` when the commune is unknown.
pub async fn update_event(
    db: &Db,
    event_id: i64,
    event: &ValidEvent,
) -> Result<Option<Vec<Promotion>>, sqlx::Error> {
    let commune = commune_id(db, event.commune.as_deref()).await?;
    if event.commune.is_some() && commune.is_none() {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    bind_fields(
        sqlx::query(
            "UPDATE events SET title = $1, kind = $2, description = $3, starts_at = $4, ends_at = $5, place_name = $6, \
             address = $7, commune_id = $8, online_url = $9, organiser_id = $10, capacity = $11, per_structure_limit = $12, \
             registration_opens_at = $13, registration_closes_at = $14, visibility = $15, \
             club_id = (SELECT id FROM clubs WHERE slug = $16), sequence = sequence + 1, \
             updated_at = $17 WHERE id = $18",
        ),
        event,
        commune,
    )
    .bind(Timestamp::now())
    .bind(event_id)
    .execute(&mut *tx)
    .await?;
    let (_, capacity, _) = lock_event(&mut tx, event_id).await?;
    let promotions = promote(&mut tx, event_id, capacity).await?;
    tx.commit().await?;
    Ok(Some(promotions))
}

/// The event's form values, as typed (dates and times in Europe/Paris).
pub async fn event_for_edit(db: &Db, event_id: i64) -> Result<Option<EventEdit>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        Timestamp,
        Timestamp,
        String,
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<Timestamp>,
        Option<Timestamp>,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT e.title, e.kind, e.description, e.starts_at, e.ends_at, e.place_name, e.address, c.slug, \
         e.online_url, e.organiser_id, e.capacity, e.per_structure_limit, e.registration_opens_at, \
         e.registration_closes_at, e.visibility, (SELECT cl.slug FROM clubs cl WHERE cl.id = e.club_id) \
         FROM events e LEFT JOIN territories c ON c.id = e.commune_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    let hm = |t: Timestamp| {
        let local = t.in_paris();
        format!("{:02}:{:02}", local.hour(), local.minute())
    };
    Ok(row.map(
        |(
            title,
            kind,
            description,
            starts,
            ends,
            place_name,
            address,
            commune,
            online_url,
            organiser,
            capacity,
            limit,
            opens,
            closes,
            visibility,
            club,
        )| {
            EventEdit {
                title,
                kind,
                description,
                start_date: starts.iso_date(),
                start_time: hm(starts),
                end_date: ends.iso_date(),
                end_time: hm(ends),
                place_name,
                address,
                commune: commune.unwrap_or_default(),
                online_url,
                organiser: organiser.map(|id| id.to_string()).unwrap_or_default(),
                capacity: capacity.map(|c| c.to_string()).unwrap_or_default(),
                per_structure_limit: limit.map(|c| c.to_string()).unwrap_or_default(),
                opens_date: opens.map(|t| t.iso_date()).unwrap_or_default(),
                // Stored as the midnight after the closing day.
                closes_date: closes
                    .map(|t| t.plus(time::Duration::hours(-12)).iso_date())
                    .unwrap_or_default(),
                visibility: match (Visibility::from_stored(&visibility), club) {
                    (Visibility::Members, Some(club)) => format!("club:{club}"),
                    (visibility, _) => visibility.form_value().to_owned(),
                },
            }
        },
    ))
}

pub async fn add_session(
    db: &Db,
    event_id: i64,
    session: &ValidSession,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_sessions (event_id, title, starts_at, ends_at, room, capacity) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event_id)
    .bind(&session.title)
    .bind(session.starts_at)
    .bind(session.ends_at)
    .bind(&session.room)
    .bind(session.capacity)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Removes a workshop of the event; `false` when it is not one of its workshops.
pub async fn remove_session(db: &Db, event_id: i64, session_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM event_sessions WHERE id = $1 AND event_id = $2")
        .bind(session_id)
        .bind(event_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn add_question(
    db: &Db,
    event_id: i64,
    question: &QuestionInfo,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_questions (event_id, position, label, kind, choices, required) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM event_questions WHERE event_id = $1), $2, $3, $4, $5)",
    )
    .bind(event_id)
    .bind(&question.label)
    .bind(question.kind.as_str())
    .bind(question.choices.join("\n"))
    .bind(i64::from(question.required))
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn remove_question(
    db: &Db,
    event_id: i64,
    question_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM event_questions WHERE id = $1 AND event_id = $2")
        .bind(question_id)
        .bind(event_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::{MAX_SLUG, title_slug};

    #[test]
    fn long_titles_keep_what_tells_them_apart() {
        let name =
            "Démarche progrès — Cohorte des structures de l'insertion du littoral dunkerquois 2027";
        let slugs: Vec<String> = (1..=6)
            .map(|day| title_slug(&format!("{name} — journée {day} sur 6")))
            .collect();
        for (day, slug) in slugs.iter().enumerate() {
            assert!(slug.len() <= MAX_SLUG, "{slug}");
            assert!(
                slug.ends_with(&format!("journee-{}-sur-6", day + 1)),
                "{slug}"
            );
            assert!(slug.starts_with("demarche-progres-cohorte"), "{slug}");
        }
        assert_eq!(title_slug("Salon"), "salon");
        assert_eq!(title_slug("nouveau"), "nouveau-evenement");
    }
}
