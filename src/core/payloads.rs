//! Where a framework reply's payload (types 50, 52, 54) comes from: read from the frame's
//! `dataContent` by the protocol's JSON reader, or already read by the host (the wasm glue reads
//! it with the runtime's `JSON.parse`, which keeps the reader out of the wasm;
//! docs/client-behaviour.md §11); and who keeps an app message and writes its ack: the core's
//! event and text, or the host.

use super::{Event, Outbound};
use crate::protocol::{ErrorResponse, KickoutInfo, LoginResponse, ProtocalRef};

/// A framework reply's payload as the host read it. Its text (`errorMsg` in type 52, `reason`
/// in type 54), or why it could not be read, is the frame's `dataContent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostReply {
    /// Its code (`code`, or `errorCode` in type 52) and `firstLoginTime` (type 50, else 0).
    Read {
        /// The reply's code.
        code: i32,
        /// The server's first login time (type 50).
        first_login_time: i64,
    },
    /// The payload could not be read.
    Unreadable,
}

/// The payload of the reply in a frame, the event of an app message, and a QoS frame's ack.
pub(super) trait Payloads {
    /// A login reply (type 50), or why it is unreadable.
    fn login_response(&self, frame: &ProtocalRef<'_>) -> Result<LoginResponse, String>;
    /// An error reply's code (type 52), if readable.
    fn error_code(&self, frame: &ProtocalRef<'_>) -> Option<i32>;
    /// A kick-out's info (type 54), if readable.
    fn kickout(&self, frame: &ProtocalRef<'_>) -> Option<KickoutInfo>;
    /// The event announcing the app message `frame`.
    fn app_message(&self, frame: &ProtocalRef<'_>) -> Event;
    /// The acknowledgement of the QoS frame `frame`, from `own_uid`.
    fn ack(&self, frame: &ProtocalRef<'_>, own_uid: &str) -> Outbound;
}

/// Payloads read from the frame's `dataContent`.
pub(super) struct FromContent;

impl Payloads for FromContent {
    fn login_response(&self, frame: &ProtocalRef<'_>) -> Result<LoginResponse, String> {
        frame.payload().map_err(|err| err.describe())
    }

    fn error_code(&self, frame: &ProtocalRef<'_>) -> Option<i32> {
        frame
            .payload::<ErrorResponse>()
            .ok()
            .map(|error| error.error_code)
    }

    fn kickout(&self, frame: &ProtocalRef<'_>) -> Option<KickoutInfo> {
        frame.payload().ok()
    }

    /// A copy of the frame the core decoded.
    fn app_message(&self, frame: &ProtocalRef<'_>) -> Event {
        Event::Data(Box::new(frame.to_frame()))
    }

    /// The ack's text, encoded now.
    fn ack(&self, frame: &ProtocalRef<'_>, own_uid: &str) -> Outbound {
        Outbound::Ack {
            text: frame.ack(own_uid).encode(),
        }
    }
}

impl Payloads for HostReply {
    fn login_response(&self, frame: &ProtocalRef<'_>) -> Result<LoginResponse, String> {
        match *self {
            Self::Read {
                code,
                first_login_time,
            } => Ok(LoginResponse {
                code,
                first_login_time,
            }),
            Self::Unreadable => Err(frame.data_content.unwrap_or_default().to_owned()),
        }
    }

    fn error_code(&self, _frame: &ProtocalRef<'_>) -> Option<i32> {
        match *self {
            Self::Read { code, .. } => Some(code),
            Self::Unreadable => None,
        }
    }

    fn kickout(&self, frame: &ProtocalRef<'_>) -> Option<KickoutInfo> {
        match *self {
            Self::Read { code, .. } => Some(KickoutInfo {
                code,
                reason: frame.data_content.map(str::to_owned),
            }),
            Self::Unreadable => None,
        }
    }

    /// No copy: the host holds the frame it parsed.
    fn app_message(&self, _frame: &ProtocalRef<'_>) -> Event {
        Event::HeldData
    }

    /// No text: the host writes it from the frame it holds.
    fn ack(&self, _frame: &ProtocalRef<'_>, _own_uid: &str) -> Outbound {
        Outbound::HeldAck
    }
}
