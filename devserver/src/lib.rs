//! `imsdk-devserver`: a development WebSocket server that behaves like the stock MobileIMSDK
//! demo server (docs/protocol.md §2, §6, §7), for the mobileimsdk-wasm demo and its tests, with
//! optional fault injection for soak tests. Not a production server.
//!
//! Tests start it in-process on a free port:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use imsdk_devserver::{Config, ServerHandle};
//! let server = ServerHandle::start(Config {
//!     listen: "127.0.0.1:0".parse().unwrap(),
//!     ..Config::default()
//! })
//! .await?;
//! let url = format!("ws://{}/websocket", server.local_addr());
//! # let _ = url;
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Layout: [`session`](crate) holds the protocol behaviour of one connection, `hub` the online
//! map and duplicate-login rules, `qos` the server → client resend queue, `dedupe` the C2S
//! received cache, `daemon` their periodic checks, `connection`/`writer` the socket plumbing,
//! [`chaos`] the fault injection.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chaos;
pub mod cli;
pub mod config;
pub mod frame_log;

mod connection;
mod daemon;
mod dedupe;
mod hub;
mod outbox;
mod qos;
mod server;
mod session;
mod shared;
mod wire;
mod writer;

pub use config::Config;
pub use connection::WEBSOCKET_PATH;
pub use dedupe::DedupeTimings;
pub use qos::QosTimings;
pub use server::{Server, ServerHandle};
pub use shared::Stats;
