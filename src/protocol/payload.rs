//! The framework payloads carried as JSON inside `dataContent`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What the app logs in with (`PLoginInfo`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginInfo {
    /// The user id; required by the server.
    pub login_user_id: String,
    /// The credential the server's verifier checks. Never logged.
    #[serde(default)]
    pub login_token: Option<String>,
    /// App-defined extra string.
    #[serde(default)]
    pub extra: Option<String>,
    /// `0` on a first login; on a relogin the value the server returned at first login.
    #[serde(default)]
    pub first_login_time: i64,
}

impl LoginInfo {
    /// The JSON text sent inside the login frame (every field, nulls included).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a LoginInfo always serializes")
    }
}

impl fmt::Debug for LoginInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginInfo")
            .field("login_user_id", &self.login_user_id)
            .field(
                "login_token",
                &self.login_token.as_ref().map(|_| "<redacted>"),
            )
            .field("extra", &self.extra)
            .field("first_login_time", &self.first_login_time)
            .finish()
    }
}

/// The server's answer to a login (`PLoginInfoResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    /// `0` on success, else the verifier's code.
    pub code: i32,
    /// The server's first-login time to send again on relogin; `-1` on failure.
    #[serde(default)]
    pub first_login_time: i64,
}

/// The server's error packet payload (`PErrorResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// The error code; in practice 301 (not logged in).
    pub error_code: i32,
    /// For 301, the JSON of the rejected packet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
}

/// The kick-out payload (`PKickoutInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KickoutInfo {
    /// Why: 1 duplicate login, 2 admin.
    pub code: i32,
    /// Optional text, usually absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
