//! Dates: a day count over the whole `i64` range for `from_unix_days`, and date texts in the three
//! styles `parse` reads, with numbers in and out of range, odd separators, am/pm in any case, and
//! long runs of digits. The input is the day count on its first line and the text after it.
//!
//! A date that exists must survive `unix_days` and every style of `format` unchanged.

use crate::rng::Rng;
use rulekit_model::dates::{self, Civil, Style};
use rulekit_model::instant::unix_days;

/// The day `days` after 1970-01-01, where it is a date the model can name (years 1 to 9999).
pub fn civil_of_days(days: i64) -> Option<Civil> {
    dates::from_unix_days(days)
}

const EDGES: &[i64] = &[
    i64::MIN, i64::MAX, -719_468, -719_162, 2_932_896, 0, 1_000_000_000, -1_000_000_000, 1 << 32, -(1 << 32),
    1_568_704_592_609, 1 << 53,
];
const STYLES: [Style; 3] = [Style::Iso, Style::Dotted, Style::Us];

pub fn make(rng: &mut Rng) -> Vec<u8> {
    let days = match rng.below(4) {
        0 => rng.pick(EDGES).saturating_add(rng.below(5) as i64 - 2),
        1 => rng.next_u64() as i64,
        2 => rng.below(8_000_000) as i64 - 4_000_000,
        _ => (rng.next_u64() as i64) >> rng.below(64),
    };
    format!("{days}\n{}", text(rng)).into_bytes()
}

fn number(rng: &mut Rng, usual: usize, width: usize) -> String {
    match rng.below(10) {
        0 => (0..rng.below(14)).map(|_| char::from(b'0' + rng.below(10) as u8)).collect(),
        1 => rng.pick(&["", "-1", "+1", "٣", "1é", " 1", "0x1"]).to_string(),
        _ => format!("{:0width$}", rng.below(usual + 1)),
    }
}

fn text(rng: &mut Rng) -> String {
    let size = rng.size();
    if size > 4096 && rng.one_in(2) {
        let unit = rng.pick(&["9", "1-", "2026-11-27 ", "..", "1:", " am", "/"]);
        return unit.repeat(size / unit.len());
    }
    let (y, m, d) = (number(rng, 9999, 4), number(rng, 13, 2), number(rng, 32, 2));
    let mut t = match rng.below(3) {
        0 => format!("{y}-{m}-{d}"),
        1 => format!("{d}.{m}.{y}"),
        _ => format!("{m}/{d}/{y}"),
    };
    if rng.one_in(2) {
        t.push_str(rng.pick(&[" ", "T", "t", "  ", "\t"]));
        t.push_str(&format!("{}:{}", number(rng, 24, 2), number(rng, 60, 2)));
        if rng.one_in(2) {
            t.push_str(&format!(":{}", number(rng, 60, 2)));
        }
        if rng.one_in(3) {
            t.push_str(rng.pick(&[" am", "pm", " PM", " Am", " a.m.", "am pm"]));
        }
    }
    if rng.one_in(8) {
        t = format!("{}{t}{}", rng.pick(&["", " ", "\n", "x"]), rng.pick(&["", " ", "Z", "+03:00"]));
    }
    t
}

pub fn run(input: &[u8]) {
    let all = String::from_utf8_lossy(input);
    let (first, text) = all.split_once('\n').unwrap_or((&all, ""));
    if let Ok(days) = first.trim().parse::<i64>() {
        if let Some(c) = civil_of_days(days) {
            let exists = (1..=12).contains(&c.month) && c.day >= 1 && dates::parse(&dates::portal_date(c)).is_some();
            assert!(exists || c.year > 9999, "from_unix_days gives a date that does not exist");
            assert!(unix_days(c) == days, "from_unix_days and unix_days disagree");
            reads_back(c);
        }
        // Any fields at all format without a panic.
        let bits = days as u64;
        let odd = Civil { year: bits as u32, month: (bits >> 32) as u32 & 15, day: (bits >> 36) as u32 & 63, time: Some((bits as u32 % 25, 61, 99)) };
        STYLES.iter().for_each(|s| drop(dates::format(odd, *s, bits & 1 == 1)));
    }
    Style::of(text);
    dates::picker_date(text);
    dates::picker_datetime(text);
    if let Some(c) = dates::parse(text) {
        reads_back(c);
    }
}

/// A date written in each style, with and without its time, reads back as itself.
fn reads_back(c: Civil) {
    for style in STYLES {
        for with_time in [false, true] {
            let written = dates::format(c, style, with_time);
            let time = with_time.then(|| c.time.unwrap_or((0, 0, 0)));
            assert!(dates::parse(&written) == Some(Civil { time, ..c }), "a date written in {style:?} style does not read back");
            assert!(Style::of(&written) == style, "a date written in {style:?} style is taken for another");
        }
    }
}
