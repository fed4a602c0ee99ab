//! Integration tests: a real WebSocket client against the server running in-process on
//! 127.0.0.1 (port 0), plus the binary itself for its command line and signals.
//!
//! Tests about time run on tokio's paused clock, so an 11 s idle timeout or a 10-minute
//! de-duplication window costs no wall time. Everything else runs in real time and proves that
//! nothing was sent by a *probe*: a frame whose reply the server writes after anything the
//! earlier frames could have caused.

mod chaos;
mod common;
mod errors;
mod frames;
mod login;
mod messaging;
mod process;
mod timing;
mod transport;
