//! Decoding errors.

use thiserror::Error;

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
    /// A short fixed description, for logs built without the formatting machinery.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "frame too large",
            Self::InvalidUtf8 => "frame is not valid UTF-8",
            Self::InvalidJson(what) => what,
            Self::MissingField(_) => "missing field",
            Self::MissingContent(_) => "packet has no dataContent",
        }
    }
}
