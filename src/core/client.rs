//! The sans-IO client: app commands, socket events, host hints and time in; outputs out.
//!
//! [`Client`] owns four parts and hands each call to them: the [`Context`] (config,
//! randomness, outputs), the [`Link`] (connection state, session, socket, timers, backoff), the
//! [`Outbox`] (send ids, QoS messages, first writes) and the [`SeenCache`] (inbound
//! de-duplication). Each part changes its own state only.

use std::rc::Rc;

use super::context::Context;
use super::link::Link;
use super::outbox::Outbox;
use super::payloads::{FromContent, HostReply};
use super::qos_receive::SeenCache;
use super::reconfigure::apply_config;
use super::session::Session;
use super::{Config, ConfigError, ConnectionState, Event, FrameHandled, Level, LogTopic};
use super::{LoginError, Output};
use super::{RandomSource, SendError};
use crate::protocol::{DecodeError, LoginInfo, Protocal, ProtocalRef, SenseMode};

/// What `send` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// Local id of this send; every [`Outbound::Message`](super::Outbound::Message) write of the
    /// message carries it.
    pub send_id: u64,
    /// The fingerprint, for QoS messages (shared with the QoS table).
    pub fp: Option<Rc<str>>,
    /// Whether the client wrote the logged-in user as `from` (the message had none), which a
    /// host that writes the message itself needs to know ([`Client::send_held`]).
    pub from_user: bool,
}

/// A MobileIMSDK client as a state machine.
///
/// Drive it with the command, socket, hint and [`handle_timeout`](Self::handle_timeout) methods,
/// each given the current time in ms; after each call drain [`poll_output`](Self::poll_output)
/// until it returns [`Output::Timeout`], carry out what it asks, and call `handle_timeout` at the
/// deadline it names. It never reads a clock, opens a socket or panics on any input.
pub struct Client {
    cx: Context,
    link: Link,
    outbox: Outbox,
    seen: SeenCache,
}

impl Client {
    /// A client in the `idle` state.
    pub fn new(config: Config, random: Box<dyn RandomSource>) -> Self {
        let mut cx = Context::new(config, random);
        let seen = SeenCache::new(
            cx.random_u64(),
            config.dedupe_ttl_ms,
            config.dedupe_capacity,
        );
        Self {
            cx,
            link: Link::new(),
            outbox: Outbox::new(),
            seen,
        }
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        self.cx.config()
    }

    /// The connection state.
    pub fn state(&self) -> ConnectionState {
        self.link.state()
    }

    /// Whether the session logged in at least once and has not ended (it may be reconnecting).
    pub fn is_logged_in(&self) -> bool {
        self.state().is_active() && self.link.session().is_some_and(Session::ever_online)
    }

    /// Whether the client is online now.
    pub fn is_online(&self) -> bool {
        self.link.is_online()
    }

    /// The login info of the session, with the server's `firstLoginTime` once known: of the last
    /// one after a kick-out or a rejected login, until the next login; `None` before the first
    /// login and from a logout on.
    pub fn login_info(&self) -> Option<&LoginInfo> {
        self.link.session().map(Session::info)
    }

    /// How many QoS messages are unacknowledged (queued or in flight).
    pub fn pending_messages(&self) -> usize {
        self.outbox.pending()
    }

    /// How many received fingerprints are remembered for de-duplication.
    pub fn remembered_fingerprints(&self) -> usize {
        self.seen.len()
    }

    /// The next thing to do; [`Output::Timeout`], with the next deadline, when there is nothing
    /// more for now. Taking outputs changes nothing else.
    pub fn poll_output(&mut self) -> Output {
        self.cx
            .take_output()
            .unwrap_or_else(|| Output::Timeout(self.next_deadline()))
    }

