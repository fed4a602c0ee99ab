//! The state machine on arbitrary call orders, server frames and time steps: no panic, one
//! socket at most, bounded tables, every accepted QoS message ends exactly once (received or
//! lost), no fingerprint delivered twice, and every frame it writes is valid and small enough.
#![no_main]

use std::collections::{HashMap, HashSet};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mobileimsdk_wasm::core::{Client, Config, Event, Output, SeededRandom};
use mobileimsdk_wasm::protocol::{LoginInfo, Protocal, ProtocalType, SenseMode};

const MAX_PENDING: usize = 16;
const DEDUPE_CAPACITY: usize = 64;
/// Fewer distinct inbound fingerprints than the dedupe capacity, so none is ever evicted.
const INBOUND_FPS: u8 = 48;

#[derive(Arbitrary, Debug)]
enum Op {
    Login(u8),
    Send {
        to: u8,
        qos: bool,
        len: u8,
        fp: Option<u8>,
    },
    Logout,
    Opened {
        stale: bool,
    },
    Closed {
        stale: bool,
    },
    Server(ServerFrame),
    RawText(String),
    RawBytes(Vec<u8>),
    Network(bool),
    AppShown,
    AppHidden,
    Advance(u16),
    ToDeadline,
    SenseMode(u8),
    FingerprintLength(u8),
}

#[derive(Arbitrary, Debug)]
enum ServerFrame {
    LoginOk(i64),
    LoginRejected(i32),
    Pong,
    NotLoggedIn,
    Kickout(i32),
    Data { qos: bool, fp: u8 },
    AckPending(u8),
    AckUnknown(u8),
    Echo,
    Unknown(i32),
}

struct Harness {
    client: Client,
    now: u64,
    open_socket: Option<u64>,
    last_generation: u64,
    /// The deadline of the client's last `Output::Timeout`.
    deadline: Option<u64>,
    accepted: HashMap<u64, Option<String>>,
    pending_fps: Vec<String>,
    finished: HashSet<u64>,
    delivered: HashSet<String>,
}

impl Harness {
    fn new() -> Self {
        let config = Config {
            max_pending_messages: MAX_PENDING,
            dedupe_capacity: DEDUPE_CAPACITY,
            dedupe_ttl_ms: u64::MAX,
            ..Config::default()
        };
        Self {
            client: Client::new(config, Box::new(SeededRandom::new(1))),
            now: 0,
            open_socket: None,
            last_generation: 0,
            deadline: None,
            accepted: HashMap::new(),
            pending_fps: Vec::new(),
            finished: HashSet::new(),
            delivered: HashSet::new(),
        }
    }

    fn uid(&self) -> String {
        self.client
            .login_info()
            .map_or_else(|| "-1".to_owned(), |info| info.login_user_id.clone())
    }

