//! The simulated world: one clock, one [`SimServer`], N clients and a [`LinkFaults`] link per
//! socket. Modelled on quinn-proto's test `Pair` and str0m's two-`Rtc` tests: every component is
//! sans-IO and the world moves frames between them and advances time to the next thing that
//! happens. No sleeps, no threads, no real time.
//!
//! The world checks the host-side contract as it goes and panics with a clear message when the
//! client breaks it: never two sockets at once, never a write on a socket that is not open, and
//! never a busy loop (a deadline that is always due without progress).

use std::collections::BTreeMap;

use mobileimsdk_wasm::core::{
    Client, Config, ConnectionState, Event, LostMessage, Outbound, Output, RandomSource,
    SeededRandom, SendError, SendReceipt,
};
use mobileimsdk_wasm::protocol::{LoginInfo, Protocal, ProtocalType};

use super::link::{Direction, LinkFaults};
use super::server::{ConnId, ServerAction, ServerConfig, SimServer, Verdict};

/// Index of a client in the world.
pub type ClientId = usize;

/// Decides, per frame text, whether the link drops it (`true` = drop).
pub type FrameFilter = Box<dyn FnMut(&str) -> bool>;

/// The URL every client logs in to.
pub const URL: &str = "ws://sim.invalid:3000/websocket";

/// What travels on a link.
#[derive(Debug, Clone)]
pub enum Item {
    /// A text frame.
    Text(String),
    /// A binary frame.
    Bytes(Vec<u8>),
    /// The close handshake.
    Close,
}

#[derive(Debug)]
enum Scheduled {
    /// The connect handshake ends (success or failure is decided on arrival).
    OpenDone(ConnId),
    /// Something reaches the client end.
    ToClient(ConnId, Item),
    /// Something reaches the server end.
    ToServer(ConnId, Item),
    /// The host reports the end of a socket the client closed itself (`onclose` after `close()`).
    ClosedNotice(ConnId),
    /// A cut link is noticed by the client end.
    CutClient(ConnId),
    /// A cut link is noticed by the server end.
    CutServer(ConnId),
}

#[derive(Debug)]
struct Conn {
    client: ClientId,
    generation: u64,
    /// `socket_opened` was delivered.
    opened: bool,
    /// The client end exists: not closed by the client and no close delivered to it.
    client_side_open: bool,
    /// The server accepted the socket.
    server_accepted: bool,
    /// The link was cut: frames in flight are gone.
    cut: bool,
    c2s: Direction,
    s2c: Direction,
}

/// A `send` the client accepted.
#[derive(Debug, Clone)]
pub struct SendRecord {
    /// When.
    pub at: u64,
    /// The receipt's send id.
    pub send_id: u64,
    /// The receipt's fingerprint (QoS messages).
    pub fp: Option<String>,
    /// Whether it was a QoS message.
    pub qos: bool,
    /// The receiver.
    pub to: String,
    /// The content.
    pub content: String,
}

/// One client in the world, with everything it did.
pub struct SimClient {
    /// Its user id.
    pub uid: String,
    /// What it logs in with.
    pub info: LoginInfo,
    /// The state machine under test.
    pub client: Client,
    deadline: Option<u64>,
    /// Every event, with its time.
    pub events: Vec<(u64, Event)>,
    /// Every frame written: time, socket generation, text.
    pub frames_out: Vec<(u64, u64, String)>,
    /// Every socket opened: time, generation.
    pub opens: Vec<(u64, u64)>,
    /// Every socket the client closed: time, generation.
    pub closes: Vec<(u64, u64)>,
    /// Every send the client accepted.
    pub sends: Vec<SendRecord>,
    /// For every `login` call: its time and the number of events before it.
    pub login_calls: Vec<(u64, usize)>,
    live: Vec<(u64, ConnId)>,
    /// The most sockets that existed at once.
    pub max_live_sockets: usize,
    network_up: bool,
    faults: LinkFaults,
    drop_to_client: Option<FrameFilter>,
    drop_to_server: Option<FrameFilter>,
}

