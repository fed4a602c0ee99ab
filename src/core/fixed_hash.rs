//! Hash maps with a fixed-key hasher.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::fp_hasher::FpHasher;

/// A `HashMap` of fingerprints whose hasher needs no per-map random keys: [`FpHasher`] with
/// seed 0. Its keys are the fingerprints of the SDK's own pending messages, so a peer cannot
/// aim collisions; and it spares the wasm std's random-key machinery.
pub type FixedHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FpHasher>>;
