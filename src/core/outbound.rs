//! The frames the client writes, typed: the host writes their text ([`Outbound::text`]); an
//! app message is encoded once, when it is sent, and an ack when its frame is received.

use std::borrow::Cow;
use std::rc::Rc;

use crate::protocol::{LoginInfo, Protocal};

/// One frame for the host to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// The login (type 0) of a session, with the server's `firstLoginTime` once known (boxed:
    /// see [`Event::Data`](super::Event::Data)).
    Login(Box<LoginInfo>),
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
    /// The acknowledgement of a QoS frame the host parsed and holds
    /// ([`Client::handle_read_frame`](super::Client::handle_read_frame)), for the host to write
    /// from that frame as [`Ack`](Self::Ack) would read: no text, nothing of the frame copied
    /// (docs/client-behaviour.md §11).
    HeldAck,
    /// The acknowledgement (type 4) of a received QoS frame: its fp as content, to its sender.
    Ack {
        /// The frame, encoded when the QoS frame was received (one allocation on the receive
        /// path, where owned copies of its fields would take three).
        text: String,
    },
    /// An app message, on its first write or a resend.
    Message {
        /// The id `send` returned for it.
        send_id: u64,
        /// Whether this is the message's first write.
        first_write: bool,
        /// The frame, encoded once when the message was sent (shared with the QoS table);
        /// `None` when the host keeps the message and writes it (`Client::send_held`).
        text: Option<Rc<String>>,
    },
}

impl Outbound {
    /// The frame's text, as a client writes it (the protocol's writer, docs/protocol.md §8):
    /// encoded now for the rare frames, borrowed for acks and app messages, encoded already;
    /// `None` for a [`HeldAck`](Self::HeldAck) or a message the host keeps, which it writes.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Self::Login(info) => Protocal::login(info).encode().into(),
            Self::KeepAlive { from } => Protocal::keep_alive(from).encode().into(),
            Self::Logout { from } => Protocal::logout(from).encode().into(),
            Self::HeldAck => return None,
            Self::Ack { text } => text.as_str().into(),
            Self::Message { text, .. } => return text.as_ref().map(|text| text.as_str().into()),
        })
    }
}
