//! The portal's request limit, as a leaky bucket (https://apidocs.bitrix24.com/limits.html): every
//! request adds one to the bucket, the bucket drains `rate` requests a second, and a request that
//! would fill it beyond `burst` is refused with `QUERY_LIMIT_EXCEEDED`.
//!
//! One model serves both sides: the sandbox refuses with it, as the portal does, and a caller paces
//! itself with it (`Pacer`), so that a normal run is never refused. Time is passed in as
//! milliseconds, so everything here is tested without a clock.

/// The cloud portal's limits: 2 requests a second, a burst of 50.
pub const PORTAL_RATE: f64 = 2.0;
pub const PORTAL_BURST: f64 = 50.0;

#[derive(Clone, Debug, PartialEq)]
pub struct LeakyBucket {
    pub rate: f64,
    pub burst: f64,
    level: f64,
    last_ms: u64,
}

impl LeakyBucket {
    pub fn new(rate: f64, burst: f64) -> Self {
        LeakyBucket { rate, burst, level: 0.0, last_ms: 0 }
    }

    /// A bucket as stored elsewhere (a database shared by several callers): its level at `last_ms`.
    pub fn from_state(rate: f64, burst: f64, level: f64, last_ms: u64) -> Self {
        LeakyBucket { rate, burst, level, last_ms }
    }

    /// What `from_state` takes back: the level, and when it was that.
    pub fn state(&self) -> (f64, u64) {
        (self.level, self.last_ms)
    }

    /// How full the bucket is at `now_ms` (time never runs backwards here).
    pub fn level_at(&self, now_ms: u64) -> f64 {
        let elapsed = now_ms.saturating_sub(self.last_ms) as f64 / 1000.0;
        (self.level - elapsed * self.rate).max(0.0)
    }

    fn settle(&mut self, now_ms: u64) {
        self.level = self.level_at(now_ms);
        self.last_ms = self.last_ms.max(now_ms);
    }

    /// Takes one request at `now_ms`; `false` when it would overflow (the request is refused and
    /// adds nothing).
    pub fn try_take(&mut self, now_ms: u64) -> bool {
        self.settle(now_ms);
        if self.level + 1.0 > self.burst {
            return false;
        }
        self.level += 1.0;
        true
    }

    /// Milliseconds from `now_ms` until one more request fits while leaving `headroom` requests of
    /// room unused (0 when it fits now).
    pub fn wait_ms(&self, now_ms: u64, headroom: f64) -> u64 {
        let over = self.level_at(now_ms) + 1.0 + headroom - self.burst;
        if over <= 0.0 || self.rate <= 0.0 {
            return 0;
        }
        (over / self.rate * 1000.0).ceil() as u64
    }

    /// Takes one request at `now_ms` if it fits while leaving `headroom` requests unused (at most
    /// `burst - 1`, so that a small bucket still lets one through): 0 when it is taken, else the
    /// milliseconds to wait before asking again.
    pub fn take_leaving(&mut self, now_ms: u64, headroom: f64) -> u64 {
        let headroom = headroom.clamp(0.0, (self.burst - 1.0).max(0.0));
        match self.wait_ms(now_ms, headroom) {
            0 if self.try_take(now_ms) => 0,
            wait => wait.max(1),
        }
    }

    /// Counts the bucket as full at `now_ms`: what a refusal says about it.
    pub fn fill(&mut self, now_ms: u64) {
        self.settle(now_ms);
        self.level = self.burst;
    }
}

/// Paces one caller's requests under the portal's bucket, with a margin left for other apps and
/// the portal's own pages, which share the bucket. Refusals that happen anyway (someone else took
/// the room) and `OPERATION_TIME_LIMIT` pauses are folded in, so the next delay accounts for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Pacer {
    bucket: LeakyBucket,
    /// Requests of room left unused.
    pub margin: f64,
    /// No request before this time (an `OPERATION_TIME_LIMIT` reset, or a backoff).
    paused_until_ms: u64,
    /// Refusals in a row, for the backoff.
    refusals: u32,
}

impl Pacer {
    pub fn new(rate: f64, burst: f64, margin: f64) -> Self {
        Pacer { bucket: LeakyBucket::new(rate, burst), margin: margin.clamp(0.0, burst - 1.0), paused_until_ms: 0, refusals: 0 }
    }

    /// The cloud portal's limits with a margin of five requests.
    pub fn portal() -> Self {
        Pacer::new(PORTAL_RATE, PORTAL_BURST, 5.0)
    }

