//! Finding events: the list with its filters (kept in the URL) and an event's page as the viewer may see it.

use super::db;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::events::EventDetail;
use crate::features::events::EventKind;
use crate::features::events::EventList;
use crate::features::events::EventPage;
use crate::features::events::Visibility;
use crate::features::events::rights::organiser_choices;
use crate::state::AppState;
use crate::timestamp::Timestamp;
use crate::timestamp::paris_wall_clock;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::{Date, Time};

/// What the visitor asked for on `/evenements`, as it appears in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub kind: Option<String>,
    /// A territory slug (département, intercommunality or commune).
    pub territory: Option<String>,
    /// `YYYY-MM`.
    pub month: Option<String>,
    /// The archive of past events instead of the upcoming ones.
    pub past: bool,
    /// 1-based.
    pub page: u32,
}

impl ListParams {
    /// Reads URL query pairs; unknown keys and malformed values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut params = ListParams {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "type" if EventKind::from_slug(value).is_some() => {
                    params.kind = Some(value.to_owned())
                }
                "territoire" if crate::features::directory::is_slug(value) => {
                    params.territory = Some(value.to_owned())
                }
                "mois" if parse_month(value).is_some() => params.month = Some(value.to_owned()),
                "passes" => params.past = value == "1",
                "page" => params.page = value.parse().unwrap_or(1).clamp(1, 10_000),
                _ => {}
            }
        }
        params
    }

    /// The URL query of these parameters (without `?`), keys in a fixed order.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(kind) = &self.kind {
            pairs.push(("type", kind.clone()));
        }
        if let Some(territory) = &self.territory {
            pairs.push(("territoire", territory.clone()));
        }
        if let Some(month) = &self.month {
            pairs.push(("mois", month.clone()));
        }
        if self.past {
            pairs.push(("passes", "1".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::ui::href::encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn href(&self, path: &str) -> String {
        match self.to_query() {
            query if query.is_empty() => path.to_owned(),
            query => format!("{path}?{query}"),
        }
    }

    pub fn with_page(&self, page: u32) -> Self {
        ListParams {
            page,
            ..self.clone()
        }
    }

    /// The instants `[from, to)` of the chosen month in Europe/Paris.
    pub fn month_range(&self) -> Option<(Timestamp, Timestamp)> {
        let (year, month) = parse_month(self.month.as_deref()?)?;
        let first = Date::from_calendar_date(year, month, 1).ok()?;
        let next = if month == time::Month::December {
            Date::from_calendar_date(year + 1, time::Month::January, 1).ok()?
        } else {
            Date::from_calendar_date(year, month.next(), 1).ok()?
        };
        Some((
            paris_wall_clock(first, Time::MIDNIGHT),
            paris_wall_clock(next, Time::MIDNIGHT),
        ))
    }
}

fn parse_month(text: &str) -> Option<(i32, time::Month)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    Some((year, time::Month::try_from(month).ok()?))
}

/// The event by slug, as the viewer may see it: `NotFound` when it does not exist or is a
/// club's meeting and the member is not in the club, `Unauthorized` for a visitor when it
/// is for members only.
pub async fn visible_event(
    state: &AppState,
    slug: &str,
    user: Option<&CurrentUser>,
) -> Result<EventDetail, AppError> {
    let event = db::find(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    if event.visibility == Visibility::Members {
        if user.is_none() {
            return Err(AppError::Unauthorized);
        }
        if !db::may_see(&state.db, event.id, db::Audience::of(user)).await? {
            return Err(AppError::NotFound);
        }
    }
    Ok(event)
}

/// One page of events (upcoming or past) with the filters; members-only events for members.
#[server(endpoint = "evenements/liste")]
pub async fn list_events(params: ListParams) -> Result<EventList, AppError> {
    // Public list; members also see the members-only events.
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let now = crate::timestamp::Timestamp::now();
    let mut list = db::list(&state.db, &params, db::Audience::of(user.as_ref()), now).await?;
    if let Some(user) = &user {
        list.may_create = user.is_admin() || !organiser_choices(&state, user).await?.is_empty();
    }
    Ok(list)
}

/// The event's page: details, seats, and what the viewer may do.
#[server(endpoint = "evenements/fiche")]
pub async fn load_event(slug: String) -> Result<EventPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event = visible_event(&state, &slug, user.as_ref()).await?;
    let openness = event.openness(crate::timestamp::Timestamp::now());
    let (own, structures, may_manage) = match &user {
        Some(user) => (
            db::own_registration(&state.db, event.id, user.id).await?,
            crate::features::accounts::db::managed_structures(&state.db, user.id)
                .await?
                .into_iter()
                .map(|(id, _, name)| (id, name))
                .collect(),
            user.is_admin() || db::is_organiser(&state.db, user.id, event.id).await?,
        ),
        None => (None, Vec::new(), false),
    };
    Ok(EventPage {
        event,
        openness,
        member: user.map(|u| u.name),
        structures,
        own,
        may_manage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_params_read_and_write_the_url() {
        let params = ListParams::from_pairs([
            ("type", "salon"),
            ("territoire", "communaute-urbaine-de-dunkerque"),
            ("mois", "2026-11"),
            ("passes", "1"),
            ("page", "2"),
            ("type", "<script>"),
        ]);
        assert_eq!(params.kind.as_deref(), Some("salon"));
        assert!(params.past);
        assert_eq!(
            params.to_query(),
            "type=salon&territoire=communaute-urbaine-de-dunkerque&mois=2026-11&passes=1&page=2"
        );
        let bad = ListParams::from_pairs([("mois", "2026-13"), ("type", "fete"), ("page", "x")]);
        assert_eq!(
            bad,
            ListParams {
                page: 1,
                ..Default::default()
            }
        );
    }

    #[test]
    fn a_month_is_bounded_by_paris_midnights() {
        let params = ListParams::from_pairs([("mois", "2026-11")]);
        let (from, to) = params.month_range().unwrap();
        // 1 November 00:00 in Paris is 23:00 UTC the day before (winter time).
        assert_eq!(from.to_string(), "2026-10-31T23:00:00Z");
        assert_eq!(to.to_string(), "2026-11-30T23:00:00Z");
        let july = ListParams::from_pairs([("mois", "2026-07")])
            .month_range()
            .unwrap();
        assert_eq!(july.0.to_string(), "2026-06-30T22:00:00Z", "summer time");
    }
}
