//! The `ImClient` handle: the core behind a JS class, with its one timer and ordered delivery.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::delivery::Inner;
use super::host::{Host, HostRandom};
use super::inputs::{Hint, Setting, SocketEvent};
use super::texts::{
    login_texts, message, text_prefix, write_fingerprint, FIELD_LENGTHS, FIELD_SENT_FROM_USER,
    FIELD_SENT_ID,
};
use crate::core::{
    Client, Config, Event, FrameHandled, HostReply, LogTopic, SendError, SendReceipt,
};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, ProtocalRef, ProtocalType};

/// A bit of `status()`: the session logged in and has not ended (it may be reconnecting).
pub const STATUS_LOGGED_IN: u32 = 16;
/// A bit of `status()`: the client is online now.
pub const STATUS_ONLINE: u32 = 32;
/// A bit of `status()`: a login info exists (from the login until the session ends).
pub const STATUS_SESSION: u32 = 64;
/// A bit of `frame`'s result: the frame carries an app message (`host.data()` will follow).
pub const FRAME_APP_MESSAGE: u32 = 1;
/// A bit of `frame`'s result: the frame is acked (`host.writeAck()` will follow).
pub const FRAME_ACKED: u32 = 2;

/// A MobileIMSDK client for JS hosts, one method per input (docs/client-behaviour.md §11).
///
/// Inbound text frames arrive parsed: the JS glue runs the runtime's `JSON.parse` (which the
/// app's message needs anyway) and passes the fields (`frame`). The numbers of a frame, a sent
/// message or a login cross in the fields (`fields`), their texts in the text buffer
/// (`textBuffer`), which the glue writes with `TextEncoder.encodeInto`: no allocation and no
/// call into wasm per string. Every output reaches the host in order: frames to write through
/// `host.writeText` / `host.writeFirst`, acknowledgements through `host.received`, an app
/// message as a `host.data()` call and its ack as a `host.writeAck()` call (the glue holds the
/// parsed frame), everything else as JSON
/// text through `host.output` (see `js-glue/src/core-adapter.js`). Calls made from inside
/// those callbacks are safe: their outputs queue behind the ones being delivered. Socket
/// generations and send ids are plain numbers (no `BigInt`, which older iOS runtimes lack).
#[wasm_bindgen]
pub struct ImClient {
    pub(super) inner: Rc<Inner>,
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