    fn server_frame(&self, frame: &ServerFrame) -> Protocal {
        let uid = self.uid();
        let framework = |kind: i32, content: String| Protocal::new(kind, Some(content), "0", &uid);
        match frame {
            ServerFrame::LoginOk(time) => framework(
                ProtocalType::RESPONSE_LOGIN,
                format!(r#"{{"code":0,"firstLoginTime":{time}}}"#),
            ),
            ServerFrame::LoginRejected(code) => framework(
                ProtocalType::RESPONSE_LOGIN,
                format!(r#"{{"code":{code},"firstLoginTime":-1}}"#),
            ),
            ServerFrame::Pong => framework(ProtocalType::RESPONSE_KEEP_ALIVE, "{}".into()),
            ServerFrame::NotLoggedIn => framework(
                ProtocalType::RESPONSE_FOR_ERROR,
                r#"{"errorCode":301,"errorMsg":"x"}"#.into(),
            ),
            ServerFrame::Kickout(code) => {
                framework(ProtocalType::KICKOUT, format!(r#"{{"code":{code}}}"#))
            }
            ServerFrame::Data { qos, fp } => {
                let mut data =
                    Protocal::new(ProtocalType::COMMON_DATA, Some("hi".into()), "peer", &uid);
                data.qos = *qos;
                data.fp = Some(format!("in-{}", fp % INBOUND_FPS));
                data
            }
            ServerFrame::AckPending(index) => {
                let fp = self
                    .pending_fps
                    .get(usize::from(*index) % self.pending_fps.len().max(1))
                    .cloned()
                    .unwrap_or_default();
                framework(ProtocalType::RECEIVED, fp)
            }
            ServerFrame::AckUnknown(n) => framework(ProtocalType::RECEIVED, format!("unknown-{n}")),
            ServerFrame::Echo => framework(ProtocalType::RESPONSE_ECHO, "echo".into()),
            ServerFrame::Unknown(kind) => framework(*kind, "{}".into()),
        }
    }

    fn apply(&mut self, op: &Op) {
        let now = self.now;
        let current = self.last_generation;
        match op {
            Op::Login(user) => {
                let info = LoginInfo {
                    login_user_id: format!("user{}", user % 3),
                    login_token: Some("secret-token".into()),
                    extra: None,
                    first_login_time: 0,
                };
                let _ = self
                    .client
                    .login(now, info, "ws://127.0.0.1/websocket".into());
            }
            Op::Send { to, qos, len, fp } => {
                let mut message = Protocal::new(
                    ProtocalType::COMMON_DATA,
                    Some("x".repeat(usize::from(*len))),
                    "",
                    &format!("peer{}", to % 4),
                );
                message.qos = *qos;
                message.fp = fp.map(|n| format!("out-{n}"));
                if let Ok(receipt) = self.client.send(now, &message) {
                    if *qos {
                        let fp = receipt.fp.as_deref().map(str::to_owned);
                        self.pending_fps
                            .push(fp.clone().expect("QoS sends get an fp"));
                        assert!(self.accepted.insert(receipt.send_id, fp).is_none());
                    }
                }
            }
            Op::Logout => self.client.logout(now),
            Op::Opened { stale } => self
                .client
                .handle_socket_opened(now, current.wrapping_sub(u64::from(*stale))),
            Op::Closed { stale } => {
                self.client
                    .handle_socket_closed(now, current.wrapping_sub(u64::from(*stale)));
                if !stale && self.open_socket == Some(current) {
                    self.open_socket = None;
                }
            }
            Op::Server(frame) => {
                let text = self.server_frame(frame).encode_as_server();
                self.client.handle_socket_text(now, current, &text);
            }
            Op::RawText(text) => {
                self.client.handle_socket_text(now, current, text);
            }
            Op::RawBytes(bytes) => {
                self.client.handle_socket_bytes(now, current, bytes);
            }
            Op::Network(up) => self.client.handle_network_changed(now, *up),
            Op::AppShown => self.client.handle_app_shown(now),
            Op::AppHidden => self.client.handle_app_hidden(now),
            Op::Advance(ms) => {
                self.now += u64::from(*ms);
                self.client.handle_timeout(self.now);
            }
            Op::ToDeadline => {
                if let Some(deadline) = self.deadline {
                    self.now = self.now.max(deadline);
                    self.client.handle_timeout(self.now);
                }
            }
            Op::SenseMode(code) => {
                if let Some(mode) = SenseMode::from_code(i32::from(*code % 8)) {
                    self.client.set_sense_mode(now, mode);
                }
            }
            Op::FingerprintLength(n) => self
                .client
                .set_fingerprint_length(Some(usize::from(*n % 40)).filter(|n| *n > 0)),
        }
        self.drain();
    }

    fn drain(&mut self) {
        loop {
            match self.client.poll_output() {
                Output::Timeout(deadline) => {
                    self.deadline = deadline;
                    break;
                }
                Output::OpenSocket { generation, .. } => {
                    assert!(self.open_socket.is_none(), "a second socket was opened");
                    assert!(generation > self.last_generation);
                    self.open_socket = Some(generation);
                    self.last_generation = generation;
                }
                Output::CloseSocket { generation } => {
                    assert_eq!(
                        self.open_socket,
                        Some(generation),
                        "closed a socket not open"
                    );
                    self.open_socket = None;
                }
                Output::Write { generation, frame } => {
                    let text = frame.text().expect("frames a native host decoded have text").into_owned();
                    assert_eq!(
                        self.open_socket,
                        Some(generation),
                        "wrote to a socket not open"
                    );
                    assert!(text.len() <= 65_536);
                    let frame = Protocal::decode(&text, usize::MAX).expect("own frames decode");
                    assert!(!text.contains("secret-token") || frame.kind == ProtocalType::LOGIN);
                }
                Output::Event(event) => self.observe(event),
            }
        }
        assert!(self.client.pending_messages() <= MAX_PENDING);
        assert!(self.client.remembered_fingerprints() <= DEDUPE_CAPACITY);
    }

    fn observe(&mut self, event: Event) {
        match event {
            Event::MessageReceived { fp, send_id } => {
                let sent = self
                    .accepted
                    .get(&send_id)
                    .expect("received for an accepted send");
                assert_eq!(
                    sent.as_deref(),
                    Some(&*fp),
                    "received names the send of its fp"
                );
                assert!(
                    self.finished.insert(send_id),
                    "received for a finished send"
                );
            }
            Event::MessagesLost(lost) => {
                for message in lost {
                    assert!(self.accepted.contains_key(&message.send_id));
                    assert!(self.finished.insert(message.send_id), "lost twice");
                }
            }
            Event::Data(message) => {
                if let Some(fp) = message.fp.filter(|_| message.qos) {
                    assert!(self.delivered.insert(fp), "fp delivered twice");
                }
            }
            Event::Log { message, .. } => assert!(!message.contains("secret-token")),
            _ => {}
        }
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let mut harness = Harness::new();
    for op in ops.iter().take(512) {
        harness.apply(op);
    }
    harness.client.logout(harness.now);
    harness.drain();
    for send_id in harness.accepted.keys() {
        assert!(
            harness.finished.contains(send_id),
            "message {send_id} never ended"
        );
    }
});
