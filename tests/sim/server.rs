//! A simulated stock MobileIMSDK server (demo launcher, WebSocket gateway), as docs/protocol.md
//! describes it: login and `firstLoginTime` rules, keep-alive, C2C forward with the server's ack
//! on write and one resend, offline drop, C2S ack and dedupe, kick-out on duplicate login, error
//! 301 before login and idle close.
//!
//! It is sans-IO like the client: the [`World`](super::World) hands it inbound frames and the
//! time, and carries out the [`ServerAction`]s it queues.

use std::collections::{BTreeMap, HashMap};

use mobileimsdk_wasm::core::{new_fingerprint, SeededRandom};
use mobileimsdk_wasm::protocol::{
    error_code, kickout_code, ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal,
    ProtocalType, SERVER_UID, UNSET_UID,
};

/// One socket as the world and the server name it.
pub type ConnId = u64;

/// What the server asks the world to do with a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAction {
    /// Write one text frame.
    Write(ConnId, String),
    /// Close the socket (the close frame follows the frames written before it).
    Close(ConnId),
}

/// How the login verifier (`onUserLoginVerify`) answers a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Code 0 (the demo accepts everything).
    Accept,
    /// A non-zero verify code: the server answers it and closes the socket.
    Reject(i32),
    /// No answer at all (a stalled verifier), to exercise the client's login timeout.
    Ignore,
}

/// The numbers of the demo launcher.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `ReadTimeoutHandler`: close a socket this long after its last inbound frame.
    pub idle_close_ms: u64,
    /// `QoS4SendDaemonS2C` check interval.
    pub qos_check_interval_ms: u64,
    /// Packets younger than this are skipped by a check.
    pub qos_just_now_ms: u64,
    /// Resends before the server gives up on a packet.
    pub qos_max_resends: u32,
    /// How long a C2S fingerprint is remembered.
    pub c2s_dedupe_ms: u64,
    /// Longest WebSocket payload accepted.
    pub max_frame_bytes: usize,
    /// Wall-clock time of simulated time 0, for `firstLoginTime`.
    pub epoch_ms: i64,
    /// What `onTransferMessage_RealTimeSendFaild` returns (the demo: false → offline drop).
    pub ack_offline_messages: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            idle_close_ms: 11_000,
            qos_check_interval_ms: 5_000,
            qos_just_now_ms: 2_000,
            qos_max_resends: 1,
            c2s_dedupe_ms: 10 * 60 * 1000,
            max_frame_bytes: 65_536,
            epoch_ms: 1_795_676_203_175,
            ack_offline_messages: false,
        }
    }
}

/// Why the server closed a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// Unparseable text, `null`, a type mismatch, a binary frame or a login without user id.
    BadFrame,
    /// Longer than `max_frame_bytes`.
    TooLarge,
    /// After a rejected login.
    LoginRejected,
    /// After error 301.
    NotLoggedIn,
    /// After a type-54 kick-out.
    Kicked,
    /// The client logged out.
    Logout,
    /// No inbound frame for `idle_close_ms`.
    Idle,
}

/// A server-side socket (a Netty channel with its attributes).
#[derive(Debug)]
struct Channel {
    open: bool,
    uid: Option<String>,
    first_login_time: i64,
    last_inbound: u64,
}

/// A packet in the server's S2C QoS queue.
#[derive(Debug, Clone)]
struct S2cPending {
    frame: Protocal,
    put_at: u64,
    resends: u32,
}

/// One login the server answered with code 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// When.
    pub at: u64,
    /// The socket.
    pub conn: ConnId,
    /// The user.
    pub uid: String,
    /// The `firstLoginTime` the client sent.
    pub sent_first_login_time: i64,
    /// The `firstLoginTime` the server answered.
    pub answered_first_login_time: i64,
    /// Whether an older session of the user was kicked.
    pub kicked_older: bool,
}

