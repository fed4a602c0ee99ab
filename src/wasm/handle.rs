//! The `ImClient` handle: the core behind a JS class, with its one timer and ordered delivery.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::delivery::Inner;
use super::host::{Host, HostRandom};
use super::texts::{login_texts, message, write_fingerprint, written_text};
use crate::core::{Client, Config};
use crate::protocol::json::{ObjectWriter, Style};
use crate::protocol::{error_code, SenseMode};

/// The `socket` event for an opened socket (any other number: closed).
const SOCKET_OPENED: u8 = 0;
/// `hint` kinds (`LOGOUT` is any other number).
const NETWORK_DOWN: u8 = 0;
const NETWORK_UP: u8 = 1;
const APP_SHOWN: u8 = 2;
const APP_HIDDEN: u8 = 3;
/// `configure` settings (`DEBUG_LOGS` is any other number).
const SENSE_MODE: u8 = 0;
const FINGERPRINT_LENGTH: u8 = 1;

/// A MobileIMSDK client for JS hosts.
///
/// Inbound text frames arrive parsed: the JS glue runs the runtime's `JSON.parse` (which the
/// app's message needs anyway) and passes the fields (`frame`). The text fields of a frame, a
/// sent message or a login cross through the text buffer (`textBuffer`), which the glue writes
/// with `TextEncoder.encodeInto`: no allocation and no call into wasm per string. Every output
/// reaches the host in order: transmissions through `host.transmit`, an app message as a
/// `host.data()` call (the glue holds its parsed object), everything else as JSON text through
/// `host.output` (see `js-glue/src/core-adapter.js`). Calls made from inside those callbacks
/// are safe: their outputs queue behind the ones being delivered. Socket generations and send
/// ids are plain numbers (no `BigInt`, which older iOS runtimes lack).
#[wasm_bindgen]
pub struct ImClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ImClient {
    /// A client in the `idle` state that reports to `host` and draws random bytes from it.
    #[wasm_bindgen(constructor)]
    pub fn new(host: Host) -> ImClient {
        #[cfg(feature = "debug-panics")]
        console_error_panic_hook::set_once();
        let random = Box::new(HostRandom::new(host.clone().unchecked_into()));
        let client = Client::new(Config::default(), random);
        ImClient {
            inner: Rc::new(Inner::new(client, host)),
        }
    }

    /// Starts a session: the first `written` bytes of the text buffer hold the login object as
    /// JSON, `info_len` JS string units (UTF-16) long, then the server URL. Returns 0, or 4
    /// (invalid login object) / 205 (no URL) / 203 (destroyed).
    pub fn login(&self, written: u32, info_len: u32) -> i32 {
        let Some((info, url)) = login_texts(&self.inner.texts.borrow(), written, info_len) else {
            return error_code::COMMON_INVALID_PROTOCAL;
        };
        Inner::run(&self.inner, |client, now| {
            client
                .login(now, info, url)
                .map_or_else(|e| e.code(), |_| 0)
        })
        .unwrap_or(error_code::CLIENT_SDK_NO_INITIALED)
    }

    /// Grows the text buffer to at least `capacity` bytes and returns its address in wasm
    /// memory. The address changes only in this call; a JS view of the buffer is also detached
    /// when the wasm memory grows, and then asked for again.
    #[wasm_bindgen(js_name = textBuffer)]
    pub fn text_buffer(&self, capacity: u32) -> u32 {
        let mut texts = self.inner.texts.borrow_mut();
        let capacity = capacity as usize;
        if texts.len() < capacity {
            texts.resize(capacity, 0);
        }
        texts.as_ptr() as u32
    }

    /// The wasm memory, for the glue's view of the text buffer.
    pub fn memory(&self) -> JsValue {
        wasm_bindgen::memory()
    }

