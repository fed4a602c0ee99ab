//! Frames as the stock server reads and writes them.
//!
//! Reading follows Gson's `fromJson` into a class without a no-argument constructor: a key the
//! client leaves out (or sends as `null`) becomes the Java zero value, so a missing `typeu` is `0`
//! and a missing `sm` is `0`. Writing goes through [`Protocal::encode_as_server`]; frames the
//! server builds itself carry `sm` `-1` (the demo runs with `serverTimestamp` off).

use mobileimsdk_wasm::protocol::{
    ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal, ProtocalType, SERVER_UID,
    UNSET_UID,
};
use serde::Deserialize;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// `sm` on every frame the server builds (server timestamps off, as in the stock demo).
pub const BUILT_SM: i64 = -1;

/// The wire object with Java's zero values for absent or `null` keys.
#[derive(Deserialize)]
struct GsonInbound {
    bridge: Option<bool>,
    #[serde(rename = "type")]
    kind: Option<i32>,
    #[serde(rename = "dataContent")]
    data_content: Option<String>,
    from: Option<String>,
    to: Option<String>,
    fp: Option<String>,
    #[serde(rename = "QoS")]
    qos: Option<bool>,
    typeu: Option<i32>,
    sm: Option<i64>,
}

/// Why a frame was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// Not a JSON object (serde would otherwise fill a struct from an array by position).
    #[error("not a JSON object")]
    NotAnObject,
    /// Not valid JSON for the type.
    #[error("{0}")]
    Json(serde_json::Error),
}

/// Parses `text` as `T`, which must be written as a JSON object, as Gson requires.
fn from_object<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Refused> {
    if !text.trim_start().starts_with('{') {
        return Err(Refused::NotAnObject);
    }
    serde_json::from_str(text).map_err(Refused::Json)
}

/// Decodes one client frame as the stock server does, or fails on anything that would make it
/// throw (not JSON, not an object, a wrong value type, trailing text).
///
/// Absent `from`/`to` (Java `null`) are represented as `"-1"`, which routes nowhere.
pub fn decode(text: &str) -> Result<Protocal, Refused> {
    let raw: GsonInbound = from_object(text)?;
    let mut frame = Protocal::new(
        raw.kind.unwrap_or(0),
        raw.data_content,
        raw.from.as_deref().unwrap_or(UNSET_UID),
        raw.to.as_deref().unwrap_or(UNSET_UID),
    );
    frame.bridge = raw.bridge.unwrap_or(false);
    frame.fp = raw.fp;
    frame.qos = raw.qos.unwrap_or(false);
    frame.typeu = raw.typeu.unwrap_or(0);
    frame.sm = Some(raw.sm.unwrap_or(0));
    Ok(frame)
}

/// A `PLoginInfo` with Java's zero values for absent or `null` keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GsonLogin {
    login_user_id: Option<String>,
    login_token: Option<String>,
    extra: Option<String>,
    first_login_time: Option<i64>,
}

/// Decodes a login frame's `dataContent` as the stock server does; `None` where the server
/// closes the connection without a reply (no content, not a login object, no `loginUserId`).
pub fn decode_login(frame: &Protocal) -> Option<LoginInfo> {
    let raw: GsonLogin = from_object(frame.data_content.as_deref()?).ok()?;
    Some(LoginInfo {
        login_user_id: raw.login_user_id?,
        login_token: raw.login_token,
        extra: raw.extra,
        first_login_time: raw.first_login_time.unwrap_or(0),
    })
}

/// Encodes a frame for the wire the way the stock server writes it.
pub fn encode(frame: &Protocal) -> Utf8Bytes {
    Utf8Bytes::from(frame.encode_as_server())
}

/// The fingerprint a QoS frame is tracked by, if it is a QoS frame with one.
pub fn qos_fp(frame: &Protocal) -> Option<&str> {
    frame.fp.as_deref().filter(|_| frame.qos)
}

fn built(kind: i32, data_content: Option<String>, to: &str) -> Protocal {
    let mut frame = Protocal::new(kind, data_content, SERVER_UID, to);
    frame.sm = Some(BUILT_SM);
    frame
}

