//! The MobileIMSDK wire protocol: one JSON `Protocal` object per WebSocket text frame.
//!
//! Framework payloads travel as JSON *inside* the `dataContent` string; [`payload`] holds their
//! types. Encoding writes every field the stock server needs; decoding accepts what the stock
//! server writes and turns anything else into a [`DecodeError`], never a panic.

mod codes;
mod error;
mod frame;
pub mod json;
mod payload;
mod types;

pub use codes::{error_code, kickout_code, SenseMode};
pub use error::DecodeError;
pub use frame::{Payload, Protocal, ProtocalRef, SERVER_UID, UNSET_UID};
pub use payload::{ErrorResponse, KickoutInfo, LoginInfo, LoginResponse};
pub use types::ProtocalType;
