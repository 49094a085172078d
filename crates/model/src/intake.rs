//! A rule run's intake, read straight off its form body: the handler checks these few fields
//! before its 2xx and stores the body as it came; the worker that does the run reads all of it
//! (`ExecutionRequest::from_form`).
//!
//! Two things are read without building the body's JSON tree:
//! - `surely_decodes`: whether `form_encoding::decode` would read the body, when that is plain to
//!   see (the bodies Bitrix24 sends). `false` says nothing: the handler then decodes the body in
//!   full, so a body that cannot be read is still refused as before.
//! - `Intake::scan`: the fields. A field given twice is refused, so that what is checked here is
//!   what the worker reads.

use crate::execution::ExecutionError;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// What a run's intake checks.
#[derive(Debug, Default, PartialEq)]
pub struct Intake<'a> {
    pub workflow_id: Cow<'a, str>,
    pub code: Cow<'a, str>,
    pub event_token: Cow<'a, str>,
    /// `document_id[2]`: the document (`DEAL_123`).
    pub document: Cow<'a, str>,
    pub member_id: Cow<'a, str>,
    pub application_token: Cow<'a, str>,
    pub domain: Cow<'a, str>,
    pub client_endpoint: Cow<'a, str>,
    /// How many of `document_id[0]`, `[1]`, `[2]` there are, and whether any other part is.
    documents: (u8, bool),
}

/// One form component's bytes: `+` is a space, `%XX` its byte. A broken escape is kept with the
/// bytes it was read as, which are not read again: `%` and a byte that is no hex digit (`%%41` is
/// `%%41`), or `%`, a hex digit and a byte that is none (`%2%41` is `%2%41`). That is serde_qs's
/// reading, so both see the same bytes.
pub fn decode_bytes(s: &str) -> Cow<'_, [u8]> {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|b| *b == b'%' || *b == b'+') {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                (Some(_), None) => {
                    out.extend_from_slice(&bytes[i..(i + 3).min(bytes.len())]);
                    i += 2;
                }
                (None, _) => {
                    out.extend_from_slice(&bytes[i..(i + 2).min(bytes.len())]);
                    i += 1;
                }
            },
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// One component as text; `None` when its bytes are not UTF-8.
fn text(s: &str) -> Option<Cow<'_, str>> {
    match decode_bytes(s) {
        Cow::Borrowed(b) => std::str::from_utf8(b).ok().map(Cow::Borrowed),
        Cow::Owned(b) => String::from_utf8(b).ok().map(Cow::Owned),
    }
}

/// A key's name and its bracketed segments (`auth[member_id]` → `auth`, `member_id`), when it is
/// a plain one: a name of letters, digits and `_` not starting with a digit, segments of the same
/// characters, at most four of them.
fn plain_key(key: &str) -> Option<Vec<&str>> {
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let (name, mut rest) = key.split_once('[').map_or((key, ""), |(n, r)| (n, r));
    if !word(name) || name.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut parts = vec![name];
    if key.contains('[') {
        loop {
            let (segment, after) = rest.split_once(']')?;
            if !word(segment) || parts.len() > 4 {
                return None;
            }
            parts.push(segment);
            match after.strip_prefix('[') {
                Some(next) => rest = next,
                None if after.is_empty() => break,
                None => return None,
            }
        }
    }
    Some(parts)
}

/// Whether `form_encoding::decode` surely reads `body`, and reads it as `Intake::scan` does: every
/// pair `key=value` with a plain key (`plain_key`; its brackets raw or as `%5B`, `%5D`, and no
/// other escape in it) and a value that is UTF-8 text once decoded; no key twice, none both a
/// value and a map; and where a map has numbered parts, only those, numbered 0, 1, … without a gap.
pub fn surely_decodes(body: &str) -> bool {
    let body = body.trim();
    if body.is_empty() {
        return false;
    }
    let mut keys: Vec<Vec<String>> = Vec::new();
    for pair in body.split('&') {
        let Some((raw_key, raw_value)) = pair.split_once('=') else { return false };
        // serde_qs reads `%5B` and `%5D` in a key as brackets, but not every escape as its byte
        // (`%5d` is not a bracket to it): a key with any other escape goes the long way.
        if raw_key.replace("%5B", "").replace("%5D", "").bytes().any(|b| b == b'%' || b == b'+') {
            return false;
        }
        let (Some(key), Some(_)) = (text(raw_key), text(raw_value)) else { return false };
        let Some(parts) = plain_key(&key) else { return false };
        keys.push(parts.into_iter().map(str::to_string).collect());
    }
    let whole: HashSet<&[String]> = keys.iter().map(Vec::as_slice).collect();
    if whole.len() != keys.len() {
        return false;
    }
    // Each map's parts: (numbered ones, named ones).
    let mut maps: HashMap<&[String], (HashSet<&str>, bool)> = HashMap::new();
    for key in &keys {
        for depth in 1..key.len() {
            let (map, part) = (&key[..depth], key[depth].as_str());
            if whole.contains(map) {
                return false;
            }
            let entry = maps.entry(map).or_default();
            match part.bytes().all(|b| b.is_ascii_digit()) {
                true => entry.0.insert(part),
                false => {
                    entry.1 = true;
                    true
                }
            };
        }
    }
    maps.values().all(|(numbered, named)| {
        numbered.is_empty() || (!named && (0..numbered.len()).all(|i| numbered.contains(i.to_string().as_str())))
    })
}

