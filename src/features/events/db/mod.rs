//! The events' queries, split by subject; `seats` is the seat engine.

mod editing;
mod listing;
mod registrations;
mod seats;

pub use editing::*;
pub use listing::*;
pub use registrations::*;
pub use seats::*;

/// Every commune `(slug, name)`, for the event form.
pub use crate::features::reference::db::communes;

use sqlx::{Any, Transaction};

use crate::db::sql::Arg;
use crate::db::sql::Sql;
use crate::features::events::EventKind;

type Tx = Transaction<'static, Any>;

const EVENT_COLUMNS: &str = "e.id, e.slug, e.title, e.kind, e.description, e.starts_at, e.ends_at, \
    e.place_name, e.address, COALESCE(c.name, ''), e.latitude, e.longitude, \
    e.online_url, s.slug, s.name, e.capacity, e.per_structure_limit, e.registration_opens_at, \
    e.registration_closes_at, e.registration_closed, e.visibility, e.sequence, e.updated_at";

fn kind_of(slug: &str) -> EventKind {
    EventKind::from_slug(slug).unwrap_or(EventKind::Other)
}

/// Who is looking, for events reserved to members. A members-only event of a club is for the
/// club's members (managers of its active member structures, its admins), its organisers and
/// the site admins; one without a club, for every logged-in member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Visitor,
    Member(i64),
    Admin,
}

impl Audience {
    pub fn of(user: Option<&crate::features::accounts::CurrentUser>) -> Audience {
        match user {
            None => Audience::Visitor,
            Some(user) if user.is_admin() => Audience::Admin,
            Some(user) => Audience::Member(user.id),
        }
    }
}

/// ` AND (…)`: the events `audience` may see (the events table is `e`). Club membership is read
/// from the clubs' tables here, in SQL, so that the events engine needs no knowledge of clubs
/// beyond `events.club_id`.
fn push_audience(sql: &mut Sql, audience: Audience) {
    match audience {
        Audience::Visitor => {
            sql.push(" AND e.visibility = 'public'");
        }
        Audience::Admin => {}
        Audience::Member(user) => {
            sql.push(
                " AND (e.visibility = 'public' OR e.club_id IS NULL \
                 OR e.club_id IN (SELECT m.club_id FROM club_members m JOIN structure_managers sm \
                     ON sm.structure_id = m.structure_id WHERE m.status = 'active' AND sm.user_id = ",
            )
            .bind(Arg::Int(user))
            .push(") OR e.club_id IN (SELECT a.club_id FROM club_admins a WHERE a.user_id = ")
            .bind(Arg::Int(user))
            .push(") OR e.id IN (SELECT o.event_id FROM event_organisers o WHERE o.user_id = ")
            .bind(Arg::Int(user))
            .push(") OR e.organiser_id IN (SELECT om.structure_id FROM structure_managers om WHERE om.user_id = ")
            .bind(Arg::Int(user))
            .push("))");
        }
    }
}
