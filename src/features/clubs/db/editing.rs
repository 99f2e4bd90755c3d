//! Writing a club's page.

use crate::db::Db;
use crate::features::clubs::ClubEdit;
use crate::timestamp::Timestamp;

/// A club's fields as the form shows them.
pub async fn club_edit(db: &Db, club_id: i64) -> Result<Option<ClubEdit>, sqlx::Error> {
    let row: Option<(String, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT c.name, t.slug, c.description, c.charter, c.meetings FROM clubs c \
         LEFT JOIN territories t ON t.id = c.territory_id WHERE c.id = $1",
    )
    .bind(club_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(
        |(name, territory, description, charter, meetings)| ClubEdit {
            name,
            territory: territory.unwrap_or_default(),
            description,
            charter,
            meetings,
        },
    ))
}

/// The territory's id, `Err(())` when the slug names none.
async fn territory_id(db: &Db, slug: &str) -> Result<Result<Option<i64>, ()>, sqlx::Error> {
    if slug.is_empty() {
        return Ok(Ok(None));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM territories WHERE slug = $1 AND kind IN ('intercommunalite', 'departement')",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.map(Some).ok_or(()))
}

/// Creates a club; its slug (from its name, made unique). `None` when the territory is unknown.
pub async fn create_club(db: &Db, club: &ClubEdit) -> Result<Option<String>, sqlx::Error> {
    let Ok(territory) = territory_id(db, &club.territory).await? else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    // `nouveau` and `invitation` are pages of their own.
    let slug = crate::db::unique_slug(
        &mut tx,
        crate::db::SlugTable::Clubs,
        &crate::slug::slugify(&club.name),
        &["nouveau", "invitation"],
    )
    .await?;
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO clubs (slug, name, territory_id, description, charter, meetings, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&slug)
    .bind(&club.name)
    .bind(territory)
    .bind(&club.description)
    .bind(&club.charter)
    .bind(&club.meetings)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(slug))
}

/// Saves a club's fields (its slug stays). `false` when the territory is unknown.
pub async fn save_club(db: &Db, club_id: i64, club: &ClubEdit) -> Result<bool, sqlx::Error> {
    let Ok(territory) = territory_id(db, &club.territory).await? else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE clubs SET name = $1, territory_id = $2, description = $3, charter = $4, meetings = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&club.name)
    .bind(territory)
    .bind(&club.description)
    .bind(&club.charter)
    .bind(&club.meetings)
    .bind(Timestamp::now())
    .bind(club_id)
    .execute(&db.pool)
    .await?;
    Ok(true)
}
