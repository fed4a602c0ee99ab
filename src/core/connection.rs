//! The link's steps that also move the QoS messages: log in, log out, socket and network
//! events, timers, going online and losing the link (docs/client-behaviour.md §1–§3).

use super::context::Context;
use super::link::Link;
use super::outbox::Outbox;
use super::qos_send::MessageWrite;
use super::timers::Timer;
use super::url::{insecure_remote_host, loggable_url};
use super::{ConnectionState, Event, Level, LogTopic, LoginError, Outbound};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, LoginInfo};

impl Link {
    /// Starts a session (see [`Client::login`](super::Client::login)).
    pub(super) fn login(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        info: LoginInfo,
        url: String,
    ) -> Result<(), LoginError> {
        if info.login_user_id.is_empty() {
            return Err(LoginError::MissingUserId);
        }
        if url.is_empty() {
            return Err(LoginError::MissingUrl);
        }
        let same_user = self.user_id() == Some(info.login_user_id.as_str());
        self.leave_online(cx, outbox, now);
        if !same_user {
            outbox.lose_all(cx);
        }
        cx.log(
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
            cx.log(Level::Warn, ["plain ws:// to ", host, advice].concat());
        }
        self.begin_session(info, url);
        self.start_attempt(cx, now);
        Ok(())
    }

    /// Logs out (see [`Client::logout`](super::Client::logout)).
    pub(super) fn logout(&mut self, cx: &mut Context, outbox: &mut Outbox) {
        if !self.state().is_active() {
            return;
        }
        if self.is_online() {
            if let Some(session) = self.session() {
                let from = session.user_id().to_owned();
                self.write(cx, Outbound::Logout { from });
            }
        }
        cx.log(Level::Info, "logout".into());
        self.end_session(cx, outbox, ConnectionState::LoggedOut);
        self.forget_session();
    }

    /// The socket of `generation` closed or failed.
    pub(super) fn socket_closed(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        generation: u64,
    ) {
        if !self.forget_socket(generation) {
            return;
        }
        let closed = int_text(generation as i64);
        cx.debug_line(LogTopic::Sdk, &["socket #", &closed, " closed"]);
        match self.state() {
            ConnectionState::Connecting | ConnectionState::LoggingIn => {
                self.attempt_failed(cx, now, error_code::BAD_CONNECT_TO_SERVER, "socket closed")
            }
            ConnectionState::Online => self.link_lost(cx, outbox, now, "socket closed"),
            _ => {}
        }
    }

    /// The host's network went up or down.
    pub(super) fn network_changed(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        connected: bool,
    ) {
        if connected {
            self.retry_now(cx, now, "network is back");
            return;
        }
        match self.state() {
            ConnectionState::Online => self.link_lost(cx, outbox, now, "network is down"),
            ConnectionState::Connecting | ConnectionState::LoggingIn => self.attempt_failed(
                cx,
                now,
                error_code::LOCAL_NETWORK_NOT_WORKING,
                "network is down",
            ),
            _ => {}
        }
    }

    /// Handles every deadline due at `now`, the link's and the QoS messages'.
    pub(super) fn timeout(&mut self, cx: &mut Context, outbox: &mut Outbox, now: u64) {
        for timer in self.take_expired(now).into_iter().flatten() {
            match (timer, self.state()) {
                (Timer::LinkDead, ConnectionState::Online) => {
                    self.link_lost(cx, outbox, now, "no frame from the server in time")
                }
                (Timer::LoginTimeout, ConnectionState::Connecting | ConnectionState::LoggingIn) => {
                    self.attempt_failed(cx, now, error_code::LOGIN_TIMEOUT, "login timed out")
                }
                (Timer::Reconnect, ConnectionState::Reconnecting) => self.start_attempt(cx, now),
                (Timer::Ping, ConnectionState::Online) => self.send_ping(cx, now),
                _ => {}
            }
        }
        let expired = outbox.expire(now, cx.config());
        for retransmit in expired.resend {
            cx.log(
                Level::Debug,
                ["resend #", &int_text(retransmit.send_id as i64)].concat(),
            );
            self.write(
                cx,
                Outbound::Message {
                    send_id: retransmit.send_id,
                    first_write: false,
                    text: retransmit.text,
                },
            );
        }
        outbox.report_lost(cx, expired.lost);
    }

    /// A code-0 login reply: online, flush what waited.
    pub(super) fn login_succeeded(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        first_login_time: i64,
    ) {
        let mode = cx.config().sense_mode;
        let Some(reconnected) = self.go_online(now, first_login_time, mode) else {
            return;
        };
        self.set_state(cx, ConnectionState::Online);
        cx.emit(if reconnected {
            Event::Reconnected
        } else {
            Event::LoginSucceeded
        });
        let writes = outbox.go_online(now, cx.config());
        for MessageWrite {
            send_id,
            text,
            first_write,
        } in writes
        {
            self.write(
                cx,
                Outbound::Message {
                    send_id,
                    first_write,
                    text,
                },
            );
            if first_write {
                outbox.first_write_handed(send_id, true);
            }
        }
    }

    /// Ends the session in an end state: socket closed, timers stopped, pending reported lost.
    pub(super) fn end_session(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        end: ConnectionState,
    ) {
        self.close_socket(cx);
        self.stop_timers();
        outbox.lose_all(cx);
        self.set_state(cx, end);
    }

    /// The online link is gone: tell the app once and reconnect (at once if the session held).
    pub(super) fn link_lost(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        reason: &str,
    ) {
        cx.log(Level::Warn, ["link lost: ", reason].concat());
        self.went_offline(now, cx.config().stable_online_ms);
        self.close_socket(cx);
        self.leave_online(cx, outbox, now);
        cx.emit(Event::Disconnected);
        self.schedule_retry(cx, now);
    }

    fn leave_online(&mut self, cx: &Context, outbox: &mut Outbox, now: u64) {
        self.stop_keepalive();
        outbox.go_offline(now, cx.config());
    }
}
