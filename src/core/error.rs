//! Errors of the app-facing commands, each with its stable numeric code.

use crate::protocol::error_code;
use thiserror::Error;

/// Why `send` refused a message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SendError {
    /// The message is not something the app may send.
    #[error("invalid message: {0}")]
    Invalid(&'static str),
    /// A non-QoS message while not online, or any message with no login session.
    #[error("not connected")]
    NotConnected,
    /// The encoded frame is larger than the server accepts.
    #[error("frame of {len} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Encoded length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Too many QoS messages are unacknowledged.
    #[error("{0} QoS messages are already pending")]
    TooManyPending(usize),
}

impl SendError {
    /// The stable code returned by `IMSDK.sendData`.
    pub fn code(&self) -> i32 {
        match self {
            Self::Invalid(_) => error_code::COMMON_INVALID_PROTOCAL,
            Self::NotConnected => error_code::BREOKEN_CONNECT_TO_SERVER,
            Self::TooLarge { .. } => error_code::DATA_TOO_LARGE,
            Self::TooManyPending(_) => error_code::TOO_MANY_PENDING,
        }
    }
}

/// Why `login` refused to start.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoginError {
    /// `loginUserId` is empty.
    #[error("loginUserId is empty")]
    MissingUserId,
    /// The server URL is empty.
    #[error("server URL is empty")]
    MissingUrl,
}

impl LoginError {
    /// The stable code at the JS boundary.
    pub fn code(&self) -> i32 {
        match self {
            Self::MissingUserId => error_code::COMMON_INVALID_PROTOCAL,
            Self::MissingUrl => error_code::TO_SERVER_NET_INFO_NOT_SETUP,
        }
    }
}
