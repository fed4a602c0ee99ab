//! Decoding errors.

use thiserror::Error;

use super::json::int_text;

/// Why a frame or payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The frame is longer than the configured limit.
    #[error("frame of {len} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Length of the frame in bytes.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The bytes are not valid UTF-8.
    #[error("frame is not valid UTF-8")]
    InvalidUtf8,
    /// The text is not one JSON object of the expected shape (syntax, nesting or field types).
    #[error("invalid JSON: {0}")]
    InvalidJson(&'static str),
    /// A required field is absent.
    #[error("missing field {0}")]
    MissingField(&'static str),
    /// A framework packet arrived without the `dataContent` its type requires.
    #[error("packet type {0} has no dataContent")]
    MissingContent(i32),
}

impl DecodeError {
    /// The message as text, built without the formatting machinery (which would cost the wasm
    /// several kilobytes).
    pub fn describe(&self) -> String {
        match self {
            Self::TooLarge { len, limit } => [
                "frame of ",
                &int_text(*len as i64),
                " bytes exceeds the limit of ",
                &int_text(*limit as i64),
                " bytes",
            ]
            .concat(),
            Self::InvalidUtf8 => "frame is not valid UTF-8".into(),
            Self::InvalidJson(what) => ["invalid JSON: ", what].concat(),
            Self::MissingField(field) => ["missing field ", field].concat(),
            Self::MissingContent(_) => "packet has no dataContent".into(),
        }
    }
}
