//! The connection states the app can observe.

/// Where the client stands. `getConnectionState()` returns [`ConnectionState::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// No login requested yet.
    Idle,
    /// A socket is being opened.
    Connecting,
    /// The socket is open and the login frame is sent; waiting for the reply.
    LoggingIn,
    /// A code-0 login reply arrived on the current socket.
    Online,
    /// Waiting for the next (re)connect attempt.
    Reconnecting,
    /// The app logged out. End state.
    LoggedOut,
    /// The server kicked this session out. End state.
    Kicked,
    /// The server rejected the credentials. End state.
    AuthFailed,
}

impl ConnectionState {
    /// The name used in the JS API (`"idle"`, `"connecting"`, …).
    #[inline(never)]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Connecting => "connecting",
            Self::LoggingIn => "logging_in",
            Self::Online => "online",
            Self::Reconnecting => "reconnecting",
            Self::LoggedOut => "logged_out",
            Self::Kicked => "kicked",
            Self::AuthFailed => "auth_failed",
        }
    }

    /// Whether a login session is under way (the client will get online by itself).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Self::Connecting | Self::LoggingIn | Self::Online | Self::Reconnecting
        )
    }
}
