//! The link: the connection state, the session, the one socket, the connection's timers and the
//! reconnect backoff, which change together (docs/client-behaviour.md §1–§3). Steps that also
//! move the QoS messages are in `connection.rs`.

use super::backoff::Backoff;
use super::context::Context;
use super::session::Session;
use super::timers::{Timer, Timers};
use super::{ConnectionState, Event, Level, LogTopic, Outbound, Output};
use crate::protocol::json::int_text;
use crate::protocol::{LoginInfo, SenseMode};

/// The connection's state machine and what it owns.
#[derive(Debug)]
pub(super) struct Link {
    state: ConnectionState,
    session: Option<Session>,
    /// The generation of the open socket, if one is open.
    socket: Option<u64>,
    /// The generation of the last socket opened.
    generation: u64,
    timers: Timers,
    backoff: Backoff,
    /// When the current session went online. Only a session that held for
    /// `stable_online_ms` resets the backoff, so a server that drops every session right
    /// after its login reply cannot drive the client into a reconnect loop.
    online_since: Option<u64>,
}

impl Link {
    /// An idle link: no session, no socket.
    pub(super) fn new() -> Self {
        Self {
            state: ConnectionState::Idle,
            session: None,
            socket: None,
            generation: 0,
            timers: Timers::default(),
            backoff: Backoff::default(),
            online_since: None,
        }
    }

    /// The connection state.
    pub(super) fn state(&self) -> ConnectionState {
        self.state
    }

    /// Whether the client is online now.
    pub(super) fn is_online(&self) -> bool {
        self.state == ConnectionState::Online
    }

    /// The session, from a login until the next login or a logout.
    pub(super) fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The session's user, if there is a session.
    pub(super) fn user_id(&self) -> Option<&str> {
        self.session.as_ref().map(Session::user_id)
    }

    /// Whether `generation` is the open socket (events of any other one are ignored).
    pub(super) fn is_current(&self, generation: u64) -> bool {
        self.socket == Some(generation)
    }

    /// The earliest armed deadline of the connection's timers.
    pub(super) fn next_deadline(&self) -> Option<u64> {
        self.timers.next()
    }

    /// Disarms and returns the connection's timers due at `now`.
    pub(super) fn take_expired(&mut self, now: u64) -> [Option<Timer>; 4] {
        self.timers.take_expired(now)
    }

    /// Starts a session with `info` at `url`: no timer armed, no failure counted yet.
    pub(super) fn begin_session(&mut self, info: LoginInfo, url: String) {
        self.session = Some(Session::new(info, url));
        self.timers.stop_all();
        self.backoff.reset();
        self.online_since = None;
    }

    /// Forgets the session (a logout).
    pub(super) fn forget_session(&mut self) {
        self.session = None;
    }

    /// Enters `state`, telling the app if it changed.
    pub(super) fn set_state(&mut self, cx: &mut Context, state: ConnectionState) {
        if self.state != state {
            self.state = state;
            cx.debug_line(LogTopic::Sdk, &["state: ", state.as_str()]);
            cx.emit(Event::StateChanged(state));
        }
    }

    /// Closes the open socket, if any; its later events are ignored.
    pub(super) fn close_socket(&mut self, cx: &mut Context) {
        if let Some(generation) = self.socket.take() {
            cx.queue(Output::CloseSocket { generation });
        }
    }

    /// Forgets the socket of `generation`, which closed by itself; `false` if it was not the
    /// open one.
    pub(super) fn forget_socket(&mut self, generation: u64) -> bool {
        let current = self.is_current(generation);
        if current {
            self.socket = None;
        }
        current
    }

    /// Writes `frame` on the open socket; dropped if none is open. Never inlined: a copy at each
    /// of its call sites cost the mini-program's `.wasm.br` 178 bytes more (`npm run build`,
    /// before and after).
    #[inline(never)]
    pub(super) fn write(&self, cx: &mut Context, frame: Outbound) {
        if let Some(generation) = self.socket {
            cx.queue(Output::Write { generation, frame });
        }
    }

