//! The deterministic test harness shared by the integration tests: a simulated stock
//! MobileIMSDK server, a faulty link and a world that runs them and N clients on one
//! simulated clock. Each test binary uses a different part of it.
#![allow(dead_code, unused_imports)]

pub mod check;
pub mod link;
pub mod server;
pub mod world;

pub use link::LinkFaults;
pub use server::{CloseReason, ServerConfig, SimServer, Verdict};
pub use world::{frame_type, logged_in_client, login_info, message, ClientId, Item, World, URL};
