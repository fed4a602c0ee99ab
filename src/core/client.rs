//! The sans-IO client: app commands, socket events, host hints and time in; outputs out.

use std::collections::VecDeque;

use super::backoff::Backoff;
use super::fingerprint::{alphanumeric_length, new_fingerprint};
use super::qos_receive::SeenCache;
use super::qos_send::{QosSend, Retransmit};
use super::timers::{Timer, Timers};
use super::{
    Config, ConnectionState, Event, Level, LoginError, LostMessage, Output, RandomSource, SendError,
};
use crate::protocol::json::int_text;
use crate::protocol::{
    error_code, DecodeError, LoginInfo, Protocal, ProtocalRef, ProtocalType, SenseMode, UNSET_UID,
};

/// `url` without user info, query or fragment, which may carry credentials.
fn loggable_url(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    let authority_start = url
        .find(':')
        .filter(|i| url[*i..].starts_with("://"))
        .map_or(0, |i| i + 3);
    let authority_end = url[authority_start..]
        .find('/')
        .map_or(url.len(), |i| authority_start + i);
    match url[authority_start..authority_end].rfind('@') {
        Some(at) => [&url[..authority_start], &url[authority_start + at + 1..]].concat(),
        None => url.to_owned(),
    }
}

/// Tries before giving up on drawing a fingerprint that is not already in flight.
const FINGERPRINT_TRIES: usize = 16;

/// What `send` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// Local id of this send; the first `Transmit` of the message carries it.
    pub send_id: u64,
    /// The fingerprint, for QoS messages.
    pub fp: Option<String>,
}

/// The login of one session: what to log in with, where, and how far it got.
#[derive(Debug)]
pub(super) struct Session {
    pub(super) info: LoginInfo,
    pub(super) url: String,
    pub(super) ever_online: bool,
    pub(super) failure_reported: bool,
}

/// A MobileIMSDK client as a state machine.
///
/// Drive it with the command, socket, hint and [`handle_timeout`](Self::handle_timeout) methods,
/// each given the current time in ms; after each call drain [`poll_output`](Self::poll_output)
/// until it returns [`Output::Timeout`], carry out what it asks, and call `handle_timeout` at the
/// deadline it names. It never reads a clock, opens a socket or panics on any input.
pub struct Client {
    pub(super) config: Config,
    pub(super) random: Box<dyn RandomSource>,
    pub(super) state: ConnectionState,
    pub(super) session: Option<Session>,
    pub(super) socket: Option<u64>,
    generation: u64,
    pub(super) timers: Timers,
    backoff: Backoff,
    pub(super) qos_send: QosSend,
    pub(super) seen: SeenCache,
    /// When the current session went online. Only a session that held for
    /// `stable_online_ms` resets the backoff, so a server that drops every session right
    /// after its login reply cannot drive the client into a reconnect loop.
    online_since: Option<u64>,
    next_send_id: u64,
    outputs: VecDeque<Output>,
    /// How many [`Event::Data`] outputs have been emitted.
    app_messages: u64,
    forget_session_when_drained: bool,
}

