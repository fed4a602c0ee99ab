//! Hash maps with a fixed-seed hasher.

use std::collections::HashMap;

use foldhash::fast::FixedState;

/// A `HashMap` whose hasher needs no per-map random keys: foldhash's fast hasher with a fixed
/// seed. Its keys are the fingerprints of the SDK's own pending messages, so a peer cannot aim
/// collisions; and it spares the wasm std's random-key machinery.
pub type FixedHashMap<K, V> = HashMap<K, V, FixedState>;
