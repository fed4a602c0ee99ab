//! One connection's protocol behaviour, as the stock server's `ServerCoreHandler` and
//! `LogicProcessor` have it (docs/protocol.md §2, §6, §7).
//!
//! A [`Session`] turns each inbound text frame into writes to outboxes (its own, another
//! session's, or the one online for a user id) and tells its driver whether to keep the
//! connection open. It does no I/O and reads no clock: time comes in with every frame.

use std::sync::Arc;

use mobileimsdk_wasm::protocol::{kickout_code, Protocal, ProtocalType, SERVER_UID};
use tokio::time::Instant;

use crate::hub::Admission;
use crate::outbox::{Outbox, WriteFailed};
use crate::shared::{Counters, Shared};
use crate::wire;

/// When a frame is handled.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    /// Monotonic time, for QoS and de-duplication.
    pub now: Instant,
    /// Wall clock in ms since the epoch, for `firstLoginTime`.
    pub unix_ms: i64,
}

impl Moment {
    /// The current time.
    pub fn now() -> Self {
        let unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Self {
            now: Instant::now(),
            unix_ms,
        }
    }
}

/// What the connection should do after a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Close the connection (1000 "Bye") once the frames already queued are written.
    Close,
}

/// The protocol state of one connection.
#[derive(Debug)]
pub(crate) struct Session {
    outbox: Outbox,
    shared: Arc<Shared>,
    uid: Option<String>,
}

impl Session {
    pub fn new(outbox: Outbox, shared: Arc<Shared>) -> Self {
        Self {
            outbox,
            shared,
            uid: None,
        }
    }

    /// The user id this connection logged in as, if it did.
    pub fn uid(&self) -> Option<&str> {
        self.uid.as_deref()
    }

    /// Handles one inbound text frame.
    pub fn on_text(&mut self, text: &str, at: Moment) -> Flow {
        let frame = match wire::decode(text) {
            Ok(frame) => frame,
            Err(err) => {
                tracing::debug!(conn = self.outbox.conn(), %err, "not a Protocal; closing");
                return Flow::Close;
            }
        };
        match frame.kind {
            ProtocalType::LOGIN => self.login(&frame, at),
            ProtocalType::LOGOUT => Flow::Close,
            ProtocalType::ECHO => {
                self.echo(frame, at);
                Flow::Continue
            }
            ProtocalType::KEEP_ALIVE | ProtocalType::COMMON_DATA | ProtocalType::RECEIVED => {
                let Some(uid) = self.uid.clone() else {
                    let _ = self.reply(&wire::not_logged_in(&frame));
                    return Flow::Close;
                };
                match frame.kind {
                    ProtocalType::KEEP_ALIVE => self.keep_alive(&uid),
                    ProtocalType::COMMON_DATA if frame.to == SERVER_UID => self.c2s(&frame, at),
                    ProtocalType::COMMON_DATA => self.c2c(&frame, at),
                    _ => self.client_ack(&frame),
                }
                Flow::Continue
            }
            other => {
                tracing::warn!(
                    conn = self.outbox.conn(),
                    kind = other,
                    "unknown type; ignored"
                );
                Flow::Continue
            }
        }
    }

    fn reply(&self, frame: &Protocal) -> Result<(), WriteFailed> {
        let result = self.outbox.send(wire::encode(frame));
        if let Err(err) = result {
            tracing::debug!(conn = self.outbox.conn(), %err, "reply not written");
        }
        result
    }

