//! The `Protocal` frame (original spelling, as on the wire) and its two encodings.

use serde::{Deserialize, Deserializer, Serialize};

use super::gson::to_gson_string;
use super::{DecodeError, LoginInfo, ProtocalType};

/// The user id that stands for the server (`"0"`).
pub const SERVER_UID: &str = "0";
/// The user id that stands for "unset" (`"-1"`).
pub const UNSET_UID: &str = "-1";

/// One MobileIMSDK packet: the JSON object carried by each WebSocket text frame.
///
/// Field names follow correct English; the serde names are the wire names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protocal {
    /// Server-side MQ bridging flag; clients leave it `false`.
    #[serde(default)]
    pub bridge: bool,
    /// Framework packet type (see [`ProtocalType`]).
    #[serde(rename = "type", default)]
    pub kind: i32,
    /// Payload: an app string, a JSON-encoded framework DTO, or an acknowledged fingerprint.
    #[serde(rename = "dataContent", default)]
    pub data_content: Option<String>,
    /// Sender user id (`"0"` is the server).
    #[serde(default = "unset_uid", deserialize_with = "uid_or_unset")]
    pub from: String,
    /// Receiver user id (`"0"` is the server).
    #[serde(default = "unset_uid", deserialize_with = "uid_or_unset")]
    pub to: String,
    /// Fingerprint (message id); present when `qos` is set.
    #[serde(default)]
    pub fp: Option<String>,
    /// Whether delivery is acknowledged, retried and de-duplicated.
    #[serde(rename = "QoS", default)]
    pub qos: bool,
    /// App-level message type; `-1` means undefined.
    #[serde(default = "undefined_typeu")]
    pub typeu: i32,
    /// Server send timestamp in ms, when the server sent one.
    #[serde(default, skip_serializing)]
    pub sm: Option<i64>,
}

fn unset_uid() -> String {
    UNSET_UID.to_owned()
}

fn undefined_typeu() -> i32 {
    -1
}

/// Parses `text` as `T`, which must be written as a JSON object. (serde would also build a
/// struct from a JSON array, field by position; no MobileIMSDK peer sends that, and the stock
/// server rejects it.)
fn from_json_object<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    if !text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
    {
        return Err(DecodeError::InvalidJson("expected a JSON object".into()));
    }
    Ok(serde_json::from_str(text)?)
}

fn uid_or_unset<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_else(unset_uid))
}

/// The server's field set and order, with nulls left out (Gson defaults).
#[derive(Serialize)]
struct ServerWire<'a> {
    bridge: bool,
    #[serde(rename = "type")]
    kind: i32,
    #[serde(rename = "dataContent", skip_serializing_if = "Option::is_none")]
    data_content: Option<&'a str>,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fp: Option<&'a str>,
    #[serde(rename = "QoS")]
    qos: bool,
    typeu: i32,
    sm: i64,
}

impl Protocal {
    /// A frame of `kind` with the stock defaults for every other field.
    pub fn new(kind: i32, data_content: Option<String>, from: &str, to: &str) -> Self {
        Self {
            bridge: false,
            kind,
            data_content,
            from: from.to_owned(),
            to: to.to_owned(),
            fp: None,
            qos: false,
            typeu: undefined_typeu(),
            sm: None,
        }
    }

    /// The login frame for `info` (type 0).
    pub fn login(info: &LoginInfo) -> Self {
        Self::new(
            ProtocalType::LOGIN,
            Some(info.to_json()),
            &info.login_user_id,
            SERVER_UID,
        )
    }

    /// A keep-alive ping from `uid` (type 1).
    pub fn keep_alive(uid: &str) -> Self {
        Self::new(ProtocalType::KEEP_ALIVE, Some("{}".into()), uid, SERVER_UID)
    }

    /// A logout from `uid` (type 3).
    pub fn logout(uid: &str) -> Self {
        Self::new(ProtocalType::LOGOUT, None, uid, SERVER_UID)
    }

    /// The QoS acknowledgement (type 4) that `own_uid` sends for `received`.
    pub fn ack_for(received: &Self, own_uid: &str) -> Self {
        let mut ack = Self::new(
            ProtocalType::RECEIVED,
            received.fp.clone(),
            own_uid,
            &received.from,
        );
        ack.bridge = received.bridge;
        ack
    }

    /// Decodes one frame of text (a JSON object), refusing frames longer than `limit` bytes.
    pub fn decode(text: &str, limit: usize) -> Result<Self, DecodeError> {
        if text.len() > limit {
            return Err(DecodeError::TooLarge {
                len: text.len(),
                limit,
            });
        }
        from_json_object(text)
    }

    /// Decodes one frame of bytes (UTF-8 JSON), refusing frames longer than `limit` bytes.
    pub fn decode_bytes(bytes: &[u8], limit: usize) -> Result<Self, DecodeError> {
        if bytes.len() > limit {
            return Err(DecodeError::TooLarge {
                len: bytes.len(),
                limit,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)?;
        Self::decode(text, limit)
    }

    /// Encodes as a client sends it: every field the server reads, `fp` and `dataContent` as
    /// `null` when absent, no `sm` (the server applies no defaults to missing keys).
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a Protocal always serializes")
    }

    /// Encodes as the stock server writes it: Gson field order, nulls left out, HTML-sensitive
    /// characters escaped, and `sm` always present (`0` where the frame had none).
    pub fn encode_as_server(&self) -> String {
        to_gson_string(&ServerWire {
            bridge: self.bridge,
            kind: self.kind,
            data_content: self.data_content.as_deref(),
            from: &self.from,
            to: &self.to,
            fp: self.fp.as_deref(),
            qos: self.qos,
            typeu: self.typeu,
            sm: self.sm.unwrap_or(0),
        })
    }

    /// Parses `dataContent` as the JSON payload of a framework packet.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let content = self
            .data_content
            .as_deref()
            .ok_or(DecodeError::MissingContent(self.kind))?;
        from_json_object(content)
    }
}
