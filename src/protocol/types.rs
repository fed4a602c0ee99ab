//! Protocol type codes (the `type` field).

/// The framework's packet types as numbers on the wire (`type`).
///
/// Kept as plain `i32` constants rather than an enum because a frame may carry any number and an
/// unknown one must be logged and ignored, not rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocalType;

impl ProtocalType {
    /// Client → server: login (`dataContent` is a JSON [`LoginInfo`](super::LoginInfo)).
    pub const LOGIN: i32 = 0;
    /// Client → server: keep-alive ping, `dataContent` `"{}"`.
    pub const KEEP_ALIVE: i32 = 1;
    /// Both ways: an application message.
    pub const COMMON_DATA: i32 = 2;
    /// Client → server: logout; the server closes without a reply.
    pub const LOGOUT: i32 = 3;
    /// Both ways: the QoS acknowledgement, `dataContent` is the acknowledged fingerprint.
    pub const RECEIVED: i32 = 4;
    /// Client → server: echo request, answered with [`Self::RESPONSE_ECHO`].
    pub const ECHO: i32 = 5;
    /// Server → client: login response (`dataContent` is a JSON [`LoginResponse`](super::LoginResponse)).
    pub const RESPONSE_LOGIN: i32 = 50;
    /// Server → client: keep-alive reply.
    pub const RESPONSE_KEEP_ALIVE: i32 = 51;
    /// Server → client: error (`dataContent` is a JSON [`ErrorResponse`](super::ErrorResponse)).
    pub const RESPONSE_FOR_ERROR: i32 = 52;
    /// Server → client: the echoed packet.
    pub const RESPONSE_ECHO: i32 = 53;
    /// Server → client: kicked out (`dataContent` is a JSON [`KickoutInfo`](super::KickoutInfo)).
    pub const KICKOUT: i32 = 54;
}
