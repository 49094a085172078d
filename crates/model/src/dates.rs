//! Date and date-time values.
//!
//! The platform does not document which format it wants back in a date property. rulekit's choice, pinned by the
//! tests below: a date chosen with the picker is written as ISO 8601, `YYYY-MM-DD`, and a date-time as
//! `YYYY-MM-DD HH:MM:SS`. Both are what the portal's own `Type\DateTime` prints in its neutral format
//! and what PHP's `strtotime` reads, and unlike culture formats they cannot be misread (`01/02/2026` is
//! January on a US portal and February on a British one). A value typed by hand, or saved by the
//! portal in its culture format (`27.11.2026`, `11/27/2026 10:00 am`), is kept exactly as it is,
//! and a date picked for a field that already holds such a value is written in that same format, so
//! the portal's format is kept wherever rulekit can see it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    /// Hour, minute, second when a time was given.
    pub time: Option<(u32, u32, u32)>,
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    let ok = (min_len..=max_len).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

fn date_part(s: &str) -> Option<(u32, u32, u32)> {
    let (y, m, d) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (num(y, 4, 4)?, num(m, 1, 2)?, num(d, 1, 2)?)
    } else if let Some((d, rest)) = s.split_once('.') {
        let (m, y) = rest.split_once('.')?;
        (num(y, 4, 4)?, num(m, 1, 2)?, num(d, 1, 2)?)
    } else {
        // US order, as an English portal writes it.
        let (m, rest) = s.split_once('/')?;
        let (d, y) = rest.split_once('/')?;
        (num(y, 4, 4)?, num(m, 1, 2)?, num(d, 1, 2)?)
    };
    (y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

fn time_part(s: &str) -> Option<(u32, u32, u32)> {
    let lower = s.trim().to_ascii_lowercase();
    let (clock, meridiem) = match lower.strip_suffix("am").or_else(|| lower.strip_suffix("pm")) {
        Some(c) => (c.trim().to_string(), Some(lower.ends_with("pm"))),
        None => (lower.clone(), None),
    };
    let mut parts = clock.split(':');
    let h = num(parts.next()?, 1, 2)?;
    let m = num(parts.next()?, 2, 2)?;
    let sec = match parts.next() {
        Some(x) => num(x, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() || m > 59 || sec > 59 {
        return None;
    }
    let h = match meridiem {
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        Some(_) => return None,
        None if h <= 23 => h,
        None => return None,
    };
    Some((h, m, sec))
}

/// Reads a date, with or without a time, in ISO, German/Russian (`DD.MM.YYYY`) or US
/// (`MM/DD/YYYY`, optional am/pm) form.
pub fn parse(text: &str) -> Option<Civil> {
    let t = text.trim();
    let (date, time) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (year, month, day) = date_part(date)?;
    let time = match time {
        Some(s) => Some(time_part(s)?),
        None => None,
    };
    Some(Civil { year, month, day, time })
}

/// The first and last day `from_unix_days` answers for, counted from 1970-01-01: 0001-01-01 and
/// 9999-12-31. Those are the years a four-digit year field holds, so every date in range is one
/// the portal's formats (and `parse`) can show; beyond them the arithmetic would overflow or give
/// years no one can read.
pub const FIRST_UNIX_DAY: i64 = -719_162;
pub const LAST_UNIX_DAY: i64 = 2_932_896;

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's civil-from-days), for
/// servers that stamp dates without a date library. `None` outside years 1..=9999
/// (`FIRST_UNIX_DAY..=LAST_UNIX_DAY`).
pub fn from_unix_days(days: i64) -> Option<Civil> {
    if !(FIRST_UNIX_DAY..=LAST_UNIX_DAY).contains(&days) {
        return None;
    }
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
    Some(Civil { year, month, day, time: None })
}

/// The value the date picker writes: `YYYY-MM-DD`.
pub fn portal_date(c: Civil) -> String {
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// The value the date-time picker writes: `YYYY-MM-DD HH:MM:SS`.
pub fn portal_datetime(c: Civil) -> String {
    let (h, m, s) = c.time.unwrap_or((0, 0, 0));
    format!("{} {:02}:{:02}:{:02}", portal_date(c), h, m, s)
}

/// How a value is written: which of the formats `parse` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Iso,
    /// `DD.MM.YYYY HH:MM:SS`, as German and Russian portals write.
    Dotted,
    /// `MM/DD/YYYY hh:mm:ss am`, as English portals write.
    Us,
}

impl Style {
    /// The style of an existing value; ISO when it is empty or not a date.
    pub fn of(value: &str) -> Style {
        let t = value.trim();
        if parse(t).is_none() {
            Style::Iso
        } else if t.contains('.') {
            Style::Dotted
        } else if t.contains('/') {
            Style::Us
        } else {
            Style::Iso
        }
    }
}

/// Writes a picked date (and time, for date-time fields) in `style`.
pub fn format(c: Civil, style: Style, with_time: bool) -> String {
    let (h, mi, s) = c.time.unwrap_or((0, 0, 0));
    match (style, with_time) {
        (Style::Iso, false) => portal_date(c),
        (Style::Iso, true) => portal_datetime(c),
        (Style::Dotted, false) => format!("{:02}.{:02}.{:04}", c.day, c.month, c.year),
        (Style::Dotted, true) => format!("{:02}.{:02}.{:04} {:02}:{:02}:{:02}", c.day, c.month, c.year, h, mi, s),
        (Style::Us, false) => format!("{:02}/{:02}/{:04}", c.month, c.day, c.year),
        (Style::Us, true) => {
            let (h12, ampm) = match h {
                0 => (12, "am"),
                1..=11 => (h, "am"),
                12 => (12, "pm"),
                _ => (h - 12, "pm"),
            };
            format!("{:02}/{:02}/{:04} {:02}:{:02}:{:02} {ampm}", c.month, c.day, c.year, h12, mi, s)
        }
    }
}

/// What an `<input type="date">` shows for a stored value, if it is a date at all.
pub fn picker_date(value: &str) -> Option<String> {
    parse(value).map(portal_date)
}

/// What an `<input type="datetime-local">` shows for a stored value (`YYYY-MM-DDTHH:MM[:SS]`).
pub fn picker_datetime(value: &str) -> Option<String> {
    let c = parse(value)?;
    let (h, m, s) = c.time.unwrap_or((0, 0, 0));
    Some(match s {
        0 => format!("{}T{:02}:{:02}", portal_date(c), h, m),
        _ => format!("{}T{:02}:{:02}:{:02}", portal_date(c), h, m, s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_writes_iso_dates_and_datetimes() {
        let c = parse("2026-11-27").unwrap();
        assert_eq!(portal_date(c), "2026-11-27");
        let c = parse("2026-11-27T09:05").unwrap();
        assert_eq!(portal_datetime(c), "2026-11-27 09:05:00");
        assert_eq!(portal_datetime(parse("2026-11-27").unwrap()), "2026-11-27 00:00:00");
    }

    #[test]
    fn a_picked_date_keeps_the_format_the_field_already_has() {
        let picked = parse("2026-12-01T18:05").unwrap();
        assert_eq!(format(picked, Style::of("27.11.2026"), false), "01.12.2026");
        assert_eq!(format(picked, Style::of("11/27/2026 10:00:00 am"), true), "12/01/2026 06:05:00 pm");
        assert_eq!(format(picked, Style::of(""), true), "2026-12-01 18:05:00");
        assert_eq!(format(picked, Style::of("{=Document:CLOSEDATE}"), false), "2026-12-01");
        assert_eq!(format(parse("2026-12-01T00:30").unwrap(), Style::Us, true), "12/01/2026 12:30:00 am");
        for style in [Style::Iso, Style::Dotted, Style::Us] {
            assert_eq!(parse(&format(picked, style, true)), Some(picked), "{style:?} round-trips");
        }
    }

    #[test]
    fn days_since_1970_become_dates() {
        let date = |days| from_unix_days(days).map(portal_date);
        assert_eq!(date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(date(20_419).as_deref(), Some("2025-11-27"));
        assert_eq!(date(19_782).as_deref(), Some("2024-02-29"));
        assert_eq!(date(FIRST_UNIX_DAY).as_deref(), Some("0001-01-01"));
        assert_eq!(date(LAST_UNIX_DAY).as_deref(), Some("9999-12-31"));
    }

    #[test]
    fn days_outside_years_1_to_9999_are_no_date() {
        for days in [i64::MAX, i64::MIN, i64::MAX - 719_468, -1_000_000_000, 1_000_000_000, FIRST_UNIX_DAY - 1, LAST_UNIX_DAY + 1] {
            assert_eq!(from_unix_days(days), None, "{days}");
        }
    }

    #[test]
    fn extreme_text_is_no_date_and_no_panic() {
        let long = "9".repeat(40);
        let extreme = [
            "99999999999-01-01", "18446744073709551616-01-01", "0000-01-01", "2026-99999999999-01", "2026-01-99999999999",
            "01.01.99999999999", "99999999999/01/2026", "2026-11-27 99999999999:00", "2026-11-27 10:99999999999",
            "2026-11-27 10:00:99999999999", "2026-11-27 -1:00", "2026-11-27 +1:00", "-2026-11-27", "+2026-11-27", "2026-1é-27",
            "2026-11-27 1é:00", "2026-11-27T", "T", " ", "--", "..", "//", "2026-11-27 12:00 pm pm", "2026-11-27 00:00 am",
        ];
        for text in extreme.iter().copied().chain([long.as_str()]) {
            assert_eq!(parse(text), None, "{text}");
            assert_eq!(picker_date(text), None, "{text}");
        }
        assert_eq!(parse("9999-12-31 23:59:59").map(portal_datetime).as_deref(), Some("9999-12-31 23:59:59"));
        assert_eq!(parse("0001-01-01").map(portal_date).as_deref(), Some("0001-01-01"));
    }

    #[test]
    fn culture_formats_are_read() {
        assert_eq!(picker_date("27.11.2026").as_deref(), Some("2026-11-27"));
        assert_eq!(picker_date("11/27/2026").as_deref(), Some("2026-11-27"));
        assert_eq!(picker_datetime("27.11.2026 18:30:15").as_deref(), Some("2026-11-27T18:30:15"));
        assert_eq!(picker_datetime("11/27/2026 06:30 pm").as_deref(), Some("2026-11-27T18:30"));
        assert_eq!(picker_datetime("2026-11-27 00:00:00").as_deref(), Some("2026-11-27T00:00"));
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        for bad in ["2026-02-30", "2025-02-29", "31.04.2026", "13/01/2026", "2026-11-27 24:00", "27.11.26", "soon", ""] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        assert!(parse("2024-02-29").is_some());
        assert!(parse("2026-11-27 12:00 am").map(|c| c.time == Some((0, 0, 0))).unwrap());
    }
}