/// What happened on the server, for assertions.
#[derive(Debug, Default)]
pub struct ServerLog {
    /// Every inbound text frame: time, socket, text.
    pub inbound: Vec<(u64, ConnId, String)>,
    /// Successful logins.
    pub logins: Vec<LoginRecord>,
    /// C2S messages handed to the server app (`onTransferMessage4C2S`), after dedupe.
    pub c2s_processed: Vec<Protocal>,
    /// C2C messages written to the receiver (including sender retries and server resends).
    pub c2c_forwarded: Vec<(u64, Protocal)>,
    /// C2C messages dropped because the receiver was offline.
    pub c2c_dropped: Vec<Protocal>,
    /// Client acks (type 4) the server consumed.
    pub acks_received: Vec<String>,
    /// Packets the S2C QoS daemon gave up on.
    pub s2c_lost: Vec<Protocal>,
    /// Sockets the server closed, and why.
    pub closes: Vec<(u64, ConnId, CloseReason)>,
    /// Kick-outs written: time, socket, user.
    pub kicks: Vec<(u64, ConnId, String)>,
}

/// The simulated server.
pub struct SimServer {
    /// Its numbers.
    pub config: ServerConfig,
    /// What happened.
    pub log: ServerLog,
    channels: BTreeMap<ConnId, Channel>,
    online: HashMap<String, ConnId>,
    c2s_seen: HashMap<String, u64>,
    s2c_queue: BTreeMap<u64, S2cPending>,
    s2c_order: u64,
    next_qos_check: u64,
    verdicts: HashMap<String, Verdict>,
    actions: Vec<ServerAction>,
    random: SeededRandom,
}

impl SimServer {
    /// A server booted at time `now`; its QoS daemon checks at once and then every interval.
    pub fn new(config: ServerConfig, now: u64, seed: u64) -> Self {
        Self {
            config,
            log: ServerLog::default(),
            channels: BTreeMap::new(),
            online: HashMap::new(),
            c2s_seen: HashMap::new(),
            s2c_queue: BTreeMap::new(),
            s2c_order: 0,
            next_qos_check: now,
            verdicts: HashMap::new(),
            actions: Vec::new(),
            random: SeededRandom::new(seed),
        }
    }

    /// Sets how the verifier answers `uid` from now on.
    pub fn set_verdict(&mut self, uid: &str, verdict: Verdict) {
        self.verdicts.insert(uid.to_owned(), verdict);
    }

    /// Makes the verifier accept everyone again.
    pub fn accept_everyone(&mut self) {
        self.verdicts.clear();
    }

    /// The socket the server maps `uid` to, if the user is online.
    pub fn online_conn(&self, uid: &str) -> Option<ConnId> {
        self.online.get(uid).copied()
    }

    /// Whether the server has `uid` online.
    pub fn is_online(&self, uid: &str) -> bool {
        self.online.contains_key(uid)
    }

    /// How many sockets the server holds open.
    pub fn open_channels(&self) -> usize {
        self.channels.values().filter(|c| c.open).count()
    }

    /// How many packets wait in the S2C QoS queue.
    pub fn s2c_pending(&self) -> usize {
        self.s2c_queue.len()
    }

    /// Takes the actions queued since the last call.
    pub fn take_actions(&mut self) -> Vec<ServerAction> {
        std::mem::take(&mut self.actions)
    }

    /// A socket was accepted.
    pub fn on_open(&mut self, now: u64, conn: ConnId) {
        self.channels.insert(
            conn,
            Channel {
                open: true,
                uid: None,
                first_login_time: 0,
                last_inbound: now,
            },
        );
    }

    /// The peer closed the socket, or it broke.
    pub fn on_close(&mut self, _now: u64, conn: ConnId) {
        self.drop_channel(conn);
    }

    /// A binary frame arrived: the handler throws and the channel closes.
    pub fn on_binary(&mut self, now: u64, conn: ConnId) {
        if self.is_open(conn) {
            self.close(now, conn, CloseReason::BadFrame);
        }
    }

