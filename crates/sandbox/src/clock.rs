//! The portal's clock: Unix seconds for tokens, ISO 8601 for the times REST answers carry.

pub fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The current time as ISO 8601 in UTC, as workflows and timeline comments show it.
pub fn iso_now() -> String {
    let secs = now_unix();
    let date = rulekit_model::dates::portal_date(rulekit_model::dates::from_unix_days((secs / 86_400) as i64));
    let rem = secs % 86_400;
    format!("{date}T{:02}:{:02}:{:02}+00:00", rem / 3600, rem % 3600 / 60, rem % 60)
}