    /// Starts a session: the text buffer holds the login's `loginUserId`, `loginToken`, `extra`
    /// and the server URL, as `send` holds a message's texts (absent ones −1), and
    /// `first_login_time` is its `firstLoginTime` (0 when unknown). Returns 0, or 4 (no user id)
    /// / 205 (no URL) / 203 (destroyed).
    pub fn login(&self, first_login_time: f64) -> i32 {
        let texts = self.inner.texts.borrow();
        let login = login_texts(&texts, &self.inner.fields.borrow(), first_login_time as i64);
        drop(texts);
        let Some((info, url)) = login else {
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

    /// The address of the fields: the numbers of a `login`, `send` or `frame` call, 32-bit
    /// integers at the indices of src/wasm/texts.rs. It never changes.
    pub fn fields(&self) -> u32 {
        self.inner.fields.as_ptr() as u32
    }

    /// Sends the message in the fields and the text buffer (`dataContent`, `from`, `to` and `fp`
    /// joined by one separator character, with their JS lengths: no JSON to stringify and
    /// parse); the core writes its frames. The JS glue checks the fields' types. An unset
    /// `from` is the logged-in user. Returns 0 when accepted (its send id is then in the
    /// fields: [`FIELD_SENT_ID`], and [`FIELD_SENT_FROM_USER`] says whether `from` became the
    /// logged-in user), else the error code. When the core generated the fingerprint (a QoS
    /// message without one), the text buffer then starts with it: its length in the first
    /// byte (at most [`MAX_FINGERPRINT_LENGTH`](crate::core::MAX_FINGERPRINT_LENGTH)), then its
    /// characters. The send's outputs (its first write) wait for `flush()`: the glue files the
    /// send by its id first, so a write result never arrives for a send it does not know yet.
    #[cfg(not(feature = "glue-writes-messages"))]
    pub fn send(&self) -> i32 {
        self.accept(|client, now, message| client.send(now, message))
    }

    /// `send` for a glue that keeps the message and writes its frames itself, the mini-program
    /// build's only way (feature `glue-writes-messages`; `Client::send_held`, and
    /// `host.writeMessage` asks for each write): `dataContent` is absent from the texts, and
    /// `content_json` is the UTF-8 length of the glue's JSON text of it. The content never
    /// enters the wasm and nothing is encoded here: without a native UTF-8 decoder (WeChat),
    /// that costs less than reading the core's text of the frame back in JS
    /// (docs/performance.md, "Messages written by the glue").
    #[cfg(feature = "glue-writes-messages")]
    #[wasm_bindgen(js_name = sendHeld)]
    pub fn send_held(&self, content_json: u32) -> i32 {
        self.accept(|client, now, message| client.send_held(now, message, content_json as usize))
    }

    /// Runs `send` on the message in the fields and texts and reports its outcome (see
    /// [`send`](Self::send)).
    fn accept(
        &self,
        send: impl FnOnce(&mut Client, u64, ProtocalRef<'_>) -> Result<SendReceipt, SendError>,
    ) -> i32 {
        let mut fields = *self.inner.fields.borrow();
        let outcome = Inner::run_quietly(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            Some(send(client, now, message(&texts, &fields)?))
        });
        match outcome {
            None => error_code::CLIENT_SDK_NO_INITIALED,
            Some(None) => error_code::COMMON_INVALID_PROTOCAL,
            Some(Some(Err(err))) => err.code(),
            Some(Some(Ok(receipt))) => {
                let fp_given = fields[FIELD_LENGTHS + 3] > 0;
                if let Some(fp) = receipt.fp.filter(|_| !fp_given) {
                    write_fingerprint(&mut self.inner.texts.borrow_mut(), &fp);
                }
                fields[FIELD_SENT_ID] = receipt.send_id as i32;
                fields[FIELD_SENT_ID + 1] = (receipt.send_id >> 32) as i32;
                fields[FIELD_SENT_FROM_USER] = i32::from(receipt.from_user);
                *self.inner.fields.borrow_mut() = fields;
                0
            }
        }
    }

    /// Delivers the outputs waiting since `send` and re-arms the timer.
    pub fn flush(&self) {
        Inner::run(&self.inner, |_, _| ());
    }

    /// The socket's result of the first write of the message `send_id` (`host.writeFirst`):
    /// whether it took the frame. The core settles the send (`host.written`).
    pub fn written(&self, send_id: f64, ok: bool) {
        // Nothing else follows from a write's result: no clock, no delivery round.
        let settled = self
            .inner
            .with_client(|client| client.handle_written(send_id as u64, ok));
        if let Some(Some(Event::MessageWritten {
            send_id,
            code,
            last,
        })) = settled
        {
            self.inner.host.written(send_id as f64, code, last);
        }
    }

    /// A text frame arrived on the socket of `generation`, parsed by the JS glue with
    /// `JSON.parse` and checked by the decoder's rules: its fields as in `send`. For a framework
    /// reply (types 50, 52, 54) the glue read its payload too: `code` is its code (absent when
    /// unreadable), `first_login_time` its `firstLoginTime` (0 when absent), and the frame's
    /// `dataContent` its text (`errorMsg` / `reason`, or why it was unreadable). Returns what it
    /// led to: [`FRAME_APP_MESSAGE`], and `host.data()` will say when to hand the app the parsed
    /// object; [`FRAME_ACKED`], and `host.writeAck()` will say when to write its ack. The glue
    /// keeps those objects in order: nothing is copied back out of wasm.
    pub fn frame(&self, generation: f64, code: Option<i32>, first_login_time: f64) -> u32 {
        let fields = *self.inner.fields.borrow();
        Inner::run(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            // `None` only if the glue wrote other texts than it says.
            let frame = message(&texts, &fields)?;
            let reply = match code {
                Some(code) => HostReply::Read {
                    code,
                    first_login_time: first_login_time as i64,
                },
                None => HostReply::Unreadable,
            };
            Some(client.handle_read_frame(now, generation as u64, frame, reply))
        })
        .flatten()
        .map_or(0, frame_bits)
    }

    /// An app message (type 2) with a text `fp` arrived on the socket of `generation`, parsed by
    /// the glue and checked by the decoder's rules: the first `written` bytes of the text buffer
    /// hold its `fp`, `qos` is its `QoS`, and nothing else of it reaches the core, which only
    /// dedupes and acks it (the glue holds the frame). Returns what `frame` would for the whole
    /// frame.
    pub fn data(&self, generation: f64, qos: bool, written: u32) -> u32 {
        self.fingerprint_frame(generation, written, |fp| ProtocalRef {
            fp: Some(fp),
            qos,
            ..ProtocalRef::bare(ProtocalType::COMMON_DATA)
        })
    }

    /// A type-4 ack frame arrived on the socket of `generation`, parsed by the glue and checked
    /// by the decoder's rules, not itself QoS and with a text `dataContent`: the first `written`
    /// bytes of the text buffer hold that `dataContent`, the acknowledged fingerprint, and
    /// nothing else of the frame reaches the core, which handles it as `frame` would (any other
    /// ack goes through `frame`).
    pub fn ack(&self, generation: f64, written: u32) {
        self.fingerprint_frame(generation, written, |fp| ProtocalRef {
            data_content: Some(fp),
            ..ProtocalRef::bare(ProtocalType::RECEIVED)
        });
    }

    /// A socket event ([`SocketEvent`]) of the socket of `generation`; `false`, and nothing
    /// happens but a log line, for an unknown event.
    pub fn socket(&self, event: u32, generation: f64) -> bool {
        let generation = generation as u64;
        self.dispatch(
            SocketEvent::from_code(event),
            "socket event",
            event,
            |client, now, event| {
                match event {
                    SocketEvent::Opened => client.handle_socket_opened(now, generation),
                    SocketEvent::Closed => client.handle_socket_closed(now, generation),
                }
                true
            },
        )
    }

    /// A host hint or app command without arguments ([`Hint`]); `false`, and nothing happens
    /// but a log line, for an unknown one.
    pub fn hint(&self, hint: u32) -> bool {
        self.dispatch(Hint::from_code(hint), "hint", hint, |client, now, hint| {
            match hint {
                Hint::NetworkDown => client.handle_network_changed(now, false),
                Hint::NetworkUp => client.handle_network_changed(now, true),
                Hint::AppShown => client.handle_app_shown(now),
                Hint::AppHidden => client.handle_app_hidden(now),
                Hint::Logout => client.logout(now),
            };
            true
        })
    }

    /// Changes a setting ([`Setting`]) as the stock setters do, the core deciding what a value
    /// means: the sense mode (`Client::set_sense_mode_number`), the message-id length
    /// (`Client::set_msg_id_length`), the three debug-log switches (0 off, 1 on). `false`, and
    /// nothing changes,
    /// for a value refused (an unknown setting is also logged).
    pub fn configure(&self, setting: u32, value: f64) -> bool {
        self.dispatch(
            Setting::from_code(setting),
            "setting",
            setting,
            |client, now, setting| match setting {
                Setting::SenseMode => client.set_sense_mode_number(now, value),
                Setting::FingerprintLength => {
                    client.set_msg_id_length(value);
                    true
                }
                Setting::CoreLogs => switch_logs(client, LogTopic::Core, value),
                Setting::SdkLogs => switch_logs(client, LogTopic::Sdk, value),
                Setting::HeartbeatLogs => switch_logs(client, LogTopic::Heartbeat, value),
            },
        )
    }

    /// The state as one number: the [`ConnectionState`](crate::core::ConnectionState)'s place
    /// in its declaration (0 idle … 7 auth_failed), plus [`STATUS_LOGGED_IN`],
    /// [`STATUS_ONLINE`] and [`STATUS_SESSION`] (a login info exists). No text crosses.
    pub fn status(&self) -> u32 {
        let client = self.inner.client.borrow();
        let bit = |on: bool, bit: u32| if on { bit } else { 0 };
        client.state() as u32
            | bit(client.is_logged_in(), STATUS_LOGGED_IN)
            | bit(client.is_online(), STATUS_ONLINE)
            | bit(client.login_info().is_some(), STATUS_SESSION)
    }

    /// The session's `firstLoginTime`: the server's once known, else what the app passed, else
    /// 0 (also without a session: see [`STATUS_SESSION`]).
    #[wasm_bindgen(js_name = firstLoginTime)]
    pub fn first_login_time(&self) -> f64 {
        let client = self.inner.client.borrow();
        client
            .login_info()
            .map_or(0.0, |info| info.first_login_time as f64)
    }

    /// The host's timer, armed with `host.timer(delay)`, fired.
    pub fn timeout(&self) {
        Inner::timeout(&self.inner);
    }

    /// Stops the timer and ignores every later call; the host closes its socket itself.
    pub fn destroy(&self) {
        self.inner.destroy();
    }
}

impl ImClient {
    /// A frame of which the glue passed only a fingerprint, the first `written` bytes of the
    /// text buffer, handled as `frame` handles the whole frame; `frame(fp)` is that frame.
    fn fingerprint_frame(
        &self,
        generation: f64,
        written: u32,
        frame: impl FnOnce(&str) -> ProtocalRef<'_>,
    ) -> u32 {
        Inner::run(&self.inner, |client, now| {
            let texts = self.inner.texts.borrow();
            // `None` only if the glue wrote other bytes than it says.
            let frame = frame(text_prefix(&texts, written)?);
            let reply = HostReply::Unreadable;
            Some(client.handle_read_frame(now, generation as u64, frame, reply))
        })
        .flatten()
        .map_or(0, frame_bits)
    }