/// Type 50 with code 0 and the first-login time the client should send on relogin.
pub fn login_ok(uid: &str, first_login_time: i64) -> Protocal {
    let response = LoginResponse {
        code: 0,
        first_login_time,
    };
    built(ProtocalType::RESPONSE_LOGIN, Some(response.to_json()), uid)
}

/// Type 50 with the verifier's failure code, addressed to `"-1"`.
pub fn login_failed(code: i32) -> Protocal {
    let response = LoginResponse {
        code,
        first_login_time: -1,
    };
    built(
        ProtocalType::RESPONSE_LOGIN,
        Some(response.to_json()),
        UNSET_UID,
    )
}

/// Type 51, the keep-alive reply for `uid`.
pub fn keep_alive_reply(uid: &str) -> Protocal {
    built(ProtocalType::RESPONSE_KEEP_ALIVE, Some("{}".into()), uid)
}

/// Type 52 with error 301 for a packet that needs a login; the message is the packet's JSON.
pub fn not_logged_in(rejected: &Protocal) -> Protocal {
    let error = ErrorResponse {
        error_code: mobileimsdk_wasm::protocol::error_code::RESPONSE_FOR_UNLOGIN,
        error_msg: Some(rejected.encode_as_server()),
    };
    built(
        ProtocalType::RESPONSE_FOR_ERROR,
        Some(error.to_json()),
        UNSET_UID,
    )
}

/// Type 54 telling `uid` it was kicked for `code`.
pub fn kickout(uid: &str, code: i32) -> Protocal {
    let info = KickoutInfo { code, reason: None };
    built(ProtocalType::KICKOUT, Some(info.to_json()), uid)
}

/// The server's type-4 acknowledgement of `received`: from its receiver (`"0"` for C2S), to its
/// sender, carrying its fingerprint and `bridge` flag.
pub fn ack(received: &Protocal) -> Protocal {
    let mut frame = Protocal::ack_for(received, &received.to);
    frame.sm = Some(BUILT_SM);
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_take_java_zero_values() {
        let frame = decode(r#"{"type":2,"dataContent":"x","from":"a","to":"b"}"#).unwrap();
        assert_eq!(frame.typeu, 0);
        assert_eq!(
            encode(&frame).as_str(),
            r#"{"bridge":false,"type":2,"dataContent":"x","from":"a","to":"b","QoS":false,"typeu":0,"sm":0}"#
        );
    }

    #[test]
    fn nulls_for_primitives_are_ignored_like_gson() {
        let frame = decode(r#"{"type":null,"typeu":null,"QoS":null,"bridge":null}"#).unwrap();
        assert_eq!((frame.kind, frame.typeu, frame.qos), (0, 0, false));
    }

    #[test]
    fn rejects_what_gson_throws_on() {
        for text in [
            "null",
            "[]",
            "nope",
            r#"{"dataContent":{}}"#,
            r#"{"type":1} x"#,
        ] {
            assert!(decode(text).is_err(), "{text}");
        }
    }

    #[test]
    fn login_needs_a_user_id() {
        let login = |content: Option<&str>| {
            let frame = Protocal::new(0, content.map(str::to_owned), "a", "0");
            decode_login(&frame).map(|info| (info.login_user_id, info.first_login_time))
        };
        assert_eq!(
            login(Some(r#"{"loginUserId":"a","firstLoginTime":null}"#)),
            Some(("a".into(), 0))
        );
        assert_eq!(login(Some(r#"{"loginToken":"t"}"#)), None);
        assert_eq!(login(Some(r#"{"loginUserId":null}"#)), None);
        assert_eq!(login(Some(r#"{"loginUserId":"a","extra":{}}"#)), None);
        assert_eq!(login(Some("nope")), None);
        assert_eq!(login(Some(r#"["a","t",null,0]"#)), None);
        assert_eq!(login(None), None);
    }

    #[test]
    fn built_frames_match_the_captures() {
        assert_eq!(
            encode(&keep_alive_reply("alice")).as_str(),
            r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
        );
        assert_eq!(
            encode(&kickout("bob", 1)).as_str(),
            r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"bob","QoS":false,"typeu":-1,"sm":-1}"#
        );
    }
}
