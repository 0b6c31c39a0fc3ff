//! Calendar dates for `x-sunset` and ignore-file expiries: parsed from `YYYY-MM-DD` (or the date
//! part of an RFC 3339 timestamp), compared as days since 1970-01-01. No time zones: a sunset
//! day is a day.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// `2025-06-30`, or `2025-06-30T12:00:00Z` (the time is ignored).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let day_part = text.get(..10)?;
        let rest = &text[10..];
        if !(rest.is_empty()
            || rest.starts_with('T')
            || rest.starts_with('t')
            || rest.starts_with(' '))
        {
            return None;
        }
        let bytes = day_part.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |s: &str| -> Option<i64> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let year = number(&day_part[..4])?;
        let month = number(&day_part[5..7])?;
        let day = number(&day_part[8..10])?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The current UTC date.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date {
            days: i64::try_from(secs / 86_400).unwrap_or(0),
        }
    }

    pub fn plus_days(self, days: u32) -> Date {
        Date {
            days: self.days + i64::from(days),
        }
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.days - self.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// An `x-sunset` as read against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sunset {
    /// No `x-sunset`.
    Absent,
    /// Not a date.
    Invalid,
    /// Today or earlier: the thing may go.
    Passed(Date),
    /// Later than today.
    Ahead(Date),
}

impl Sunset {
    pub(crate) fn read(text: Option<&str>, today: Date) -> Sunset {
        match text {
            None => Sunset::Absent,
            Some(t) => match Date::parse(t) {
                None => Sunset::Invalid,
                Some(d) if d <= today => Sunset::Passed(d),
                Some(d) => Sunset::Ahead(d),
            },
        }
    }
}

/// The rank of an `x-stability-level` (none means stable); `None` for an unknown level.
pub(crate) fn stability_rank(level: Option<&str>) -> Option<u8> {
    match level.unwrap_or("stable") {
        "draft" => Some(0),
        "alpha" => Some(1),
        "beta" => Some(2),
        "stable" => Some(3),
        _ => None,
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's civil-date algorithms (public domain).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for text in ["1970-01-01", "2000-02-29", "2024-12-31", "2099-06-15"] {
            assert_eq!(
                Date::parse(text).map(|d| d.to_string()).as_deref(),
                Some(text)
            );
        }
        assert_eq!(
            Date::parse("2023-05-01T10:00:00Z"),
            Date::parse("2023-05-01")
        );
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "23-01-01",
            "2023-1-01",
            "soon",
            "2023-01-01x",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        let a = Date::parse("2024-02-28").unwrap();
        assert_eq!(a.plus_days(2).to_string(), "2024-03-01");
        assert_eq!(a.days_until(Date::parse("2024-03-01").unwrap()), 2);
    }
}
