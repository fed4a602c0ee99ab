//! The server's settings; the defaults are the stock demo server's.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::chaos::ChaosSpec;
use crate::dedupe::DedupeTimings;
use crate::frame_log::FrameLog;
use crate::qos::QosTimings;

/// Everything the server can be told.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (default `127.0.0.1:3000`; port 0 picks a free port).
    pub listen: SocketAddr,
    /// Largest accepted WebSocket frame or message payload in bytes (default 65 536).
    pub max_frame: usize,
    /// Close a connection this long after its last inbound text frame (default 11 s, the
    /// demo's `MODE_5S`).
    pub idle_timeout: Duration,
    /// The S2C QoS daemon's timings.
    pub qos: QosTimings,
    /// The C2S received cache's timings.
    pub dedupe: DedupeTimings,
    /// Login tokens the verifier rejects, with the code to reject them with (default: none, the
    /// demo accepts every login).
    pub rejected_tokens: HashMap<String, i32>,
    /// Acknowledge a QoS message to an offline user as if it were stored for later
    /// (`onTransferMessage_RealTimeSendFaild` returning true). Default off: dropped silently.
    pub offline_ack: bool,
    /// Fault injection, if any.
    pub chaos: Option<ChaosSpec>,
    /// Where to log frames, if anywhere.
    pub frame_log: Option<FrameLog>,
    /// Frames each connection may have queued for writing before writes to it fail.
    pub queue_capacity: usize,
    /// How long a closing connection waits for its last frames and the client's close reply.
    pub close_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 3000)),
            max_frame: 65_536,
            idle_timeout: Duration::from_secs(11),
            qos: QosTimings::default(),
            dedupe: DedupeTimings::default(),
            rejected_tokens: HashMap::new(),
            offline_ack: false,
            chaos: None,
            frame_log: None,
            queue_capacity: 1024,
            close_grace: Duration::from_secs(2),
        }
    }
}
