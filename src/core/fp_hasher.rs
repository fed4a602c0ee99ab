//! A cheap seeded 64-bit hash of fingerprints, eight bytes a step.
//!
//! Fingerprints are short ASCII ids (a UUID is 36 bytes), hashed at a send, at its ack and at
//! each received QoS frame. SipHash, std's default, cost 400 to 650 wasm instructions a hash,
//! which iOS interprets; this costs a multiply and a shift per eight bytes (docs/performance.md,
//! "The hasher and the text buffer").

use std::hash::Hasher;

/// 2^64 divided by the golden ratio, odd: multiplying by it is a bijection that spreads each
/// bit over the higher ones.
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// A seeded, non-cryptographic 64-bit hasher for byte strings.
///
/// Each step, for fixed earlier input, maps its eight bytes to the state one to one, and the
/// final mix is one to one too: so two inputs of the same length that differ in one eight-byte
/// word never hash equal. The length is part of the last step, so a string and the same string
/// with zero bytes appended differ. Nothing stops chosen collisions: use it where an attacker
/// gains nothing from them (the QoS table's own fingerprints; the seen cache, see
/// [`SeenCache`](super::qos_receive::SeenCache)).
#[derive(Clone, Copy, Debug, Default)]
pub struct FpHasher {
    state: u64,
}

impl FpHasher {
    /// A hasher whose results depend on `seed`.
    pub const fn with_seed(seed: u64) -> Self {
        Self { state: seed }
    }
}

