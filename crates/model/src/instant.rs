//! Instants: the portal's ISO 8601 date-times with an offset (`2025-03-01T09:00:00+03:00`), as UTC
//! milliseconds since 1970, so that two values written in different time zones compare correctly.
//! A value without an offset names no instant (the portal's own zone is unknown here): it is not
//! read, so a filter never matches on a guess.

use crate::dates::{self, Civil};

const DAY_MS: i64 = 86_400_000;

/// Days from 1970-01-01 to a calendar date (Howard Hinnant's days-from-civil; the inverse of
/// `dates::from_unix_days`).
pub fn unix_days(c: Civil) -> i64 {
    let (m, d) = (i64::from(c.month), i64::from(c.day));
    let y = i64::from(c.year) - i64::from(c.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight UTC of a calendar date, in milliseconds. Saturates rather than overflows for a
/// hand-made `Civil` with a year far beyond what `dates::parse` reads.
pub fn day_start_ms(c: Civil) -> i64 {
    unix_days(c).saturating_mul(DAY_MS)
}

/// The offset at the end of a date-time (`Z`, `+03:00`, `-0500`, `+03`), in minutes east of UTC,
/// and the text before it.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    if let Some(rest) = t.strip_suffix(['Z', 'z']) {
        return Some((rest, 0));
    }
    // The sign must come after the time separator, so a date's own dashes are not taken for it.
    let time_at = t.find(['T', 't', ' '])?;
    let sign_at = time_at + t[time_at..].rfind(['+', '-'])?;
    let (head, offset) = t.split_at(sign_at);
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    if hours > 14 || minutes > 59 {
        return None;
    }
    let east = hours * 60 + minutes;
    Some((head.trim_end(), if offset.starts_with('-') { -east } else { east }))
}

/// Reads an ISO 8601 date-time with an offset into UTC milliseconds. Fractions of a second are
/// read; anything else (no offset, no time, not a date) is `None`.
pub fn parse_ms(text: &str) -> Option<i64> {
    let (local, east_minutes) = split_offset(text.trim())?;
    let (whole, millis) = match local.split_once('.') {
        Some((w, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => {
            let ms: String = frac.chars().chain("000".chars()).take(3).collect();
            (w, ms.parse::<i64>().ok()?)
        }
        Some(_) => return None,
        None => (local, 0),
    };
    let c = dates::parse(whole)?;
    let (h, m, s) = c.time?;
    let local_ms = day_start_ms(c) + (i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s)) * 1000 + millis;
    Some(local_ms - east_minutes * 60_000)
}

/// Writes UTC milliseconds as `YYYY-MM-DDTHH:MM:SS+00:00`, the form the portal's filters take.
/// `None` outside years 1..=9999, which that form cannot write (see `dates::from_unix_days`).
pub fn iso_utc(ms: i64) -> Option<String> {
    let day = dates::from_unix_days(ms.div_euclid(DAY_MS))?;
    let secs = ms.rem_euclid(DAY_MS) / 1000;
    Some(format!("{}T{:02}:{:02}:{:02}+00:00", dates::portal_date(day), secs / 3600, secs / 60 % 60, secs % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_both_ways() {
        for days in [-1_000, 0, 59, 19_782, 20_419, 40_000] {
            assert_eq!(dates::from_unix_days(days).map(unix_days), Some(days));
        }
        for days in [dates::FIRST_UNIX_DAY, dates::LAST_UNIX_DAY] {
            assert_eq!(dates::from_unix_days(days).map(unix_days), Some(days), "the range ends are what they say");
        }
        assert_eq!(unix_days(dates::parse("2024-02-29").unwrap()), 19_782);
    }

    #[test]
    fn offsets_are_folded_into_one_instant() {
        let utc = parse_ms("2025-03-01T06:00:00+00:00").unwrap();
        assert_eq!(parse_ms("2025-03-01T09:00:00+03:00"), Some(utc));
        assert_eq!(parse_ms("2025-03-01T06:00:00Z"), Some(utc));
        assert_eq!(parse_ms("2025-03-01T01:00:00-0500"), Some(utc));
        assert_eq!(parse_ms("2025-03-01T09:00:00+03"), Some(utc));
        assert_eq!(parse_ms("2025-03-01T06:00:00.250Z"), Some(utc + 250));
        assert_eq!(parse_ms("2025-03-01 09:00:00 +03:00"), Some(utc));
        assert_eq!(iso_utc(utc).as_deref(), Some("2025-03-01T06:00:00+00:00"));
    }

    #[test]
    fn instants_outside_years_1_to_9999_are_not_written_and_nothing_overflows() {
        let last = day_start_ms(dates::parse("9999-12-31").unwrap());
        assert_eq!(iso_utc(last + DAY_MS - 1).as_deref(), Some("9999-12-31T23:59:59+00:00"));
        assert_eq!(iso_utc(day_start_ms(dates::parse("0001-01-01").unwrap())).as_deref(), Some("0001-01-01T00:00:00+00:00"));
        for ms in [last + DAY_MS, i64::MAX, i64::MIN, i64::MIN + 1, -1_000_000_000 * DAY_MS] {
            assert_eq!(iso_utc(ms), None, "{ms}");
        }
        let far = Civil { year: u32::MAX, month: 12, day: 31, time: None };
        assert_eq!(day_start_ms(far), i64::MAX, "a hand-made year saturates");
        assert_eq!(parse_ms("9999-12-31T23:59:59.999-14:00"), Some(last + DAY_MS - 1 + 14 * 3_600_000));
        assert_eq!(parse_ms("0001-01-01T00:00:00+14:00"), Some(day_start_ms(dates::parse("0001-01-01").unwrap()) - 14 * 3_600_000));
        for bad in ["99999999999-01-01T00:00:00Z", "2025-03-01T09:00:00+99999999999", "2025-03-01T09:00:00.99999999999999999999Z"] {
            assert!(parse_ms(bad).is_none_or(|ms| iso_utc(ms).is_some()), "{bad}");
        }
    }

    #[test]
    fn values_without_an_offset_name_no_instant() {
        for bad in ["2025-03-01T09:00:00", "2025-03-01", "2025-03-01T09:00:00+3:00", "2025-03-01T25:00:00Z", "soon", "", "2025-03-01T09:00:00.Z"] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }
}
