//! The responsible-purchasing fair: stands, a buyer's meeting slots, booking a meeting with a
//! supplier. `slot_times` is the pure rule that cuts a range into slots (Paris time).

use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::purchasing::Buyer;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::now;
use crate::features::purchasing::rights::require_buyer;
use crate::features::purchasing::rights::structure_named;
use crate::timestamp::Timestamp;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A stand holder's meeting, or a buyer's, for the schedule of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub buyer: String,
    pub structure: String,
    pub structure_slug: String,
}

/// `/evenements/{slug}/rendez-vous`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fair {
    pub slug: String,
    pub title: String,
    pub starts_at: Timestamp,
    /// `(slot id, starts, ends, meetings booked)`.
    pub slots: Vec<(i64, Timestamp, Timestamp, i64)>,
    /// `(structure id, slug, name)`.
    pub stands: Vec<(i64, String, String)>,
    pub organiser: bool,
    pub buyer: Option<Buyer>,
    pub logged_in: bool,
    /// The person's meetings: as the buyer, and as a manager of stand holders.
    pub schedule: Vec<Meeting>,
    /// For a buyer: `(slot id, structure id)` already taken by someone (free ones are the rest).
    pub taken: Vec<(i64, i64)>,
    /// For a buyer: the slots at which they already have a meeting.
    pub busy: Vec<i64>,
}

/// The most meeting slots a fair opens in one go.
pub const MAX_SLOTS: usize = 60;

/// The meeting slots of a fair that starts at `day`: from `start` to `end` (`HH:MM`, Paris time),
/// every `minutes` (10 to 120); a last slot that would end after `end` is not opened.
pub fn slot_times(
    day: Timestamp,
    start: &str,
    end: &str,
    minutes: &str,
) -> Result<Vec<(Timestamp, Timestamp)>, AppError> {
    use crate::timestamp::{paris_wall_clock, parse_time};
    let mut errors = FieldErrors::default();
    let start = parse_time(start);
    let end = parse_time(end);
    if start.is_none() {
        errors.add(
            "start_time",
            "Indiquez l'heure du premier créneau (exemple : 10:00).",
        );
    }
    match (start, end) {
        (_, None) => errors.add("end_time", "Indiquez l'heure de fin (exemple : 17:00)."),
        (Some(start), Some(end)) if end <= start => {
            errors.add("end_time", "La fin doit suivre le début.")
        }
        _ => {}
    }
    let message = "La durée d'un créneau va de 10 à 120 minutes.";
    let length = errors.whole_number("minutes", minutes, 10..=120, message);
    if length.is_none() {
        errors.add("minutes", message);
    }
    let length = length.unwrap_or(0);
    let (Some(start), Some(end)) = (start, end) else {
        return Err(errors.finish(()).unwrap_err());
    };
    errors.finish(())?;
    let date = day.in_paris().date();
    let last = paris_wall_clock(date, end);
    let step = time::Duration::minutes(length);
    let mut slots = Vec::new();
    let mut at = paris_wall_clock(date, start);
    while at.plus(step) <= last {
        slots.push((at, at.plus(step)));
        at = at.plus(step);
        if slots.len() > MAX_SLOTS {
            return Err(AppError::validation(
                "minutes",
                format!(
                    "Cela ferait plus de {MAX_SLOTS} créneaux : allongez-les ou raccourcissez la plage."
                ),
            ));
        }
    }
    if slots.is_empty() {
        return Err(AppError::validation(
            "minutes",
            "La plage est plus courte qu'un créneau.",
        ));
    }
    Ok(slots)
}

/// `/evenements/{slug}/rendez-vous`: the fair's slots and stands, and the person's schedule.
#[server(endpoint = "achats/salon")]
pub async fn load_fair(slug: String) -> Result<Fair, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let event =
        crate::features::events::listing::visible_event(&state, &slug, user.as_ref()).await?;
    let organiser = match &user {
        Some(_) => crate::features::events::rights::require_organiser(&state, event.id)
            .await
            .is_ok(),
        None => false,
    };
    let buyer = match &user {
        Some(user) => super::db::buyer_of(&state.db, user.id).await?,
        None => None,
    };
    let schedule = match &user {
        Some(user) => super::db::schedule(&state.db, event.id, user.id).await?,
        None => Vec::new(),
    };
    let (taken, busy) = match &buyer {
        Some(buyer) => super::db::taken(&state.db, event.id, buyer.id).await?,
        None => (Vec::new(), Vec::new()),
    };
    Ok(Fair {
        slots: super::db::slots(&state.db, event.id).await?,
        stands: super::db::stands(&state.db, event.id).await?,
        slug: event.slug,
        title: event.title,
        starts_at: event.starts_at,
        organiser,
        buyer,
        logged_in: user.is_some(),
        schedule,
        taken,
        busy,
    })
}

