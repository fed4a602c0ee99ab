//! The test client, server start-up and the client frames of docs/protocol.md §7.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use imsdk_devserver::{Config, ServerHandle};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

/// Longest wait for an expected event (virtual time in paused tests).
pub const WAIT: Duration = Duration::from_secs(30);

/// Stock settings on a free loopback port, with a short close grace.
pub fn config() -> Config {
    Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        close_grace: Duration::from_millis(100),
        ..Config::default()
    }
}

/// Starts a server with `config`.
pub async fn start(config: Config) -> ServerHandle {
    ServerHandle::start(config).await.expect("server starts")
}

/// What a client saw next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A text frame.
    Text(String),
    /// A close frame with its code and reason.
    Close(u16, String),
    /// The connection ended without (further) close frame.
    Ended,
}

/// A WebSocket client.
pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    /// Connects to the server's `/websocket`.
    pub async fn connect(server: &ServerHandle) -> Self {
        Self::connect_path(server.local_addr(), "/websocket")
            .await
            .expect("connects")
    }

    /// Connects to `path` on `addr`. Nagle is off: on the paused clock a segment held back
    /// waiting for a delayed TCP ACK would let virtual time run past every timeout.
    pub async fn connect_path(addr: SocketAddr, path: &str) -> Result<Self, WsError> {
        let (ws, _) = connect_async_with_config(format!("ws://{addr}{path}"), None, true).await?;
        Ok(Self { ws })
    }

    /// Connects and logs in as `uid` (first login); returns the login reply.
    pub async fn logged_in(server: &ServerHandle, uid: &str) -> (Self, String) {
        let mut client = Self::connect(server).await;
        client.send(login(uid, 0)).await;
        let reply = client.recv().await;
        assert!(reply.starts_with(&login_ok_prefix()), "{reply}");
        (client, reply)
    }

    /// Sends a text frame.
    pub async fn send(&mut self, text: impl Into<String>) {
        self.send_message(Message::text(text.into())).await;
    }

    /// Sends any WebSocket message.
    pub async fn send_message(&mut self, message: Message) {
        self.ws.send(message).await.expect("send");
    }

    /// The next text frame, close frame or end (pings and pongs are skipped).
    pub async fn next_event(&mut self) -> Event {
        loop {
            let next = timeout(WAIT, self.ws.next())
                .await
                .expect("an event within the wait");
            return match next {
                Some(Ok(Message::Text(text))) => Event::Text(text.to_string()),
                Some(Ok(Message::Close(frame))) => frame
                    .map_or(Event::Close(1005, String::new()), |f| {
                        Event::Close(f.code.into(), f.reason.to_string())
                    }),
                Some(Ok(Message::Binary(_))) => panic!("the server wrote a binary frame"),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Event::Ended,
            };
        }
    }

    /// The next frame, which must be text.
    pub async fn recv(&mut self) -> String {
        match self.next_event().await {
            Event::Text(text) => text,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// The server closes with 1000 "Bye" and nothing else comes.
    pub async fn expect_bye(&mut self) {
        assert_eq!(self.next_event().await, Event::Close(1000, "Bye".into()));
        assert_eq!(self.next_event().await, Event::Ended);
    }

    /// Nothing was written to this client before its echo probe's reply.
    pub async fn expect_nothing_pending(&mut self) {
        self.send(echo("probe")).await;
        assert_eq!(self.recv().await, echo_reply("probe"));
    }
}

/// Client login frame exactly as in docs/protocol.md §7.
pub fn login(uid: &str, first_login_time: i64) -> String {
    login_with_token(uid, &format!("token-{uid}"), first_login_time)
}

/// Client login frame with a chosen token.
pub fn login_with_token(uid: &str, token: &str, first_login_time: i64) -> String {
    format!(
        r#"{{"bridge":false,"type":0,"dataContent":"{{\"loginUserId\":\"{uid}\",\"loginToken\":\"{token}\",\"extra\":null,\"firstLoginTime\":{first_login_time}}}","from":"{uid}","to":"0","fp":null,"QoS":false,"typeu":-1}}"#
    )
}

/// Everything of a successful login reply before the first-login time.
pub fn login_ok_prefix() -> String {
    r#"{"bridge":false,"type":50,"dataContent":"{\"code\":0,\"firstLoginTime\":"#.to_owned()
}

/// Splits a successful login reply for `uid` into its first-login time, checking every other byte.
pub fn login_ok_time(reply: &str, uid: &str) -> i64 {
    let suffix = format!(r#"}}","from":"0","to":"{uid}","QoS":false,"typeu":-1,"sm":-1}}"#);
    let time = reply
        .strip_prefix(&login_ok_prefix())
        .and_then(|rest| rest.strip_suffix(&suffix))
        .unwrap_or_else(|| panic!("not a login reply for {uid}: {reply}"));
    time.parse().expect("firstLoginTime is an integer")
}

/// Client keep-alive exactly as in docs/protocol.md §7.
pub fn keep_alive(uid: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":1,"dataContent":"{{}}","from":"{uid}","to":"0","fp":null,"QoS":false,"typeu":-1}}"#
    )
}

/// The server's keep-alive reply exactly as in docs/protocol.md §7.
pub fn keep_alive_reply(uid: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":51,"dataContent":"{{}}","from":"0","to":"{uid}","QoS":false,"typeu":-1,"sm":-1}}"#
    )
}

/// A QoS C2C message as alice sends it in docs/protocol.md §7.
pub fn c2c(from: &str, to: &str, content: &str, fp: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":2,"dataContent":"{content}","from":"{from}","to":"{to}","fp":"{fp}","QoS":true,"typeu":0}}"#
    )
}

/// A client frame as the server forwards it: the same object plus `"sm":0`.
pub fn forwarded(sent: &str) -> String {
    format!("{},\"sm\":0}}", sent.strip_suffix('}').expect("an object"))
}

/// A QoS C2S message.
pub fn c2s(from: &str, content: &str, fp: &str) -> String {
    c2c(from, "0", content, fp)
}

/// A client's acknowledgement (type 4) of `fp`.
pub fn client_ack(from: &str, to: &str, fp: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":4,"dataContent":"{fp}","from":"{from}","to":"{to}","fp":null,"QoS":false,"typeu":-1}}"#
    )
}

/// The server's acknowledgement (type 4) of `fp`, exactly as in docs/protocol.md §7.
pub fn server_ack(from: &str, to: &str, fp: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":4,"dataContent":"{fp}","from":"{from}","to":"{to}","QoS":false,"typeu":-1,"sm":-1}}"#
    )
}

/// The kick-out for `uid`, exactly as in docs/protocol.md §7.
pub fn kickout(uid: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":54,"dataContent":"{{\"code\":1}}","from":"0","to":"{uid}","QoS":false,"typeu":-1,"sm":-1}}"#
    )
}

/// An echo request (type 5) without QoS.
pub fn echo(content: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":5,"dataContent":"{content}","from":"t","to":"0","fp":null,"QoS":false,"typeu":-1}}"#
    )
}

/// The server's answer to [`echo`].
pub fn echo_reply(content: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":53,"dataContent":"{content}","from":"t","to":"0","QoS":false,"typeu":-1,"sm":0}}"#
    )
}

/// The current wall clock in ms.
pub fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}
