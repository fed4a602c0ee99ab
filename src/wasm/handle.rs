//! The `ImClient` handle: the core behind a JS class, with its one timer and ordered delivery.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::convert;
use super::host::{Host, HostRandom};
use crate::core::{Client, Config, Output};
use crate::protocol::{error_code, LoginInfo, Payload, Protocal, SenseMode};

/// A MobileIMSDK client for JS hosts.
///
/// Every output reaches the host in order: transmissions through `host.transmit`, everything
/// else as JSON text through `host.output` (see `js-glue/src/core-adapter.js`). Calls made from
/// inside those callbacks are safe: their outputs queue behind the ones being delivered. Socket
/// generations and send ids are plain numbers (no `BigInt`, which older iOS runtimes lack).
#[wasm_bindgen]
pub struct ImClient {
    inner: Rc<Inner>,
}

struct Inner {
    client: RefCell<Client>,
    host: Host,
    queue: RefCell<VecDeque<Output>>,
    dispatching: Cell<bool>,
    timer: RefCell<Option<(u64, Timeout)>>,
    destroyed: Cell<bool>,
    last_send: RefCell<(u64, Option<String>)>,
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
                queue: RefCell::new(VecDeque::new()),
                dispatching: Cell::new(false),
                timer: RefCell::new(None),
                destroyed: Cell::new(false),
                last_send: RefCell::new((0, None)),
            }),
        }
    }

    /// Starts a session with the login object as JSON; returns 0, or 4 (invalid login object)
    /// / 205 (no URL) / 203 (destroyed).
    pub fn login(&self, info_json: &str, url: String) -> i32 {
        let Ok(info) = LoginInfo::from_json(info_json) else {
            return error_code::COMMON_INVALID_PROTOCAL;
        };
        Inner::run(&self.inner, |client, now| {
            client
                .login(now, info, url)
                .map_or_else(|e| e.code(), |_| 0)
        })
        .unwrap_or(error_code::CLIENT_SDK_NO_INITIALED)
    }

    /// Sends a `Protocal` given as JSON; returns 0 when accepted (see `lastSendId` and
    /// `lastFingerprint`), else the error code.
    pub fn send(&self, message_json: &str) -> i32 {
        let Ok(message) = Protocal::decode(message_json, usize::MAX) else {
            return error_code::COMMON_INVALID_PROTOCAL;
        };
        let result = Inner::run(&self.inner, |client, now| client.send(now, message));
        match result {
            None => error_code::CLIENT_SDK_NO_INITIALED,
            Some(Err(err)) => err.code(),
            Some(Ok(receipt)) => {
                *self.inner.last_send.borrow_mut() = (receipt.send_id, receipt.fp);
                0
            }
        }
    }

    /// The send id of the last accepted message.
    #[wasm_bindgen(js_name = lastSendId)]
    pub fn last_send_id(&self) -> f64 {
        self.inner.last_send.borrow().0 as f64
    }

    /// The fingerprint of the last accepted message (QoS only).
    #[wasm_bindgen(js_name = lastFingerprint)]
    pub fn last_fingerprint(&self) -> Option<String> {
        self.inner.last_send.borrow().1.clone()
    }

    /// Logs out; unacknowledged messages are reported lost.
    pub fn logout(&self) {
        Inner::run(&self.inner, |client, now| client.logout(now));
    }

    /// The socket of `generation` opened.
    #[wasm_bindgen(js_name = socketOpened)]
    pub fn socket_opened(&self, generation: f64) {
        Inner::run(&self.inner, |client, now| {
            client.socket_opened(now, generation as u64)
        });
    }

    /// A text frame arrived on the socket of `generation`.
    #[wasm_bindgen(js_name = socketText)]
    pub fn socket_text(&self, generation: f64, text: &str) {
        Inner::run(&self.inner, |client, now| {
            client.socket_text(now, generation as u64, text)
        });
    }

    /// A binary frame arrived on the socket of `generation`.
    #[wasm_bindgen(js_name = socketBytes)]
    pub fn socket_bytes(&self, generation: f64, bytes: Uint8Array) {
        let bytes = bytes.to_vec();
        Inner::run(&self.inner, |client, now| {
            client.socket_bytes(now, generation as u64, &bytes)
        });
    }

    /// The socket of `generation` closed or failed.
    #[wasm_bindgen(js_name = socketClosed)]
    pub fn socket_closed(&self, generation: f64) {
        Inner::run(&self.inner, |client, now| {
            client.socket_closed(now, generation as u64)
        });
    }

    /// The host network went up or down.
    #[wasm_bindgen(js_name = networkChanged)]
    pub fn network_changed(&self, connected: bool) {
        Inner::run(&self.inner, |client, now| {
            client.network_changed(now, connected)
        });
    }

    /// The app came to the foreground.
    #[wasm_bindgen(js_name = appShown)]
    pub fn app_shown(&self) {
        Inner::run(&self.inner, |client, now| client.app_shown(now));
    }

    /// The app went to the background.
    #[wasm_bindgen(js_name = appHidden)]
    pub fn app_hidden(&self) {
        Inner::run(&self.inner, |client, now| client.app_hidden(now));
    }

    /// Sets the keep-alive sense mode by its stock number (1–7); `false` for an unknown number.
    #[wasm_bindgen(js_name = setSenseMode)]
    pub fn set_sense_mode(&self, mode: i32) -> bool {
        let Some(mode) = SenseMode::from_code(mode) else {
            return false;
        };
        Inner::run(&self.inner, |client, now| client.set_sense_mode(now, mode)).is_some()
    }

    /// Fingerprints of `length` alphanumeric characters; 0 for UUID v4.
    #[wasm_bindgen(js_name = setFingerprintLength)]
    pub fn set_fingerprint_length(&self, length: u32) {
        let length = usize::try_from(length).ok().filter(|n| *n > 0);
        self.inner
            .client
            .borrow_mut()
            .set_fingerprint_length(length);
    }

    /// Switches the core's debug log lines.
    #[wasm_bindgen(js_name = setDebug)]
    pub fn set_debug(&self, on: bool) {
        self.inner.client.borrow_mut().set_debug_logs(on);
    }

    /// The connection state name (`"idle"`, `"online"`, …).
    pub fn state(&self) -> String {
        self.inner.client.borrow().state().as_str().to_owned()
    }

    /// Whether the session logged in and has not ended.
    #[wasm_bindgen(js_name = isLoggedIn)]
    pub fn is_logged_in(&self) -> bool {
        self.inner.client.borrow().is_logged_in()
    }

    /// Whether the client is online now.
    #[wasm_bindgen(js_name = isOnline)]
    pub fn is_online(&self) -> bool {
        self.inner.client.borrow().is_online()
    }

    /// The session's login object as JSON (with the server's `firstLoginTime` once known).
    #[wasm_bindgen(js_name = loginInfo)]
    pub fn login_info(&self) -> Option<String> {
        self.inner
            .client
            .borrow()
            .login_info()
            .map(LoginInfo::to_json)
    }

    /// How many QoS messages are unacknowledged.
    #[wasm_bindgen(js_name = pendingMessages)]
    pub fn pending_messages(&self) -> u32 {
        u32::try_from(self.inner.client.borrow().pending_messages()).unwrap_or(u32::MAX)
    }

    /// Stops the timer and ignores every later call; the host closes its socket itself.
    pub fn destroy(&self) {
        self.inner.destroyed.set(true);
        self.inner.timer.borrow_mut().take();
        self.inner.queue.borrow_mut().clear();
    }
}

