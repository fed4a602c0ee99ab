//! The `ImClient` handle: the core behind a JS class, with its one timer and ordered delivery.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;

use super::convert;
use super::host::{Host, HostRandom};
use crate::core::{Client, Config, Event, Output};
use crate::protocol::json::{ObjectWriter, Style};
use crate::protocol::{error_code, LoginInfo, Payload, ProtocalRef, SenseMode, UNSET_UID};

/// The `socket` event for an opened socket (any other number: closed).
const SOCKET_OPENED: u8 = 0;
/// The bits of a message's `flags`.
const BRIDGE: u8 = 1;
const QOS: u8 = 2;
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
    pub(super) inner: Rc<Inner>,
}

pub(super) struct Inner {
    client: RefCell<Client>,
    host: Host,
    dispatching: Cell<bool>,
    timer: RefCell<Option<(u64, Timeout)>>,
    destroyed: Cell<bool>,
    /// The text buffer: the glue writes the texts of a `login`, `send` or `frame` call here.
    pub(super) texts: RefCell<Vec<u8>>,
}

/// Cuts `texts`, four parts joined by one separator character (which keeps a lone surrogate at
/// the end of one part from pairing with one at the start of the next), into the parts of the
/// given JS string lengths (UTF-16 code units); a negative length is an absent part. `None`
/// when the lengths do not fit `texts`.
fn cut_utf16(texts: &str, lengths: [i32; 4]) -> Option<[Option<&str>; 4]> {
    // In ASCII text, UTF-16 units and UTF-8 bytes are the same count.
    let ascii = texts.is_ascii();
    let mut parts = [None; 4];
    let mut rest = texts;
    for (index, (part, length)) in parts.iter_mut().zip(lengths).enumerate() {
        if index > 0 {
            let mut chars = rest.chars();
            chars.next()?;
            rest = chars.as_str();
        }
        let Ok(units) = usize::try_from(length) else {
            continue;
        };
        let end = if ascii {
            units
        } else {
            utf8_length(rest, units)?
        };
        let (text, tail) = rest.split_at_checked(end)?;
        *part = Some(text);
        rest = tail;
    }
    rest.is_empty().then_some(parts)
}

/// The UTF-8 length of the first `units` UTF-16 code units of `text`; `None` if `text` is
/// shorter or they end inside a character.
fn utf8_length(text: &str, units: usize) -> Option<usize> {
    let (mut counted, mut end) = (0, 0);
    for ch in text.chars() {
        if counted >= units {
            break;
        }
        counted += ch.len_utf16();
        end += ch.len_utf8();
    }
    (counted == units).then_some(end)
}

/// The first `written` bytes of the text buffer as text; `None` if they are more than the
/// buffer holds or not UTF-8 (`encodeInto` writes only UTF-8: then the glue wrote elsewhere).
pub(super) fn written_text(buffer: &[u8], written: u32) -> Option<&str> {
    let bytes = buffer.get(..usize::try_from(written).ok()?)?;
    std::str::from_utf8(bytes).ok()
}

/// The login info and URL the JS glue wrote (see [`ImClient::login`]); `None` if the lengths
/// do not fit the texts or the info is not a login object.
fn login_texts(buffer: &[u8], written: u32, info_len: u32) -> Option<(LoginInfo, String)> {
    let texts = written_text(buffer, written)?;
    let (info_json, url) = texts.split_at_checked(utf8_length(texts, info_len as usize)?)?;
    Some((LoginInfo::from_json(info_json).ok()?, url.to_owned()))
}

/// Writes a generated fingerprint to the start of the text buffer, after its length in one
/// byte (see [`ImClient::send`]). The glue keeps the buffer longer than any generated one.
fn write_fingerprint(buffer: &mut [u8], fp: &str) {
    if let Some((length, text)) = buffer
        .get_mut(..=fp.len())
        .and_then(|slot| slot.split_first_mut())
    {
        *length = fp.len() as u8;
        text.copy_from_slice(fp.as_bytes());
    }
}

