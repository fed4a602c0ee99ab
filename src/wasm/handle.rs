//! The `ImClient` handle: the core behind a JS class, with its one timer and ordered dispatch.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert::{login_info_from_js, message_from_js, output_to_js, to_js};
use super::host::HostRandom;
use crate::core::{Client, Config, Output};
use crate::protocol::{error_code, SenseMode};

/// A MobileIMSDK client for JS hosts.
///
/// Socket generations and send ids cross the boundary as plain numbers (no `BigInt`, which
/// older iOS WeChat runtimes lack).
///
/// `output(o)` receives every output object in order (`{kind: "open" | "close" | "transmit" |
/// "state" | "data" | …}`); `random(Uint8Array)` must fill the array with random bytes. Calls
/// made from inside `output` are safe: their outputs are queued behind the ones being delivered.
#[wasm_bindgen]
pub struct ImClient {
    inner: Rc<Inner>,
}

struct Inner {
    client: RefCell<Client>,
    output: Function,
    queue: RefCell<VecDeque<Output>>,
    dispatching: Cell<bool>,
    timer: RefCell<Option<(u64, Timeout)>>,
    destroyed: Cell<bool>,
}

/// `send`'s answer: `code` 0 when accepted, with the send id and fingerprint.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SendResult {
    code: i32,
    send_id: Option<u64>,
    fp: Option<String>,
}

impl SendResult {
    fn refused(code: i32) -> Self {
        Self {
            code,
            send_id: None,
            fp: None,
        }
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[wasm_bindgen]
impl ImClient {
    /// A client in the `idle` state that reports to `output` and draws bytes from `random`.
    #[wasm_bindgen(constructor)]
    pub fn new(output: Function, random: Function) -> ImClient {
        #[cfg(feature = "debug-panics")]
        console_error_panic_hook::set_once();
        let client = Client::new(Config::default(), Box::new(HostRandom::new(random)));
        ImClient {
            inner: Rc::new(Inner {
                client: RefCell::new(client),
                output,
                queue: RefCell::new(VecDeque::new()),
                dispatching: Cell::new(false),
                timer: RefCell::new(None),
                destroyed: Cell::new(false),
            }),
        }
    }

    /// Starts a session; returns 0, or 4 (no `loginUserId`) / 205 (no URL).
    pub fn login(&self, info: JsValue, url: String) -> i32 {
        let Some(info) = login_info_from_js(info) else {
            return error_code::COMMON_INVALID_PROTOCAL;
        };
        Inner::run(&self.inner, |client, now| {
            client
                .login(now, info, url)
                .map_or_else(|e| e.code(), |_| 0)
        })
        .unwrap_or(error_code::CLIENT_SDK_NO_INITIALED)
    }

    /// Sends a `Protocal` object; returns `{code, sendId, fp}`.
    pub fn send(&self, message: JsValue) -> JsValue {
        let result = match message_from_js(message) {
            None => SendResult::refused(error_code::COMMON_INVALID_PROTOCAL),
            Some(message) => {
                Inner::run(&self.inner, |client, now| match client.send(now, message) {
                    Ok(receipt) => SendResult {
                        code: 0,
                        send_id: Some(receipt.send_id),
                        fp: receipt.fp,
                    },
                    Err(err) => SendResult::refused(err.code()),
                })
                .unwrap_or(SendResult::refused(error_code::CLIENT_SDK_NO_INITIALED))
            }
        };
        to_js(&result)
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

    /// A copy of the session's login info, or `null`.
    #[wasm_bindgen(js_name = loginInfo)]
    pub fn login_info(&self) -> JsValue {
        self.inner
            .client
            .borrow()
            .login_info()
            .map_or(JsValue::NULL, to_js)
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
    /// Runs `f` on the core at the current time, re-arms the timer and delivers the outputs.
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

    /// Hands queued outputs to JS in order; a nested call only queues.
    fn deliver(&self) {
        if self.dispatching.replace(true) {
            return;
        }
        loop {
            let next = self.queue.borrow_mut().pop_front();
            let Some(output) = next else { break };
            if let Some(value) = output_to_js(&output) {
                // A throwing host handler must not stop the delivery of later outputs.
                let _ = self.output.call1(&JsValue::NULL, &value);
            }
        }
        self.dispatching.set(false);
    }
}
