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

/// A plain key's name and bracketed segments (`auth[member_id]` or `auth%5Bmember_id%5D` →
/// `auth`, `member_id`), pushed onto `parts`: a name of letters, digits and `_` not starting with a
/// digit, then at most four segments of the same characters, each in `[`…`]` or `%5B`…`%5D`.
/// `false` for any other key.
fn plain_key<'a>(key: &'a str, parts: &mut Vec<&'a str>) -> bool {
    let word_end = |s: &str| s.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_')).unwrap_or(s.len());
    let end = word_end(key);
    if end == 0 || key.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    parts.push(&key[..end]);
    let mut rest = &key[end..];
    for _ in 0..4 {
        if rest.is_empty() {
            return true;
        }
        let Some(open) = rest.strip_prefix('[').or_else(|| rest.strip_prefix("%5B")) else { return false };
        let end = word_end(open);
        if end == 0 {
            return false;
        }
        parts.push(&open[..end]);
        let Some(after) = open[end..].strip_prefix(']').or_else(|| open[end..].strip_prefix("%5D")) else { return false };
        rest = after;
    }
    rest.is_empty()
}

/// Whether a value is UTF-8 text once decoded (only an escape can make it anything else).
fn is_text(value: &str) -> bool {
    !value.contains('%') || std::str::from_utf8(&decode_bytes(value)).is_ok()
}

/// Whether `form_encoding::decode` surely reads `body` (`Intake::plain` reads it).
pub fn surely_decodes(body: &str) -> bool {
    Intake::plain(body).is_some()
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
    /// The fields of a body `form_encoding::decode` surely reads, read as it reads them, in one
    /// pass; `None` when that is not plain to see, and the body must be decoded in full. Plain:
    /// every pair `key=value` with a plain key (`plain_key`; no escape in it but its brackets') and
    /// a value that is UTF-8 text once decoded; no key twice, none both a value and a map; and
    /// where a map has numbered parts, only those, numbered 0, 1, … without a gap and without
    /// leading zeros.
    pub fn plain(body: &'a str) -> Option<Intake<'a>> {
        let body = body.trim();
        if body.is_empty() {
            return None;
        }
        let mut intake = Intake::default();
        // Every key's parts, one after another; `keys` says where each key's are.
        let (mut parts, mut keys) = (Vec::with_capacity(96), Vec::with_capacity(40));
        for pair in body.split('&') {
            let (raw_key, raw_value) = pair.split_once('=')?;
            let start = parts.len();
            if !plain_key(raw_key, &mut parts) {
                return None;
            }
            keys.push(start..parts.len());
            let field = match &parts[start..] {
                ["workflow_id"] => &mut intake.workflow_id,
                ["code"] => &mut intake.code,
                ["event_token"] => &mut intake.event_token,
                ["document_id", "2"] => &mut intake.document,
                ["auth", "member_id"] => &mut intake.member_id,
                ["auth", "application_token"] => &mut intake.application_token,
                ["auth", "domain"] => &mut intake.domain,
                ["auth", "client_endpoint"] => &mut intake.client_endpoint,
                // Any other value is only checked to be text, as the decoder requires.
                _ if is_text(raw_value) => continue,
                _ => return None,
            };
            // Decoded once, which also checks that it is text.
            *field = text(raw_value)?;
        }
        let key = |i: usize| &parts[keys[i].clone()];
        // In sorted order a key given twice, or one that is also a map, comes right before a key
        // that starts with it.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_unstable_by(|a, b| key(*a).cmp(key(*b)));
        if order.windows(2).any(|w| key(w[1]).starts_with(key(w[0]))) {
            return None;
        }
        // Each map's numbered parts, and whether it has named ones too.
        let mut maps: Vec<(&[&str], Vec<u32>, bool)> = Vec::new();
        for i in 0..keys.len() {
            let k = key(i);
            for depth in 1..k.len() {
                let (map, part) = (&k[..depth], k[depth]);
                let at = match maps.iter().position(|m| m.0 == map) {
                    Some(at) => at,
                    None => {
                        maps.push((map, Vec::new(), false));
                        maps.len() - 1
                    }
                };
                match part.parse::<u32>() {
                    // Written as `n` writes: `0`, or no leading zero (a part holds no sign).
                    Ok(n) if part == "0" || !part.starts_with('0') => maps[at].1.push(n),
                    _ if part.bytes().all(|b| b.is_ascii_digit()) => return None,
                    _ => maps[at].2 = true,
                }
            }
        }
        let mut documents = None;
        for (map, mut numbers, named) in maps {
            numbers.sort_unstable();
            numbers.dedup();
            if !numbers.is_empty() && (named || numbers.last().is_none_or(|last| *last as usize + 1 != numbers.len())) {
                return None;
            }
            if map == ["document_id"] {
                documents = Some((numbers.len().min(255) as u8, named));
            }
        }
        // `document_id` given as one value, or not at all, is no list of three.
        intake.documents = documents.unwrap_or((0, true));
        Some(intake)
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