/// The world.
pub struct World {
    /// The simulated clock (ms).
    pub now: u64,
    /// The server.
    pub server: SimServer,
    /// The clients.
    pub clients: Vec<SimClient>,
    /// Whether the server accepts new sockets.
    pub server_accepting: bool,
    conns: BTreeMap<ConnId, Conn>,
    queue: BTreeMap<(u64, u64), Scheduled>,
    seq: u64,
    next_conn: ConnId,
    random: SeededRandom,
    spin_at: u64,
    spins: u32,
}

/// A login info with token `token-<uid>`.
pub fn login_info(uid: &str) -> LoginInfo {
    LoginInfo {
        login_user_id: uid.to_owned(),
        login_token: Some(format!("token-{uid}")),
        extra: None,
        first_login_time: 0,
    }
}

/// A client on its own (no world), logged in as `uid` on socket 1 at t=20 ms with the server's
/// `first_login_time`, its outputs drained.
pub fn logged_in_client(seed: u64, uid: &str, first_login_time: i64) -> Client {
    let mut client = Client::new(Config::default(), Box::new(SeededRandom::new(seed)));
    client.login(0, login_info(uid), URL.into()).unwrap();
    while !matches!(client.poll_output(), Output::Timeout(_)) {}
    client.handle_socket_opened(10, 1);
    let reply = format!(r#"{{"code":0,"firstLoginTime":{first_login_time}}}"#);
    client.handle_socket_text(
        20,
        1,
        &Protocal::new(ProtocalType::RESPONSE_LOGIN, Some(reply), "0", uid).encode(),
    );
    while !matches!(client.poll_output(), Output::Timeout(_)) {}
    client
}

/// A type-2 message from the app (empty `from`: the client fills in its uid).
pub fn message(to: &str, content: &str, qos: bool) -> Protocal {
    let mut message = Protocal::new(ProtocalType::COMMON_DATA, Some(content.to_owned()), "", to);
    message.qos = qos;
    message
}

/// The `type` of a frame's text, if it parses.
pub fn frame_type(text: &str) -> Option<i32> {
    Protocal::decode(text, usize::MAX).ok().map(|p| p.kind)
}

impl World {
    /// An empty world at time 0 with a stock demo server.
    pub fn new(seed: u64) -> Self {
        Self::with_server(seed, ServerConfig::default())
    }

    /// An empty world with a server of `config`.
    pub fn with_server(seed: u64, config: ServerConfig) -> Self {
        let mut random = SeededRandom::new(seed);
        let server_seed = random.next_u64();
        Self {
            now: 0,
            server: SimServer::new(config, 0, server_seed),
            clients: Vec::new(),
            server_accepting: true,
            conns: BTreeMap::new(),
            queue: BTreeMap::new(),
            seq: 0,
            next_conn: 1,
            random,
            spin_at: 0,
            spins: 0,
        }
    }

    /// Adds a client for `uid` with the default config.
    pub fn add_client(&mut self, uid: &str) -> ClientId {
        self.add_client_with(uid, Config::default())
    }

    /// Adds a client for `uid` with `config`.
    pub fn add_client_with(&mut self, uid: &str, config: Config) -> ClientId {
        let seed = self.random.next_u64();
        let client = Client::new(config, Box::new(SeededRandom::new(seed)));
        self.clients.push(SimClient {
            uid: uid.to_owned(),
            info: login_info(uid),
            client,
            deadline: None,
            events: Vec::new(),
            frames_out: Vec::new(),
            opens: Vec::new(),
            closes: Vec::new(),
            sends: Vec::new(),
            login_calls: Vec::new(),
            live: Vec::new(),
            max_live_sockets: 0,
            network_up: true,
            faults: LinkFaults::CLEAN,
            drop_to_client: None,
            drop_to_server: None,
        });
        let id = self.clients.len() - 1;
        self.drain(id);
        id
    }

    // ----- driving a client ------------------------------------------------------------------

    /// Calls `f` on client `id` at the current time, then carries out its outputs.
    pub fn drive<R>(&mut self, id: ClientId, f: impl FnOnce(&mut Client, u64) -> R) -> R {
        let now = self.now;
        let result = f(&mut self.clients[id].client, now);
        self.drain(id);
        result
    }

    /// `login` with the client's stored login info.
    pub fn login(&mut self, id: ClientId) {
        let info = self.clients[id].info.clone();
        let mark = (self.now, self.clients[id].events.len());
        self.clients[id].login_calls.push(mark);
        self.drive(id, |c, now| c.login(now, info, URL.to_owned()))
            .expect("login starts");
    }

    /// `logout`.
    pub fn logout(&mut self, id: ClientId) {
        self.drive(id, |c, now| c.logout(now));
    }

    /// `send`, recording what was accepted.
    pub fn send(&mut self, id: ClientId, message: Protocal) -> Result<SendReceipt, SendError> {
        let (qos, to, content) = (
            message.qos,
            message.to.clone(),
            message.data_content.clone().unwrap_or_default(),
        );
        let result = self.drive(id, |c, now| c.send(now, &message));
        if let Ok(receipt) = &result {
            let at = self.now;
            self.clients[id].sends.push(SendRecord {
                at,
                send_id: receipt.send_id,
                fp: receipt.fp.as_deref().map(str::to_owned),
                qos,
                to,
                content,
            });
        }
        result
    }

    /// Sends a text message to `to`.
    pub fn send_text(
        &mut self,
        id: ClientId,
        to: &str,
        content: &str,
        qos: bool,
    ) -> Result<SendReceipt, SendError> {
        self.send(id, message(to, content, qos))
    }

    /// Sends a QoS text message that the client must accept; its fingerprint.
    pub fn send_qos(&mut self, id: ClientId, to: &str, content: &str) -> String {
        let receipt = self.send_text(id, to, content, true).expect("accepted");
        receipt.fp.expect("a QoS message has an fp").to_string()
    }

    /// The host's network of client `id` goes up or down. Down makes its sockets silent
    /// (nothing arrives, nobody is told) and new sockets fail to connect.
    pub fn set_network(&mut self, id: ClientId, up: bool) {
        self.clients[id].network_up = up;
        if !up {
            let conns: Vec<ConnId> = self.clients[id].live.iter().map(|(_, c)| *c).collect();
            for conn in conns {
                self.silence(conn, true);
            }
        }
        self.drive(id, |c, now| c.handle_network_changed(now, up));
    }

    /// The app came to the foreground.
    pub fn handle_app_shown(&mut self, id: ClientId) {
        self.drive(id, |c, now| c.handle_app_shown(now));
    }

    /// The app went to the background.
    pub fn handle_app_hidden(&mut self, id: ClientId) {
        self.drive(id, |c, now| c.handle_app_hidden(now));
    }

    // ----- faults ------------------------------------------------------------------------------

    /// Sets the link faults of client `id`'s current and future sockets.
    pub fn set_faults(&mut self, id: ClientId, faults: LinkFaults) {
        self.clients[id].faults = faults;
    }

    /// Drops frames to client `id` for which `filter` returns true.
    pub fn drop_to_client(&mut self, id: ClientId, filter: impl FnMut(&str) -> bool + 'static) {
        self.clients[id].drop_to_client = Some(Box::new(filter));
    }

    /// Drops frames from client `id` for which `filter` returns true.
    pub fn drop_to_server(&mut self, id: ClientId, filter: impl FnMut(&str) -> bool + 'static) {
        self.clients[id].drop_to_server = Some(Box::new(filter));
    }

    /// Removes the frame filters of client `id`.
    pub fn clear_filters(&mut self, id: ClientId) {
        self.clients[id].drop_to_client = None;
        self.clients[id].drop_to_server = None;
    }

    /// Cuts client `id`'s current socket: frames in flight are lost and both ends see a close
    /// after one link delay. Returns whether there was a socket.
    pub fn cut(&mut self, id: ClientId) -> bool {
        let Some(&(_, conn)) = self.clients[id].live.last() else {
            return false;
        };
        let delay = self.clients[id].faults.delay_ms;
        let state = self.conns.get_mut(&conn).expect("live conn exists");
        state.cut = true;
        self.schedule(self.now + delay, Scheduled::CutClient(conn));
        self.schedule(self.now + delay, Scheduled::CutServer(conn));
        true
    }

    /// Makes client `id`'s current socket silent (half-open) or heals it.
    pub fn blackhole(&mut self, id: ClientId, on: bool) -> bool {
        let Some(&(_, conn)) = self.clients[id].live.last() else {
            return false;
        };
        self.silence(conn, on);
        true
    }

    /// Heals every fault of client `id`: clean link, no filters, network up.
    pub fn heal(&mut self, id: ClientId) {
        self.set_faults(id, LinkFaults::CLEAN);
        self.clear_filters(id);
        if !self.clients[id].network_up {
            self.set_network(id, true);
        }
    }

    // ----- the server -------------------------------------------------------------------------

    /// Sets the server's login verdict for `uid`.
    pub fn set_verdict(&mut self, uid: &str, verdict: Verdict) {
        self.server.set_verdict(uid, verdict);
    }

    /// A server push to `uid`; the written frame, or `None` if offline.
    pub fn push(&mut self, uid: &str, content: &str, qos: bool) -> Option<Protocal> {
        let frame = self.server.push(self.now, uid, content, qos);
        self.flush_server();
        frame
    }

    /// An admin kick-out of `uid`.
    pub fn kick(&mut self, uid: &str, code: i32) -> bool {
        let kicked = self.server.kick(self.now, uid, code);
        self.flush_server();
        kicked
    }

    /// The server forgets `uid`'s login (its next keep-alive or data gets error 301).
    pub fn forget_session(&mut self, uid: &str) -> bool {
        self.server.forget_session(uid)
    }

    /// The server writes `text` as is to `uid`'s socket.
    pub fn write_raw(&mut self, uid: &str, text: &str) -> bool {
        let written = self.server.write_raw(uid, text);
        self.flush_server();
        written
    }

    /// Sends `item` down client `id`'s current socket as if the server wrote it.
    pub fn inject_to_client(&mut self, id: ClientId, item: Item) -> bool {
        let Some(&(_, conn)) = self.clients[id].live.last() else {
            return false;
        };
        let faults = self.clients[id].faults;
        let state = self.conns.get_mut(&conn).expect("live conn exists");
        let times = match &item {
            Item::Close => vec![state.s2c.plan_close(self.now, &faults)],
            _ => state.s2c.plan_frame(self.now, &faults, &mut self.random),
        };
        for at in times {
            self.schedule(at, Scheduled::ToClient(conn, item.clone()));
        }
        true
    }

    // ----- time ------------------------------------------------------------------------------

    /// Runs until the clock reads `until`.
    pub fn run_until(&mut self, until: u64) {
        while self.advance(until) {}
        self.now = self.now.max(until);
    }

    /// Runs for `ms` more milliseconds.
    pub fn run_for(&mut self, ms: u64) {
        self.run_until(self.now + ms);
    }

    /// Runs until `done` holds (checked after each step) or `max_ms` passed; whether it held.
    pub fn run_until_cond(&mut self, max_ms: u64, mut done: impl FnMut(&World) -> bool) -> bool {
        let end = self.now + max_ms;
        while !done(self) {
            if !self.advance(end) {
                self.now = self.now.max(end);
                return done(self);
            }
        }
        true
    }

    /// Moves the clock to the next thing that happens, if that is no later than `until`, and
    /// handles it. Panics on a busy loop.
    fn advance(&mut self, until: u64) -> bool {
        let Some(at) = self.next_event_time().filter(|at| *at <= until) else {
            return false;
        };
        let at = at.max(self.now);
        if at == self.spin_at {
            self.spins += 1;
            assert!(
                self.spins < 100_000,
                "busy loop at t={at}: something is always due without progress"
            );
        } else {
            self.spins = 0;
            self.spin_at = at;
        }
        self.now = at;
        self.step();
        true
    }

    fn next_event_time(&self) -> Option<u64> {
        let queued = self.queue.keys().next().map(|(at, _)| *at);
        let clients = self.clients.iter().filter_map(|c| c.deadline).min();
        [queued, clients, Some(self.server.next_deadline())]
            .into_iter()
            .flatten()
            .min()
    }

    /// Handles everything due at `self.now`.
    fn step(&mut self) {
        let now = self.now;
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let scheduled = entry.remove();
            self.deliver(scheduled);
        }
        if self.server.next_deadline() <= now {
            self.server.handle_timeout(now);
            self.flush_server();
        }
        for id in 0..self.clients.len() {
            if self.clients[id].deadline.is_some_and(|d| d <= now) {
                self.drive(id, |c, now| c.handle_timeout(now));
            }
        }
    }

    fn schedule(&mut self, at: u64, what: Scheduled) {
        self.seq += 1;
        self.queue.insert((at, self.seq), what);
    }

    fn deliver(&mut self, scheduled: Scheduled) {
        let now = self.now;
        match scheduled {
            Scheduled::OpenDone(conn) => {
                let state = &self.conns[&conn];
                if !state.client_side_open {
                    return; // the client closed it while connecting
                }
                let (id, generation) = (state.client, state.generation);
                if self.clients[id].network_up && self.server_accepting && !state.cut {
                    let state = self.conns.get_mut(&conn).expect("exists");
                    state.opened = true;
                    state.server_accepted = true;
                    self.server.on_open(now, conn);
                    self.flush_server();
                    self.drive(id, |c, now| c.handle_socket_opened(now, generation));
                } else {
                    self.end_client_side(conn);
                    self.drive(id, |c, now| c.handle_socket_closed(now, generation));
                }
            }
            Scheduled::ToServer(conn, item) => {
                let state = &self.conns[&conn];
                if state.cut || !state.server_accepted {
                    return;
                }
                match item {
                    Item::Text(text) => self.server.on_text(now, conn, &text),
                    Item::Bytes(_) => self.server.on_binary(now, conn),
                    Item::Close => self.server.on_close(now, conn),
                }
                self.flush_server();
            }
            Scheduled::ToClient(conn, item) => {
                let state = &self.conns[&conn];
                if state.cut || !state.client_side_open || !state.opened {
                    return;
                }
                let (id, generation) = (state.client, state.generation);
                match item {
                    Item::Text(text) => {
                        self.drive(id, |c, now| c.handle_socket_text(now, generation, &text));
                    }
                    Item::Bytes(bytes) => {
                        self.drive(id, |c, now| c.handle_socket_bytes(now, generation, &bytes));
                    }
                    Item::Close => {
                        self.end_client_side(conn);
                        self.drive(id, |c, now| c.handle_socket_closed(now, generation));
                    }
                }
            }
            Scheduled::ClosedNotice(conn) => {
                let state = &self.conns[&conn];
                let (id, generation) = (state.client, state.generation);
                self.drive(id, |c, now| c.handle_socket_closed(now, generation));
            }
            Scheduled::CutClient(conn) => {
                let state = &self.conns[&conn];
                if !state.client_side_open {
                    return;
                }
                let (id, generation) = (state.client, state.generation);
                self.end_client_side(conn);
                self.drive(id, |c, now| c.handle_socket_closed(now, generation));
            }
            Scheduled::CutServer(conn) => {
                if self.conns[&conn].server_accepted {
                    self.server.on_close(now, conn);
                    self.flush_server();
                }
            }
        }
    }

    fn silence(&mut self, conn: ConnId, on: bool) {
        if let Some(state) = self.conns.get_mut(&conn) {
            state.c2s.blackhole = on;
            state.s2c.blackhole = on;
        }
        if on {
            // Frames already in flight are lost too.
            self.queue.retain(|_, s| {
                !matches!(s, Scheduled::ToClient(c, Item::Text(_) | Item::Bytes(_))
                    | Scheduled::ToServer(c, Item::Text(_) | Item::Bytes(_)) if *c == conn)
            });
        }
    }

    fn end_client_side(&mut self, conn: ConnId) {
        let state = self.conns.get_mut(&conn).expect("exists");
        state.client_side_open = false;
        let id = state.client;
        self.clients[id].live.retain(|(_, c)| *c != conn);
    }

    fn flush_server(&mut self) {
        for action in self.server.take_actions() {
            match action {
                ServerAction::Write(conn, text) => {
                    let id = self.conns[&conn].client;
                    if let Some(filter) = self.clients[id].drop_to_client.as_mut() {
                        if filter(&text) {
                            continue;
                        }
                    }
                    let faults = self.clients[id].faults;
                    let state = self.conns.get_mut(&conn).expect("exists");
                    for at in state.s2c.plan_frame(self.now, &faults, &mut self.random) {
                        self.schedule(at, Scheduled::ToClient(conn, Item::Text(text.clone())));
                    }
                }
                ServerAction::Close(conn) => {
                    let id = self.conns[&conn].client;
                    let faults = self.clients[id].faults;
                    let state = self.conns.get_mut(&conn).expect("exists");
                    if state.s2c.blackhole {
                        continue;
                    }
                    let at = state.s2c.plan_close(self.now, &faults);
                    self.schedule(at, Scheduled::ToClient(conn, Item::Close));
                }
            }
        }
    }

    /// Carries out client `id`'s outputs until it names its next deadline.
    fn drain(&mut self, id: ClientId) {
        loop {
            let output = self.clients[id].client.poll_output();
            let now = self.now;
            match output {
                Output::Timeout(deadline) => {
                    self.clients[id].deadline = deadline;
                    return;
                }
                Output::Event(event) => self.clients[id].events.push((now, event)),
                Output::OpenSocket { generation, url } => {
                    let client = &mut self.clients[id];
                    assert_eq!(url, URL, "client {} opened an unexpected URL", client.uid);
                    assert!(
                        client.live.is_empty(),
                        "client {} opened socket {generation} while socket(s) {:?} still exist",
                        client.uid,
                        client.live
                    );
                    client.opens.push((now, generation));
                    let conn = self.next_conn;
                    self.next_conn += 1;
                    client.live.push((generation, conn));
                    client.max_live_sockets = client.max_live_sockets.max(client.live.len());
                    let delay = client.faults.delay_ms;
                    self.conns.insert(
                        conn,
                        Conn {
                            client: id,
                            generation,
                            opened: false,
                            client_side_open: true,
                            server_accepted: false,
                            cut: false,
                            c2s: Direction::default(),
                            s2c: Direction::default(),
                        },
                    );
                    // The connect handshake takes a round trip.
                    self.schedule(now + 2 * delay, Scheduled::OpenDone(conn));
                }
                Output::CloseSocket { generation } => {
                    let client = &mut self.clients[id];
                    client.closes.push((now, generation));
                    let Some(&(_, conn)) = client.live.iter().find(|(g, _)| *g == generation)
                    else {
                        continue; // closing a socket that is already gone is harmless
                    };
                    let faults = client.faults;
                    self.end_client_side(conn);
                    let state = self.conns.get_mut(&conn).expect("exists");
                    if state.server_accepted && !state.c2s.blackhole {
                        let at = state.c2s.plan_close(now, &faults);
                        self.schedule(at, Scheduled::ToServer(conn, Item::Close));
                    }
                    self.schedule(now + faults.delay_ms, Scheduled::ClosedNotice(conn));
                }
                Output::Write { generation, frame } => {
                    let text = frame
                        .text()
                        .expect("frames a native host decoded have text")
                        .into_owned();
                    // The socket takes every frame: the host reports a first write as written.
                    if let Outbound::Message {
                        send_id,
                        first_write: true,
                        ..
                    } = frame
                    {
                        let settled = self.clients[id].client.handle_written(send_id, true);
                        self.clients[id]
                            .events
                            .extend(settled.map(|event| (now, event)));
                    }
                    let client = &mut self.clients[id];
                    let conn = client
                        .live
                        .iter()
                        .find(|(g, _)| *g == generation)
                        .map(|(_, c)| *c);
                    let opened = conn.is_some_and(|c| self.conns[&c].opened);
                    assert!(
                        opened,
                        "client {} wrote on socket {generation}, which is not open: {text}",
                        client.uid
                    );
                    let conn = conn.expect("checked");
                    client.frames_out.push((now, generation, text.clone()));
                    if let Some(filter) = client.drop_to_server.as_mut() {
                        if filter(&text) {
                            continue;
                        }
                    }
                    let faults = client.faults;
                    let state = self.conns.get_mut(&conn).expect("exists");
                    for at in state.c2s.plan_frame(now, &faults, &mut self.random) {
                        self.schedule(at, Scheduled::ToServer(conn, Item::Text(text.clone())));
                    }
                }
            }
        }
    }

    // ----- observing -------------------------------------------------------------------------

    /// The client state machine `id`.
    pub fn client(&self, id: ClientId) -> &Client {
        &self.clients[id].client
    }

    /// The connection state of client `id`.
    pub fn state(&self, id: ClientId) -> ConnectionState {
        self.clients[id].client.state()
    }

    /// The number of events client `id` has produced so far (a mark for [`Self::events_since`]).
    pub fn mark(&self, id: ClientId) -> usize {
        self.clients[id].events.len()
    }

    /// Client `id`'s events from `mark` on, without log lines.
    pub fn events_since(&self, id: ClientId, mark: usize) -> Vec<Event> {
        self.clients[id].events[mark..]
            .iter()
            .map(|(_, e)| e.clone())
            .filter(|e| !matches!(e, Event::Log { .. } | Event::MessageWritten { .. }))
            .collect()
    }

    /// Client `id`'s events, without log lines.
    pub fn events(&self, id: ClientId) -> Vec<Event> {
        self.events_since(id, 0)
    }

    /// How many of client `id`'s events match.
    pub fn count(&self, id: ClientId, matches: impl Fn(&Event) -> bool) -> usize {
        self.clients[id]
            .events
            .iter()
            .filter(|(_, e)| matches(e))
            .count()
    }

    /// The times at which client `id` produced matching events.
    pub fn times_of(&self, id: ClientId, matches: impl Fn(&Event) -> bool) -> Vec<u64> {
        self.clients[id]
            .events
            .iter()
            .filter(|(_, e)| matches(e))
            .map(|(t, _)| *t)
            .collect()
    }

    /// The app messages client `id` delivered to the app.
    pub fn data(&self, id: ClientId) -> Vec<Protocal> {
        self.clients[id]
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::Data(p) => Some(Protocal::clone(p)),
                _ => None,
            })
            .collect()
    }

    /// The fingerprints client `id` reported received.
    pub fn received(&self, id: ClientId) -> Vec<String> {
        self.clients[id]
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::MessageReceived { fp, .. } => Some(fp.to_string()),
                _ => None,
            })
            .collect()
    }

    /// The messages client `id` reported lost.
    pub fn lost(&self, id: ClientId) -> Vec<LostMessage> {
        self.clients[id]
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::MessagesLost(list) => Some(list.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The state changes of client `id`, in order.
    pub fn states(&self, id: ClientId) -> Vec<ConnectionState> {
        self.clients[id]
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::StateChanged(s) => Some(*s),
                _ => None,
            })
            .collect()
    }

    /// The frames client `id` wrote, decoded, with their times.
    pub fn frames_out(&self, id: ClientId) -> Vec<(u64, Protocal)> {
        self.clients[id]
            .frames_out
            .iter()
            .map(|(t, _, text)| (*t, Protocal::decode(text, usize::MAX).expect("own frame")))
            .collect()
    }

    /// The times at which client `id` wrote frames of `kind`.
    pub fn sent_times(&self, id: ClientId, kind: i32) -> Vec<u64> {
        self.frames_out(id)
            .into_iter()
            .filter(|(_, p)| p.kind == kind)
            .map(|(t, _)| t)
            .collect()
    }

    /// How many sockets client `id` opened.
    pub fn sockets_opened(&self, id: ClientId) -> usize {
        self.clients[id].opens.len()
    }

    /// The generation of client `id`'s current socket.
    pub fn current_generation(&self, id: ClientId) -> Option<u64> {
        self.clients[id].live.last().map(|(g, _)| *g)
    }

    /// Logs client `id` in and runs until it is online (panics if it is not within 5 s).
    pub fn login_and_wait(&mut self, id: ClientId) {
        self.login(id);
        let online = self.run_until_cond(5_000, |w| w.client(id).is_online());
        assert!(online, "client {} did not get online", self.clients[id].uid);
    }
}
