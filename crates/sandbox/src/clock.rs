//! The portal's clock: Unix seconds for tokens, ISO 8601 for the times REST answers carry, and
//! ISO 8601 read back as instants, so filters compare times written with different offsets.

pub fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The current time as ISO 8601 in UTC, as workflows and timeline comments show it.
pub fn iso_now() -> String {
    iso_at(now_unix() as i64)
}

/// Unix seconds as ISO 8601 in UTC (`2026-11-28T06:09:15+00:00`). The sandbox stamps only times
/// of its own clock; one outside years 1..=9999, which no portal prints, is pinned to the nearer
/// end of that range, so a stamp is always a date.
pub fn iso_at(secs: i64) -> String {
    use rulekit_model::dates::{self, FIRST_UNIX_DAY, LAST_UNIX_DAY};
    let secs = secs.clamp(FIRST_UNIX_DAY * 86_400, LAST_UNIX_DAY * 86_400 + 86_399);
    let date = dates::from_unix_days(secs.div_euclid(86_400)).map(dates::portal_date).unwrap_or_default();
    let rem = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}+00:00", rem / 3600, rem % 3600 / 60, rem % 60)
}

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// ISO 8601 as Unix seconds: `YYYY-MM-DD`, with `THH:MM[:SS[.fff]]` (or a space) and an offset
/// (`Z`, `+03:00`, `+0300`); without an offset the time is read as UTC. `None` for anything else.
pub fn parse_instant(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, time) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (digits(parts.next()?)?, digits(parts.next()?)?, digits(parts.next()?)?);
    // Years past 9999 are no date a portal writes, and would overflow `days_from_civil`.
    if parts.next().is_some() || !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let mut hms = clock.split(':').filter(|_| !clock.is_empty());
    let h = hms.next().map_or(Some(0), digits)?;
    let min = hms.next().map_or(Some(0), digits)?;
    let sec = hms.next().map_or(Some(0), |s| digits(s.split('.').next().unwrap_or(s)))?;
    if hms.next().is_some() || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    let off = match offset {
        "" | "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let body = o[1..].replace(':', "");
            // Four ASCII digits, checked before slicing: `+1é2` is four bytes too.
            if body.len() != 4 || !body.is_ascii() {
                return None;
            }
            sign * (digits(&body[..2])? * 3600 + digits(&body[2..])? * 60)
        }
    };
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + sec - off)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_back_with_any_offset() {
        assert_eq!(parse_instant("1970-01-01T00:00:00+00:00"), Some(0));
        assert_eq!(parse_instant("2025-01-01T03:00:00+03:00"), parse_instant("2025-01-01T00:00:00Z"));
        assert_eq!(parse_instant("2025-01-01"), parse_instant("2025-01-01T00:00:00+0000"));
        assert_eq!(parse_instant(&iso_at(1_764_300_000)), Some(1_764_300_000));
        assert_eq!(parse_instant("2024-02-29T12:30:05.123-01:30"), Some(1_709_209_805 + 5400));
        for bad in ["", "yesterday", "2025-13-01", "2025-01-01T25:00", "2025-01-01T00:00:00+3", "01.02.2025"] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn extreme_instants_neither_panic_nor_overflow() {
        for bad in ["9223372036854775807-01-01", "10000-01-01", "0-01-01", "99999999999999999999-01-01", "2025-01-01T00:00:00+1é2",
            "2025-01-01T00:00:00+é12", "2025-01-01T99999999999999999999:00"] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
        assert_eq!(parse_instant(&iso_at(0)), Some(0));
        assert_eq!(iso_at(i64::MAX), "9999-12-31T23:59:59+00:00", "pinned to the last second a portal writes");
        assert_eq!(iso_at(i64::MIN), "0001-01-01T00:00:00+00:00");
        assert_eq!(parse_instant("9999-12-31T23:59:59Z"), parse_instant(&iso_at(i64::MAX)));
    }
}
