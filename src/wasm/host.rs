//! The JS host object: where outputs go and where random bytes come from.

use wasm_bindgen::prelude::*;

use crate::core::{RandomSource, SeededRandom};

#[wasm_bindgen]
extern "C" {
    /// `{output(json), transmit(generation, text, sendId), random(bytes)}` from the JS glue.
    pub type Host;

    /// Receives one output (everything but transmissions) as JSON text.
    #[wasm_bindgen(method, catch)]
    pub fn output(this: &Host, json: &str) -> Result<(), JsValue>;

    /// Writes `text` on the socket of `generation`; `send_id` is 0 except on a message's first
    /// transmission.
    #[wasm_bindgen(method, catch)]
    pub fn transmit(this: &Host, generation: f64, text: &str, send_id: f64) -> Result<(), JsValue>;

    /// Fills `bytes` with random bytes (e.g. `crypto.getRandomValues`).
    #[wasm_bindgen(method, catch)]
    fn random(this: &Host, bytes: &mut [u8]) -> Result<(), JsValue>;
}

/// Random bytes from the host's `random(bytes)`, drawn a pool at a time (one call per 16
/// fingerprints instead of one each); a seeded generator stands in if the host throws.
pub struct HostRandom {
    host: Host,
    pool: [u8; POOL_BYTES],
    used: usize,
    fallback: SeededRandom,
}

const POOL_BYTES: usize = 256;

impl HostRandom {
    /// Draws from `host`.
    pub fn new(host: Host) -> Self {
        Self {
            host,
            pool: [0; POOL_BYTES],
            used: POOL_BYTES,
            fallback: SeededRandom::new(js_sys::Date::now().to_bits()),
        }
    }
}

impl RandomSource for HostRandom {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for byte in dest {
            if self.used == POOL_BYTES {
                if self.host.random(&mut self.pool).is_err() {
                    self.fallback.fill_bytes(&mut self.pool);
                }
                self.used = 0;
            }
            *byte = self.pool[self.used];
            self.used += 1;
        }
    }
}
