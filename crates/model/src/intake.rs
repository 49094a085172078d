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

/// The most parts a plain key has: a name and four bracketed segments.
const PARTS: usize = 5;

/// A plain key's name and bracketed segments (`auth[member_id]` or `auth%5Bmember_id%5D` →
/// `auth`, `member_id`), with a hash of each prefix of them: a name of letters, digits and `_` not
/// starting with a digit, then at most four segments of the same characters, each in `[`…`]` or
/// `%5B`…`%5D`.
struct PlainKey<'a> {
    parts: [&'a str; PARTS],
    len: usize,
    /// `prefixes[i]`: the hash of `parts[..=i]`.
    prefixes: [u64; PARTS],
}

impl<'a> PlainKey<'a> {
    /// `None` for any key that is not plain.
    fn read(key: &'a str) -> Option<PlainKey<'a>> {
        let word_end = |s: &str| s.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_')).unwrap_or(s.len());
        let end = word_end(key);
        if end == 0 || key.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let mut k = PlainKey { parts: [""; PARTS], len: 0, prefixes: [0; PARTS] };
        k.push(&key[..end]);
        let mut rest = &key[end..];
        while !rest.is_empty() {
            if k.len == PARTS {
                return None;
            }
            let open = rest.strip_prefix('[').or_else(|| rest.strip_prefix("%5B"))?;
            let end = word_end(open);
            if end == 0 {
                return None;
            }
            k.push(&open[..end]);
            rest = open[end..].strip_prefix(']').or_else(|| open[end..].strip_prefix("%5D"))?;
        }
        Some(k)
    }

    fn push(&mut self, part: &'a str) {
        let before = if self.len == 0 { 0x9e37_79b9_7f4a_7c15 } else { self.prefixes[self.len - 1] };
        self.parts[self.len] = part;
        self.prefixes[self.len] = mix(before, part);
        self.len += 1;
    }

    fn parts(&self) -> &[&'a str] {
        &self.parts[..self.len]
    }

    fn hash(&self) -> u64 {
        self.prefixes[self.len - 1]
    }
}

/// Hashes one more part onto `h`. Hashes only sort keys: two keys with one hash are compared, or
/// send the body the long way, so a collision costs time and never a wrong reading.
fn mix(h: u64, part: &str) -> u64 {
    const K: u64 = 0x5851_f42d_4c95_7f2d;
    let mut h = (h ^ part.len() as u64).wrapping_mul(K);
    for chunk in part.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(26) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^ (h >> 31)
}

/// Whether a value is UTF-8 text once decoded; `buffer` is reused between calls. Escapes of ASCII
/// bytes (`%00`–`%7F`) keep text text, so only a value with an escape of a byte from `%80` up is
/// decoded to be checked.
fn is_text(value: &str, buffer: &mut Vec<u8>) -> bool {
    let high = |w: &[u8]| w[0] == b'%' && matches!(w[1], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F');
    if !value.as_bytes().windows(2).any(high) {
        return true;
    }
    buffer.clear();
    buffer.extend_from_slice(&decode_bytes(value));
    std::str::from_utf8(buffer).is_ok()
}

/// A map's part: `Some(n)` for a number written as `n` (no leading zero), `None` for a name;
/// `Err` for digits written otherwise (`01`, or too big), which the long way reads its own way.
fn numbered(part: &str) -> Result<Option<u32>, ()> {
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match part.parse::<u32>() {
        Ok(n) if part.len() == 1 || !part.starts_with('0') => Ok(Some(n)),
        _ => Err(()),
    }
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
        let (mut keys, mut buffer) = (Vec::with_capacity(48), Vec::new());
        for pair in body.split('&') {
            // Keys are ASCII: the first `=` is a byte's search.
            let equals = pair.bytes().position(|b| b == b'=')?;
            let (raw_key, raw_value) = (&pair[..equals], &pair[equals + 1..]);
            let key = PlainKey::read(raw_key)?;
            if !is_text(raw_value, &mut buffer) {
                return None;
            }
            let field = match key.parts() {
                ["workflow_id"] => Some(&mut intake.workflow_id),
                ["code"] => Some(&mut intake.code),
                ["event_token"] => Some(&mut intake.event_token),
                ["document_id", "2"] => Some(&mut intake.document),
                ["auth", "member_id"] => Some(&mut intake.member_id),
                ["auth", "application_token"] => Some(&mut intake.application_token),
                ["auth", "domain"] => Some(&mut intake.domain),
                ["auth", "client_endpoint"] => Some(&mut intake.client_endpoint),
                _ => None,
            };
            if let Some(field) = field {
                *field = text(raw_value)?;
            }
            keys.push(key);
        }
        // No key twice, and none that is also a map (a prefix of another key). Equal hashes send
        // the body the long way, whether the keys are equal or not.
        let mut whole: Vec<u64> = keys.iter().map(PlainKey::hash).collect();
        whole.sort_unstable();
        if whole.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        // Every map, as (its hash, a key in it, its depth in that key).
        let mut maps: Vec<(u64, u32, u8)> = Vec::with_capacity(keys.len() * 2);
        for (i, key) in keys.iter().enumerate() {
            for depth in 1..key.len {
                let map = key.prefixes[depth - 1];
                if whole.binary_search(&map).is_ok() {
                    return None;
                }
                maps.push((map, i as u32, depth as u8));
            }
        }
        maps.sort_unstable();
        // Each map's numbered parts, and whether it has named ones too.
        let (mut documents, mut numbers) = (None, Vec::new());
        for group in maps.chunk_by(|a, b| a.0 == b.0) {
            let (_, first, depth) = group[0];
            let map = &keys[first as usize].parts()[..depth as usize];
            let (mut named, mut list) = (false, false);
            numbers.clear();
            for &(_, i, d) in group {
                let parts = keys[i as usize].parts();
                if d != depth || parts[..d as usize] != *map {
                    return None;
                }
                match numbered(parts[d as usize]).ok()? {
                    Some(n) => {
                        numbers.push(n);
                        list = true;
                    }
                    None => named = true,
                }
            }
            numbers.sort_unstable();
            numbers.dedup();
            if list && (named || numbers.last().is_none_or(|last| *last as usize + 1 != numbers.len())) {
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
