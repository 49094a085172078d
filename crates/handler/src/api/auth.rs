//! Who may use the runs API: an administrator of an installed portal, proven by that portal. The
//! portal (`X-Portal-Member`) must be in the store with the domain the request names; then the
//! user's token (`Authorization: Bearer`) is checked with `user.admin` on the stored domain only,
//! so a token from elsewhere fails there. Verdicts are kept a minute under a keyed hash of portal
//! and token, never the token itself. Each portal has a leaky bucket of requests.

use super::ApiError;
use crate::portal_api::ApiError as CallError;
use crate::reason::Reason;
use crate::store::Portal;
use crate::Shared;
use axum::http::HeaderMap;
use rulekit_model::rate::LeakyBucket;
use serde_json::json;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a verdict is trusted: a user demoted in the portal loses access within this time.
pub const VERDICT_TTL: Duration = Duration::from_secs(60);
/// Verdicts kept at most; beyond it expired ones are dropped, then all (the next requests check again).
const MAX_VERDICTS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Admin,
    NotAdmin,
}

/// The API's memory: verdicts by hashed credentials, buckets by portal.
pub struct Gate {
    // Two independently keyed SipHashes: 128 bits that only this process can compute.
    keys: (std::collections::hash_map::RandomState, std::collections::hash_map::RandomState),
    verdicts: Mutex<HashMap<(u64, u64), (Verdict, Instant)>>,
    buckets: Mutex<HashMap<String, LeakyBucket>>,
    rate: f64,
    burst: f64,
    started: Instant,
}

impl Gate {
    pub fn new(rate: f64, burst: f64) -> Gate {
        Gate { keys: Default::default(), verdicts: Default::default(), buckets: Default::default(), rate, burst, started: Instant::now() }
    }

    fn key(&self, member_id: &str, token: &str) -> (u64, u64) {
        let one = |k: &std::collections::hash_map::RandomState| {
            let mut h = k.build_hasher();
            h.write(member_id.as_bytes());
            h.write_u8(0);
            h.write(token.as_bytes());
            h.finish()
        };
        (one(&self.keys.0), one(&self.keys.1))
    }

    // A panic while holding a lock leaves a usable map: each change is one insert or remove.
    fn cached(&self, key: (u64, u64)) -> Option<Verdict> {
        let verdicts = self.verdicts.lock().unwrap_or_else(|p| p.into_inner());
        verdicts.get(&key).filter(|(_, at)| at.elapsed() < VERDICT_TTL).map(|(v, _)| *v)
    }

    fn remember(&self, key: (u64, u64), verdict: Verdict) {
        let mut verdicts = self.verdicts.lock().unwrap_or_else(|p| p.into_inner());
        if verdicts.len() >= MAX_VERDICTS {
            verdicts.retain(|_, (_, at)| at.elapsed() < VERDICT_TTL);
            if verdicts.len() >= MAX_VERDICTS {
                verdicts.clear();
            }
        }
        verdicts.insert(key, (verdict, Instant::now()));
    }

    /// Takes one request from the portal's bucket; the seconds to wait when it is full.
    fn take(&self, member_id: &str) -> Result<(), u64> {
        let now = self.started.elapsed().as_millis() as u64;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets.entry(member_id.to_string()).or_insert_with(|| LeakyBucket::new(self.rate, self.burst));
        if bucket.try_take(now) {
            return Ok(());
        }
        Err(bucket.wait_ms(now, 0.0).div_ceil(1000).max(1))
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or("")
}

fn unauthorized() -> ApiError {
    // One message for an unknown portal, a wrong domain and a bad token: a caller learns nothing
    // about which portals are installed.
    ApiError::Unauthorized(
        "This request is not from a signed-in user of a portal that installed the app. Open the console from the portal, \
         which sends Authorization: Bearer <access token>, X-Portal-Member and X-Portal-Domain."
            .into(),
    )
}

/// The REST endpoint of a stored portal: https, or http where the handler allows it (a local sandbox).
fn endpoint(s: &Shared, portal: &Portal) -> Result<String, ApiError> {
    let scheme = if s.config.allow_http { "http" } else { "https" };
    let url = format!("{scheme}://{}/rest/", portal.domain);
    s.config.endpoint_allowed(&url, &portal.domain).map_err(|why| ApiError::PortalUnreachable(format!("The portal cannot be asked who you are: {why}.")))?;
    Ok(url)
}

/// Sorts a failed `user.admin` call: the token refused is 401, the portal not answering is 502.
fn refused(e: CallError) -> ApiError {
    match e {
        CallError::Expired => ApiError::Unauthorized("The access token expired; refresh it (BX24.refreshAuth) and send the request again.".into()),
        CallError::Fatal(Reason::PortalRefused { code, status, .. }) => match (status, code.as_str()) {
            (401, _) | (_, "invalid_token" | "NO_AUTH_FOUND" | "expired_token" | "WRONG_AUTH_TYPE") => unauthorized(),
            (_, "ACCESS_DENIED" | "insufficient_scope" | "INVALID_CREDENTIALS") | (403, _) => {
                ApiError::Forbidden("The portal would not say whether you are an administrator; the runs API is for administrators.".into())
            }
            _ => ApiError::PortalUnreachable(format!("The portal answered the sign-in check with {code} ({status}); try again later.")),
        },
        CallError::Fatal(why) | CallError::Retry(why) => {
            ApiError::PortalUnreachable(format!("The portal could not be reached to check who you are: {why} Try again later."))
        }
        // Only a run's worker is told this; a sign-in check has no lease.
        CallError::Abandoned => ApiError::PortalUnreachable("The portal could not be asked who you are; try again later.".into()),
    }
}

/// Admits a request: the portal it comes from, whose runs it may see. Fails closed.
pub async fn admit(s: &Shared, headers: &HeaderMap) -> Result<Portal, ApiError> {
    let auth = header(headers, "authorization");
    let token = auth.get(..7).filter(|p| p.eq_ignore_ascii_case("bearer ")).map(|_| auth[7..].trim()).unwrap_or("");
    let (member_id, domain) = (header(headers, "x-portal-member"), header(headers, "x-portal-domain"));
    if token.is_empty() || member_id.is_empty() || domain.is_empty() {
        return Err(unauthorized());
    }
    if s.known(member_id).is_none() {
        s.sync_portal(member_id).await;
    }
    let portal = s.known(member_id).filter(|p| p.domain.eq_ignore_ascii_case(domain)).ok_or_else(unauthorized)?;
    // Counted before the token is checked, so a flood of guesses cannot hammer the portal.
    s.gate.take(member_id).map_err(|retry_after_s| ApiError::RateLimited { retry_after_s })?;
    let key = s.gate.key(member_id, token);
    let verdict = match s.gate.cached(key) {
        Some(v) => v,
        None => {
            let url = endpoint(s, &portal)?;
            let answer = s.api.call_now(&url, token, "user.admin", json!({})).await.map_err(refused)?;
            let v = if answer["result"] == json!(true) { Verdict::Admin } else { Verdict::NotAdmin };
            s.gate.remember(key, v);
            v
        }
    };
    match verdict {
        Verdict::Admin => Ok(portal),
        Verdict::NotAdmin => {
            tracing::info!(event = "api.not_admin", member_id = %portal.member_id);
            Err(ApiError::Forbidden("The runs API is for the portal's administrators; ask one to open the console.".into()))
        }
    }
}