    /// Runs `apply` on the input `kind` numbered `code`, or refuses an unknown number with a
    /// log line; `false` if refused, destroyed, or `apply` refused its value.
    fn dispatch<K>(
        &self,
        kind: Option<K>,
        what: &str,
        code: u32,
        apply: impl FnOnce(&mut Client, u64, K) -> bool,
    ) -> bool {
        let Some(kind) = kind else {
            self.inner
                .warn(&["unknown ", what, " ", &int_text(code.into()), " ignored"].concat());
            return false;
        };
        Inner::run(&self.inner, |client, now| apply(client, now, kind)).unwrap_or(false)
    }
}

/// `frame`'s result: [`FRAME_APP_MESSAGE`] and [`FRAME_ACKED`] as `handled` says.
fn frame_bits(handled: FrameHandled) -> u32 {
    u32::from(handled.app_message) * FRAME_APP_MESSAGE + u32::from(handled.acked) * FRAME_ACKED
}

/// Turns the debug lines of `topic` on (`value` 1) or off (0); `false` for any other value.
fn switch_logs(client: &mut Client, topic: LogTopic, value: f64) -> bool {
    let valid = value == 0.0 || value == 1.0;
    if valid {
        client.set_debug_logs(topic, value == 1.0);
    }
    valid
}