    fn login(&mut self, frame: &Protocal, at: Moment) -> Flow {
        let Some(info) = wire::decode_login(frame) else {
            tracing::debug!(
                conn = self.outbox.conn(),
                "login without loginUserId; closing"
            );
            return Flow::Close;
        };
        let uid = info.login_user_id;
        // A connection that is already logged in skips verification.
        if self.uid.is_none() {
            let rejected = info
                .login_token
                .as_ref()
                .and_then(|token| self.shared.config.rejected_tokens.get(token));
            if let Some(&code) = rejected {
                tracing::info!(conn = self.outbox.conn(), %uid, code, "login rejected");
                let _ = self.reply(&wire::login_failed(code));
                return Flow::Close;
            }
        }
        let from_client = info.first_login_time;
        let to_client = if from_client <= 0 {
            at.unix_ms
        } else {
            from_client
        };
        // The stock server registers the session only once the reply was written.
        if self.reply(&wire::login_ok(&uid, to_client)).is_err() {
            return Flow::Continue;
        }
        match self
            .shared
            .hub
            .admit(&uid, from_client, to_client, &self.outbox)
        {
            Admission::Registered { kick } => {
                if let Some(old) = kick {
                    tracing::info!(%uid, old = old.conn(), new = self.outbox.conn(), "kicked out");
                    let frame = wire::kickout(&uid, kickout_code::KICKOUT_FOR_DUPLICATE_LOGIN);
                    let _ = old.send(wire::encode(&frame));
                    old.close();
                }
                if let Some(previous) = self.uid.replace(uid.clone()) {
                    if previous != uid {
                        self.shared
                            .hub
                            .remove_if_current(&previous, self.outbox.conn());
                    }
                }
                tracing::info!(conn = self.outbox.conn(), %uid, "logged in");
                Flow::Continue
            }
            Admission::Refused => {
                tracing::info!(conn = self.outbox.conn(), %uid, "stale relogin refused; kicked");
                let _ = self.reply(&wire::kickout(
                    &uid,
                    kickout_code::KICKOUT_FOR_DUPLICATE_LOGIN,
                ));
                Flow::Close
            }
        }
    }

    /// The reply goes to the session online for the user id, which need not be this one.
    fn keep_alive(&self, uid: &str) {
        let reply = wire::encode(&wire::keep_alive_reply(uid));
        if let Err(why) = self.shared.hub.send_to(uid, reply) {
            tracing::debug!(%uid, ?why, "keep-alive reply not written");
        }
    }

    fn c2s(&self, frame: &Protocal, at: Moment) {
        if let Some(fp) = wire::qos_fp(frame) {
            let duplicate = self.shared.received.check_and_add(fp, at.now);
            let _ = self.reply(&wire::ack(frame));
            if duplicate {
                tracing::debug!(fp, "duplicate C2S message acknowledged again");
                return;
            }
        }
        Counters::bump(&self.shared.counters.c2s_processed);
        tracing::debug!(from = %frame.from, typeu = frame.typeu, "C2S message");
    }

    fn c2c(&self, frame: &Protocal, at: Moment) {
        let text = wire::encode(frame);
        match self.shared.hub.send_to(&frame.to, text.clone()) {
            Ok(()) => {
                Counters::bump(&self.shared.counters.c2c_forwarded);
                if let Some(fp) = wire::qos_fp(frame) {
                    self.shared.qos.put(fp, &frame.to, text, at.now);
                    let _ = self.reply(&wire::ack(frame));
                }
            }
            Err(why) => {
                tracing::debug!(to = %frame.to, ?why, "C2C message not delivered");
                if self.shared.config.offline_ack && wire::qos_fp(frame).is_some() {
                    let _ = self.reply(&wire::ack(frame));
                }
            }
        }
    }

    /// A client's acknowledgement of a server → client QoS frame: consumed, never forwarded.
    fn client_ack(&self, frame: &Protocal) {
        if let Some(fp) = frame.data_content.as_deref() {
            self.shared.qos.acknowledge(fp);
        }
    }

