//! The link: socket events, host hints and timers drive the connection state machine
//! (log in, connect, keep alive, reconnect with backoff, log out; docs/client-behaviour.md §1–§3).

use super::client::Client;
use super::inbound::FrameHandled;
use super::payloads::{FromContent, HostReply};
use super::qos_send::MessageWrite;
use super::session::Session;
use super::timers::Timer;
use super::url::{insecure_remote_host, loggable_url};
use super::{ConnectionState, Event, Level, LogTopic, LoginError, Outbound};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, DecodeError, LoginInfo, Protocal, ProtocalRef};

impl Client {
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
            .is_some_and(|s| s.user_id() == info.login_user_id);
        self.leave_online(now);
        if !same_user {
            let lost = self.qos_send.drain_all();
            self.report_lost(lost);
        }
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
        if let Some(host) = insecure_remote_host(&url) {
            let advice = ": use wss:// (and a whitelisted domain) in production";
            self.log(Level::Warn, ["plain ws:// to ", host, advice].concat());
        }
        self.session = Some(Session::new(info, url));
        self.timers.stop_all();
        self.backoff.reset();
        self.online_since = None;
        self.start_attempt(now);
        Ok(())
    }

    /// Logs out: a logout frame if online, the socket closed, every unacknowledged message
    /// reported lost, no reconnect. The login info is forgotten at once.
    pub fn logout(&mut self, now: u64) {
        if !self.state.is_active() {
            return;
        }
        if self.is_online() {
            if let Some(session) = &self.session {
                let from = session.user_id().to_owned();
                self.write(Outbound::Logout { from });
            }
        }
        self.log(Level::Info, "logout".into());
        self.end_session(now, ConnectionState::LoggedOut);
        self.session = None;
    }

    /// The socket of `generation` opened.
    pub fn handle_socket_opened(&mut self, _now: u64, generation: u64) {
        if !self.is_current(generation) || self.state != ConnectionState::Connecting {
            return;
        }
        let Some(session) = &self.session else {
            return;
        };
        let frame = Outbound::Login(Box::new(session.info().clone()));
        self.set_state(ConnectionState::LoggingIn);
        self.write(frame);
    }

    /// A text frame arrived on the socket of `generation`. Returns whether it delivered an app
    /// message (an [`Event::Data`] output).
    pub fn handle_socket_text(&mut self, now: u64, generation: u64, text: &str) -> bool {
        let decoded = Protocal::decode(text, self.config.max_inbound_bytes);
        self.socket_decoded(now, generation, decoded)
    }

    /// A binary frame arrived on the socket of `generation` (treated as UTF-8 JSON text).
    /// Returns whether it delivered an app message.
    pub fn handle_socket_bytes(&mut self, now: u64, generation: u64, bytes: &[u8]) -> bool {
        let decoded = Protocal::decode_bytes(bytes, self.config.max_inbound_bytes);
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
    /// at for other types; an app message is announced by [`Event::HeldData`](super::Event),
    /// the host handing the app its own parsed copy, and its ack is an
    /// [`Outbound::HeldAck`], which the host writes from that frame. Nothing of `frame` is
    /// copied for an ack or an app message. Returns what the frame led to.
    pub fn handle_read_frame(
        &mut self,
        now: u64,
        generation: u64,
        frame: ProtocalRef<'_>,
        reply: HostReply,
    ) -> FrameHandled {
        if !self.is_current(generation) {
            return FrameHandled::default();
        }
        self.handle_frame(now, frame, &reply)
    }

    fn socket_decoded(
        &mut self,
        now: u64,
        generation: u64,
        decoded: Result<Protocal, DecodeError>,
    ) -> bool {
        if !self.is_current(generation) {
            return false;
        }
        match decoded {
            Ok(frame) => {
                self.handle_frame(now, ProtocalRef::from(&frame), &FromContent)
                    .app_message
            }
            Err(err) => {
                let message = ["dropped inbound frame: ", &err.describe()].concat();
                self.log(Level::Error, message);
                false
            }
        }
    }

    /// The socket of `generation` closed or failed.
    pub fn handle_socket_closed(&mut self, now: u64, generation: u64) {
        if !self.forget_socket(generation) {
            return;
        }
        self.debug_line(
            LogTopic::Sdk,
            &["socket #", &int_text(generation as i64), " closed"],
        );
        match self.state {
            ConnectionState::Connecting | ConnectionState::LoggingIn => {
                self.attempt_failed(now, error_code::BAD_CONNECT_TO_SERVER, "socket closed")
            }
            ConnectionState::Online => self.link_lost(now, "socket closed"),
            _ => {}
        }
    }

    /// The host's network went up or down.
    pub fn handle_network_changed(&mut self, now: u64, connected: bool) {
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
    pub fn handle_app_shown(&mut self, now: u64) {
        if self.is_online() {
            self.send_ping(now);
        } else {
            self.retry_now(now, "app shown");
        }
    }

    /// The app went to the background (its JS may soon be suspended).
    pub fn handle_app_hidden(&mut self, _now: u64) {
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
            self.write(Outbound::Message {
                send_id: retransmit.send_id,
                first_write: false,
                text: retransmit.text,
            });
        }
        self.report_lost(expired.lost);
    }

    /// A code-0 login reply: online, flush what waited.
    pub(super) fn login_succeeded(&mut self, now: u64, first_login_time: i64) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let reconnected = session.went_online(first_login_time);
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
        for MessageWrite {
            send_id,
            text,
            first_write,
        } in writes
        {
            self.write(Outbound::Message {
                send_id,
                first_write,
                text,
            });
            if first_write {
                self.first_writes.handed(send_id, true);
            }
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
        if self
            .session
            .as_mut()
            .is_some_and(Session::report_first_failure)
        {
            self.emit(Event::LoginFailed {
                is_reconnect: false,
                code,
            });
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
        let Some(url) = self.session.as_ref().map(|s| s.url().to_owned()) else {
            return;
        };
        self.timers.stop(Timer::Reconnect);
        self.timers
            .set(Timer::LoginTimeout, now + self.config.login_timeout_ms);
        self.set_state(ConnectionState::Connecting);
        self.open_socket(url);
    }

    fn send_ping(&mut self, now: u64) {
        let Some(session) = &self.session else {
            return;
        };
        let from = session.user_id().to_owned();
        self.write(Outbound::KeepAlive { from });
        self.debug_line(LogTopic::Heartbeat, &["ping sent"]);
        self.emit(Event::Ping);
        self.timers
            .set(Timer::Ping, now + self.config.sense_mode.ping_interval_ms());
    }
}
