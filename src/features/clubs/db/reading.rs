//! Reading clubs: the list, a club, its members and meetings, what the viewer may do.

use crate::db::Db;
use crate::features::accounts::CurrentUser;
use crate::features::clubs::ActiveRow;
use crate::features::clubs::Candidate;
use crate::features::clubs::ClubInfo;
use crate::features::clubs::ClubSummary;
use crate::features::clubs::ClubViewer;
use crate::features::clubs::HistoryAction;
use crate::features::clubs::HistoryRow;
use crate::features::clubs::Meeting;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::MemberStructure;
use crate::features::clubs::MembershipPage;
use crate::features::clubs::OwnStructure;
use crate::features::clubs::PendingRow;
use crate::features::clubs::Representative;
use crate::timestamp::Timestamp;
use sqlx::Any;

pub async fn list(db: &Db) -> Result<Vec<ClubSummary>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT c.slug, c.name, t.name, c.description, \
         (SELECT COUNT(*) FROM club_members m JOIN structures s ON s.id = m.structure_id \
          WHERE m.club_id = c.id AND m.status = 'active' AND s.status = 'published') \
         FROM clubs c LEFT JOIN territories t ON t.id = c.territory_id ORDER BY c.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(slug, name, territory, description, members)| ClubSummary {
                slug,
                name,
                territory: territory.unwrap_or_default(),
                description,
                members,
            },
        )
        .collect())
}

pub async fn find(db: &Db, slug: &str) -> Result<Option<ClubInfo>, sqlx::Error> {
    type Row = (i64, String, String, Option<String>, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.id, c.slug, c.name, t.name, c.description, c.charter, c.meetings \
         FROM clubs c LEFT JOIN territories t ON t.id = c.territory_id WHERE c.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(
        |(id, slug, name, territory, description, charter, meetings)| ClubInfo {
            id,
            slug,
            name,
            territory: territory.unwrap_or_default(),
            description,
            charter,
            meetings,
        },
    ))
}

/// The active member structures, by name.
pub async fn members(db: &Db, club_id: i64) -> Result<Vec<MemberStructure>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, t.name, s.legal_form FROM club_members m \
         JOIN structures s ON s.id = m.structure_id JOIN territories t ON t.id = s.commune_id \
         WHERE m.club_id = $1 AND m.status = 'active' AND s.status = 'published' ORDER BY s.sort_key",
    )
    .bind(club_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, commune, form)| MemberStructure {
            id,
            slug,
            name,
            commune,
            legal_form: crate::features::directory::legal_form_label(&form).to_owned(),
        })
        .collect())
}

/// The club's coming meetings (events of the club); members-only ones when `members` is true.
pub async fn meetings(
    db: &Db,
    club_id: i64,
    members: bool,
    now: Timestamp,
) -> Result<Vec<Meeting>, sqlx::Error> {
    let rows: Vec<(String, String, Timestamp, String, Option<String>, String)> = sqlx::query_as(
        "SELECT e.slug, e.title, e.starts_at, e.place_name, c.name, e.visibility FROM events e \
         LEFT JOIN territories c ON c.id = e.commune_id \
         WHERE e.club_id = $1 AND e.ends_at >= $2 AND (e.visibility = 'public' OR $3 = 1) \
         ORDER BY e.starts_at LIMIT 10",
    )
    .bind(club_id)
    .bind(now)
    .bind(i64::from(members))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(slug, title, starts_at, place, commune, visibility)| Meeting {
                slug,
                title,
                starts_at,
                place: match commune {
                    Some(commune) if !place.is_empty() => format!("{place}, {commune}"),
                    Some(commune) => commune,
                    None => place,
                },
                members_only: visibility != "public",
            },
        )
        .collect())
}

/// True when the person administers the club (on the pool, or inside a transaction).
/// Whether `user_id` may decide the club's membership: one of its admins, or a site admin.
pub async fn may_decide(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    club_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    if is_admin(&mut **tx, club_id, user_id).await? {
        return Ok(true);
    }
    let site_admin: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND site_role = $2")
            .bind(user_id)
            .bind(crate::features::accounts::SiteRole::Admin.flag())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(site_admin.is_some())
}

pub async fn is_admin<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    club_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM club_admins WHERE club_id = $1 AND user_id = $2")
            .bind(club_id)
            .bind(user_id)
            .fetch_optional(executor)
            .await?;
    Ok(found.is_some())
}

/// True when the person manages an active member structure of the club (on the pool, or inside
/// a transaction).
pub async fn represents_member<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    club_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT m.structure_id FROM club_members m JOIN structure_managers sm ON sm.structure_id = m.structure_id \
         WHERE m.club_id = $1 AND m.status = 'active' AND sm.user_id = $2 LIMIT 1",
    )
    .bind(club_id)
    .bind(user_id)
    .fetch_optional(executor)
    .await?;
    Ok(found.is_some())
}

/// What the person may do on the club's page, and where their structures stand.
pub async fn viewer(db: &Db, club_id: i64, user: &CurrentUser) -> Result<ClubViewer, sqlx::Error> {
    let own: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.name, m.status, m.message FROM structure_managers sm JOIN structures s ON s.id = sm.structure_id \
         LEFT JOIN club_members m ON m.structure_id = s.id AND m.club_id = $1 \
         WHERE sm.user_id = $2 ORDER BY s.sort_key",
    )
    .bind(club_id)
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let own: Vec<OwnStructure> = own
        .into_iter()
        .map(|(id, name, status, message)| {
            let status = status.as_deref().and_then(MemberStatus::from_stored);
            OwnStructure {
                id,
                name,
                message: message
                    .filter(|_| status == Some(MemberStatus::Invited))
                    .unwrap_or_default(),
                status,
            }
        })
        .collect();
    let member = own.iter().any(|s| s.status == Some(MemberStatus::Active));
    let admin = user.is_admin() || is_admin(&db.pool, club_id, user.id).await?;
    Ok(ClubViewer {
        logged_in: true,
        member: member || admin,
        admin,
        own,
    })
}

