//! The framework payloads carried as JSON inside `dataContent`.

use std::fmt;

use super::frame::Payload;
use super::json::{read_object, ObjectWriter, Style};
use super::DecodeError;

/// What the app logs in with (`PLoginInfo`).
#[derive(Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// The user id; required by the server.
    pub login_user_id: String,
    /// The credential the server's verifier checks. Never logged.
    pub login_token: Option<String>,
    /// App-defined extra string.
    pub extra: Option<String>,
    /// `0` on a first login; on a relogin the value the server returned at first login.
    pub first_login_time: i64,
}

impl LoginInfo {
    /// The JSON text sent inside the login frame (every field, nulls included).
    pub fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new(Style::Client);
        writer
            .string("loginUserId", Some(&self.login_user_id))
            .string("loginToken", self.login_token.as_deref())
            .string("extra", self.extra.as_deref())
            .int("firstLoginTime", self.first_login_time);
        writer.finish()
    }
}

impl Payload for LoginInfo {
    fn from_json(text: &str) -> Result<Self, DecodeError> {
        let mut user_id = None;
        let mut info = LoginInfo {
            login_user_id: String::new(),
            login_token: None,
            extra: None,
            first_login_time: 0,
        };
        read_object(text, &mut |name, reader| {
            match name {
                "loginUserId" => user_id = Some(reader.string()?),
                "loginToken" => info.login_token = reader.optional_string()?,
                "extra" => info.extra = reader.optional_string()?,
                "firstLoginTime" => info.first_login_time = reader.optional_i64()?.unwrap_or(0),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        info.login_user_id = user_id.ok_or(DecodeError::MissingField("loginUserId"))?;
        Ok(info)
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginResponse {
    /// `0` on success, else the verifier's code.
    pub code: i32,
    /// The server's first-login time to send again on relogin; `-1` on failure.
    pub first_login_time: i64,
}

impl LoginResponse {
    /// The JSON text as the stock server writes it.
    pub fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new(Style::Gson);
        writer
            .int("code", self.code.into())
            .int("firstLoginTime", self.first_login_time);
        writer.finish()
    }
}

impl Payload for LoginResponse {
    fn from_json(text: &str) -> Result<Self, DecodeError> {
        let mut code = None;
        let mut first_login_time = 0;
        read_object(text, &mut |name, reader| {
            match name {
                "code" => code = Some(reader.i32()?),
                "firstLoginTime" => first_login_time = reader.optional_i64()?.unwrap_or(0),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Self {
            code: code.ok_or(DecodeError::MissingField("code"))?,
            first_login_time,
        })
    }
}

/// The server's error packet payload (`PErrorResponse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// The error code; in practice 301 (not logged in).
    pub error_code: i32,
    /// For 301, the JSON of the rejected packet.
    pub error_msg: Option<String>,
}

impl ErrorResponse {
    /// The JSON text as the stock server writes it.
    pub fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new(Style::Gson);
        writer
            .int("errorCode", self.error_code.into())
            .string("errorMsg", self.error_msg.as_deref());
        writer.finish()
    }
}

impl Payload for ErrorResponse {
    fn from_json(text: &str) -> Result<Self, DecodeError> {
        let mut error_code = None;
        let mut error_msg = None;
        read_object(text, &mut |name, reader| {
            match name {
                "errorCode" => error_code = Some(reader.i32()?),
                "errorMsg" => error_msg = reader.optional_string()?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Self {
            error_code: error_code.ok_or(DecodeError::MissingField("errorCode"))?,
            error_msg,
        })
    }
}

/// The kick-out payload (`PKickoutInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KickoutInfo {
    /// Why: 1 duplicate login, 2 admin.
    pub code: i32,
    /// Optional text, usually absent.
    pub reason: Option<String>,
}

impl KickoutInfo {
    /// The JSON text as the stock server writes it.
    pub fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new(Style::Gson);
        writer
            .int("code", self.code.into())
            .string("reason", self.reason.as_deref());
        writer.finish()
    }
}

impl Payload for KickoutInfo {
    fn from_json(text: &str) -> Result<Self, DecodeError> {
        let mut code = None;
        let mut reason = None;
        read_object(text, &mut |name, reader| {
            match name {
                "code" => code = Some(reader.i32()?),
                "reason" => reason = reader.optional_string()?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Self {
            code: code.ok_or(DecodeError::MissingField("code"))?,
            reason,
        })
    }
}
