//! The sans-IO client: app commands, socket events, host hints and time in; outputs out.
//!
//! This file holds the state and the outputs; login, logout and the link's events and timers
//! are in `link.rs`, sending and settings in `commands.rs`, inbound frames in `inbound.rs`.

use std::collections::VecDeque;
use std::rc::Rc;

use super::backoff::Backoff;
use super::qos_receive::SeenCache;
use super::qos_send::QosSend;
use super::session::Session;
use super::settlement::FirstWrites;
use super::timers::Timers;
use super::{
    Config, ConnectionState, Event, Level, LogTopic, LostMessage, Outbound, Output, RandomSource,
};
use crate::protocol::json::int_text;
use crate::protocol::LoginInfo;

/// What `send` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// Local id of this send; every [`Outbound::Message`] write of the message carries it.
    pub send_id: u64,
    /// The fingerprint, for QoS messages (shared with the QoS table).
    pub fp: Option<Rc<str>>,
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
    socket: Option<u64>,
    generation: u64,
    pub(super) timers: Timers,
    pub(super) backoff: Backoff,
    pub(super) qos_send: QosSend,
    pub(super) seen: SeenCache,
    /// When the current session went online. Only a session that held for
    /// `stable_online_ms` resets the backoff, so a server that drops every session right
    /// after its login reply cannot drive the client into a reconnect loop.
    pub(super) online_since: Option<u64>,
    pub(super) first_writes: FirstWrites,
    next_send_id: u64,
    outputs: VecDeque<Output>,
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
            first_writes: FirstWrites::default(),
            next_send_id: 1,
            outputs: VecDeque::new(),
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
        self.state.is_active() && self.session.as_ref().is_some_and(Session::ever_online)
    }

    /// Whether the client is online now.
    pub fn is_online(&self) -> bool {
        self.state == ConnectionState::Online
    }

    /// The login info of the session, with the server's `firstLoginTime` once known: of the last
    /// one after a kick-out or a rejected login, until the next login; `None` before the first
    /// login and from a logout on.
    pub fn login_info(&self) -> Option<&LoginInfo> {
        self.session.as_ref().map(Session::info)
    }

    /// How many QoS messages are unacknowledged (queued or in flight).
    pub fn pending_messages(&self) -> usize {
        self.qos_send.len()
    }

    /// How many received fingerprints are remembered for de-duplication.
    pub fn remembered_fingerprints(&self) -> usize {
        self.seen.len()
    }

    /// The next thing to do; [`Output::Timeout`], with the next deadline, when there is nothing
    /// more for now. Taking outputs changes nothing else.
    pub fn poll_output(&mut self) -> Output {
        self.outputs
            .pop_front()
            .unwrap_or_else(|| Output::Timeout(self.next_deadline()))
    }

    /// The earliest deadline at which `handle_timeout` must run.
    fn next_deadline(&self) -> Option<u64> {
        match (self.timers.next(), self.qos_send.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Opens a new socket to `url` (closing the current one); its events carry a new generation.
    pub(super) fn open_socket(&mut self, url: String) {
        self.close_socket();
        self.generation += 1;
        self.socket = Some(self.generation);
        let generation = self.generation;
        self.debug_line(
            LogTopic::Sdk,
            &["socket #", &int_text(generation as i64), " connecting"],
        );
        self.outputs.push_back(Output::OpenSocket {
            generation: self.generation,
            url,
        });
    }

    /// Closes the current socket, if any; its later events are ignored.
    pub(super) fn close_socket(&mut self) {
        if let Some(generation) = self.socket.take() {
            self.outputs.push_back(Output::CloseSocket { generation });
        }
    }

    /// Forgets the socket of `generation`, which closed by itself; `false` if it was not the
    /// current one.
    pub(super) fn forget_socket(&mut self, generation: u64) -> bool {
        let current = self.is_current(generation);
        if current {
            self.socket = None;
        }
        current
    }

    /// The send id for the next accepted message.
    pub(super) fn take_send_id(&mut self) -> u64 {
        let send_id = self.next_send_id;
        self.next_send_id += 1;
        send_id
    }

    pub(super) fn is_current(&self, generation: u64) -> bool {
        self.socket == Some(generation)
    }

    pub(super) fn emit(&mut self, event: Event) {
        self.outputs.push_back(Output::Event(event));
    }

    pub(super) fn log(&mut self, level: Level, message: String) {
        if level > Level::Info || self.config.debug_logs {
            let topic = LogTopic::Core;
            self.emit(Event::Log {
                level,
                topic,
                message,
            });
        }
    }

    /// A debug line of `topic` (not `Core`), the concatenation of `parts`, made only when its
    /// switches are on.
    #[inline(never)]
    pub(super) fn debug_line(&mut self, topic: LogTopic, parts: &[&str]) {
        let on =
            self.config.sdk_logs && (topic != LogTopic::Heartbeat || self.config.heartbeat_logs);
        if on {
            self.emit(Event::Log {
                level: Level::Debug,
                topic,
                message: parts.concat(),
            });
        }
    }

    pub(super) fn write(&mut self, frame: Outbound) {
        if let Some(generation) = self.socket {
            self.outputs.push_back(Output::Write { generation, frame });
        }
    }

    pub(super) fn set_state(&mut self, state: ConnectionState) {
        if self.state != state {
            self.state = state;
            self.debug_line(LogTopic::Sdk, &["state: ", state.as_str()]);
            self.emit(Event::StateChanged(state));
        }
    }

    pub(super) fn report_lost(&mut self, lost: Vec<LostMessage>) {
        if !lost.is_empty() {
            for message in &lost {
                self.settle_before_outcome(message.send_id, message.written);
            }
            self.log(
                Level::Warn,
                [&int_text(lost.len() as i64), " message(s) lost"].concat(),
            );
            self.emit(Event::MessagesLost(lost));
        }
    }
}
