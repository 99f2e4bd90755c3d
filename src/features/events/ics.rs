//! Calendar files (RFC 5545): one event, or a feed of several. Times are written in
//! Europe/Paris with its VTIMEZONE, so calendars show the right hour on both sides of the
//! daylight-saving changes; UIDs are stable (the event's id and the site's host) and SEQUENCE
//! follows each change of the event.

use super::EventDetail;
use crate::timestamp::Timestamp;

const TIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// The MIME type of the files.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// A calendar of `events`, each with its page's address under `base_url`.
pub fn calendar(events: &[EventDetail], base_url: &str, name: &str) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DESSINE//Evenements de l'ESS//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    push_line(&mut out, "X-WR-TIMEZONE:Europe/Paris");
    out.push_str(TIMEZONE);
    let host = crate::config::host_of(base_url);
    for event in events {
        let url = format!("{base_url}/evenements/{}", event.slug);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:evenement-{}@{host}", event.id));
        push_line(&mut out, &format!("DTSTAMP:{}", utc(event.updated_at)));
        push_line(
            &mut out,
            &format!("LAST-MODIFIED:{}", utc(event.updated_at)),
        );
        push_line(&mut out, &format!("SEQUENCE:{}", event.sequence));
        push_line(
            &mut out,
            &format!("DTSTART;TZID=Europe/Paris:{}", paris(event.starts_at)),
        );
        push_line(
            &mut out,
            &format!("DTEND;TZID=Europe/Paris:{}", paris(event.ends_at)),
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape(&event.title)));
        let mut description = event.description.clone();
        for session in &event.sessions {
            description.push_str(&format!(
                "\n\n{} : {} – {}{}",
                session.title,
                hour(session.starts_at),
                hour(session.ends_at),
                if session.room.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", session.room)
                }
            ));
        }
        description.push_str(&format!("\n\n{url}"));
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape(description.trim())),
        );
        let location = address(event);
        let location = if location.is_empty() {
            event.online_url.clone()
        } else {
            location
        };
        if !location.is_empty() {
            push_line(&mut out, &format!("LOCATION:{}", escape(&location)));
        }
        if let (Some(lat), Some(lon)) = (event.latitude, event.longitude) {
            push_line(&mut out, &format!("GEO:{lat:.6};{lon:.6}"));
        }
        push_line(
            &mut out,
            &format!("CATEGORIES:{}", escape(event.kind.label())),
        );
        push_line(&mut out, &format!("URL:{url}"));
        push_line(&mut out, "STATUS:CONFIRMED");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// One appointment inside an event (a one-to-one meeting at a fair), as a calendar file of its
/// own. `uid` is stable (the meeting's id and the site's host), so that a calendar keeps one copy.
pub struct Appointment<'a> {
    pub uid: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub stamp: Timestamp,
    pub url: &'a str,
}

pub fn appointment(appointment: &Appointment<'_>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DESSINE//Rendez-vous d'affaires//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    out.push_str(TIMEZONE);
    push_line(&mut out, "BEGIN:VEVENT");
    push_line(&mut out, &format!("UID:{}", escape(appointment.uid)));
    push_line(&mut out, &format!("DTSTAMP:{}", utc(appointment.stamp)));
    push_line(
        &mut out,
        &format!("DTSTART;TZID=Europe/Paris:{}", paris(appointment.starts_at)),
    );
    push_line(
        &mut out,
        &format!("DTEND;TZID=Europe/Paris:{}", paris(appointment.ends_at)),
    );
    push_line(
        &mut out,
        &format!("SUMMARY:{}", escape(appointment.summary)),
    );
    push_line(
        &mut out,
        &format!("DESCRIPTION:{}", escape(appointment.description)),
    );
    if !appointment.location.is_empty() {
        push_line(
            &mut out,
            &format!("LOCATION:{}", escape(appointment.location)),
        );
    }
    push_line(&mut out, &format!("URL:{}", appointment.url));
    push_line(&mut out, "STATUS:CONFIRMED");
    push_line(&mut out, "END:VEVENT");
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// Whole days held by a booking (a shared room or vehicle), as a calendar file of its own:
/// `DTSTART;VALUE=DATE` on the first day, `DTEND` the day after the last (RFC 5545 §3.6.1).
pub struct Days<'a> {
    pub uid: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub first: time::Date,
    pub last: time::Date,
    pub stamp: Timestamp,
    pub url: &'a str,
}

pub fn days(days: &Days<'_>) -> String {
    let date = |d: time::Date| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day());
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DESSINE//Moyens partages//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("UID:{}", escape(days.uid)));
    push_line(&mut out, &format!("DTSTAMP:{}", utc(days.stamp)));
    push_line(
        &mut out,
        &format!("DTSTART;VALUE=DATE:{}", date(days.first)),
    );
    let end = days.last.next_day().unwrap_or(days.last);
    push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", date(end)));
    push_line(&mut out, &format!("SUMMARY:{}", escape(days.summary)));
    push_line(
        &mut out,
        &format!("DESCRIPTION:{}", escape(days.description)),
    );
    push_line(&mut out, &format!("URL:{}", days.url));
    push_line(&mut out, "TRANSP:OPAQUE");
    push_line(&mut out, "STATUS:CONFIRMED");
    push_line(&mut out, "END:VEVENT");
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// `20261128T083000Z`: the instant in UTC.
/// Where an event happens, in one line: « place, address, commune » (the parts it has).
pub fn address(event: &EventDetail) -> String {
    [
        event.place_name.as_str(),
        event.address.as_str(),
        event.commune.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

fn utc(at: Timestamp) -> String {
    format!("{}Z", compact(at.offset_date_time()))
}

/// Local wall-clock time in Paris, for `TZID=Europe/Paris`.
fn paris(at: Timestamp) -> String {
    compact(at.in_paris())
}

fn compact(t: time::OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn hour(at: Timestamp) -> String {
    let t = at.in_paris();
    format!("{}h{:02}", t.hour(), t.minute())
}

/// TEXT escaping (RFC 5545 §3.3.11); control characters other than the line feed are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), ended by CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_end_the_day_after_the_last() {
        let file = days(&Days {
            uid: "reservation-7@dessine.example",
            summary: "Salle ; 30 places, avec écran",
            description: "Prêtée par A\nà B",
            first: time::macros::date!(2027 - 02 - 27),
            last: time::macros::date!(2027 - 02 - 28),
            stamp: Timestamp::from_unix(1_800_000_000).unwrap(),
            url: "https://dessine.example/moyens/1",
        });
        assert!(file.contains("DTSTART;VALUE=DATE:20270227\r\n"));
        assert!(file.contains("DTEND;VALUE=DATE:20270301\r\n"), "{file}");
        assert!(file.contains("SUMMARY:Salle \\; 30 places\\, avec écran\r\n"));
        assert!(file.starts_with("BEGIN:VCALENDAR\r\n") && file.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push_line(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a;b,c\\d\ne\u{7}"), "a\\;b\\,c\\\\d\\ne");
    }
}