/// A message from the fields the JS glue passes (see [`ImClient::send`]), borrowing `texts`;
/// `None` when the lengths do not fit `texts`.
fn message(
    flags: u8,
    kind: i32,
    typeu: i32,
    texts: &str,
    lengths: [i32; 4],
) -> Option<ProtocalRef<'_>> {
    let [data_content, from, to, fp] = cut_utf16(texts, lengths)?;
    Some(ProtocalRef {
        bridge: flags & BRIDGE != 0,
        kind,
        data_content,
        from: from.unwrap_or(UNSET_UID),
        to: to.unwrap_or(UNSET_UID),
        fp,
        qos: flags & QOS != 0,
        typeu,
        sm: None,
    })
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[wasm_bindgen]
impl ImClient {
    /// A client in the `idle` state that reports to `host` and draws random bytes from it.
    #[wasm_bindgen(constructor)]
    pub fn new(host: Host) -> ImClient {
        #[cfg(feature = "debug-panics")]
        console_error_panic_hook::set_once();
        let random = Box::new(HostRandom::new(host.clone().unchecked_into()));
        ImClient {
            inner: Rc::new(Inner {
                client: RefCell::new(Client::new(Config::default(), random)),
                host,
                dispatching: Cell::new(false),
                timer: RefCell::new(None),
                destroyed: Cell::new(false),
                texts: RefCell::new(Vec::new()),
            }),
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
        self.inner.destroyed.set(true);
        self.inner.timer.borrow_mut().take();
    }
}

impl Inner {
    /// Runs `f` on the core at the current time, then delivers the outputs and re-arms the
    /// timer; `None` once destroyed.
    pub(super) fn run<R>(this: &Rc<Self>, f: impl FnOnce(&mut Client, u64) -> R) -> Option<R> {
        if this.destroyed.get() {
            return None;
        }
        let now = now_ms();
        let result = f(&mut this.client.borrow_mut(), now);
        Self::deliver(this, now);
        Some(result)
    }

    /// Keeps exactly one timer, armed at `deadline`: never earlier, so an idle client wakes only
    /// for what is due (its pings).
    fn arm(this: &Rc<Self>, deadline: Option<u64>, now: u64) {
        let mut timer = this.timer.borrow_mut();
        if timer.as_ref().map(|(at, _)| *at) == deadline {
            return;
        }
        *timer = deadline.map(|at| {
            let weak: Weak<Self> = Rc::downgrade(this);
            let delay = u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX);
            let timeout = Timeout::new(delay, move || {
                if let Some(inner) = weak.upgrade() {
                    inner.timer.borrow_mut().take();
                    Inner::run(&inner, |client, now| client.handle_timeout(now));
                }
            });
            (at, timeout)
        });
    }

    /// Hands the core's outputs to the host in order, taking them one at a time so that the
    /// core is not borrowed while the host runs, then arms the timer for the core's deadline. A
    /// call made from inside a host callback only adds outputs, which this loop delivers next;
    /// `destroy` from inside one stops it.
    fn deliver(this: &Rc<Self>, now: u64) {
        if this.dispatching.replace(true) {
            return;
        }
        while !this.destroyed.get() {
            let output = this.client.borrow_mut().poll_output();
            match output {
                Output::Transmit {
                    generation,
                    text,
                    send_id,
                } => this
                    .host
                    .transmit(generation as f64, &text, send_id.unwrap_or(0) as f64),
                Output::OpenSocket { generation, url } => {
                    this.host.output(&convert::open_socket(generation, &url))
                }
                Output::CloseSocket { generation } => {
                    this.host.output(&convert::close_socket(generation))
                }
                Output::Event(Event::Data(_)) => this.host.data(),
                Output::Event(event) => this.host.output(&convert::event(&event)),
                Output::Timeout(deadline) => {
                    Self::arm(this, deadline, now);
                    break;
                }
            }
        }
        this.dispatching.set(false);
    }
}
