//! The JS host: where outputs go and where random bytes come from.

use js_sys::{Function, Uint8Array};
use wasm_bindgen::JsValue;

use crate::core::{RandomSource, SeededRandom};

/// Random bytes from the host's `random(Uint8Array)` function (e.g. `crypto.getRandomValues`);
/// a seeded generator stands in if the host function throws.
pub struct HostRandom {
    fill: Function,
    fallback: SeededRandom,
}

impl HostRandom {
    /// Wraps the host's fill function.
    pub fn new(fill: Function) -> Self {
        Self {
            fill,
            fallback: SeededRandom::new(js_sys::Date::now().to_bits()),
        }
    }
}

impl RandomSource for HostRandom {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let len = u32::try_from(dest.len()).unwrap_or(u32::MAX);
        let array = Uint8Array::new_with_length(len);
        match self.fill.call1(&JsValue::NULL, &array) {
            Ok(_) if array.length() as usize == dest.len() => array.copy_to(dest),
            _ => self.fallback.fill_bytes(dest),
        }
    }
}
