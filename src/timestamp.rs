//! The one timestamp type: an instant, stored as RFC 3339 text in UTC on both databases (which
//! sorts as text), and shown in Europe/Paris by one French formatter.
//!
//! Europe/Paris follows the European Union rule (since 1996): summer time (UTC+2) from the last
//! Sunday of March at 01:00 UTC to the last Sunday of October at 01:00 UTC, UTC+1 otherwise.
//! The rule is written here rather than read from a time-zone database, so that display is the
//! same on every machine; a test pins both changes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `HH:MM` (or `HH:MM:SS`, which some browsers send).
pub fn parse_time(text: &str) -> Option<Time> {
    let mut parts = text.trim().split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    Time::from_hms(hour, minute, 0).ok()
}

/// An instant, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now, to the second.
    pub fn now() -> Self {
        Timestamp::from_offset(OffsetDateTime::now_utc())
    }

    pub fn from_offset(at: OffsetDateTime) -> Self {
        let utc = at.to_offset(UtcOffset::UTC);
        Timestamp(utc.replace_nanosecond(0).unwrap_or(utc))
    }

    pub fn from_unix(seconds: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .map(Timestamp)
    }

    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }

    pub fn offset_date_time(self) -> OffsetDateTime {
        self.0
    }

    /// This instant plus `duration` (saturating at the calendar's ends).
    pub fn plus(self, duration: time::Duration) -> Self {
        Timestamp(self.0.saturating_add(duration))
    }

    /// The wall-clock time in Europe/Paris.
    pub fn in_paris(self) -> OffsetDateTime {
        self.0.to_offset(paris_offset(self.0))
    }

    /// « samedi 28 novembre 2026 à 9 h 30 » (Europe/Paris).
    pub fn french_date_time(self) -> String {
        let local = self.in_paris();
        let minutes = match local.minute() {
            0 => String::new(),
            m => format!(" {m:02}"),
        };
        format!(
            "{} à {} h{minutes}",
            french_date_of(local, true),
            local.hour()
        )
    }

    /// « 28 novembre 2026 » (Europe/Paris).
    pub fn french_date(self) -> String {
        french_date_of(self.in_paris(), false)
    }

    /// `2026-11-28`, for `<time datetime>` and feeds that want a date.
    pub fn iso_date(self) -> String {
        iso_day(self.in_paris().date())
    }
}

/// The stored text: `2026-11-28T08:30:00Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("horodatage illisible : {0}")]
pub struct BadTimestamp(String);

