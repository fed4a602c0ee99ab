//! mobileimsdk-wasm: a MobileIMSDK instant-messaging client.
//!
//! * [`protocol`] — the wire format: the `Protocal` frame, its payloads and codes.
//! * [`core`] — a sans-IO client state machine: login, keep-alive, reconnect and message QoS.
//!   It reads no clock and opens no socket; the host feeds it time and socket events and
//!   carries out what it asks for.
// No unsafe code, but for text checked to be ASCII taken as UTF-8 unchecked (src/ascii.rs).
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod ascii;
pub mod core;
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