/// Published structures whose name matches `words` and that are neither members nor waiting
/// for an answer: those an active member may invite.
pub async fn candidates(db: &Db, club_id: i64, words: &str) -> Result<Vec<Candidate>, sqlx::Error> {
    let Some(pattern) = crate::slug::name_pattern(words) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, t.name FROM structures s JOIN territories t ON t.id = s.commune_id \
         WHERE s.status = 'published' AND REPLACE(s.sort_key, '-', ' ') LIKE $1 \
         AND s.id NOT IN (SELECT structure_id FROM club_members WHERE club_id = $2 \
             AND status IN ('active', 'requested', 'invited')) \
         ORDER BY s.sort_key LIMIT 20",
    )
    .bind(pattern)
    .bind(club_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, commune)| Candidate { id, name, commune })
        .collect())
}

/// A published structure's name.
pub async fn structure_name(db: &Db, structure_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM structures WHERE id = $1 AND status = 'published'")
        .bind(structure_id)
        .fetch_optional(&db.pool)
        .await
}

/// The membership page's lists.
pub async fn membership(db: &Db, club: ClubInfo) -> Result<MembershipPage, sqlx::Error> {
    type PendingDbRow = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Timestamp,
    );
    let pending: Vec<PendingDbRow> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, m.status, m.message, u.name, m.since FROM club_members m \
         JOIN structures s ON s.id = m.structure_id LEFT JOIN users u ON u.id = m.proposed_by \
         WHERE m.club_id = $1 AND m.status IN ('requested', 'invited') ORDER BY m.since, s.sort_key",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let active: Vec<(i64, String, String, Timestamp)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.name, m.since FROM club_members m JOIN structures s ON s.id = m.structure_id \
         WHERE m.club_id = $1 AND m.status = 'active' ORDER BY s.sort_key",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let representatives: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT sm.structure_id, u.id, u.name, \
         CASE WHEN a.user_id IS NULL THEN 0 ELSE 1 END FROM club_members m \
         JOIN structure_managers sm ON sm.structure_id = m.structure_id JOIN users u ON u.id = sm.user_id \
         LEFT JOIN club_admins a ON a.club_id = m.club_id AND a.user_id = u.id \
         WHERE m.club_id = $1 AND m.status = 'active' AND u.disabled_at IS NULL ORDER BY u.name, u.id",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    let history: Vec<(Timestamp, String, String, String, String, String)> = sqlx::query_as(
        "SELECT at, actor_name, action, structure_name, subject_name, reason FROM club_history \
         WHERE club_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(club.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(MembershipPage {
        club,
        pending: pending
            .into_iter()
            .filter_map(
                |(structure_id, slug, name, status, message, proposed_by, since)| {
                    Some(PendingRow {
                        structure_id,
                        slug,
                        name,
                        status: MemberStatus::from_stored(&status)?,
                        message,
                        proposed_by: proposed_by.unwrap_or_default(),
                        since,
                    })
                },
            )
            .collect(),
        active: active
            .into_iter()
            .map(|(structure_id, slug, name, since)| ActiveRow {
                representatives: representatives
                    .iter()
                    .filter(|(of, ..)| *of == structure_id)
                    .map(|(_, user_id, name, admin)| Representative {
                        user_id: *user_id,
                        name: name.clone(),
                        admin: *admin == 1,
                    })
                    .collect(),
                structure_id,
                slug,
                name,
                since,
            })
            .collect(),
        history: history
            .into_iter()
            .filter_map(|(at, actor, action, structure, subject, reason)| {
                Some(HistoryRow {
                    at,
                    actor,
                    action: HistoryAction::from_stored(&action)?,
                    target: if subject.is_empty() {
                        structure
                    } else {
                        subject
                    },
                    reason,
                })
            })
            .collect(),
    })
}

/// `(e-mail, name)` of the club's admins.
pub async fn admin_addresses(db: &Db, club_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM club_admins a JOIN users u ON u.id = a.user_id \
         WHERE a.club_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(club_id)
    .fetch_all(&db.pool)
    .await
}

/// `(slug, name)` of the territories a club may cover: intercommunalities and départements.
pub async fn club_territories(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name FROM territories WHERE kind IN ('intercommunalite', 'departement') ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
}

/// `(slug, name)` of the clubs the person administers (every club for a site admin).
pub async fn administered(
    db: &Db,
    user_id: i64,
    site_admin: bool,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.name FROM clubs c WHERE $2 = 1 \
         OR c.id IN (SELECT a.club_id FROM club_admins a WHERE a.user_id = $1) ORDER BY c.name",
    )
    .bind(user_id)
    .bind(i64::from(site_admin))
    .fetch_all(&db.pool)
    .await
}

/// The structures a person manages, `(id, name)`.
pub async fn managed_structures(db: &Db, user_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name FROM structure_managers sm JOIN structures s ON s.id = sm.structure_id \
         WHERE sm.user_id = $1 ORDER BY s.sort_key",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