    /// Sends a message given field by field: `flags` holds `bridge` (1) and `QoS` (2), the
    /// first `written` bytes of the text buffer hold `dataContent`, `from`, `to` and `fp` joined
    /// by one separator character, and the lengths are their JS string lengths (UTF-16 code
    /// units), -1 for `null`: no JSON to stringify and parse. The JS glue checks the fields'
    /// types. An unset `from` is the logged-in user. Returns the send id (> 0) when accepted,
    /// else the negated error code. When the core generated the fingerprint (a QoS message
    /// without one), the text buffer then starts with it: its length in the first byte (at most
    /// [`MAX_FINGERPRINT_LENGTH`](crate::core::MAX_FINGERPRINT_LENGTH)), then its characters.
    #[allow(clippy::too_many_arguments)]
    pub fn send(
        &self,
        flags: u8,
        kind: i32,
        typeu: i32,
        written: u32,
        data_len: i32,
        from_len: i32,
        to_len: i32,
        fp_len: i32,
    ) -> f64 {
        let lengths = [data_len, from_len, to_len, fp_len];
        let outcome = Inner::run(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            let message = message(flags, kind, typeu, written_text(&texts, written)?, lengths)?;
            Some(client.send(now, message))
        });
        match outcome {
            None => -f64::from(error_code::CLIENT_SDK_NO_INITIALED),
            Some(None) => -f64::from(error_code::COMMON_INVALID_PROTOCAL),
            Some(Some(Err(err))) => -f64::from(err.code()),
            Some(Some(Ok(receipt))) => {
                if let Some(fp) = receipt.fp.filter(|_| fp_len < 1) {
                    write_fingerprint(&mut self.inner.texts.borrow_mut(), &fp);
                }
                receipt.send_id as f64
            }
        }
    }

    /// A text frame arrived on the socket of `generation`, parsed by the JS glue with
    /// `JSON.parse` and checked by the decoder's rules: its fields as in `send`. Returns whether
    /// it carries an app message for the app; if so, `host.data()` will say when to hand the
    /// app the parsed object (the glue keeps those objects in order: no copy back out of wasm).
    #[allow(clippy::too_many_arguments)]
    pub fn frame(
        &self,
        generation: f64,
        flags: u8,
        kind: i32,
        typeu: i32,
        written: u32,
        data_len: i32,
        from_len: i32,
        to_len: i32,
        fp_len: i32,
    ) -> bool {
        let lengths = [data_len, from_len, to_len, fp_len];
        Inner::run(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            // `None` only if the glue wrote other texts than it says.
            let frame = message(flags, kind, typeu, written_text(&texts, written)?, lengths)?;
            let before = client.app_messages_emitted();
            client.socket_frame(now, generation as u64, frame.to_frame());
            Some(client.app_messages_emitted() != before)
        })
        .flatten()
        .unwrap_or(false)
    }

    /// The socket of `generation` opened (`SOCKET_OPENED`) or closed (any other number).
    pub fn socket(&self, event: u8, generation: f64) {
        let generation = generation as u64;
        Inner::run(&self.inner, |client, now| {
            if event == SOCKET_OPENED {
                client.socket_opened(now, generation)
            } else {
                client.socket_closed(now, generation)
            }
        });
    }

    /// A host hint or app command without arguments: `NETWORK_DOWN`, `NETWORK_UP`,
    /// `APP_SHOWN`, `APP_HIDDEN` or `LOGOUT` (which reports unacknowledged messages lost).
    pub fn hint(&self, hint: u8) {
        Inner::run(&self.inner, |client, now| match hint {
            NETWORK_DOWN => client.network_changed(now, false),
            NETWORK_UP => client.network_changed(now, true),
            APP_SHOWN => client.app_shown(now),
            APP_HIDDEN => client.app_hidden(now),
            _ => client.logout(now),
        });
    }

    /// Changes a setting: `SENSE_MODE` (stock number 1–7; `false` for another number),
    /// `FINGERPRINT_LENGTH` (0 for UUID v4) or `DEBUG_LOGS` (0 off, else on).
    pub fn configure(&self, setting: u8, value: i32) -> bool {
        match setting {
            SENSE_MODE => SenseMode::from_code(value).is_some_and(|mode| {
                Inner::run(&self.inner, |client, now| client.set_sense_mode(now, mode)).is_some()
            }),
            FINGERPRINT_LENGTH => {
                let length = usize::try_from(value).ok().filter(|n| *n > 0);
                self.inner
                    .client
                    .borrow_mut()
                    .set_fingerprint_length(length);
                true
            }
            _ => {
                self.inner.client.borrow_mut().set_debug_logs(value != 0);
                true
            }
        }
    }

    /// The state as JSON: `{"state":"online","loggedIn":true,"online":true,"loginInfo":{…}|null}`
    /// (the login info with the server's `firstLoginTime` once known).
    pub fn status(&self) -> String {
        let client = self.inner.client.borrow();
        let mut writer = ObjectWriter::new(Style::Client);
        writer
            .string("state", Some(client.state().as_str()))
            .bool("loggedIn", client.is_logged_in())
            .bool("online", client.is_online())
            .raw("loginInfo", |out| match client.login_info() {
                Some(info) => out.push_str(&info.to_json()),
                None => out.push_str("null"),
            });
        writer.finish()
    }

    /// Stops the timer and ignores every later call; the host closes its socket itself.
    pub fn destroy(&self) {
        self.inner.destroy();
    }
}