    /// A text frame arrived.
    pub fn on_text(&mut self, now: u64, conn: ConnId, text: &str) {
        let Some(channel) = self.channels.get_mut(&conn).filter(|c| c.open) else {
            return;
        };
        channel.last_inbound = now;
        self.log.inbound.push((now, conn, text.to_owned()));
        if text.len() > self.config.max_frame_bytes {
            self.close(now, conn, CloseReason::TooLarge);
            return;
        }
        let Ok(frame) = Protocal::decode(text, usize::MAX) else {
            self.close(now, conn, CloseReason::BadFrame);
            return;
        };
        let logged_in = self.uid_of(conn).is_some();
        match frame.kind {
            ProtocalType::LOGIN => self.handle_login(now, conn, &frame),
            ProtocalType::ECHO => self.handle_echo(now, conn, frame),
            ProtocalType::LOGOUT => self.close(now, conn, CloseReason::Logout),
            ProtocalType::KEEP_ALIVE | ProtocalType::COMMON_DATA | ProtocalType::RECEIVED
                if !logged_in =>
            {
                self.reject_unauthenticated(now, conn, text)
            }
            ProtocalType::KEEP_ALIVE => self.handle_keep_alive(conn),
            ProtocalType::COMMON_DATA => self.handle_data(now, conn, frame),
            ProtocalType::RECEIVED => {
                let fp = frame.data_content.unwrap_or_default();
                self.s2c_queue
                    .retain(|_, p| p.frame.fp.as_deref() != Some(fp.as_str()));
                self.log.acks_received.push(fp);
            }
            _ => {} // unknown type: logged and ignored, the connection stays open
        }
    }

    /// The earliest server deadline: an idle close or the next QoS check.
    pub fn next_deadline(&self) -> u64 {
        self.channels
            .values()
            .filter(|c| c.open)
            .map(|c| c.last_inbound + self.config.idle_close_ms)
            .min()
            .map_or(self.next_qos_check, |idle| idle.min(self.next_qos_check))
    }