impl FromStr for Timestamp {
    type Err = BadTimestamp;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        OffsetDateTime::parse(text.trim(), &Rfc3339)
            .map(Timestamp::from_offset)
            .map_err(|_| BadTimestamp(text.chars().take(40).collect()))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = BadTimestamp;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Timestamp> for String {
    fn from(at: Timestamp) -> String {
        at.to_string()
    }
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A day as the database stores it: `2026-12-07`.
pub fn iso_day(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Today's date in Europe/Paris.
pub fn paris_today() -> Date {
    Timestamp::now().in_paris().date()
}

/// « 7 décembre 2026 » for a stored day `2026-12-07`; the text itself when it is no date.
pub fn french_day(text: &str) -> String {
    parse_date(text)
        .and_then(|day| day.with_hms(12, 0, 0).ok())
        .map_or_else(
            || text.to_owned(),
            |noon| french_date_of(noon.assume_utc(), false),
        )
}

fn french_date_of(local: OffsetDateTime, with_weekday: bool) -> String {
    let day = match local.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    let month = MONTHS[usize::from(u8::from(local.month())) - 1];
    let date = format!("{day} {month} {}", local.year());
    if with_weekday {
        let weekday = WEEKDAYS[usize::from(local.weekday().number_days_from_monday())];
        format!("{weekday} {date}")
    } else {
        date
    }
}

/// The last Sunday of `month` in `year`, at 01:00 UTC: when Europe/Paris changes its clocks.
fn last_sunday_0100_utc(year: i32, month: Month) -> Option<OffsetDateTime> {
    let last_day = time::util::days_in_month(month, year);
    let mut date = Date::from_calendar_date(year, month, last_day).ok()?;
    while date.weekday() != Weekday::Sunday {
        date = date.previous_day()?;
    }
    Some(PrimitiveDateTime::new(date, Time::from_hms(1, 0, 0).ok()?).assume_utc())
}

/// UTC+2 in summer time, UTC+1 otherwise.
fn paris_offset(utc: OffsetDateTime) -> UtcOffset {
    let year = utc.year();
    let summer = match (
        last_sunday_0100_utc(year, Month::March),
        last_sunday_0100_utc(year, Month::October),
    ) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    let hours = if summer { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The instant of a wall-clock time in Europe/Paris. In the hour that does not exist (spring
/// forward) the later offset is used; in the hour that happens twice (fall back), the first.
pub fn paris_wall_clock(date: Date, time_of_day: Time) -> Timestamp {
    let naive = PrimitiveDateTime::new(date, time_of_day);
    for hours in [2, 1] {
        let offset = UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC);
        let candidate = naive.assume_offset(offset);
        if paris_offset(candidate.to_offset(UtcOffset::UTC)) == offset {
            return Timestamp::from_offset(candidate);
        }
    }
    Timestamp::from_offset(
        naive.assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC)),
    )
}

#[cfg(feature = "ssr")]
mod sql {
    //! Stored as text on both databases, through sqlx's `Any` driver.
    use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Decode, Encode, Type};

    use super::Timestamp;

    impl Type<Any> for Timestamp {
        fn type_info() -> AnyTypeInfo {
            <String as Type<Any>>::type_info()
        }
        fn compatible(ty: &AnyTypeInfo) -> bool {
            <String as Type<Any>>::compatible(ty)
        }
    }

    impl<'r> Decode<'r, Any> for Timestamp {
        fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
            let text = <String as Decode<'r, Any>>::decode(value)?;
            Ok(text.parse()?)
        }
    }

    impl<'q> Encode<'q, Any> for Timestamp {
        fn encode_by_ref(
            &self,
            buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
        ) -> Result<IsNull, BoxDynError> {
            <String as Encode<'q, Any>>::encode(self.to_string(), buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn stored_days_read_in_french() {
        assert_eq!(french_day("2026-12-07"), "7 décembre 2026");
        assert_eq!(french_day("2027-03-01"), "1er mars 2027");
        assert_eq!(french_day("demain"), "demain");
    }

    #[test]
    fn stored_text_round_trips_in_utc() {
        let t = at("2026-11-28T09:30:00+01:00");
        assert_eq!(t.to_string(), "2026-11-28T08:30:00Z");
        assert_eq!(at(&t.to_string()), t);
        assert!("28/11/2026".parse::<Timestamp>().is_err());
    }

    #[test]
    fn french_formatting_in_paris_time() {
        assert_eq!(
            at("2026-11-28T08:30:00Z").french_date_time(),
            "samedi 28 novembre 2026 à 9 h 30"
        );
        assert_eq!(
            at("2026-07-01T08:00:00Z").french_date_time(),
            "mercredi 1er juillet 2026 à 10 h"
        );
        assert_eq!(at("2026-03-09T23:30:00Z").french_date(), "10 mars 2026");
    }

    #[test]
    fn daylight_saving_changes_follow_the_eu_rule() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(at("2026-03-29T00:59:59Z").in_paris().hour(), 1);
        assert_eq!(at("2026-03-29T01:00:00Z").in_paris().hour(), 3);
        assert_eq!(at("2026-10-25T00:59:59Z").in_paris().hour(), 2);
        assert_eq!(at("2026-10-25T01:00:00Z").in_paris().hour(), 2);
        assert_eq!(
            at("2026-10-25T01:00:00Z").in_paris().offset().whole_hours(),
            1
        );
    }

    #[test]
    fn wall_clock_times_become_instants() {
        let date = Date::from_calendar_date(2026, Month::November, 28).unwrap();
        let t = paris_wall_clock(date, Time::from_hms(9, 30, 0).unwrap());
        assert_eq!(t.to_string(), "2026-11-28T08:30:00Z");
        let summer = Date::from_calendar_date(2026, Month::June, 2).unwrap();
        let t = paris_wall_clock(summer, Time::from_hms(9, 30, 0).unwrap());
        assert_eq!(t.to_string(), "2026-06-02T07:30:00Z");
    }

    #[test]
    fn serde_uses_the_stored_text() {
        let t = at("2026-11-28T08:30:00Z");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2026-11-28T08:30:00Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }
}
