//! The runs API's checked filters of a listing (`RunFilter`, which each store turns into its SQL).

use super::ApiError;
use crate::store::runs::{codes, rule_of, RunFilter, STATUSES};

/// What `GET /api/runs` may be asked, checked.
pub fn filters(query: &[(String, String)]) -> Result<RunFilter, ApiError> {
    let mut f = RunFilter { limit: 50, ..RunFilter::default() };
    let number = |k: &str, v: &str| v.trim().parse::<i64>().map_err(|_| ApiError::BadRequest(format!("{k} must be a whole number, not {:?}.", short(v))));
    for (k, v) in query {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" => {
                let status = STATUSES.iter().find(|s| **s == v.as_str()).copied();
                f.status = Some(status.ok_or_else(|| ApiError::BadRequest(format!("status must be one of {}, not {:?}.", STATUSES.join(", "), short(v))))?);
            }
            "rule" => {
                // Runs of a rule's robot and of its activity carry different codes.
                let rule = rule_of(v.clone());
                let codes: Vec<String> = codes().iter().filter(|(_, r)| **r == rule).map(|(c, _)| c.clone()).collect();
                f.codes = if codes.is_empty() { vec![v.clone()] } else { codes };
            }
            "document" => f.document = Some(v.clone()),
            "from" => f.from = Some(number(k, v)?),
            "to" => f.to = Some(number(k, v)?),
            "cursor" => {
                let before = i64::from_str_radix(v, 16).ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::BadRequest("cursor is not one this API gave; send the next_cursor of the previous page unchanged.".into())
                })?;
                f.before = Some(before);
            }
            "limit" => {
                f.limit = number(k, v)?;
                if !(1..=200).contains(&f.limit) {
                    return Err(ApiError::BadRequest(format!("limit must be between 1 and 200, not {}.", f.limit)));
                }
            }
            _ => return Err(ApiError::BadRequest(format!("Unknown parameter {:?}: use status, rule, document, from, to, cursor, limit.", short(k)))),
        }
    }
    Ok(f)
}

/// A value quoted back in an error, cut short.
fn short(v: &str) -> String {
    v.chars().take(40).collect()
}

