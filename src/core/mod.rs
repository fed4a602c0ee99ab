//! The sans-IO client state machine.
//!
//! [`Client`] takes app commands, socket events tagged with a socket generation, host hints and
//! the current time, and answers through [`Client::poll_output`] with sockets to open or close,
//! frames to write, app events and its next deadline. See docs/client-behaviour.md for every rule.

mod backoff;
mod client;
mod commands;
mod config;
mod connection;
mod context;
mod error;
mod fingerprint;
mod fixed_hash;
mod flat_json;
mod fp_hasher;
mod inbound;
mod link;
mod outbound;
mod outbox;
mod output;
mod payloads;
mod qos_receive;
mod qos_send;
mod random;
mod reconfigure;
mod session;
mod settlement;
mod state;
mod timers;
mod timing;
mod url;

pub use client::{Client, SendReceipt};
pub use config::Config;
pub use error::{ConfigError, LoginError, SendError};
pub use fingerprint::{new_fingerprint, MAX_FINGERPRINT_LENGTH};
pub use inbound::FrameHandled;
pub use outbound::Outbound;
pub use output::{Event, Level, LogTopic, LostMessage, Output};
pub use payloads::HostReply;
pub use random::{RandomSource, SeededRandom};
pub use state::ConnectionState;
pub use timing::Timing;
