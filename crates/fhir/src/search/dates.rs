//! FHIR dates as spans of time. A value's precision is a span: `2026` is
//! the whole year, `2026-11-23` the day, `…T08:00:00Z` that second. Times
//! without an offset, and plain dates, are French local time (Europe/Paris).

use jiff::{
    Timestamp, ToSpan,
    civil::{Date, DateTime, Time},
    tz::{Offset, TimeZone},
};

/// The half-open span `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpan {
    /// First instant in it.
    pub start: Timestamp,
    /// First instant after it.
    pub end: Timestamp,
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

fn number<T: std::str::FromStr>(text: &str, digits: usize) -> Option<T> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Splits `hh:mm[:ss[.f]]` from its offset (`Z`, `+hh:mm`, `-hh:mm`; a `+`
/// decoded from a URL as a space counts too).
fn split_offset(time: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, Some(Offset::UTC)));
    }
    let Some(at) = time.rfind(['+', '-', ' ']) else {
        return Some((time, None));
    };
    let (clock, zone) = time.split_at(at);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let (hours, minutes) = zone[1..].split_once(':')?;
    let seconds = number::<i32>(hours, 2)? * 3600 + number::<i32>(minutes, 2)? * 60;
    Some((clock, Some(Offset::from_seconds(sign * seconds).ok()?)))
}

fn at(datetime: DateTime, offset: Option<Offset>) -> Option<Timestamp> {
    match offset {
        Some(offset) => offset.to_timestamp(datetime).ok(),
        None => datetime.to_zoned(paris()).ok().map(|z| z.timestamp()),
    }
}

/// Parses a FHIR date, dateTime or instant of any precision.
pub fn parse_span(text: &str) -> Option<TimeSpan> {
    let text = text.trim();
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i16 = number(parts.next()?, 4)?;
    let month: Option<i8> = match parts.next() {
        Some(m) => Some(number(m, 2)?),
        None => None,
    };
    let day: Option<i8> = match parts.next() {
        Some(d) => Some(number(d, 2)?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    let Some(time) = time else {
        let (first, next) = match (month, day) {
            (None, None) => {
                let first = Date::new(year, 1, 1).ok()?;
                (first, first.checked_add(1.year()).ok()?)
            }
            (Some(month), None) => {
                let first = Date::new(year, month, 1).ok()?;
                (first, first.checked_add(1.month()).ok()?)
            }
            (Some(month), Some(day)) => {
                let first = Date::new(year, month, day).ok()?;
                (first, first.checked_add(1.day()).ok()?)
            }
            (None, Some(_)) => return None,
        };
        return Some(TimeSpan {
            start: at(first.to_datetime(Time::midnight()), None)?,
            end: at(next.to_datetime(Time::midnight()), None)?,
        });
    };
    let day = Date::new(year, month?, day?).ok()?;
    let (clock, offset) = split_offset(time)?;
    let mut fields = clock.split(':');
    let hour: i8 = number(fields.next()?, 2)?;
    let minute: i8 = number(fields.next()?, 2)?;
    let (second, fraction) = match fields.next() {
        Some(seconds) => match seconds.split_once('.') {
            Some((whole, fraction)) => (Some(number::<i8>(whole, 2)?), Some(fraction)),
            None => (Some(number::<i8>(seconds, 2)?), None),
        },
        None => (None, None),
    };
    if fields.next().is_some() {
        return None;
    }
    let nanos: i32 = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    let start = at(
        day.to_datetime(Time::new(hour, minute, second.unwrap_or(0), nanos).ok()?),
        offset,
    )?;
    let width = match (second, fraction) {
        (None, _) => jiff::SignedDuration::from_mins(1),
        (Some(_), None) => jiff::SignedDuration::from_secs(1),
        (Some(_), Some(f)) => {
            jiff::SignedDuration::from_nanos(10_i64.pow(9 - u32::try_from(f.len()).ok()?))
        }
    };
    Some(TimeSpan {
        start,
        end: start.checked_add(width).ok()?,
    })
}

impl TimeSpan {
    /// Every instant there is (an open-ended Period).
    pub const ALL: Self = Self {
        start: Timestamp::MIN,
        end: Timestamp::MAX,
    };

    /// True when the two spans share an instant.
    pub fn overlaps(&self, other: &Self) -> bool {
        self.start < other.end && other.start < self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn precision_makes_the_span() {
        let day = parse_span("2026-11-23").unwrap();
        assert_eq!(
            day.start,
            ts("2026-11-22T23:00:00Z"),
            "midnight in Paris (winter)"
        );
        assert_eq!(day.end, ts("2026-11-23T23:00:00Z"));
        let summer = parse_span("2026-07-14").unwrap();
        assert_eq!(summer.start, ts("2026-07-13T22:00:00Z"));
        let year = parse_span("2026").unwrap();
        assert_eq!(year.end, ts("2026-12-31T23:00:00Z"));
        let month = parse_span("2026-02").unwrap();
        assert_eq!(month.end, ts("2026-02-28T23:00:00Z"));
        let second = parse_span("2026-11-23T08:00:00Z").unwrap();
        assert_eq!(
            (second.start, second.end),
            (ts("2026-11-23T08:00:00Z"), ts("2026-11-23T08:00:01Z"))
        );
        let minute = parse_span("2026-11-23T09:00+01:00").unwrap();
        assert_eq!(
            (minute.start, minute.end),
            (ts("2026-11-23T08:00:00Z"), ts("2026-11-23T08:01:00Z"))
        );
        let url_plus = parse_span("2026-11-23T09:00:00 01:00").unwrap();
        assert_eq!(url_plus.start, ts("2026-11-23T08:00:00Z"));
        let micro = parse_span("2026-11-23T08:00:00.000001Z").unwrap();
        assert_eq!(
            micro.end.as_nanosecond() - micro.start.as_nanosecond(),
            1000
        );
        let local = parse_span("2026-11-23T09:00:00").unwrap();
        assert_eq!(
            local.start,
            ts("2026-11-23T08:00:00Z"),
            "local time is Paris time"
        );
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in [
            "",
            "26",
            "2026-13",
            "2026-11-31",
            "2026-11-23T25:00",
            "2026-11-23T08",
            "demain",
            "2026-11-23T08:00:00.Z",
            "2026--01",
        ] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }
}
