//! Fresh random-looking identifiers: tokens, APP_SIDs, workflow ids.

/// A hex string of `len` characters. Not for real secrets: the sandbox has none, and std's
/// hasher seeds are enough to keep two runs apart.
pub fn random_hex(len: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    while out.len() < len {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}
