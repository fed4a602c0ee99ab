//! Receive-side de-duplication: a bounded, time-limited set of seen fingerprints.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use super::fp_hasher::FpHasher;

/// Fingerprints seen in the last `ttl_ms`, at most `capacity` of them (oldest evicted first).
///
/// Entries are 64-bit digests ([`FpHasher`], seeded with a salt drawn per client), so a peer
/// sending huge fingerprints cannot grow memory beyond `capacity` small entries. The digest is
/// not cryptographic, and need not be: a peer that knows an fp can already get it dropped as a
/// duplicate by sending it first, so a collision aimed at it adds nothing. An accidental one
/// drops a new message as a duplicate: with digests spread evenly, a new fp meets one of the
/// `capacity` remembered ones with a chance of `capacity / 2^64`, 5.4 × 10⁻¹⁶ a frame at the
/// default 10 000 (5.4 × 10⁻¹⁵ at the largest, 100 000); two fps of the same length that differ
/// in only one eight-byte word never collide.
#[derive(Debug)]
pub struct SeenCache {
    salt: u64,
    ttl_ms: u64,
    capacity: usize,
    /// The digests seen, with the time of their last insert: a set, as a map (its `insert` is
    /// one probe that tells a duplicate; a `HashSet` cost the mini-program wasm 100 bytes more).
    seen_at: HashMap<u64, u64, BuildHasherDefault<DigestHasher>>,
    /// The digests of `seen_at`, oldest first, with when each was first seen.
    order: VecDeque<(u64, u64)>,
}

impl SeenCache {
    /// An empty cache.
    pub fn new(salt: u64, ttl_ms: u64, capacity: usize) -> Self {
        Self {
            salt,
            ttl_ms,
            capacity,
            seen_at: HashMap::default(),
            order: VecDeque::new(),
        }
    }

    /// Records `fp` at `now`; returns `true` if it was already seen within the TTL.
    pub fn check_and_insert(&mut self, fp: &str, now: u64) -> bool {
        self.expire(now);
        if self.capacity == 0 {
            return false;
        }
        // One probe of the table: a digest already there is a duplicate (its time is not read
        // again: `order` keeps when each was first seen).
        let digest = self.digest(fp);
        if self.seen_at.insert(digest, now).is_some() {
            return true;
        }
        self.order.push_back((digest, now));
        while self.seen_at.len() > self.capacity {
            self.evict_oldest();
        }
        false
    }

    /// Changes the TTL (applied at the next check) and the capacity (the oldest beyond it are
    /// forgotten now).
    pub fn resize(&mut self, ttl_ms: u64, capacity: usize) {
        self.ttl_ms = ttl_ms;
        self.capacity = capacity;
        while self.seen_at.len() > capacity {
            self.evict_oldest();
        }
    }

    /// How many fingerprints are remembered.
    pub fn len(&self) -> usize {
        self.seen_at.len()
    }

    fn expire(&mut self, now: u64) {
        while let Some(&(_, at)) = self.order.front() {
            if now.saturating_sub(at) < self.ttl_ms {
                break;
            }
            self.evict_oldest();
        }
    }

    fn evict_oldest(&mut self) {
        if let Some((digest, _)) = self.order.pop_front() {
            self.seen_at.remove(&digest);
        }
    }

    fn digest(&self, fp: &str) -> u64 {
        let mut hasher = FpHasher::with_seed(self.salt);
        hasher.write(fp.as_bytes());
        hasher.finish()
    }
}

/// The hasher of the digest-keyed map: a key that is already a salted 64-bit digest is its own
/// hash (hashing it again would cost a hash per lookup for nothing).
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, digest: u64) {
        self.0 = digest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_within_ttl_and_forgets_after() {
        let mut cache = SeenCache::new(9, 1_000, 10);
        assert!(!cache.check_and_insert("a", 0));
        assert!(cache.check_and_insert("a", 999));
        assert!(!cache.check_and_insert("a", 1_000));
    }

    #[test]
    fn evicts_the_oldest_at_capacity() {
        let mut cache = SeenCache::new(9, u64::MAX, 2);
        cache.check_and_insert("a", 0);
        cache.check_and_insert("b", 1);
        cache.check_and_insert("c", 2);
        assert_eq!(cache.len(), 2);
        assert!(!cache.check_and_insert("a", 3), "a was evicted");
        assert!(cache.check_and_insert("c", 4));
    }
}
