//! The numbered inputs of the boundary: each number names one input, and an unknown number is
//! refused, never mapped to an action (docs/client-behaviour.md §11). js-glue/src/core-adapter.js
//! holds the same numbers; tests/js/boundary-contract.test.mjs checks that they agree.

/// An event of a socket, for `ImClient::socket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketEvent {
    /// The socket opened.
    Opened = 0,
    /// The socket closed, or failed.
    Closed = 1,
}

/// A host hint or app command without arguments, for `ImClient::hint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// The network went down.
    NetworkDown = 0,
    /// The network came back.
    NetworkUp = 1,
    /// The app came to the foreground.
    AppShown = 2,
    /// The app went to the background.
    AppHidden = 3,
    /// The app logs out.
    Logout = 4,
}

/// A setting, for `ImClient::configure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The keep-alive cadence, by its stock number (1–7; the core refuses others).
    SenseMode = 0,
    /// The stock `setMsgIdLength` value (the core normalises it).
    FingerprintLength = 1,
    /// The core's debug and info lines (`setDebugCoreEnable`): 0 off, 1 on.
    CoreLogs = 2,
    /// The SDK's debug lines (`setDebugSDKEnable`): 0 off, 1 on.
    SdkLogs = 3,
    /// The heartbeat lines (`setDebugPingPongEnable`): 0 off, 1 on.
    HeartbeatLogs = 4,
}

impl SocketEvent {
    /// The event numbered `code`.
    pub fn from_code(code: u32) -> Option<Self> {
        [Self::Opened, Self::Closed]
            .into_iter()
            .find(|e| *e as u32 == code)
    }
}

impl Hint {
    /// The hint numbered `code`.
    pub fn from_code(code: u32) -> Option<Self> {
        [
            Self::NetworkDown,
            Self::NetworkUp,
            Self::AppShown,
            Self::AppHidden,
            Self::Logout,
        ]
        .into_iter()
        .find(|h| *h as u32 == code)
    }
}

impl Setting {
    /// The setting numbered `code`.
    pub fn from_code(code: u32) -> Option<Self> {
        [
            Self::SenseMode,
            Self::FingerprintLength,
            Self::CoreLogs,
            Self::SdkLogs,
            Self::HeartbeatLogs,
        ]
        .into_iter()
        .find(|s| *s as u32 == code)
    }
}
