//! Error codes, kick-out codes and keep-alive sense modes.

/// Error codes shared by the server (`ErrorCode`) and the stock clients (`MBErrorCode`), plus the
/// codes this SDK adds after the stock 201–205 range.
pub mod error_code {
    /// OK.
    pub const COMMON_CODE_OK: i32 = 0;
    /// Not logged in.
    pub const COMMON_NO_LOGIN: i32 = 1;
    /// Unknown error.
    pub const COMMON_UNKNOW_ERROR: i32 = 2;
    /// The socket refused the data.
    pub const COMMON_DATA_SEND_FAILD: i32 = 3;
    /// The message is not a valid `Protocal`.
    pub const COMMON_INVALID_PROTOCAL: i32 = 4;
    /// Not connected: a non-QoS message while offline.
    pub const BREOKEN_CONNECT_TO_SERVER: i32 = 201;
    /// The socket could not be opened or closed before the login reply.
    pub const BAD_CONNECT_TO_SERVER: i32 = 202;
    /// The SDK is not initialised.
    pub const CLIENT_SDK_NO_INITIALED: i32 = 203;
    /// The local network is down.
    pub const LOCAL_NETWORK_NOT_WORKING: i32 = 204;
    /// No server address was given.
    pub const TO_SERVER_NET_INFO_NOT_SETUP: i32 = 205;
    /// Ours: the serialized frame is larger than the server accepts (65 536 bytes).
    pub const DATA_TOO_LARGE: i32 = 206;
    /// Ours: no code-0 login reply arrived within the login timeout.
    pub const LOGIN_TIMEOUT: i32 = 207;
    /// Ours: the queue of unacknowledged QoS messages is full.
    pub const TOO_MANY_PENDING: i32 = 208;
    /// Ours: `setConfig` refused the config (unknown field, wrong type or out of bounds).
    pub const INVALID_CONFIG: i32 = 209;
    /// Server: the session is not logged in (sent in a type-52 error, then the socket closes).
    pub const RESPONSE_FOR_UNLOGIN: i32 = 301;
}

/// Kick-out codes (`PKickoutInfo.code`).
pub mod kickout_code {
    /// The same user id logged in elsewhere.
    pub const KICKOUT_FOR_DUPLICATE_LOGIN: i32 = 1;
    /// Kicked by an administrator.
    pub const KICKOUT_FOR_ADMIN: i32 = 2;
}

/// Keep-alive sense modes: how often to ping and when to declare the link dead.
///
/// The numeric values are the stock `MBSenseMode` values (enum order in Java, starting at 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SenseMode {
    /// Ping every 3 s, dead after 5 s.
    Mode3s = 1,
    /// Ping every 5 s, dead after 8 s (the default).
    #[default]
    Mode5s = 2,
    /// Ping every 10 s, dead after 15 s.
    Mode10s = 3,
    /// Ping every 15 s, dead after 20 s.
    Mode15s = 4,
    /// Ping every 30 s, dead after 35 s.
    Mode30s = 5,
    /// Ping every 60 s, dead after 65 s.
    Mode60s = 6,
    /// Ping every 120 s, dead after 125 s.
    Mode120s = 7,
}

impl SenseMode {
    /// The mode for a stock `MBSenseMode` number, if it is one.
    pub fn from_code(code: i32) -> Option<Self> {
        Some(match code {
            1 => Self::Mode3s,
            2 => Self::Mode5s,
            3 => Self::Mode10s,
            4 => Self::Mode15s,
            5 => Self::Mode30s,
            6 => Self::Mode60s,
            7 => Self::Mode120s,
            _ => return None,
        })
    }

    /// Milliseconds between keep-alive pings.
    pub fn ping_interval_ms(self) -> u64 {
        self.seconds().0 * 1000
    }

    /// Milliseconds without any inbound frame after which the link is dead.
    pub fn dead_after_ms(self) -> u64 {
        self.seconds().1 * 1000
    }

    fn seconds(self) -> (u64, u64) {
        match self {
            Self::Mode3s => (3, 5),
            Self::Mode5s => (5, 8),
            Self::Mode10s => (10, 15),
            Self::Mode15s => (15, 20),
            Self::Mode30s => (30, 35),
            Self::Mode60s => (60, 65),
            Self::Mode120s => (120, 125),
        }
    }
}