    /// A code-0 login reply at `now`: online, keep-alive armed. Whether the session had been
    /// online before (a reconnect); `None`, and nothing changes, without a session.
    pub(super) fn go_online(
        &mut self,
        now: u64,
        first_login_time: i64,
        mode: SenseMode,
    ) -> Option<bool> {
        let reconnected = self.session.as_mut()?.went_online(first_login_time);
        self.timers.stop(Timer::LoginTimeout);
        self.online_since = Some(now);
        self.arm_keepalive(now, mode);
        Some(reconnected)
    }

    /// Arms the next ping and the dead-link check from `now`.
    pub(super) fn arm_keepalive(&mut self, now: u64, mode: SenseMode) {
        self.timers.set(Timer::Ping, now + mode.ping_interval_ms());
        self.timers.set(Timer::LinkDead, now + mode.dead_after_ms());
    }

    /// Stops the ping and the dead-link check (the link is no longer online).
    pub(super) fn stop_keepalive(&mut self) {
        self.timers.stop(Timer::Ping);
        self.timers.stop(Timer::LinkDead);
    }

    /// Disarms every timer (the session ended).
    pub(super) fn stop_timers(&mut self) {
        self.timers.stop_all();
    }

    /// A frame arrived at `now`: online, the link is alive for another dead-after time.
    pub(super) fn frame_arrived(&mut self, now: u64, mode: SenseMode) {
        if self.is_online() {
            self.timers.set(Timer::LinkDead, now + mode.dead_after_ms());
        }
    }

    /// The online link is gone at `now`: a session that held `stable_online_ms` starts a new
    /// outage, with the backoff from the start.
    pub(super) fn went_offline(&mut self, now: u64, stable_online_ms: u64) {
        let held = self
            .online_since
            .take()
            .is_some_and(|since| now.saturating_sub(since) >= stable_online_ms);
        if held {
            self.backoff.reset();
        }
    }

    /// The socket of `generation` opened: send the login frame.
    pub(super) fn socket_opened(&mut self, cx: &mut Context, generation: u64) {
        if !self.is_current(generation) || self.state != ConnectionState::Connecting {
            return;
        }
        let Some(session) = &self.session else {
            return;
        };
        let frame = Outbound::Login(Box::new(session.info().clone()));
        self.set_state(cx, ConnectionState::LoggingIn);
        self.write(cx, frame);
    }

    /// A login attempt failed without a verdict from the server: retry with backoff.
    pub(super) fn attempt_failed(&mut self, cx: &mut Context, now: u64, code: i32, reason: &str) {
        cx.log(Level::Warn, ["login attempt failed: ", reason].concat());
        self.close_socket(cx);
        if self
            .session
            .as_mut()
            .is_some_and(Session::report_first_failure)
        {
            cx.emit(Event::LoginFailed {
                is_reconnect: false,
                code,
            });
        }
        self.schedule_retry(cx, now);
    }

    /// Waits for the next attempt, as long as the backoff says (none for the first one).
    pub(super) fn schedule_retry(&mut self, cx: &mut Context, now: u64) {
        self.timers.stop(Timer::LoginTimeout);
        self.set_state(cx, ConnectionState::Reconnecting);
        let delay = cx.retry_delay(&mut self.backoff);
        if delay == 0 {
            self.start_attempt(cx, now);
        } else {
            cx.log(
                Level::Info,
                ["reconnecting in ", &int_text(delay as i64), " ms"].concat(),
            );
            self.timers.set(Timer::Reconnect, now + delay);
        }
    }

    /// Attempts at once if waiting for the next attempt.
    pub(super) fn retry_now(&mut self, cx: &mut Context, now: u64, reason: &str) {
        if self.state == ConnectionState::Reconnecting {
            cx.log(Level::Info, ["reconnecting now: ", reason].concat());
            self.start_attempt(cx, now);
        }
    }

    /// Opens a new socket to the session's URL, with the login timeout armed.
    pub(super) fn start_attempt(&mut self, cx: &mut Context, now: u64) {
        let Some(url) = self.session.as_ref().map(|s| s.url().to_owned()) else {
            return;
        };
        self.timers.stop(Timer::Reconnect);
        self.timers
            .set(Timer::LoginTimeout, now + cx.config().login_timeout_ms);
        self.set_state(cx, ConnectionState::Connecting);
        self.close_socket(cx);
        self.generation += 1;
        self.socket = Some(self.generation);
        let generation = int_text(self.generation as i64);
        cx.debug_line(LogTopic::Sdk, &["socket #", &generation, " connecting"]);
        cx.queue(Output::OpenSocket {
            generation: self.generation,
            url,
        });
    }

