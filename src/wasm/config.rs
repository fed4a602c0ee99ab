//! `ImClient.setConfig`: the timings of docs/client-behaviour.md §12, changed from JS.

use wasm_bindgen::prelude::*;

use super::delivery::Inner;
use super::handle::ImClient;
use super::texts::text_prefix;
use crate::protocol::error_code;

#[wasm_bindgen]
impl ImClient {
    /// Changes the timings: the first `written` bytes of the text buffer hold the app's object
    /// as JSON (`JSON.stringify`), whose members are timing names with non-negative integer
    /// values (`Config::with_json`). The core checks everything (names, types, bounds) and
    /// applies all or nothing. Returns 0, 209 (refused and logged: nothing changed) or 203
    /// (destroyed).
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&self, written: u32) -> i32 {
        Inner::run(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            let json = text_prefix(&texts, written).unwrap_or_default();
            client
                .set_config_json(now, json)
                .map_or_else(|err| err.code(), |()| error_code::COMMON_CODE_OK)
        })
        .unwrap_or(error_code::CLIENT_SDK_NO_INITIALED)
    }
}