impl Hasher for FpHasher {
    /// Out of line: inlined into each map operation it made the browser's wasm (opt-level 3)
    /// 1.7 KB larger.
    #[inline(never)]
    fn write(&mut self, bytes: &[u8]) {
        // The state kept in a local: stored back once, not at every step.
        let mut state = self.state;
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            state = mix(state, u64::from_le_bytes(*word));
            rest = tail;
        }
        // At most seven bytes are left, so the top byte of their word is free for the length.
        self.state = mix(state, tail_word(rest) | (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, byte: u8) {
        self.state = mix(self.state, u64::from(byte));
    }

    /// The state mixed once more, the high half folded in first: the last word's bits reach
    /// the low ones, which pick a hash table's bucket.
    fn finish(&self) -> u64 {
        mix(self.state ^ (self.state >> 32), 0)
    }
}

/// One step: a multiply spreads each bit upwards, the shift folds the well-mixed high half
/// into the low one, where the next word lands. (A rotation instead of the shift, FxHash's
/// step, let words differing in their high bytes cancel out: a third of a million
/// collisions among a million hexadecimal counter fps.)
fn mix(state: u64, word: u64) -> u64 {
    let product = (state ^ word).wrapping_mul(MULTIPLIER);
    product ^ (product >> 32)
}

/// The fewer than eight bytes of `rest` (a longer `rest` is a bug) as a little-endian number,
/// read in at most two overlapping loads instead of a loop.
fn tail_word(rest: &[u8]) -> u64 {
    let length = rest.len() as u32;
    if let (Some(first), Some(last)) = (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
        let high = u64::from(u32::from_le_bytes(*last)) >> (8 * (8 - length));
        u64::from(u32::from_le_bytes(*first)) | high << 32
    } else if let (Some(first), Some(last)) = (rest.first_chunk::<2>(), rest.last_chunk::<2>()) {
        let high = u64::from(u16::from_le_bytes(*last)) >> (8 * (4 - length));
        u64::from(u16::from_le_bytes(*first)) | high << 16
    } else {
        rest.first().map_or(0, |&byte| u64::from(byte))
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};
    use std::rc::Rc;

    use super::*;

    fn hash(seed: u64, bytes: &[u8]) -> u64 {
        let mut hasher = FpHasher::with_seed(seed);
        hasher.write(bytes);
        hasher.finish()
    }

    #[test]
    fn equal_inputs_hash_equal() {
        let fp = "0b7c3a52-8d1e-4f6a-9c2b-5e4d3c2b1a09";
        let copy = fp.to_owned();
        assert_eq!(hash(7, fp.as_bytes()), hash(7, copy.as_bytes()));
        // The QoS table's keys are `Rc<str>`, looked up by `&str`.
        let build = BuildHasherDefault::<FpHasher>::default();
        assert_eq!(build.hash_one(Rc::<str>::from(fp)), build.hash_one(fp));
    }

    #[test]
    fn the_seed_changes_the_result() {
        for input in [&b""[..], b"a", b"fp-0000000c-bob-4f1c8a2e"] {
            let digests: Vec<u64> = (0..8).map(|seed| hash(seed, input)).collect();
            for (index, digest) in digests.iter().enumerate() {
                assert!(!digests[..index].contains(digest), "{input:?}");
            }
        }
    }

    #[test]
    fn the_length_matters() {
        assert_ne!(hash(0, b"a"), hash(0, b"a\0"));
        assert_ne!(hash(0, b""), hash(0, b"\0"));
        assert_ne!(hash(0, b"abcdefgh"), hash(0, b"abcdefgh\0"));
        assert_ne!(hash(0, b"abcdefg"), hash(0, b"abcdefg\0"));
    }

    #[test]
    fn the_tail_is_read_whole() {
        // Every byte of a tail of one to seven bytes, each its own value, in its own place.
        for length in 1..8 {
            let bytes: Vec<u8> = (1..=length).collect();
            let expected = bytes
                .iter()
                .enumerate()
                .fold(0, |word, (at, &byte)| word | u64::from(byte) << (8 * at));
            assert_eq!(tail_word(&bytes), expected, "length {length}");
        }
    }

    #[test]
    fn sequential_fingerprints_spread_over_the_buckets() {
        // A hash table picks the bucket by the low bits and tags entries with the top 7 bits
        // of the hash (of its low 32 bits on wasm32).
        let keys = 1 << 16;
        let mut buckets = vec![false; keys];
        let mut tags = [[0u32; 128]; 2];
        for index in 0..keys {
            let digest = hash(0, format!("fp-{index:08x}-bob").as_bytes());
            buckets[(digest & 0xffff) as usize] = true;
            tags[0][(digest >> 57) as usize] += 1;
            tags[1][(digest >> 25 & 0x7f) as usize] += 1;
        }
        // A random function fills 1 - 1/e (63 %) of as many buckets as keys.
        let filled = buckets.iter().filter(|&&filled| filled).count();
        assert!(filled * 100 >= keys * 60, "{filled} of {keys} buckets");
        let mean = keys as u32 / 128;
        for counts in tags {
            assert!(
                counts.iter().all(|&n| n > mean * 3 / 4 && n < mean * 5 / 4),
                "{counts:?} {filled}"
            );
        }
    }

    #[test]
    fn counter_fingerprints_do_not_collide() {
        // Counters in hexadecimal and decimal, at every alignment to the eight-byte steps.
        let prefix = "fp-abcde";
        for offset in 0..=prefix.len() {
            for decimal in [false, true] {
                let mut digests = std::collections::HashSet::new();
                for counter in 0..1 << 16 {
                    let fp = if decimal {
                        format!("{}{counter}", &prefix[..offset])
                    } else {
                        format!("{}{counter:08x}-bob", &prefix[..offset])
                    };
                    assert!(digests.insert(hash(0, fp.as_bytes())), "{fp}");
                }
            }
        }
    }

    #[test]
    fn inputs_differing_in_one_byte_hash_differently() {
        for length in 0..=40 {
            let base: Vec<u8> = (0..length).map(|at| b'0' + at % 10).collect();
            let base_digest = hash(0x5eed, &base);
            for at in 0..usize::from(length) {
                for flip in [1u8, 0x80, 0xff] {
                    let mut changed = base.clone();
                    changed[at] ^= flip;
                    assert_ne!(
                        hash(0x5eed, &changed),
                        base_digest,
                        "length {length}, byte {at}, xor {flip:#x}"
                    );
                }
            }
        }
    }
}