/// The meeting slots an organiser opens, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotsForm {
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub minutes: String,
}

impl SlotsForm {
    /// The slots on the fair's `day` (see [`slot_times`]), or the fields' errors.
    pub fn validated(&self, day: Timestamp) -> Result<Vec<(Timestamp, Timestamp)>, AppError> {
        slot_times(day, &self.start_time, &self.end_time, &self.minutes)
    }
}

/// Opens meeting slots on the fair's day: from `start_time` to `end_time`, every `minutes`.
#[server(endpoint = "achats/salon/creneaux")]
pub async fn open_slots(
    slug: String,
    #[server(flatten)] form: SlotsForm,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, event_id) = crate::features::events::rights::organiser_of(&state, &slug).await?;
    let event = crate::features::events::db::find(&state.db, &slug)
        .await?
        .filter(|event| event.id == event_id)
        .ok_or(AppError::NotFound)?;
    let slots = form.validated(event.starts_at)?;
    super::db::open_slots(&state.db, event.id, &slots).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "creneaux",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(OpenSlots => "/evenements/{slug}/rendez-vous/creneaux");

/// A stand holder, as typed: a structure's name or the address of its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandForm {
    #[serde(default)]
    pub exposant: String,
}

impl StandForm {
    /// The name or address, trimmed, or the field's error.
    pub fn validated(self) -> Result<String, AppError> {
        let exposant = crate::text::check::one_line(&self.exposant);
        if exposant.is_empty() || crate::text::check::chars(&exposant) > 300 {
            return Err(AppError::validation(
                "exposant",
                "Indiquez le nom d'une structure de l'annuaire, ou l'adresse de sa fiche.",
            ));
        }
        Ok(exposant)
    }
}

/// Records a structure of the directory as holding a stand at the fair.
#[server(endpoint = "achats/salon/stands")]
pub async fn add_stand(slug: String, #[server(flatten)] form: StandForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (_, event_id) = crate::features::events::rights::organiser_of(&state, &slug).await?;
    let exposant = form.validated()?;
    let id = structure_named(&state, &exposant).await?.ok_or_else(|| {
        AppError::validation(
            "exposant",
            "Aucune structure publiée de l'annuaire ne porte ce nom : copiez l'adresse de sa fiche.",
        )
    })?;
    super::db::add_stand(&state.db, event_id, id).await?;
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "stand",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(AddStand => "/evenements/{slug}/rendez-vous/stands");

/// A buyer books a slot with a structure that holds a stand. Both get a mail with the calendar
/// file.
#[server(endpoint = "achats/salon/reserver")]
pub async fn book_meeting(slug: String, slot: i64, structure: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, buyer) = require_buyer(&state).await?;
    // Only an event the buyer may see: a members-only meeting is found by its audience only
    // (a stranger learns neither its title nor its place).
    let event = crate::features::events::listing::visible_event(&state, &slug, Some(&user)).await?;
    // The structure's managers are mailed because of the buyer: one mail of their budget.
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let meeting = super::db::book(
        &state.db,
        event.id,
        slot,
        buyer.id,
        structure,
        user.id,
        now(),
    )
    .await?;
    let base = &state.config.base_url;
    let url = format!("{base}/evenements/{slug}/rendez-vous");
    let calendar = super::mails::meeting_calendar(&meeting, &event, base);
    state
        .send_mail(super::mails::meeting_booked(
            &user.email,
            &user.name,
            &meeting,
            &event.title,
            &meeting.structure,
            &url,
            calendar.clone(),
        ))
        .await;
    // The structure reads the buyer's organisation as declared until a site admin confirmed it.
    let buyer_named = super::buyers::named(&meeting.buyer, buyer.confirmed);
    for (email, name) in super::db::structure_managers(&state.db, structure).await? {
        state
            .send_mail(super::mails::meeting_booked(
                &email,
                &name,
                &meeting,
                &event.title,
                &buyer_named,
                &url,
                calendar.clone(),
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/evenements/{slug}/rendez-vous"),
        "rendez-vous",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(BookMeeting => "/evenements/{slug}/rendez-vous");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_fill_the_range_in_paris_time() {
        let day: Timestamp = "2026-11-28T08:00:00Z".parse().unwrap();
        let slots = slot_times(day, "10:00", "17:00", "20").unwrap();
        assert_eq!(slots.len(), 21);
        // 10:00 in Paris in November is 09:00 UTC.
        assert_eq!(slots[0].0.to_string(), "2026-11-28T09:00:00Z");
        assert_eq!(slots[20].1.to_string(), "2026-11-28T16:00:00Z");
        assert!(slot_times(day, "10:00", "10:10", "20").is_err());
        assert!(slot_times(day, "12:00", "10:00", "20").is_err());
        assert!(slot_times(day, "08:00", "20:00", "10").is_err());
        assert!(slot_times(day, "10:00", "17:00", "5").is_err());
    }
}