impl Inner {
    /// Runs `f` on the core at the current time, re-arms the timer and delivers the outputs;
    /// `None` once destroyed.
    fn run<R>(this: &Rc<Self>, f: impl FnOnce(&mut Client, u64) -> R) -> Option<R> {
        if this.destroyed.get() {
            return None;
        }
        let now = now_ms();
        let (result, deadline) = {
            let mut client = this.client.borrow_mut();
            let result = f(&mut client, now);
            let mut queue = this.queue.borrow_mut();
            let deadline = loop {
                match client.poll_output() {
                    Output::Timeout(deadline) => break deadline,
                    output => queue.push_back(output),
                }
            };
            (result, deadline)
        };
        Self::arm(this, deadline, now);
        this.deliver();
        Some(result)
    }

    /// Keeps exactly one timer, armed at `deadline`.
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

    /// Hands queued outputs to the host in order; a nested call only queues. A throwing host
    /// callback does not stop the delivery of later outputs.
    fn deliver(&self) {
        if self.dispatching.replace(true) {
            return;
        }
        loop {
            let next = self.queue.borrow_mut().pop_front();
            let Some(output) = next else { break };
            let _ = match output {
                Output::Transmit {
                    generation,
                    text,
                    send_id,
                } => self
                    .host
                    .transmit(generation as f64, &text, send_id.unwrap_or(0) as f64),
                Output::OpenSocket { generation, url } => {
                    self.host.output(&convert::open_socket(generation, &url))
                }
                Output::CloseSocket { generation } => {
                    self.host.output(&convert::close_socket(generation))
                }
                Output::Event(event) => self.host.output(&convert::event(&event)),
                Output::Timeout(_) => Ok(()),
            };
        }
        self.dispatching.set(false);
    }
}