impl Client {
    /// A client in the `idle` state.
    pub fn new(config: Config, mut random: Box<dyn RandomSource>) -> Self {
        let seen = SeenCache::new(
            random.next_u64(),
            config.dedupe_ttl_ms,
            config.dedupe_capacity,
        );
        Self {
            config,
            random,
            state: ConnectionState::Idle,
            session: None,
            socket: None,
            generation: 0,
            timers: Timers::default(),
            backoff: Backoff::default(),
            qos_send: QosSend::default(),
            seen,
            online_since: None,
            next_send_id: 1,
            outputs: VecDeque::new(),
            app_messages: 0,
            forget_session_when_drained: false,
        }
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The connection state.
    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// Whether the session logged in at least once and has not ended (it may be reconnecting).
    pub fn is_logged_in(&self) -> bool {
        self.state.is_active() && self.session.as_ref().is_some_and(|s| s.ever_online)
    }

    /// How many app messages ([`Event::Data`]) the client has emitted so far, drained or not: a
    /// host that keeps its own copy of each inbound message compares it around a call to learn
    /// whether that frame was accepted, before the outputs reach it.
    pub fn app_messages_emitted(&self) -> u64 {
        self.app_messages
    }

    /// Whether the client is online now.
    pub fn is_online(&self) -> bool {
        self.state == ConnectionState::Online
    }

    /// The login info of the session, with the server's `firstLoginTime` once known.
    pub fn login_info(&self) -> Option<&LoginInfo> {
        self.session.as_ref().map(|s| &s.info)
    }

    /// How many QoS messages are unacknowledged (queued or in flight).
    pub fn pending_messages(&self) -> usize {
        self.qos_send.len()
    }

    /// How many received fingerprints are remembered for de-duplication.
    pub fn remembered_fingerprints(&self) -> usize {
        self.seen.len()
    }

    /// Switches debug-level log events on or off.
    pub fn set_debug_logs(&mut self, on: bool) {
        self.config.debug_logs = on;
    }

    /// Switches fingerprints to `n` alphanumeric characters (`Some(n)`) or UUID v4 (`None`).
    pub fn set_fingerprint_length(&mut self, length: Option<usize>) {
        self.config.fingerprint_length = length.filter(|n| *n > 0);
    }

    /// Changes the keep-alive cadence; an online client re-arms its timers from `now`.
    pub fn set_sense_mode(&mut self, now: u64, mode: SenseMode) {
        self.config.sense_mode = mode;
        if self.is_online() {
            self.timers.set(Timer::Ping, now + mode.ping_interval_ms());
            self.timers.set(Timer::LinkDead, now + mode.dead_after_ms());
        }
    }

    /// Starts a session: connect to `url` and log in with `info`.
    ///
    /// A session already under way is closed first; its unacknowledged messages are kept for a
    /// relogin of the same user and reported lost for a different one.
    pub fn login(&mut self, now: u64, info: LoginInfo, url: String) -> Result<(), LoginError> {
        if info.login_user_id.is_empty() {
            return Err(LoginError::MissingUserId);
        }
        if url.is_empty() {
            return Err(LoginError::MissingUrl);
        }
        let same_user = self
            .session
            .as_ref()
            .is_some_and(|s| s.info.login_user_id == info.login_user_id);
        self.leave_online(now);
        if !same_user {
            let lost = self.qos_send.drain_all();
            self.report_lost(lost);
        }
        self.forget_session_when_drained = false;
        self.log(
            Level::Info,
            [
                "login as ",
                &info.login_user_id,
                " to ",
                &loggable_url(&url),
            ]
            .concat(),
        );
        self.session = Some(Session {
            info,
            url,
            ever_online: false,
            failure_reported: false,
        });
        self.timers.stop_all();
        self.backoff.reset();
        self.online_since = None;
        self.start_attempt(now);
        Ok(())
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
        let mut message = message.into();
        if message.kind != ProtocalType::COMMON_DATA && message.kind != ProtocalType::ECHO {
            return Err(SendError::Invalid(
                "only type 2 (data) or 5 (echo) can be sent",
            ));
        }
        if message.to.is_empty() {
            return Err(SendError::Invalid("`to` is empty"));
        }
        if self.session.is_none() || !self.state.is_active() {
            return Err(SendError::NotConnected);
        }
        if !message.qos && !self.is_online() {
            return Err(SendError::NotConnected);
        }
        // The QoS fingerprint: the message's own, or one generated for it.
        let fp = if message.qos {
            if self.qos_send.len() >= self.config.max_pending_messages {
                return Err(SendError::TooManyPending(self.qos_send.len()));
            }
            Some(match message.fp {
                Some(fp) if self.qos_send.contains(fp) => {
                    return Err(SendError::Invalid(
                        "a message with this fp is already pending",
                    ))
                }
                Some(fp) if !fp.is_empty() => fp.to_owned(),
                _ => self.unique_fingerprint()?,
            })
        } else {
            None
        };
        if let Some(fp) = &fp {
            message.fp = Some(fp);
        }
        if message.from.is_empty() || message.from == UNSET_UID {
            if let Some(session) = &self.session {
                message.from = &session.info.login_user_id;
            }
        }
        let echo = message.kind == ProtocalType::ECHO;
        let text = message.encode();
        if text.len() > self.config.max_outbound_bytes {
            return Err(SendError::TooLarge {
                len: text.len(),
                limit: self.config.max_outbound_bytes,
            });
        }
        let send_id = self.next_send_id;
        self.next_send_id += 1;
        if self.is_online() {
            self.transmit(text.clone(), Some(send_id));
        }
        if let Some(fp) = &fp {
            self.qos_send
                .track(send_id, fp.clone(), text, echo, now, &self.config);
        }
        Ok(SendReceipt { send_id, fp })
    }

    /// Logs out: a logout frame if online, the socket closed, every unacknowledged message
    /// reported lost, no reconnect. The login info stays readable until the outputs are drained.
    pub fn logout(&mut self, now: u64) {
        if !self.state.is_active() {
            return;
        }
        if self.is_online() {
            if let Some(session) = &self.session {
                let frame = Protocal::logout(&session.info.login_user_id).encode();
                self.transmit(frame, None);
            }
        }
        self.log(Level::Info, "logout".into());
        self.end_session(now, ConnectionState::LoggedOut);
        self.forget_session_when_drained = true;
    }

    /// The socket of `generation` opened.
    pub fn socket_opened(&mut self, _now: u64, generation: u64) {
        if !self.is_current(generation) || self.state != ConnectionState::Connecting {
            return;
        }
        let Some(session) = &self.session else {
            return;
        };
        let frame = Protocal::login(&session.info).encode();
        self.set_state(ConnectionState::LoggingIn);
        self.transmit(frame, None);
    }

    /// A text frame arrived on the socket of `generation`.
    pub fn socket_text(&mut self, now: u64, generation: u64, text: &str) {
        let decoded = Protocal::decode(text, self.config.max_inbound_bytes);
        self.socket_decoded(now, generation, decoded);
    }

    /// A binary frame arrived on the socket of `generation` (treated as UTF-8 JSON text).
    pub fn socket_bytes(&mut self, now: u64, generation: u64, bytes: &[u8]) {
        let decoded = Protocal::decode_bytes(bytes, self.config.max_inbound_bytes);
        self.socket_decoded(now, generation, decoded);
    }

    /// A frame arrived on the socket of `generation` that the host decoded itself (a JS host
    /// with the runtime's `JSON.parse`, which the app needs anyway), by the rules of
    /// [`Protocal::decode`]; the host logs the frames it drops.
    pub fn socket_frame(&mut self, now: u64, generation: u64, frame: Protocal) {
        self.socket_decoded(now, generation, Ok(frame));
    }

    fn socket_decoded(
        &mut self,
        now: u64,
        generation: u64,
        decoded: Result<Protocal, DecodeError>,
    ) {
        if !self.is_current(generation) {
            return;
        }
        match decoded {
            Ok(frame) => self.handle_frame(now, frame),
            Err(err) => self.log(
                Level::Error,
                ["dropped inbound frame: ", &err.describe()].concat(),
            ),
        }
    }

    /// The socket of `generation` closed or failed.
    pub fn socket_closed(&mut self, now: u64, generation: u64) {
        if !self.is_current(generation) {
            return;
        }
        self.socket = None;
        match self.state {
            ConnectionState::Connecting | ConnectionState::LoggingIn => {
                self.attempt_failed(now, error_code::BAD_CONNECT_TO_SERVER, "socket closed")
            }
            ConnectionState::Online => self.link_lost(now, "socket closed"),
            _ => {}
        }
    }

    /// The host's network went up or down.
    pub fn network_changed(&mut self, now: u64, connected: bool) {
        if connected {
            self.retry_now(now, "network is back");
            return;
        }
        match self.state {
            ConnectionState::Online => self.link_lost(now, "network is down"),
            ConnectionState::Connecting | ConnectionState::LoggingIn => self.attempt_failed(
                now,
                error_code::LOCAL_NETWORK_NOT_WORKING,
                "network is down",
            ),
            _ => {}
        }
    }

    /// The app came to the foreground: reconnect now if waiting, probe the link if online.
    pub fn app_shown(&mut self, now: u64) {
        if self.is_online() {
            self.send_ping(now);
        } else {
            self.retry_now(now, "app shown");
        }
    }

    /// The app went to the background (its JS may soon be suspended).
    pub fn app_hidden(&mut self, _now: u64) {
        self.log(Level::Debug, "app hidden".into());
    }

    /// Handles every deadline due at `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        for timer in self.timers.take_expired(now).into_iter().flatten() {
            match (timer, self.state) {
                (Timer::LinkDead, ConnectionState::Online) => {
                    self.link_lost(now, "no frame from the server in time")
                }
                (Timer::LoginTimeout, ConnectionState::Connecting | ConnectionState::LoggingIn) => {
                    self.attempt_failed(now, error_code::LOGIN_TIMEOUT, "login timed out")
                }
                (Timer::Reconnect, ConnectionState::Reconnecting) => self.start_attempt(now),
                (Timer::Ping, ConnectionState::Online) => self.send_ping(now),
                _ => {}
            }
        }
        let expired = self.qos_send.expire(now, &self.config);
        for retransmit in expired.resend {
            self.log(
                Level::Debug,
                ["resend #", &int_text(retransmit.send_id as i64)].concat(),
            );
            self.transmit(retransmit.text, None);
        }
        self.report_lost(expired.lost);
    }

    /// The next thing to do; [`Output::Timeout`] when there is nothing more for now.
    pub fn poll_output(&mut self) -> Output {
        if let Some(output) = self.outputs.pop_front() {
            return output;
        }
        if self.forget_session_when_drained {
            self.forget_session_when_drained = false;
            self.session = None;
        }
        Output::Timeout(self.next_deadline())
    }

    /// The earliest deadline at which `handle_timeout` must run.
    pub fn next_deadline(&self) -> Option<u64> {
        match (self.timers.next(), self.qos_send.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub(super) fn is_current(&self, generation: u64) -> bool {
        self.socket == Some(generation)
    }

    pub(super) fn emit(&mut self, event: Event) {
        if matches!(event, Event::Data(_)) {
            self.app_messages += 1;
        }
        self.outputs.push_back(Output::Event(event));
    }

    pub(super) fn log(&mut self, level: Level, message: String) {
        if level > Level::Debug || self.config.debug_logs {
            self.emit(Event::Log { level, message });
        }
    }

    pub(super) fn transmit(&mut self, text: String, send_id: Option<u64>) {
        if let Some(generation) = self.socket {
            self.outputs.push_back(Output::Transmit {
                generation,
                text,
                send_id,
            });
        }
    }

    pub(super) fn set_state(&mut self, state: ConnectionState) {
        if self.state != state {
            self.state = state;
            self.emit(Event::StateChanged(state));
        }
    }

    pub(super) fn report_lost(&mut self, lost: Vec<LostMessage>) {
        if !lost.is_empty() {
            self.log(
                Level::Warn,
                [&int_text(lost.len() as i64), " message(s) lost"].concat(),
            );
            self.emit(Event::MessagesLost(lost));
        }
    }

    /// A code-0 login reply: online, flush what waited.
    pub(super) fn login_succeeded(&mut self, now: u64, first_login_time: i64) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        if first_login_time > 0 {
            session.info.first_login_time = first_login_time;
        }
        let reconnected = std::mem::replace(&mut session.ever_online, true);
        session.failure_reported = false;
        self.timers.stop(Timer::LoginTimeout);
        self.online_since = Some(now);
        let mode = self.config.sense_mode;
        self.timers.set(Timer::Ping, now + mode.ping_interval_ms());
        self.timers.set(Timer::LinkDead, now + mode.dead_after_ms());
        self.set_state(ConnectionState::Online);
        self.emit(if reconnected {
            Event::Reconnected
        } else {
            Event::LoginSucceeded
        });
        let writes = self.qos_send.go_online(now, &self.config);
        for Retransmit {
            send_id,
            text,
            first_write,
        } in writes
        {
            self.transmit(text, first_write.then_some(send_id));
        }
    }

    /// Ends the session in an end state: socket closed, timers stopped, pending reported lost.
    pub(super) fn end_session(&mut self, _now: u64, end: ConnectionState) {
        self.close_socket();
        self.timers.stop_all();
        let lost = self.qos_send.drain_all();
        self.report_lost(lost);
        self.set_state(end);
    }

    /// The online link is gone: tell the app once and reconnect (at once if the session held).
    pub(super) fn link_lost(&mut self, now: u64, reason: &str) {
        self.log(Level::Warn, ["link lost: ", reason].concat());
        let held = self
            .online_since
            .take()
            .is_some_and(|since| now.saturating_sub(since) >= self.config.stable_online_ms);
        if held {
            self.backoff.reset();
        }
        self.close_socket();
        self.leave_online(now);
        self.emit(Event::Disconnected);
        self.schedule_retry(now);
    }

    /// A login attempt failed without a verdict from the server: retry with backoff.
    pub(super) fn attempt_failed(&mut self, now: u64, code: i32, reason: &str) {
        self.log(Level::Warn, ["login attempt failed: ", reason].concat());
        self.close_socket();
        if let Some(session) = self.session.as_mut() {
            if !session.ever_online && !session.failure_reported {
                session.failure_reported = true;
                self.emit(Event::LoginFailed {
                    is_reconnect: false,
                    code,
                });
            }
        }
        self.schedule_retry(now);
    }

    fn leave_online(&mut self, now: u64) {
        self.timers.stop(Timer::Ping);
        self.timers.stop(Timer::LinkDead);
        self.qos_send.go_offline(now, &self.config);
    }

    fn schedule_retry(&mut self, now: u64) {
        self.timers.stop(Timer::LoginTimeout);
        self.set_state(ConnectionState::Reconnecting);
        let delay = self.backoff.next_delay(&self.config, self.random.as_mut());
        if delay == 0 {
            self.start_attempt(now);
        } else {
            self.log(
                Level::Info,
                ["reconnecting in ", &int_text(delay as i64), " ms"].concat(),
            );
            self.timers.set(Timer::Reconnect, now + delay);
        }
    }

    fn retry_now(&mut self, now: u64, reason: &str) {
        if self.state == ConnectionState::Reconnecting {
            self.log(Level::Info, ["reconnecting now: ", reason].concat());
            self.start_attempt(now);
        }
    }

    fn start_attempt(&mut self, now: u64) {
        let Some(url) = self.session.as_ref().map(|s| s.url.clone()) else {
            return;
        };
        self.close_socket();
        self.generation += 1;
        self.socket = Some(self.generation);
        self.timers.stop(Timer::Reconnect);
        self.timers
            .set(Timer::LoginTimeout, now + self.config.login_timeout_ms);
        self.set_state(ConnectionState::Connecting);
        self.outputs.push_back(Output::OpenSocket {
            generation: self.generation,
            url,
        });
    }

    fn close_socket(&mut self) {
        if let Some(generation) = self.socket.take() {
            self.outputs.push_back(Output::CloseSocket { generation });
        }
    }

    fn send_ping(&mut self, now: u64) {
        let Some(session) = &self.session else {
            return;
        };
        let frame = Protocal::keep_alive(&session.info.login_user_id).encode();
        self.transmit(frame, None);
        self.emit(Event::Ping);
        self.timers
            .set(Timer::Ping, now + self.config.sense_mode.ping_interval_ms());
    }

    /// A fingerprint no pending message has. A UUID v4 (122 random bits) is taken as drawn:
    /// checking it would cost a hash of it per send for a collision that does not happen.
    fn unique_fingerprint(&mut self) -> Result<String, SendError> {
        let length = self.config.fingerprint_length;
        let alphanumeric = alphanumeric_length(length).is_some();
        for _ in 0..FINGERPRINT_TRIES {
            let fp = new_fingerprint(self.random.as_mut(), length);
            if !alphanumeric || !self.qos_send.contains(&fp) {
                return Ok(fp);
            }
        }
        Err(SendError::Invalid(
            "fingerprint length too short for a unique id",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_url;

    #[test]
    fn logged_urls_lose_credentials_query_and_fragment() {
        assert_eq!(
            loggable_url("wss://bob:pw@im.example.com:443/websocket?token=s3cret#x"),
            "wss://im.example.com:443/websocket"
        );
        assert_eq!(
            loggable_url("ws://127.0.0.1:3000/websocket"),
            "ws://127.0.0.1:3000/websocket"
        );
        assert_eq!(loggable_url("ws://host/a@b"), "ws://host/a@b");
    }
}
