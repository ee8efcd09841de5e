//! Calendar months in Europe/Paris, and the periods dashboards cover.

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// A calendar month, as French people count them (Europe/Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i16,
    month: i8,
}

/// A month that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mois invalide « {0} » (attendu AAAA-MM) / invalid month '{0}' (expected YYYY-MM)")]
pub struct MonthError(pub String);

const MONTHS_EN: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

impl Month {
    /// The month `at` falls in, in Europe/Paris.
    pub fn of(at: Timestamp) -> Self {
        let date = at.to_zoned(paris()).date();
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Reads `2026-03`.
    pub fn parse(input: &str) -> Result<Self, MonthError> {
        let bad = || MonthError(input.to_owned());
        let (y, m) = input.trim().split_once('-').ok_or_else(bad)?;
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        if y.len() != 4
            || m.len() != 2
            || !(2000..=2200).contains(&year)
            || !(1..=12).contains(&month)
        {
            return Err(bad());
        }
        Ok(Self { year, month })
    }

    /// The calendar year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `n` months earlier.
    pub fn minus(self, n: i32) -> Self {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 - n;
        Self {
            year: (index.div_euclid(12)) as i16,
            month: (index.rem_euclid(12) + 1) as i8,
        }
    }

    /// Midnight on the 1st, Paris time.
    pub fn start(self) -> Timestamp {
        Date::new(self.year, self.month, 1)
            .ok()
            .and_then(|d| d.to_zoned(paris()).ok())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// "mars 2026".
    pub fn label_fr(self) -> String {
        format!("{} {}", MONTHS_FR[(self.month - 1) as usize], self.year)
    }

    /// "March 2026".
    pub fn label_en(self) -> String {
        format!("{} {}", MONTHS_EN[(self.month - 1) as usize], self.year)
    }

    /// "03/26": short enough for a chart's axis on a phone.
    pub fn short(self) -> String {
        format!("{:02}/{:02}", self.month, self.year.rem_euclid(100))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The months a dashboard covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first month.
    pub from: Month,
    /// The last month.
    pub to: Month,
}

impl Period {
    /// The twelve months ending with the one `now` falls in.
    pub fn last_year(now: Timestamp) -> Self {
        let to = Month::of(now);
        Self {
            from: to.minus(11),
            to,
        }
    }

    /// A period from two months; refuses one that ends before it starts or
    /// spans more than ten years.
    pub fn new(from: Month, to: Month) -> Result<Self, MonthError> {
        if to < from || to.minus(120) > from {
            return Err(MonthError(format!("{from} → {to}")));
        }
        Ok(Self { from, to })
    }

    /// Every month of the period, in order.
    pub fn months(self) -> Vec<Month> {
        let mut months = vec![self.from];
        let mut m = self.from;
        while m < self.to {
            m = m.next();
            months.push(m);
        }
        months
    }

    /// The instant the period starts (inclusive).
    pub fn start(self) -> Timestamp {
        self.from.start()
    }

    /// The instant the period ends (exclusive).
    pub fn end(self) -> Timestamp {
        self.to.next().start()
    }
}
