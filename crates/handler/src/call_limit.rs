//! Each portal's REST limit, kept by the handler that calls it. Bitrix24 counts a portal's calls in
//! one leaky bucket (2 a second, a burst of 50) whoever makes them, so handlers that share a
//! PostgreSQL store keep the bucket there, each call counted in a transaction that holds the
//! portal's row; a handler on its own SQLite file keeps it in memory. Either way a call waits for
//! room instead of being refused with `QUERY_LIMIT_EXCEEDED` and retried.

use crate::store::postgres::Postgres;
use crate::store::{now, Store};
use rulekit_model::rate::LeakyBucket;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Calls of the bucket left unused: for the portal's own pages, other apps, and calls that reach
/// the portal later than they were counted (which a bucket sees as closer together).
pub const HEADROOM: f64 = 5.0;

pub struct CallLimit {
    rate: f64,
    burst: f64,
    local: Mutex<HashMap<String, LeakyBucket>>,
    shared: Option<Postgres>,
}

impl CallLimit {
    pub fn new(rate: f64, burst: f64, store: &Store) -> CallLimit {
        let shared = match store {
            Store::Postgres(pg) => Some(pg.clone()),
            Store::Sqlite(_) => None,
        };
        CallLimit { rate, burst, local: Mutex::default(), shared }
    }

    /// Milliseconds to wait before a call to `portal` may go; 0 when it may go now (and is counted).
    async fn take(&self, portal: &str) -> u64 {
        if let Some(pg) = &self.shared {
            match pg.take_call(portal, self.rate, self.burst, HEADROOM).await {
                Ok(wait) => return wait,
                // The call still goes, paced by this handler alone: a store that is down for a
                // moment should not stop every run.
                Err(e) => tracing::warn!(event = "call_limit.store_error", error = %e),
            }
        }
        let mut buckets = self.local.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets.entry(portal.to_string()).or_insert_with(|| LeakyBucket::new(self.rate, self.burst));
        bucket.take_leaving(now().max(0) as u64, HEADROOM)
    }

    /// Waits until a call to `portal` fits its bucket, and counts it.
    pub async fn admit(&self, portal: &str) {
        loop {
            match self.take(portal).await {
                0 => return,
                wait => tokio::time::sleep(Duration::from_millis(wait)).await,
            }
        }
    }
}

/// The portal a REST endpoint belongs to: its host, without the port, in lower case
/// (`x.bitrix24.de`): however an endpoint spells it, one portal has one bucket.
pub fn portal_of(endpoint: &str) -> String {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    crate::config::bare_host(host).trim_matches(['[', ']']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_per_portal_host() {
        assert_eq!(portal_of("https://a.bitrix24.de/rest/"), "a.bitrix24.de");
        assert_eq!(portal_of("http://127.0.0.1:8480/rest"), "127.0.0.1");
        assert_eq!(portal_of("a.bitrix24.de"), "a.bitrix24.de");
        assert_eq!(portal_of("https://A.Bitrix24.DE/rest/"), "a.bitrix24.de");
        assert_eq!(portal_of("https://[::1]:8443/rest/"), "::1");
    }

    #[tokio::test]
    async fn a_handler_alone_keeps_the_headroom_then_paces_at_the_rate() {
        let dir = std::env::temp_dir().join(format!("rulekit-call-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("s.sqlite")).unwrap();
        let limit = CallLimit::new(2.0, 50.0, &store);
        for i in 0..45 {
            assert_eq!(limit.take("p").await, 0, "call {i} of the burst");
        }
        let wait = limit.take("p").await;
        assert!((400..=500).contains(&wait), "the 46th waits for half a second's drain, not {wait} ms");
        assert_eq!(limit.take("other").await, 0, "another portal has its own bucket");
        let tiny = CallLimit::new(2.0, 3.0, &store);
        assert_eq!(tiny.take("p").await, 0, "a bucket smaller than the headroom still lets calls through");
    }
}
