//! What the state machine asks the host to do, and what it tells the app.

use std::rc::Rc;

use super::{ConnectionState, Outbound};
use crate::protocol::{KickoutInfo, Protocal, ProtocalType, UNSET_UID};

/// One instruction or notification from [`Client::poll_output`](super::Client::poll_output).
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Open a WebSocket to `url`; report its events with `generation`.
    OpenSocket {
        /// Tag for every event of this socket.
        generation: u64,
        /// The server URL given at login.
        url: String,
    },
    /// Close the socket of `generation` (its later events are ignored).
    CloseSocket {
        /// The socket to close.
        generation: u64,
    },
    /// Write `frame` as one text frame on the socket of `generation`.
    Write {
        /// The socket to write on.
        generation: u64,
        /// What to write.
        frame: Outbound,
    },
    /// Tell the app something.
    Event(Event),
    /// Nothing more to do now; call `handle_timeout` at this time (ms), or never if `None`.
    Timeout(Option<u64>),
}

/// Log severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Only with debug logs on.
    Debug,
    /// Notable, expected events.
    Info,
    /// Something unexpected that the client handled.
    Warn,
    /// Something was dropped or failed.
    Error,
}

/// Which debug switch a log line's `Debug` and `Info` levels answer to (docs/client-behaviour.md
/// §8); the host prefixes `Core` lines `[IMSDK-core] ` and the others `[IMSDK] `.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTopic {
    /// The core's own lines: `setDebugCoreEnable`.
    Core,
    /// The SDK's lines about its state, sockets and echo replies: `setDebugSDKEnable`.
    Sdk,
    /// `ping sent` and `pong received`: `setDebugSDKEnable` and `setDebugPingPongEnable`.
    Heartbeat,
}

/// A QoS message that will never be acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostMessage {
    /// The id `send` returned for it.
    pub send_id: u64,
    /// The message as the client encoded it, fingerprint included (a JSON object); `None` when
    /// the host keeps the message (`Client::send_held`).
    pub text: Option<Rc<String>>,
    /// Whether it was ever handed to a socket.
    pub written: bool,
}

impl LostMessage {
    /// The message as the app sent it, with its fingerprint (an empty type-2 frame when the
    /// host keeps the message).
    pub fn message(&self) -> Protocal {
        // The client encoded it, so it decodes; the fallback is for completeness.
        self.text
            .as_ref()
            .and_then(|text| Protocal::decode(text, usize::MAX).ok())
            .unwrap_or_else(|| Protocal::new(ProtocalType::COMMON_DATA, None, UNSET_UID, UNSET_UID))
    }
}

/// Something the app is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The connection state changed.
    StateChanged(ConnectionState),
    /// First login of this session succeeded.
    LoginSucceeded,
    /// A login failed: `code` is the server's verify code, or 202 (socket failed) / 207
    /// (timeout) for a first login that got no reply.
    LoginFailed {
        /// Whether the session had been online before.
        is_reconnect: bool,
        /// Why.
        code: i32,
    },
    /// An automatic relogin succeeded.
    Reconnected,
    /// An online connection was lost (the client reconnects by itself).
    Disconnected,
    /// An app message arrived (type 2), once per fingerprint. Boxed, as is [`Event::Echo`]'s:
    /// every output is as large as its largest variant, and a host moves each one a few times.
    Data(Box<Protocal>),
    /// An app message (type 2) arrived in a frame the host parsed and keeps
    /// ([`Client::handle_read_frame`](super::Client::handle_read_frame)): the host hands the app
    /// its own parsed copy. Once per fingerprint.
    HeldData,
    /// A keep-alive ping was sent.
    Ping,
    /// A keep-alive reply arrived.
    Pong,
    /// The server kicked this session out.
    Kicked(KickoutInfo),
    /// These QoS messages will never be acknowledged.
    MessagesLost(Vec<LostMessage>),
    /// The first write of the message `send_id` is settled, once per accepted send and before
    /// its acknowledgement or loss: returned by
    /// [`Client::handle_written`](super::Client::handle_written), or queued when an
    /// acknowledgement or a loss settles it first.
    MessageWritten {
        /// The id `send` returned for it.
        send_id: u64,
        /// 0 written; 3 the socket refused it; 201 lost before it was ever handed to a socket.
        code: i32,
        /// Whether this is the send's last outcome (a non-QoS message).
        last: bool,
    },
    /// The QoS message with this fingerprint was acknowledged (once per fingerprint).
    MessageReceived {
        /// The acknowledged fingerprint (the one the QoS table held: no copy).
        fp: Rc<str>,
        /// The send id the message was accepted with.
        send_id: u64,
    },
    /// An echo reply (type 53) arrived.
    Echo(Box<Protocal>),
    /// A log line. Never contains the login token.
    Log {
        /// Severity.
        level: Level,
        /// The switch it answers to, which also names its source.
        topic: LogTopic,
        /// The text.
        message: String,
    },
}