    fn echo(&self, mut frame: Protocal, at: Moment) {
        frame.kind = ProtocalType::RESPONSE_ECHO;
        let text = wire::encode(&frame);
        if self.outbox.send(text.clone()).is_ok() {
            if let Some(fp) = wire::qos_fp(&frame) {
                self.shared.qos.put(fp, &frame.to, text, at.now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::outbox::{Next, OutboxReceiver};

    struct Peer {
        session: Session,
        rx: OutboxReceiver,
    }

    impl Peer {
        fn new(shared: &Arc<Shared>, conn: u64, capacity: usize) -> Self {
            let (outbox, rx) = Outbox::channel(conn, capacity);
            Self {
                session: Session::new(outbox, shared.clone()),
                rx,
            }
        }

        /// Handles `text` and, like the connection driver, closes the outbox on [`Flow::Close`].
        fn send(&mut self, text: &str) -> Flow {
            let flow = self.session.on_text(text, at(0));
            if flow == Flow::Close {
                self.session.outbox.close();
            }
            flow
        }

        /// Frames queued so far, then "CLOSE" if a close was requested after them.
        async fn written(&mut self) -> Vec<String> {
            let mut out = Vec::new();
            while !self.rx.is_empty() || self.session.outbox.is_closing() {
                match self.rx.next().await {
                    Next::Frame(f) => out.push(f.as_str().to_owned()),
                    Next::Close => {
                        out.push("CLOSE".into());
                        break;
                    }
                }
            }
            out
        }
    }

    fn at(unix_ms: i64) -> Moment {
        Moment {
            now: Instant::now(),
            unix_ms: 1_000 + unix_ms,
        }
    }

    fn shared(config: Config) -> Arc<Shared> {
        Arc::new(Shared::new(config))
    }

    fn login(uid: &str, first_login_time: i64) -> String {
        login_with(uid, first_login_time, "t")
    }

    fn login_with(uid: &str, first_login_time: i64, token: &str) -> String {
        format!(
            r#"{{"bridge":false,"type":0,"dataContent":"{{\"loginUserId\":\"{uid}\",\"loginToken\":\"{token}\",\"extra\":null,\"firstLoginTime\":{first_login_time}}}","from":"{uid}","to":"0","fp":null,"QoS":false,"typeu":-1}}"#
        )
    }

    #[tokio::test]
    async fn a_full_queue_means_the_c2c_write_failed_and_no_ack() {
        let shared = shared(Config::default());
        let mut alice = Peer::new(&shared, 0, 8);
        let mut bob = Peer::new(&shared, 1, 1);
        alice.send(&login("alice", 0));
        bob.send(&login("bob", 0));
        alice.written().await;
        // bob's single slot is taken by his login reply, which he has not read.
        let msg = r#"{"type":2,"dataContent":"x","from":"alice","to":"bob","fp":"f1","QoS":true,"typeu":0}"#;
        assert_eq!(alice.send(msg), Flow::Continue);
        assert!(alice.written().await.is_empty());
        assert_eq!(shared.stats().c2c_forwarded, 0);
        assert_eq!(shared.qos.len(), 0);
    }

    #[tokio::test]
    async fn relogin_on_the_same_connection_skips_verification() {
        let mut config = Config::default();
        config.rejected_tokens.insert("bad".into(), 1025);
        let shared = shared(config);
        let mut fresh = Peer::new(&shared, 0, 8);
        assert_eq!(fresh.send(&login_with("a", 0, "bad")), Flow::Close);
        assert_eq!(
            fresh.written().await,
            [
                r#"{"bridge":false,"type":50,"dataContent":"{\"code\":1025,\"firstLoginTime\":-1}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#,
                "CLOSE"
            ]
        );

        let mut logged_in = Peer::new(&shared, 1, 8);
        assert_eq!(logged_in.send(&login_with("b", 0, "good")), Flow::Continue);
        assert_eq!(logged_in.send(&login_with("b", 0, "bad")), Flow::Continue);
        let written = logged_in.written().await;
        assert_eq!(written.len(), 2);
        assert!(
            written.iter().all(|f| f.contains(r#"{\"code\":0,"#)),
            "{written:?}"
        );
    }

    #[tokio::test]
    async fn switching_user_id_on_a_connection_frees_the_old_one() {
        let shared = shared(Config::default());
        let mut peer = Peer::new(&shared, 0, 8);
        peer.send(&login("a", 0));
        peer.send(&login("b", 0));
        assert_eq!(peer.session.uid(), Some("b"));
        assert_eq!(shared.stats().online, 1);
    }
}
