//! Tunable numbers of the client, with the defaults of docs/client-behaviour.md.

use crate::protocol::SenseMode;

/// Everything the state machine can be tuned with. `Config::default()` is the documented
/// behaviour; every bound on memory comes from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Keep-alive cadence and dead-link threshold.
    pub sense_mode: SenseMode,
    /// How long a login attempt (socket open plus code-0 reply) may take.
    pub login_timeout_ms: u64,
    /// The first backoff delay after the immediate reconnect attempt failed.
    pub reconnect_base_ms: u64,
    /// How long a relogin must stay online for its loss to count as a new outage (backoff
    /// reset, reconnect at once). A shorter session keeps backing off, so a server that drops
    /// every session right after the login reply cannot cause a reconnect storm.
    pub stable_online_ms: u64,
    /// The longest backoff delay.
    pub reconnect_cap_ms: u64,
    /// Random spread applied to each backoff delay, in percent either way.
    pub reconnect_jitter_percent: u64,
    /// Time between a QoS message's transmission and its resend (or loss) check.
    pub qos_resend_interval_ms: u64,
    /// Resends before an unacknowledged QoS message is reported lost.
    pub qos_max_resends: u32,
    /// Total time a QoS message may wait offline before it is reported lost.
    pub offline_hold_ms: u64,
    /// How long a received fingerprint is remembered for de-duplication.
    pub dedupe_ttl_ms: u64,
    /// How many received fingerprints are remembered at most (oldest evicted first).
    pub dedupe_capacity: usize,
    /// How many QoS messages may be unacknowledged (queued or in flight) at once.
    pub max_pending_messages: usize,
    /// Inbound frames longer than this are dropped with an error log.
    pub max_inbound_bytes: usize,
    /// Outbound frames longer than this are refused (the stock server closes on them).
    pub max_outbound_bytes: usize,
    /// `None`: fingerprints are UUID v4. `Some(n)`: `n` random characters from `[0-9A-Za-z]`,
    /// for `n` up to [`MAX_FINGERPRINT_LENGTH`](super::MAX_FINGERPRINT_LENGTH) (UUID v4 above).
    pub fingerprint_length: Option<usize>,
    /// Whether the core's debug- and info-level log events are produced (warnings and errors
    /// always are).
    pub debug_logs: bool,
    /// Whether the SDK's debug lines are produced: state changes, sockets, echo replies.
    pub sdk_logs: bool,
    /// Whether heartbeat lines are produced (with `sdk_logs` on too).
    pub heartbeat_logs: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            sense_mode: SenseMode::Mode5s,
            login_timeout_ms: 10_000,
            reconnect_base_ms: 3_000,
            stable_online_ms: 1_000,
            reconnect_cap_ms: 30_000,
            reconnect_jitter_percent: 20,
            qos_resend_interval_ms: 5_000,
            qos_max_resends: 2,
            offline_hold_ms: 30_000,
            dedupe_ttl_ms: 10 * 60 * 1000,
            dedupe_capacity: 10_000,
            max_pending_messages: 10_000,
            max_inbound_bytes: 1 << 20,
            max_outbound_bytes: 65_536,
            fingerprint_length: None,
            debug_logs: false,
            sdk_logs: false,
            heartbeat_logs: false,
        }
    }
}