    /// The earliest deadline at which `handle_timeout` must run.
    fn next_deadline(&self) -> Option<u64> {
        match (self.link.next_deadline(), self.outbox.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Starts a session: connect to `url` and log in with `info`.
    ///
    /// A session already under way is closed first; its unacknowledged messages are kept for a
    /// relogin of the same user and reported lost for a different one.
    pub fn login(&mut self, now: u64, info: LoginInfo, url: String) -> Result<(), LoginError> {
        self.link
            .login(&mut self.cx, &mut self.outbox, now, info, url)
    }

    /// Logs out: a logout frame if online, the socket closed, every unacknowledged message
    /// reported lost, no reconnect. The login info is forgotten at once.
    pub fn logout(&mut self, _now: u64) {
        self.link.logout(&mut self.cx, &mut self.outbox);
    }

    /// Sends an app message (type 2, or 5 for an echo test).
    ///
    /// Online, it is written at once. Offline during a session, a QoS message waits in order and
    /// is written on reconnect; a non-QoS message is refused. A QoS message without `fp` gets one.
    pub fn send<'m>(
        &mut self,
        now: u64,
        message: impl Into<ProtocalRef<'m>>,
    ) -> Result<SendReceipt, SendError> {
        self.outbox
            .send(&self.link, &mut self.cx, now, message.into(), None)
    }

    /// [`Client::send`] for a host that keeps the message and writes its frames itself (the JS
    /// glue, with the runtime's `JSON.stringify`): the message's `dataContent` is not given,
    /// `content_json` is the length in bytes of the host's JSON text of it (`null` included).
    /// Nothing is encoded, each write is an [`Outbound::Message`] without text, and a lost
    /// message is reported without it. The size limit applies to the frame's length with that
    /// content ([`ProtocalRef::encoded_len`]).
    pub fn send_held<'m>(
        &mut self,
        now: u64,
        message: impl Into<ProtocalRef<'m>>,
        content_json: usize,
    ) -> Result<SendReceipt, SendError> {
        self.outbox.send(
            &self.link,
            &mut self.cx,
            now,
            message.into(),
            Some(content_json),
        )
    }

    /// The host's result of the first write of the message `send_id` (whether the socket took
    /// it): the settlement it makes, [`Event::MessageWritten`] with 0 or 3
    /// (`COMMON_DATA_SEND_FAILD`), the last outcome of a non-QoS message; `None` for a send
    /// already settled. Returned, not queued: a write's result causes nothing else, so the host
    /// applies it at once (in the wasm, without a delivery round).
    pub fn handle_written(&mut self, send_id: u64, ok: bool) -> Option<Event> {
        self.outbox.written(send_id, ok)
    }

    /// The socket of `generation` opened.
    pub fn handle_socket_opened(&mut self, _now: u64, generation: u64) {
        self.link.socket_opened(&mut self.cx, generation);
    }

    /// A text frame arrived on the socket of `generation`. Returns whether it delivered an app
    /// message (an [`Event::Data`] output).
    pub fn handle_socket_text(&mut self, now: u64, generation: u64, text: &str) -> bool {
        let decoded = Protocal::decode(text, self.config().max_inbound_bytes);
        self.socket_decoded(now, generation, decoded)
    }

    /// A binary frame arrived on the socket of `generation` (treated as UTF-8 JSON text).
    /// Returns whether it delivered an app message.
    pub fn handle_socket_bytes(&mut self, now: u64, generation: u64, bytes: &[u8]) -> bool {
        let decoded = Protocal::decode_bytes(bytes, self.config().max_inbound_bytes);
        self.socket_decoded(now, generation, decoded)
    }

    /// A frame arrived on the socket of `generation` that the host decoded itself (a JS host
    /// with the runtime's `JSON.parse`, which the app needs anyway), by the rules of
    /// [`Protocal::decode`]; the host logs the frames it drops. Returns whether it delivered an
    /// app message.
    pub fn handle_socket_frame(&mut self, now: u64, generation: u64, frame: Protocal) -> bool {
        self.socket_decoded(now, generation, Ok(frame))
    }

    /// [`Client::handle_socket_frame`] for a host that parsed the frame itself and keeps it:
    /// `reply` stands for the payload of a framework reply (types 50, 52, 54), and is not looked
    /// at for other types; an app message is announced by [`Event::HeldData`], the host handing
    /// the app its own parsed copy, and its ack is an [`Outbound::HeldAck`], which the host
    /// writes from that frame. Nothing of `frame` is copied for an ack or an app message.
    /// Returns what the frame led to.
    pub fn handle_read_frame(
        &mut self,
        now: u64,
        generation: u64,
        frame: ProtocalRef<'_>,
        reply: HostReply,
    ) -> FrameHandled {
        if !self.link.is_current(generation) {
            return FrameHandled::default();
        }
        self.link.handle_frame(
            &mut self.cx,
            &mut self.outbox,
            &mut self.seen,
            now,
            frame,
            &reply,
        )
    }

    fn socket_decoded(
        &mut self,
        now: u64,
        generation: u64,
        decoded: Result<Protocal, DecodeError>,
    ) -> bool {
        if !self.link.is_current(generation) {
            return false;
        }
        match decoded {
            Ok(frame) => {
                let handled = self.link.handle_frame(
                    &mut self.cx,
                    &mut self.outbox,
                    &mut self.seen,
                    now,
                    ProtocalRef::from(&frame),
                    &FromContent,
                );
                handled.app_message
            }
            Err(err) => {
                let message = ["dropped inbound frame: ", &err.describe()].concat();
                self.cx.log(Level::Error, message);
                false
            }
        }
    }

