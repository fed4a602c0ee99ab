//! State shared by every connection and the daemon: settings, online map, QoS queues, counters.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::Config;
use crate::dedupe::ReceivedCache;
use crate::hub::Hub;
use crate::qos::QosQueue;

/// Counters of what the server did, for tests and the load tool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// WebSocket connections accepted so far.
    pub connections: u64,
    /// User ids online now.
    pub online: usize,
    /// C2S messages handed to the application (duplicates not counted).
    pub c2s_processed: u64,
    /// C2C messages written to their receiver.
    pub c2c_forwarded: u64,
    /// Server → client QoS frames awaiting an acknowledgement now.
    pub s2c_pending: usize,
    /// Server → client QoS frames given up on (`messagesLost`).
    pub s2c_lost: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub connections: AtomicU64,
    pub c2s_processed: AtomicU64,
    pub c2c_forwarded: AtomicU64,
    pub s2c_lost: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Everything the connections and the daemon share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub hub: Hub,
    pub qos: QosQueue,
    pub received: ReceivedCache,
    pub counters: Counters,
}

impl Shared {
    pub fn new(config: Config) -> Self {
        Self {
            hub: Hub::default(),
            qos: QosQueue::new(config.qos),
            received: ReceivedCache::new(config.dedupe.lifetime),
            counters: Counters::default(),
            config,
        }
    }

    pub fn stats(&self) -> Stats {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            connections: load(&self.counters.connections),
            online: self.hub.online_count(),
            c2s_processed: load(&self.counters.c2s_processed),
            c2c_forwarded: load(&self.counters.c2c_forwarded),
            s2c_pending: self.qos.len(),
            s2c_lost: load(&self.counters.s2c_lost),
        }
    }
}
