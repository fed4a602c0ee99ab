//! The tunable timings of [`Config`]: their names, bounds and the JSON object that changes them
//! (docs/client-behaviour.md §12).

use super::flat_json::members;
use super::{Config, ConfigError};

/// One tunable timing (or size) of [`Config`], named as at the JS boundary (`IMSDK.setConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// [`Config::login_timeout_ms`].
    LoginTimeoutMs,
    /// [`Config::reconnect_base_ms`].
    ReconnectBaseMs,
    /// [`Config::reconnect_cap_ms`].
    ReconnectCapMs,
    /// [`Config::reconnect_jitter_percent`].
    ReconnectJitterPercent,
    /// [`Config::stable_online_ms`].
    StableOnlineMs,
    /// [`Config::qos_resend_interval_ms`].
    QosResendIntervalMs,
    /// [`Config::qos_max_resends`].
    QosMaxResends,
    /// [`Config::offline_hold_ms`].
    OfflineHoldMs,
    /// [`Config::dedupe_ttl_ms`].
    DedupeTtlMs,
    /// [`Config::dedupe_capacity`].
    DedupeCapacity,
}

const MINUTE: u32 = 60_000;
const HOUR: u32 = 60 * MINUTE;

/// Name, smallest and largest value of each [`Timing`], in declaration order (`u32`: a smaller
/// table in the wasm).
const TABLE: [(&str, u32, u32); 10] = [
    ("loginTimeoutMs", 1_000, 10 * MINUTE),
    ("reconnectBaseMs", 100, 10 * MINUTE),
    ("reconnectCapMs", 100, HOUR),
    ("reconnectJitterPercent", 0, 100),
    ("stableOnlineMs", 0, 10 * MINUTE),
    // The founding spec never resends a message younger than 3 s.
    ("qosResendIntervalMs", 3_000, 10 * MINUTE),
    ("qosMaxResends", 0, 10),
    ("offlineHoldMs", 0, HOUR),
    // At least the stock server's own resend window, so its resends stay deduplicated.
    ("dedupeTtlMs", MINUTE, 24 * HOUR),
    ("dedupeCapacity", 100, 100_000),
];

impl Timing {
    /// Every timing, in the order of docs/client-behaviour.md §12 (and of declaration).
    pub const ALL: [Timing; 10] = [
        Self::LoginTimeoutMs,
        Self::ReconnectBaseMs,
        Self::ReconnectCapMs,
        Self::ReconnectJitterPercent,
        Self::StableOnlineMs,
        Self::QosResendIntervalMs,
        Self::QosMaxResends,
        Self::OfflineHoldMs,
        Self::DedupeTtlMs,
        Self::DedupeCapacity,
    ];

    /// The camelCase name of `IMSDK.setConfig`.
    pub fn name(self) -> &'static str {
        TABLE[self as usize].0
    }

    /// The smallest and largest value allowed, both included.
    pub fn bounds(self) -> (u64, u64) {
        let (_, min, max) = TABLE[self as usize];
        (min.into(), max.into())
    }

    /// `value` if it is within [`bounds`](Self::bounds).
    fn check(self, value: u64) -> Result<u64, ConfigError> {
        let (min, max) = self.bounds();
        if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(ConfigError::OutOfRange(self.name()))
        }
    }

    /// The value in `config`.
    pub fn get(self, config: &Config) -> u64 {
        match self {
            Self::LoginTimeoutMs => config.login_timeout_ms,
            Self::ReconnectBaseMs => config.reconnect_base_ms,
            Self::ReconnectCapMs => config.reconnect_cap_ms,
            Self::ReconnectJitterPercent => config.reconnect_jitter_percent,
            Self::StableOnlineMs => config.stable_online_ms,
            Self::QosResendIntervalMs => config.qos_resend_interval_ms,
            Self::QosMaxResends => u64::from(config.qos_max_resends),
            Self::OfflineHoldMs => config.offline_hold_ms,
            Self::DedupeTtlMs => config.dedupe_ttl_ms,
            Self::DedupeCapacity => config.dedupe_capacity as u64,
        }
    }

    /// Sets the value in `config`, saturating where the field is narrower (no value within
    /// [`bounds`](Self::bounds) is).
    pub fn set(self, config: &mut Config, value: u64) {
        match self {
            Self::LoginTimeoutMs => config.login_timeout_ms = value,
            Self::ReconnectBaseMs => config.reconnect_base_ms = value,
            Self::ReconnectCapMs => config.reconnect_cap_ms = value,
            Self::ReconnectJitterPercent => config.reconnect_jitter_percent = value,
            Self::StableOnlineMs => config.stable_online_ms = value,
            Self::QosResendIntervalMs => config.qos_resend_interval_ms = value,
            Self::QosMaxResends => config.qos_max_resends = value.try_into().unwrap_or(u32::MAX),
            Self::OfflineHoldMs => config.offline_hold_ms = value,
            Self::DedupeTtlMs => config.dedupe_ttl_ms = value,
            Self::DedupeCapacity => config.dedupe_capacity = value.try_into().unwrap_or(usize::MAX),
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|timing| timing.name() == name)
    }
}

impl Config {
    /// Checks every timing against its [`Timing::bounds`], and that the backoff cap is not
    /// below its base.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for timing in Timing::ALL {
            timing.check(timing.get(self))?;
        }
        self.check_backoff()
    }

    /// This config with the timings of `json` changed: a JSON object whose members are
    /// [`Timing`] names with non-negative integer values within their bounds, all optional; the
    /// backoff cap must stay at or above its base. The first problem found is the error.
    pub fn with_json(&self, json: &str) -> Result<Config, ConfigError> {
        let members = members(json).ok_or(ConfigError::NotAnObject)?;
        let mut changed = *self;
        for (name, value) in members {
            let timing =
                Timing::named(name).ok_or_else(|| ConfigError::UnknownField(name.to_owned()))?;
            let value = non_negative_integer(value.as_bytes())
                .ok_or(ConfigError::NotAnInteger(timing.name()))?;
            timing.set(&mut changed, timing.check(value)?);
        }
        changed.check_backoff().map(|()| changed)
    }

    fn check_backoff(&self) -> Result<(), ConfigError> {
        if self.reconnect_cap_ms < self.reconnect_base_ms {
            Err(ConfigError::CapBelowBase)
        } else {
            Ok(())
        }
    }
}

/// The number that `text` spells in decimal digits only; `None` for any other text, or a
/// number beyond `u64`.
fn non_negative_integer(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |number, byte| {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        // Compared, not `checked_mul`, which calls a 128-bit multiplication in the wasm.
        let (limit, last_digit) = (u64::MAX / 10, (u64::MAX % 10) as u8);
        (number < limit || number == limit && digit <= last_digit)
            .then(|| number * 10 + u64::from(digit))
    })
}
