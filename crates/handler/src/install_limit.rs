//! Install attempts per source: a bucket per client address, in memory and bounded. An install
//! event is rare (once per portal), so a source that sends many is probing or flooding; every
//! attempt counts, taken or refused, before its body is read.

use rulekit_model::rate::LeakyBucket;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::Instant;

/// Attempts a minute a source regains, and how many it may send at once.
pub const PER_MINUTE: f64 = 10.0;
pub const BURST: f64 = 20.0;
/// Sources remembered at most. A full bucket drains in two minutes (`BURST / PER_MINUTE`), so
/// this many sources in two minutes is a flood, and new ones beyond it share one bucket.
const MAX_SOURCES: usize = 4096;

pub struct InstallLimit {
    /// `None`: requests without a known peer (a router served without connect info, as in tests),
    /// and new sources while the map is full.
    buckets: Mutex<HashMap<Option<IpAddr>, LeakyBucket>>,
    started: Instant,
}

impl Default for InstallLimit {
    fn default() -> Self {
        InstallLimit { buckets: Mutex::default(), started: Instant::now() }
    }
}

/// The unit one party controls: an IPv4 address, or an IPv6 /64 (a single host is commonly given
/// a whole /64, so per address would let it pick a new one for every attempt).
fn source(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

impl InstallLimit {
    /// Counts one attempt from `peer`; the seconds to wait when its bucket is full.
    pub fn take(&self, peer: Option<IpAddr>) -> Result<(), u64> {
        self.take_at(peer, self.started.elapsed().as_millis() as u64)
    }

    fn take_at(&self, peer: Option<IpAddr>, now_ms: u64) -> Result<(), u64> {
        // A panic while holding the lock leaves a usable map: each change is one insert or retain.
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let mut key = peer.map(source);
        if key.is_some() && !buckets.contains_key(&key) && buckets.len() >= MAX_SOURCES {
            // A drained bucket is the same as a new one: forgetting it loses nothing.
            buckets.retain(|_, b| b.level_at(now_ms) > 0.0);
            if buckets.len() >= MAX_SOURCES {
                key = None;
            }
        }
        let bucket = buckets.entry(key).or_insert_with(|| LeakyBucket::new(PER_MINUTE / 60.0, BURST));
        if bucket.try_take(now_ms) {
            return Ok(());
        }
        Err(bucket.wait_ms(now_ms, 0.0).div_ceil(1000).max(1))
    }

    #[cfg(test)]
    fn sources(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gets_its_burst_then_one_attempt_every_six_seconds() {
        let limit = InstallLimit::default();
        let ip = Some(IpAddr::from([192, 0, 2, 1]));
        assert!((0..20).all(|_| limit.take_at(ip, 0).is_ok()));
        assert_eq!(limit.take_at(ip, 0), Err(6));
        assert_eq!(limit.take_at(Some(IpAddr::from([192, 0, 2, 2])), 0), Ok(()), "another source has its own bucket");
        assert_eq!(limit.take_at(ip, 6_000), Ok(()));
        assert!(limit.take_at(ip, 6_000).is_err());
    }

    #[test]
    fn one_ipv6_network_is_one_source() {
        let limit = InstallLimit::default();
        for i in 0..20u16 {
            assert!(limit.take_at(Some(IpAddr::from([0x2001, 0xdb8, 0, 1, i, i, i, i])), 0).is_ok());
        }
        assert!(limit.take_at(Some(IpAddr::from([0x2001, 0xdb8, 0, 1, 9, 9, 9, 99])), 0).is_err());
        assert!(limit.take_at(Some(IpAddr::from([0x2001, 0xdb8, 0, 2, 0, 0, 0, 1])), 0).is_ok());
    }

    #[test]
    fn a_flood_of_sources_cannot_grow_memory_and_still_counts() {
        let limit = InstallLimit::default();
        let ip = |n: u32| Some(IpAddr::from(n.to_be_bytes()));
        for n in 0..3 * MAX_SOURCES as u32 {
            let _ = limit.take_at(ip(n), 0);
        }
        assert_eq!(limit.sources(), MAX_SOURCES + 1, "new sources beyond the bound share one bucket");
        assert!(limit.take_at(ip(u32::MAX), 0).is_err(), "and that bucket is full");
        // Two minutes later every bucket has drained: old sources are forgotten as new ones come.
        assert!(limit.take_at(ip(u32::MAX - 1), 120_000).is_ok());
        assert!(limit.sources() <= 2);
    }
}