    /// How long to wait from `now_ms` before the next request.
    pub fn delay_ms(&self, now_ms: u64) -> u64 {
        let paused = self.paused_until_ms.saturating_sub(now_ms);
        paused.max(self.bucket.wait_ms(now_ms, self.margin))
    }

    /// A request went out at `now_ms` and was answered.
    pub fn sent(&mut self, now_ms: u64) {
        self.bucket.try_take(now_ms);
        self.refusals = 0;
    }

    /// The portal answered `QUERY_LIMIT_EXCEEDED` at `now_ms`: the bucket is full, whoever filled
    /// it. Wait until it has drained the margin, longer after each refusal in a row (up to 30 s).
    pub fn refused(&mut self, now_ms: u64) {
        self.bucket.fill(now_ms);
        self.refusals = self.refusals.saturating_add(1);
        let backoff = (1_000u64 << self.refusals.min(5)).min(30_000);
        self.paused_until_ms = self.paused_until_ms.max(now_ms + backoff);
    }

    /// The portal answered `OPERATION_TIME_LIMIT`: nothing more until `reset_at_ms` (the answer's
    /// `operating_reset_at`, in milliseconds).
    pub fn operation_limit(&mut self, now_ms: u64, reset_at_ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(reset_at_ms.max(now_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_takes_a_burst_then_its_rate() {
        let mut b = LeakyBucket::new(2.0, 50.0);
        assert!((0..50).all(|_| b.try_take(0)));
        assert!(!b.try_take(0), "the 51st request at once overflows");
        assert!(!b.try_take(400));
        assert!(b.try_take(500), "half a second drains one request");
        assert_eq!(b.wait_ms(500, 0.0), 500);
        assert_eq!(b.level_at(100_000), 0.0);
    }

    #[test]
    fn a_request_is_taken_only_with_the_headroom_left_and_a_small_bucket_still_takes_one() {
        let mut b = LeakyBucket::new(2.0, 50.0);
        assert!((0..45).all(|_| b.take_leaving(0, 5.0) == 0));
        assert_eq!(b.take_leaving(0, 5.0), 500, "the 46th waits for half a second's drain");
        assert_eq!(b.take_leaving(500, 5.0), 0);
        let mut tiny = LeakyBucket::new(2.0, 3.0);
        assert_eq!(tiny.take_leaving(0, 5.0), 0, "a bucket smaller than the headroom");
    }

    #[test]
    fn a_paced_caller_is_never_refused_and_runs_near_the_floor() {
        let mut portal = LeakyBucket::new(PORTAL_RATE, PORTAL_BURST);
        let mut pacer = Pacer::portal();
        let (mut now, n) = (0u64, 1_000u64);
        for _ in 0..n {
            now += pacer.delay_ms(now);
            assert!(portal.try_take(now), "refused at {now} ms");
            pacer.sent(now);
        }
        // The floor: the burst less the margin at once, then 2 a second.
        let floor_ms = (n as f64 - (PORTAL_BURST - 5.0)) / PORTAL_RATE * 1000.0;
        assert!(now as f64 <= floor_ms * 1.01 + 500.0, "{now} ms against a floor of {floor_ms} ms");
        assert!(now as f64 >= floor_ms - 1000.0, "{now} ms is faster than the bucket allows");
    }

    #[test]
    fn refusals_back_off_and_the_bucket_counts_as_full() {
        let mut pacer = Pacer::portal();
        pacer.refused(1_000);
        let first = pacer.delay_ms(1_000);
        assert!(first >= 1_000, "{first}");
        pacer.refused(1_000 + first);
        assert!(pacer.delay_ms(1_000 + first) > first, "a second refusal in a row waits longer");
        pacer.sent(100_000);
        pacer.refused(200_000);
        assert_eq!(pacer.delay_ms(200_000), 3_000, "an answered request resets the backoff; a full bucket drains the margin");
    }

    #[test]
    fn an_operation_limit_pauses_until_its_reset() {
        let mut pacer = Pacer::portal();
        pacer.operation_limit(10_000, 70_000);
        assert_eq!(pacer.delay_ms(10_000), 60_000);
        assert_eq!(pacer.delay_ms(70_000), 0);
        pacer.operation_limit(80_000, 5_000);
        assert_eq!(pacer.delay_ms(80_000), 0, "a reset in the past does not pause");
    }
}
