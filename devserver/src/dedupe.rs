//! The C2S received cache (`QoS4ReciveDaemonC2S`): fingerprints of QoS messages sent to the
//! server, so that a client's retry is acknowledged again but not processed again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The stock cache's timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupeTimings {
    /// How often old fingerprints are swept out (stock: 5 minutes).
    pub sweep_interval: Duration,
    /// How long a fingerprint is remembered after it was last seen (stock: 10 minutes).
    pub lifetime: Duration,
}

impl Default for DedupeTimings {
    fn default() -> Self {
        Self {
            sweep_interval: Duration::from_secs(5 * 60),
            lifetime: Duration::from_secs(10 * 60),
        }
    }
}

/// Fingerprints of C2S QoS messages already received.
#[derive(Debug, Default)]
pub struct ReceivedCache {
    lifetime: Duration,
    seen: Mutex<HashMap<String, Instant>>,
}

impl ReceivedCache {
    /// An empty cache that keeps fingerprints for `lifetime` after they were last seen.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            seen: Mutex::default(),
        }
    }

    /// Records `fp` as seen at `now`; returns whether it had been seen before (a duplicate).
    pub fn check_and_add(&self, fp: &str, now: Instant) -> bool {
        self.lock().insert(fp.to_owned(), now).is_some()
    }

    /// Forgets fingerprints last seen more than the lifetime before `now`.
    pub fn sweep(&self, now: Instant) {
        let lifetime = self.lifetime;
        self.lock()
            .retain(|_, seen| now.saturating_duration_since(*seen) <= lifetime);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.seen.lock().expect("dedupe lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_detected_until_swept() {
        let cache = ReceivedCache::new(Duration::from_secs(600));
        let t0 = Instant::now();
        let at = |secs| t0 + Duration::from_secs(secs);
        assert!(!cache.check_and_add("f", t0));
        assert!(!cache.check_and_add("g", at(10)));
        assert!(cache.check_and_add("f", at(60)));
        cache.sweep(at(660));
        cache.sweep(at(611));
        assert!(cache.check_and_add("f", at(661)));
        cache.sweep(at(1262));
        assert!(!cache.check_and_add("f", at(1263)));
    }
}
