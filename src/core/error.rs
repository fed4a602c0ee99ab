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

/// Why a config was refused (docs/client-behaviour.md §12); nothing of it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The config is not a JSON object.
    #[error("the config is not an object")]
    NotAnObject,
    /// A member that names no timing.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A timing whose value is not a non-negative integer.
    #[error("`{0}` is not a non-negative integer")]
    NotAnInteger(&'static str),
    /// A timing outside its [`Timing::bounds`](super::Timing::bounds).
    #[error("`{0}` is out of bounds")]
    OutOfRange(&'static str),
    /// The backoff cap is below its base.
    #[error("`reconnectCapMs` is below `reconnectBaseMs`")]
    CapBelowBase,
}

impl ConfigError {
    /// The stable code returned by `IMSDK.setConfig`.
    pub fn code(&self) -> i32 {
        error_code::INVALID_CONFIG
    }

    /// The message as text, built without the formatting machinery (which would cost the wasm
    /// several kilobytes).
    pub fn describe(&self) -> String {
        self.parts().concat()
    }

    /// The message in three parts, to be joined.
    pub(super) fn parts(&self) -> [&str; 3] {
        match self {
            Self::NotAnObject => ["the config is not an object", "", ""],
            Self::UnknownField(name) => ["unknown field `", name, "`"],
            Self::NotAnInteger(name) => ["`", name, "` is not a non-negative integer"],
            Self::OutOfRange(name) => ["`", name, "` is out of bounds"],
            Self::CapBelowBase => ["`reconnectCapMs` is below `reconnectBaseMs`", "", ""],
        }
    }
}