    /// Runs every server timer due at `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        let idle: Vec<ConnId> = self
            .channels
            .iter()
            .filter(|(_, c)| c.open && c.last_inbound + self.config.idle_close_ms <= now)
            .map(|(id, _)| *id)
            .collect();
        for conn in idle {
            self.close(now, conn, CloseReason::Idle);
        }
        while self.next_qos_check <= now {
            self.next_qos_check += self.config.qos_check_interval_ms;
            self.check_s2c_queue(now);
        }
    }

    /// A server push (`LocalSendHelper.sendData`): from `"0"`, QoS with a fresh fp if `qos`.
    /// Returns the frame if it was written, `None` if `to` is offline.
    pub fn push(&mut self, now: u64, to: &str, content: &str, qos: bool) -> Option<Protocal> {
        let mut frame = Protocal::new(
            ProtocalType::COMMON_DATA,
            Some(content.to_owned()),
            SERVER_UID,
            to,
        );
        frame.sm = Some(-1);
        if qos {
            frame.qos = true;
            frame.fp = Some(new_fingerprint(&mut self.random, None).to_string());
        }
        let conn = self.online_conn(to)?;
        self.write_qos(now, conn, frame)
    }

    /// Writes `text` as is to the socket of `uid` (for malformed or odd frames).
    pub fn write_raw(&mut self, uid: &str, text: &str) -> bool {
        match self.online_conn(uid) {
            Some(conn) => self.write(conn, text.to_owned()),
            None => false,
        }
    }

    /// An app-level kick-out of `uid` (type 54 with `code`), then close.
    pub fn kick(&mut self, now: u64, uid: &str, code: i32) -> bool {
        match self.online_conn(uid) {
            Some(conn) => {
                self.kick_conn(now, conn, uid, code);
                true
            }
            None => false,
        }
    }

    /// The server loses the login state of `uid` (its socket stays open but is no longer
    /// logged in), as after a failover: the next data or keep-alive gets error 301.
    pub fn forget_session(&mut self, uid: &str) -> bool {
        let Some(conn) = self.online.remove(uid) else {
            return false;
        };
        if let Some(channel) = self.channels.get_mut(&conn) {
            channel.uid = None;
        }
        true
    }

    fn is_open(&self, conn: ConnId) -> bool {
        self.channels.get(&conn).is_some_and(|c| c.open)
    }

    fn uid_of(&self, conn: ConnId) -> Option<String> {
        self.channels.get(&conn).and_then(|c| c.uid.clone())
    }

    fn write(&mut self, conn: ConnId, text: String) -> bool {
        if !self.is_open(conn) {
            return false;
        }
        self.actions.push(ServerAction::Write(conn, text));
        true
    }

    /// Writes `frame`; a QoS frame written successfully joins the S2C QoS queue.
    fn write_qos(&mut self, now: u64, conn: ConnId, frame: Protocal) -> Option<Protocal> {
        if !self.write(conn, frame.encode_as_server()) {
            return None;
        }
        if frame.qos && frame.fp.is_some() {
            let already = self.s2c_queue.values().any(|p| p.frame.fp == frame.fp);
            if !already {
                self.s2c_order += 1;
                self.s2c_queue.insert(
                    self.s2c_order,
                    S2cPending {
                        frame: frame.clone(),
                        put_at: now,
                        resends: 0,
                    },
                );
            }
        }
        Some(frame)
    }

    fn close(&mut self, now: u64, conn: ConnId, reason: CloseReason) {
        if !self.is_open(conn) {
            return;
        }
        self.log.closes.push((now, conn, reason));
        self.drop_channel(conn);
        self.actions.push(ServerAction::Close(conn));
    }

    fn drop_channel(&mut self, conn: ConnId) {
        let Some(channel) = self.channels.get_mut(&conn) else {
            return;
        };
        channel.open = false;
        if let Some(uid) = channel.uid.clone() {
            if self.online.get(&uid) == Some(&conn) {
                self.online.remove(&uid);
            }
        }
    }

    fn server_frame(kind: i32, content: Option<String>, to: &str) -> Protocal {
        let mut frame = Protocal::new(kind, content, SERVER_UID, to);
        frame.sm = Some(-1);
        frame
    }

    fn handle_login(&mut self, now: u64, conn: ConnId, frame: &Protocal) {
        let Ok(info) = frame.payload::<LoginInfo>() else {
            self.close(now, conn, CloseReason::BadFrame);
            return;
        };
        if let Some(uid) = self.uid_of(conn) {
            // Already logged in on this channel: no verification, code 0 again.
            let first_login_time = self.channels[&conn].first_login_time;
            self.answer_login(conn, &uid, 0, first_login_time);
            return;
        }
        let uid = info.login_user_id.clone();
        match self.verdicts.get(&uid).copied().unwrap_or(Verdict::Accept) {
            Verdict::Ignore => {}
            Verdict::Reject(code) => {
                self.answer_login(conn, UNSET_UID, code, -1);
                self.close(now, conn, CloseReason::LoginRejected);
            }
            Verdict::Accept => {
                let first_login_time = if info.first_login_time > 0 {
                    info.first_login_time
                } else {
                    self.config.epoch_ms + now as i64
                };
                let older = self.online_conn(&uid).filter(|old| *old != conn);
                // firstLoginTime 0 (a new login) kicks the older session; the value the server
                // gave that session, sent again on relogin, replaces it without a kick. Any
                // other value is taken as a different login and kicks too (sim assumption).
                let kicked_older = older.is_some_and(|old| {
                    info.first_login_time <= 0
                        || self.channels[&old].first_login_time != info.first_login_time
                });
                if let (Some(old), true) = (older, kicked_older) {
                    self.kick_conn(now, old, &uid, kickout_code::KICKOUT_FOR_DUPLICATE_LOGIN);
                }
                if let Some(channel) = self.channels.get_mut(&conn) {
                    channel.uid = Some(uid.clone());
                    channel.first_login_time = first_login_time;
                }
                self.online.insert(uid.clone(), conn);
                self.log.logins.push(LoginRecord {
                    at: now,
                    conn,
                    uid: uid.clone(),
                    sent_first_login_time: info.first_login_time,
                    answered_first_login_time: first_login_time,
                    kicked_older,
                });
                self.answer_login(conn, &uid, 0, first_login_time);
            }
        }
    }

    fn answer_login(&mut self, conn: ConnId, to: &str, code: i32, first_login_time: i64) {
        let body = LoginResponse {
            code,
            first_login_time,
        }
        .to_json();
        let frame = Self::server_frame(ProtocalType::RESPONSE_LOGIN, Some(body), to);
        self.write(conn, frame.encode_as_server());
    }

    fn kick_conn(&mut self, now: u64, conn: ConnId, uid: &str, code: i32) {
        let body = KickoutInfo { code, reason: None }.to_json();
        let frame = Self::server_frame(ProtocalType::KICKOUT, Some(body), uid);
        if self.write(conn, frame.encode_as_server()) {
            self.log.kicks.push((now, conn, uid.to_owned()));
        }
        self.close(now, conn, CloseReason::Kicked);
    }

    fn reject_unauthenticated(&mut self, now: u64, conn: ConnId, text: &str) {
        let body = ErrorResponse {
            error_code: error_code::RESPONSE_FOR_UNLOGIN,
            error_msg: Some(text.to_owned()),
        }
        .to_json();
        let frame = Self::server_frame(ProtocalType::RESPONSE_FOR_ERROR, Some(body), UNSET_UID);
        self.write(conn, frame.encode_as_server());
        self.close(now, conn, CloseReason::NotLoggedIn);
    }

    fn handle_keep_alive(&mut self, conn: ConnId) {
        let Some(uid) = self.uid_of(conn) else {
            return;
        };
        // The reply goes to the session registered for the uid, not necessarily this socket.
        if let Some(target) = self.online_conn(&uid) {
            let frame =
                Self::server_frame(ProtocalType::RESPONSE_KEEP_ALIVE, Some("{}".into()), &uid);
            self.write(target, frame.encode_as_server());
        }
    }

    fn handle_echo(&mut self, now: u64, conn: ConnId, mut frame: Protocal) {
        frame.kind = ProtocalType::RESPONSE_ECHO;
        self.write_qos(now, conn, frame);
    }

    fn handle_data(&mut self, now: u64, conn: ConnId, frame: Protocal) {
        let fp = frame.fp.clone().filter(|_| frame.qos);
        if frame.to == SERVER_UID {
            if let Some(fp) = &fp {
                let seen_at = self.c2s_seen.get(fp).copied();
                let duplicate = seen_at.is_some_and(|at| now - at < self.config.c2s_dedupe_ms);
                if !duplicate {
                    self.c2s_seen.insert(fp.clone(), now);
                }
                self.reply_received(conn, SERVER_UID, &frame.from, fp);
                if duplicate {
                    return;
                }
            }
            self.log.c2s_processed.push(frame);
            return;
        }
        let receiver = self.online_conn(&frame.to);
        let written = receiver.and_then(|target| self.write_qos(now, target, frame.clone()));
        match written {
            Some(forwarded) => {
                self.log.c2c_forwarded.push((now, forwarded));
                if let Some(fp) = &fp {
                    self.reply_received(conn, &frame.to, &frame.from, fp);
                }
            }
            None => {
                if let (Some(fp), true) = (&fp, self.config.ack_offline_messages) {
                    self.reply_received(conn, &frame.to, &frame.from, fp);
                }
                self.log.c2c_dropped.push(frame);
            }
        }
    }

    fn reply_received(&mut self, conn: ConnId, from: &str, to: &str, fp: &str) {
        let mut ack = Protocal::new(ProtocalType::RECEIVED, Some(fp.to_owned()), from, to);
        ack.sm = Some(-1);
        self.write(conn, ack.encode_as_server());
    }

    fn check_s2c_queue(&mut self, now: u64) {
        let keys: Vec<u64> = self.s2c_queue.keys().copied().collect();
        for key in keys {
            let Some(pending) = self.s2c_queue.get(&key).cloned() else {
                continue;
            };
            if now.saturating_sub(pending.put_at) < self.config.qos_just_now_ms {
                continue;
            }
            if pending.resends >= self.config.qos_max_resends {
                self.s2c_queue.remove(&key);
                self.log.s2c_lost.push(pending.frame);
                continue;
            }
            // The resend looks up the current session of the receiver.
            if let Some(target) = self.online_conn(&pending.frame.to) {
                self.write(target, pending.frame.encode_as_server());
                if pending.frame.kind == ProtocalType::COMMON_DATA
                    && pending.frame.from != SERVER_UID
                {
                    self.log.c2c_forwarded.push((now, pending.frame.clone()));
                }
            }
            if let Some(entry) = self.s2c_queue.get_mut(&key) {
                entry.resends += 1;
            }
        }
    }
}
