//! Hash maps with a fixed-key hasher.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` whose hasher needs no per-map random keys ([`WordHasher`]). Its keys are the
/// fingerprints of the SDK's own pending messages, so a peer cannot aim collisions; and it spares
/// the wasm std's random-key machinery.
pub type FixedHashMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// The multiplier of FxHash (`rustc-hash` 1), an odd constant with well-spread bits.
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// FxHash's step over eight bytes at a time: rotate, xor the word in, multiply. A fingerprint
/// costs a few dozen instructions where SipHash took some 600 interpreted (iOS;
/// docs/performance.md, "Counted wasm instructions"); the `rustc-hash` crate does the same for
/// 330 bytes more of the mini-program's wasm (`npm run build`, before and after).
#[derive(Debug, Default)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            rest = tail;
        }
        let mut last = [0; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The multiplications mix upward: the best bits are the high ones, which the table's
        // bucket index (the low bits) then gets too.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(text: &str) -> u64 {
        BuildHasherDefault::<WordHasher>::default().hash_one(text)
    }

    #[test]
    fn fingerprints_that_differ_anywhere_hash_apart() {
        let base = "6f1c2a3b-0000-4a5b-9c8d-000000000000";
        let mut seen = std::collections::HashSet::new();
        for at in 0..base.len() {
            for digit in ['1', '7', 'f'] {
                let mut variant = base.to_string();
                variant.replace_range(at..=at, &digit.to_string());
                seen.insert(hash(&variant));
            }
        }
        let differing = seen.len();
        assert!(
            differing >= 3 * base.len() - 3,
            "{differing} distinct hashes"
        );
        assert_ne!(hash("ab"), hash("ab\0"), "a trailing zero byte counts");
        assert_ne!(hash(""), hash("\0"));
    }

    #[test]
    fn a_table_of_sequential_fingerprints_spreads_over_its_buckets() {
        // The low 10 bits (a 1 024-bucket table's index) of 1 024 app fingerprints "m0" … "m1023".
        let buckets: std::collections::HashSet<u64> =
            (0..1024).map(|n| hash(&format!("m{n}")) & 1023).collect();
        assert!(
            buckets.len() > 600,
            "{} of 1024 buckets used",
            buckets.len()
        );
    }
}