    /// The socket of `generation` closed or failed.
    pub fn handle_socket_closed(&mut self, now: u64, generation: u64) {
        self.link
            .socket_closed(&mut self.cx, &mut self.outbox, now, generation);
    }

    /// The host's network went up or down.
    pub fn handle_network_changed(&mut self, now: u64, connected: bool) {
        self.link
            .network_changed(&mut self.cx, &mut self.outbox, now, connected);
    }

    /// The app came to the foreground: reconnect now if waiting, probe the link if online.
    pub fn handle_app_shown(&mut self, now: u64) {
        if self.link.is_online() {
            self.link.send_ping(&mut self.cx, now);
        } else {
            self.link.retry_now(&mut self.cx, now, "app shown");
        }
    }

    /// The app went to the background (its JS may soon be suspended).
    pub fn handle_app_hidden(&mut self, _now: u64) {
        self.cx.log(Level::Debug, "app hidden".into());
    }

    /// Handles every deadline due at `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        self.link.timeout(&mut self.cx, &mut self.outbox, now);
    }

    /// Switches the debug lines of `topic` on or off (docs/client-behaviour.md §8).
    pub fn set_debug_logs(&mut self, topic: LogTopic, on: bool) {
        self.cx.set_debug_logs(topic, on);
    }

    /// Switches fingerprints to `n` alphanumeric characters (`Some(n)`) or UUID v4 (`None`).
    pub fn set_fingerprint_length(&mut self, length: Option<usize>) {
        self.cx.set_fingerprint_length(length);
    }

    /// The stock `setMsgIdLength(n)` (docs/client-behaviour.md §7): a whole `n` above 0 is
    /// [`set_fingerprint_length`](Self::set_fingerprint_length)`(Some(n))`, any other value
    /// (0, negative, fractional, not a number) UUID v4.
    pub fn set_msg_id_length(&mut self, n: f64) {
        let length = n as usize;
        self.set_fingerprint_length((length as f64 == n).then_some(length));
    }

    /// The stock `setSenseMode(mode)` (docs/client-behaviour.md §2): one of the `MBSenseMode`
    /// numbers 1–7 is [`set_sense_mode`](Self::set_sense_mode); any other value changes
    /// nothing and is logged (`unknown sense mode … ignored`). Returns whether it was taken.
    pub fn set_sense_mode_number(&mut self, now: u64, mode: f64) -> bool {
        let number = mode as i32;
        let known = SenseMode::from_code(number).filter(|_| f64::from(number) == mode);
        if let Some(mode) = known {
            self.set_sense_mode(now, mode);
        } else {
            self.cx
                .log(Level::Warn, "unknown sense mode ignored".into());
        }
        known.is_some()
    }

    /// Changes the keep-alive cadence; an online client re-arms its timers from `now`.
    pub fn set_sense_mode(&mut self, now: u64, mode: SenseMode) {
        self.cx.set_sense_mode(mode);
        if self.link.is_online() {
            self.link.arm_keepalive(now, mode);
        }
    }

    /// Replaces the config after checking it with [`Config::validate`]; a refused config
    /// changes nothing and is logged at warning level.
    ///
    /// Deadlines already armed: online, a new resend interval re-arms the next check of every
    /// QoS message in flight at `now` plus that interval; offline, a new hold ends each waiting
    /// message's hold as if it had applied all along (at once if that is past). The
    /// connection's timers (login timeout, reconnect wait, ping, dead link) keep their deadline,
    /// and the new values apply the next time each is armed. A smaller dedupe capacity forgets
    /// the oldest fingerprints now; a new dedupe TTL applies at the next inbound QoS frame.
    pub fn set_config(&mut self, now: u64, config: Config) -> Result<(), ConfigError> {
        let checked = config.validate().map(|()| config);
        apply_config(&mut self.cx, &mut self.outbox, &mut self.seen, now, checked)
    }

    /// Like [`set_config`](Self::set_config), with the current config's timings changed by
    /// `json` and checked by [`Config::with_json`].
    pub fn set_config_json(&mut self, now: u64, json: &str) -> Result<(), ConfigError> {
        let changed = self.config().with_json(json);
        apply_config(&mut self.cx, &mut self.outbox, &mut self.seen, now, changed)
    }
}
