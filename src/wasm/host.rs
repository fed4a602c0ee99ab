//! The JS host object: where outputs go and where random bytes come from.

use wasm_bindgen::prelude::*;

use crate::core::{RandomSource, SeededRandom};

#[wasm_bindgen]
extern "C" {
    /// `Date.now()`, the current time in ms since the epoch: imported here rather than through
    /// `js_sys::Date`, since linking js-sys adds its closure and future shims to the wasm
    /// (docs/performance.md, size log).
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `{output, data, writeText, writeAck, writeFirst, writeMessage, written, received, timer, random}` from
    /// the JS glue. None of them may throw (an exception would unwind through the core
    /// mid-update):
    /// `js-glue/src/core-adapter.js` catches for them, so the calls need no exception glue.
    pub type Host;

    /// Receives one output (everything but transmissions and text app messages) as JSON text.
    #[wasm_bindgen(method)]
    pub fn output(this: &Host, json: &str);

    /// Delivers the next app message: the oldest parsed frame the glue holds for the app (one
    /// for every `frame` call whose result has [`FRAME_APP_MESSAGE`](super::FRAME_APP_MESSAGE),
    /// in order).
    #[wasm_bindgen(method)]
    pub fn data(this: &Host);

    /// Writes `text`, a frame the core encoded, on the socket of `generation`.
    #[wasm_bindgen(method, js_name = writeText)]
    pub fn write_text(this: &Host, generation: f64, text: &str);

    /// Writes, on the socket of `generation`, the ack of the oldest parsed frame the glue holds
    /// for an ack (one for every `frame` call whose result has [`FRAME_ACKED`](super::FRAME_ACKED),
    /// in order): type 4, its fp as content, its sender as `to`, from the logged-in user.
    #[wasm_bindgen(method, js_name = writeAck)]
    pub fn write_ack(this: &Host, generation: f64);

    /// Writes `text`, the first write of the app message of `send_id` (`ImClient.send`), on the
    /// socket of `generation`.
    #[cfg(not(feature = "glue-writes-messages"))]
    #[wasm_bindgen(method, js_name = writeFirst)]
    pub fn write_first(this: &Host, generation: f64, send_id: f64, text: &str);

    /// Writes the app message of `send_id`, which the glue keeps with its text, on the socket
    /// of `generation`; `first`: its first write, whose result goes to `ImClient.written`
    /// (`ImClient.sendHeld`).
    #[cfg(feature = "glue-writes-messages")]
    #[wasm_bindgen(method, js_name = writeMessage)]
    pub fn write_message(this: &Host, generation: f64, send_id: f64, first: bool);

    /// Arms the one timer to call `ImClient.timeout()` in `delay` ms, replacing the one armed;
    /// `None` disarms it.
    #[wasm_bindgen(method)]
    pub fn timer(this: &Host, delay: Option<f64>);

    /// The first write of the message of `send_id` is settled: `code` 0 written, else why not;
    /// `last` when that is the send's last outcome (`Event::MessageWritten`).
    #[wasm_bindgen(method)]
    pub fn written(this: &Host, send_id: f64, code: i32, last: bool);

    /// The QoS message of `send_id` was acknowledged (the glue knows its fp: no text crosses).
    #[wasm_bindgen(method)]
    pub fn received(this: &Host, send_id: f64);

    /// Fills `bytes` with random bytes (e.g. `crypto.getRandomValues`); `false` if it has none.
    #[wasm_bindgen(method)]
    fn random(this: &Host, bytes: &mut [u8]) -> bool;
}

/// Random bytes from the host's `random(bytes)`, drawn a pool at a time (one call per 4 096
/// fingerprints instead of one each); a seeded generator stands in if the host has none.
pub struct HostRandom {
    host: Host,
    pool: Box<[u8]>,
    used: usize,
    fallback: SeededRandom,
}

/// The pool's size. A host call costs more than its bytes: in Node 20, `getRandomValues` took
/// about 10 µs for 4 KiB and 75 µs for 64 KiB (`npm run bench`, one call per 256 and per 4 096
/// sends), so the bigger pool spends about 25 ns a send instead of about 70. No more than
/// `crypto.getRandomValues` fills in one call (65 536 bytes), and half the mini-program host's
/// own pool (js-glue/src/random-pool.js).
const POOL_BYTES: usize = 65_536;

impl HostRandom {
    /// Draws from `host`.
    pub fn new(host: Host) -> Self {
        Self {
            host,
            pool: vec![0; POOL_BYTES].into_boxed_slice(),
            used: POOL_BYTES,
            fallback: SeededRandom::new(date_now().to_bits()),
        }
    }
}

impl RandomSource for HostRandom {
    fn fill_bytes(&mut self, mut dest: &mut [u8]) {
        while !dest.is_empty() {
            if self.used == POOL_BYTES {
                if !self.host.random(&mut self.pool) {
                    self.fallback.fill_bytes(&mut self.pool);
                }
                self.used = 0;
            }
            let count = dest.len().min(POOL_BYTES - self.used);
            let (now, later) = dest.split_at_mut(count);
            now.copy_from_slice(&self.pool[self.used..self.used + count]);
            self.used += count;
            dest = later;
        }
    }
}