    /// Writes a keep-alive and arms the next one.
    pub(super) fn send_ping(&mut self, cx: &mut Context, now: u64) {
        let Some(from) = self.user_id().map(str::to_owned) else {
            return;
        };
        self.write(cx, Outbound::KeepAlive { from });
        cx.debug_line(LogTopic::Heartbeat, &["ping sent"]);
        cx.emit(Event::Ping);
        let interval = cx.config().sense_mode.ping_interval_ms();
        self.timers.set(Timer::Ping, now + interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Config, SeededRandom};

    const URL: &str = "ws://127.0.0.1:1";

    fn session() -> (Link, Context) {
        let mut link = Link::new();
        let info = LoginInfo {
            login_user_id: "alice".into(),
            login_token: None,
            extra: None,
            first_login_time: 0,
        };
        link.begin_session(info, URL.into());
        let cx = Context::new(Config::default(), Box::new(SeededRandom::new(7)));
        (link, cx)
    }

    fn outputs(cx: &mut Context) -> Vec<Output> {
        std::iter::from_fn(|| cx.take_output()).collect()
    }

    fn login_failures(outputs: &[Output]) -> usize {
        let failed = |output: &&Output| matches!(output, Output::Event(Event::LoginFailed { .. }));
        outputs.iter().filter(failed).count()
    }

    #[test]
    fn only_the_last_socket_opened_is_current() {
        let (mut link, mut cx) = session();
        link.start_attempt(&mut cx, 0);
        link.start_attempt(&mut cx, 1);
        let opened = |generation| Output::OpenSocket {
            generation,
            url: URL.into(),
        };
        let expected = [opened(1), Output::CloseSocket { generation: 1 }, opened(2)];
        let sockets: Vec<Output> = outputs(&mut cx)
            .into_iter()
            .filter(|output| !matches!(output, Output::Event(_)))
            .collect();
        assert_eq!(sockets, expected);
        assert!(!link.is_current(1) && !link.forget_socket(1));
        assert!(link.forget_socket(2));
        assert!(!link.is_current(2));
    }

    #[test]
    fn a_state_change_is_told_once() {
        let (mut link, mut cx) = session();
        link.set_state(&mut cx, ConnectionState::Connecting);
        link.set_state(&mut cx, ConnectionState::Connecting);
        let told = [Output::Event(Event::StateChanged(
            ConnectionState::Connecting,
        ))];
        assert_eq!(outputs(&mut cx), told);
    }

    #[test]
    fn only_a_session_that_held_resets_the_backoff() {
        let stable = Config::default().stable_online_ms;
        for (online_for, retries_at_once) in [(stable - 1, false), (stable, true)] {
            let (mut link, mut cx) = session();
            link.schedule_retry(&mut cx, 0);
            assert_eq!(
                link.state(),
                ConnectionState::Connecting,
                "the first retry is at once"
            );
            link.go_online(100, 0, SenseMode::default());
            link.went_offline(100 + online_for, stable);
            link.schedule_retry(&mut cx, 100 + online_for);
            let at_once = link.state() == ConnectionState::Connecting;
            assert_eq!(at_once, retries_at_once, "online for {online_for} ms");
        }
    }

    #[test]
    fn a_failed_attempt_is_told_once_and_only_before_the_first_login() {
        let (mut link, mut cx) = session();
        link.attempt_failed(&mut cx, 0, 202, "socket closed");
        link.attempt_failed(&mut cx, 1, 202, "socket closed");
        assert_eq!(login_failures(&outputs(&mut cx)), 1);
        let (mut link, mut cx) = session();
        link.go_online(0, 0, SenseMode::default());
        link.attempt_failed(&mut cx, 1, 202, "socket closed");
        assert_eq!(login_failures(&outputs(&mut cx)), 0);
    }
}