impl Intake<'static> {
    /// The fields of a body already decoded in full (`form_encoding::decode`): the long way, for
    /// bodies `surely_decodes` does not vouch for.
    pub fn from_decoded(v: &serde_json::Value) -> Intake<'static> {
        // The worker's own reading of each field (`ExecutionRequest::from_decoded`).
        use crate::execution::{text, texts};
        let auth = v.get("auth").cloned().unwrap_or(serde_json::Value::Null);
        let documents = texts(v, "document_id");
        Intake {
            workflow_id: Cow::Owned(text(v, "workflow_id")),
            code: Cow::Owned(text(v, "code")),
            event_token: Cow::Owned(text(v, "event_token")),
            document: Cow::Owned(documents.get(2).cloned().unwrap_or_default()),
            member_id: Cow::Owned(text(&auth, "member_id")),
            application_token: Cow::Owned(text(&auth, "application_token")),
            domain: Cow::Owned(text(&auth, "domain")),
            client_endpoint: Cow::Owned(text(&auth, "client_endpoint")),
            documents: (documents.len().min(255) as u8, documents.len() > 3),
        }
    }
}

impl<'a> Intake<'a> {
    /// The fields, as given, of a body `surely_decodes` vouches for; refused only when one of them
    /// is given twice.
    pub fn scan(body: &'a str) -> Result<Intake<'a>, ExecutionError> {
        let mut intake = Intake::default();
        let mut seen = 0u16;
        for pair in body.trim().split('&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = text(raw_key).unwrap_or_default();
            let (bit, field) = match &*key {
                "workflow_id" => (0, &mut intake.workflow_id),
                "code" => (1, &mut intake.code),
                "event_token" => (2, &mut intake.event_token),
                "document_id[2]" => (3, &mut intake.document),
                "auth[member_id]" => (4, &mut intake.member_id),
                "auth[application_token]" => (5, &mut intake.application_token),
                "auth[domain]" => (6, &mut intake.domain),
                "auth[client_endpoint]" => (7, &mut intake.client_endpoint),
                "document_id[0]" | "document_id[1]" => {
                    let bit = if &*key == "document_id[0]" { 8 } else { 9 };
                    if seen & (1 << bit) != 0 {
                        return Err(ExecutionError::Unreadable(format!("the field {key} is given twice")));
                    }
                    seen |= 1 << bit;
                    intake.documents.0 += 1;
                    continue;
                }
                k if k == "document_id" || k.starts_with("document_id[") => {
                    intake.documents.1 = true;
                    continue;
                }
                _ => continue,
            };
            if seen & (1 << bit) != 0 {
                return Err(ExecutionError::Unreadable(format!("the field {key} is given twice")));
            }
            seen |= 1 << bit;
            intake.documents.0 += u8::from(bit == 3);
            *field = text(raw_value).unwrap_or_default();
        }
        Ok(intake)
    }

    /// Refuses a run without a field every run has, as `ExecutionRequest::from_form` does.
    pub fn check(&self) -> Result<(), ExecutionError> {
        for (value, name) in [(&self.workflow_id, "workflow_id"), (&self.code, "code"), (&self.event_token, "event_token")] {
            if value.is_empty() {
                return Err(ExecutionError::Missing(name));
            }
        }
        if self.documents != (3, false) {
            return Err(ExecutionError::Missing("document_id"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
