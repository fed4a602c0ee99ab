//! The frames the client writes, typed: the host encodes them, with [`Outbound::encode`] (the
//! protocol's writer) or its own JSON (the wasm glue, docs/client-behaviour.md §11).

use std::rc::Rc;

use crate::protocol::{LoginInfo, Protocal, ProtocalRef, ProtocalType, UNSET_UID};

/// One frame for the host to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// The login (type 0) of a session, with the server's `firstLoginTime` once known.
    Login(LoginInfo),
    /// A keep-alive ping (type 1) from the logged-in user.
    KeepAlive {
        /// The logged-in user.
        from: String,
    },
    /// A logout (type 3) of the logged-in user.
    Logout {
        /// The logged-in user.
        from: String,
    },
    /// The acknowledgement (type 4) of a received QoS frame: its fp as content, to its sender.
    Ack {
        /// The logged-in user.
        from: String,
        /// The sender of the acknowledged frame.
        to: String,
        /// The acknowledged fingerprint.
        fp: String,
        /// The acknowledged frame's bridge flag.
        bridge: bool,
    },
    /// An app message, on its first write or a resend.
    Message {
        /// The id `send` returned for it.
        send_id: u64,
        /// Whether this is the message's first write.
        first_write: bool,
        /// The message as sent, with `from` and `fp` as the client set them.
        body: MessageBody,
    },
}

/// A sent app message as the client keeps it until it is acknowledged or lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageBody {
    /// Encoded once, by [`Client::send`](super::Client::send): written as is.
    Encoded(Rc<String>),
    /// Its fields without content, by [`Client::send_held`](super::Client::send_held): the host
    /// keeps the content and writes the frame.
    Held(Rc<Protocal>),
}

impl MessageBody {
    /// The message (without content when held).
    pub fn to_message(&self) -> Protocal {
        match self {
            // The client encoded it, so it decodes; the fallback is for completeness.
            Self::Encoded(text) => Protocal::decode(text, usize::MAX).unwrap_or_else(|_| {
                Protocal::new(ProtocalType::COMMON_DATA, None, UNSET_UID, UNSET_UID)
            }),
            Self::Held(message) => Protocal::clone(message),
        }
    }

    /// The frame's text (with `null` content when held).
    pub fn encode(&self) -> String {
        match self {
            Self::Encoded(text) => String::clone(text),
            Self::Held(message) => message.encode(),
        }
    }
}

impl Outbound {
    /// The frame as a client writes it (a held message's content is `null`).
    pub fn to_frame(&self) -> Protocal {
        match self {
            Self::Login(info) => Protocal::login(info),
            Self::KeepAlive { from } => Protocal::keep_alive(from),
            Self::Logout { from } => Protocal::logout(from),
            Self::Ack {
                from,
                to,
                fp,
                bridge,
            } => Protocal {
                bridge: *bridge,
                ..Protocal::new(ProtocalType::RECEIVED, Some(fp.clone()), from, to)
            },
            Self::Message { body, .. } => body.to_message(),
        }
    }

    /// The frame's text, as a client writes it (the protocol's writer, docs/protocol.md §8).
    pub fn encode(&self) -> String {
        match self {
            Self::Ack {
                from,
                to,
                fp,
                bridge,
            } => ProtocalRef {
                bridge: *bridge,
                kind: ProtocalType::RECEIVED,
                data_content: Some(fp),
                from,
                to,
                fp: None,
                qos: false,
                typeu: -1,
                sm: None,
            }
            .encode(),
            Self::Message { body, .. } => body.encode(),
            other => other.to_frame().encode(),
        }
    }
}
