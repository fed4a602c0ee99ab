//! The `Protocal` frame (original spelling, as on the wire) and its two encodings.

use super::json::{
    client_string_len, int_len, push_int, push_string_field, read_object, ObjectReader, Style,
};
use super::{DecodeError, LoginInfo, ProtocalType};

/// The user id that stands for the server (`"0"`).
pub const SERVER_UID: &str = "0";
/// The user id that stands for "unset" (`"-1"`).
pub const UNSET_UID: &str = "-1";

/// One MobileIMSDK packet: the JSON object carried by each WebSocket text frame.
///
/// Field names follow correct English; the wire names are `bridge`, `type`, `dataContent`,
/// `from`, `to`, `fp`, `QoS`, `typeu` and `sm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocal {
    /// Server-side MQ bridging flag; clients leave it `false`.
    pub bridge: bool,
    /// Framework packet type (see [`ProtocalType`]).
    pub kind: i32,
    /// Payload: an app string, a JSON-encoded framework DTO, or an acknowledged fingerprint.
    pub data_content: Option<String>,
    /// Sender user id (`"0"` is the server).
    pub from: String,
    /// Receiver user id (`"0"` is the server).
    pub to: String,
    /// Fingerprint (message id); present when `qos` is set.
    pub fp: Option<String>,
    /// Whether delivery is acknowledged, retried and de-duplicated.
    pub qos: bool,
    /// App-level message type; `-1` means undefined.
    pub typeu: i32,
    /// Server send timestamp in ms, when the server sent one.
    pub sm: Option<i64>,
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
            typeu: -1,
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
        ProtocalRef::from(received).ack(own_uid).to_frame()
    }

    /// Decodes one frame of text, refusing frames longer than `limit` bytes.
    ///
    /// Absent keys take the stock defaults (`from`/`to` `"-1"`, `typeu` -1); `null` is accepted
    /// wherever the stock server may write nothing; unknown keys are skipped.
    pub fn decode(text: &str, limit: usize) -> Result<Self, DecodeError> {
        if text.len() > limit {
            return Err(DecodeError::TooLarge {
                len: text.len(),
                limit,
            });
        }
        // `from` and `to` are read aside, so that "-1" is allocated only for an absent one.
        let mut frame = Self::new(0, None, "", "");
        let (mut from, mut to) = (None, None);
        read_object(text, &mut |name, reader| match name {
            "from" => read_uid(&mut from, reader),
            "to" => read_uid(&mut to, reader),
            _ => frame.read_field(name, reader),
        })?;
        frame.from = uid_or_unset(from);
        frame.to = uid_or_unset(to);
        Ok(frame)
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
        ProtocalRef::from(self).encode()
    }

    /// Encodes as the stock server writes it: Gson field order, nulls left out, HTML-sensitive
    /// characters escaped, and `sm` always present (`0` where the frame had none).
    pub fn encode_as_server(&self) -> String {
        let frame = ProtocalRef::from(self);
        frame.write(String::with_capacity(frame.size_hint()), Style::Gson)
    }

    /// Appends this frame as a client-style JSON object to `out`.
    pub fn write_to(&self, out: String) -> String {
        ProtocalRef::from(self).write(out, Style::Client)
    }

    /// Parses `dataContent` as the JSON payload of a framework packet.
    pub fn payload<T: Payload>(&self) -> Result<T, DecodeError> {
        ProtocalRef::from(self).payload()
    }

    /// About the length of the encoded frame: the strings plus the field names and numbers.
    pub fn size_hint(&self) -> usize {
        ProtocalRef::from(self).size_hint()
    }

    fn read_field(&mut self, name: &str, reader: &mut ObjectReader<'_>) -> Result<(), DecodeError> {
        match name {
            "bridge" => self.bridge = reader.bool()?,
            "type" => self.kind = reader.i32()?,
            "dataContent" => self.data_content = reader.optional_string()?,
            "fp" => self.fp = reader.optional_string()?,
            "QoS" => self.qos = reader.bool()?,
            "typeu" => self.typeu = reader.i32()?,
            "sm" => self.sm = reader.optional_i64()?,
            _ => reader.skip()?,
        }
        Ok(())
    }
}

/// Reads a `from` or `to` user id (`None` for `null`).
fn read_uid(uid: &mut Option<String>, reader: &mut ObjectReader<'_>) -> Result<(), DecodeError> {
    *uid = reader.optional_string()?;
    Ok(())
}

fn uid_or_unset(uid: Option<String>) -> String {
    uid.unwrap_or_else(|| UNSET_UID.to_owned())
}

/// A frame with borrowed text fields (see [`Protocal`] for their meaning), in the order both
/// sides write them: what a frame is encoded from, and what the client sends without copying
/// the caller's strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocalRef<'a> {
    /// Server-side MQ bridging flag.
    pub bridge: bool,
    /// Framework packet type (see [`ProtocalType`]).
    pub kind: i32,
    /// Payload.
    pub data_content: Option<&'a str>,
    /// Sender user id.
    pub from: &'a str,
    /// Receiver user id.
    pub to: &'a str,
    /// Fingerprint (message id).
    pub fp: Option<&'a str>,
    /// Whether delivery is acknowledged, retried and de-duplicated.
    pub qos: bool,
    /// App-level message type; `-1` means undefined.
    pub typeu: i32,
    /// Server send timestamp in ms.
    pub sm: Option<i64>,
}

impl<'a> From<&'a Protocal> for ProtocalRef<'a> {
    fn from(frame: &'a Protocal) -> Self {
        Self {
            bridge: frame.bridge,
            kind: frame.kind,
            data_content: frame.data_content.as_deref(),
            from: &frame.from,
            to: &frame.to,
            fp: frame.fp.as_deref(),
            qos: frame.qos,
            typeu: frame.typeu,
            sm: frame.sm,
        }
    }
}

impl ProtocalRef<'static> {
    /// A frame of `kind` with every text field absent, no flags and `typeu` −1: the start of one
    /// whose caller fills in the few fields it has.
    pub const fn bare(kind: i32) -> Self {
        Self {
            bridge: false,
            kind,
            data_content: None,
            from: UNSET_UID,
            to: UNSET_UID,
            fp: None,
            qos: false,
            typeu: -1,
            sm: None,
        }
    }
}

impl<'a> ProtocalRef<'a> {
    /// The acknowledgement (type 4) that `own_uid` sends for this frame: its fp as content, to
    /// its sender, with its bridge flag.
    pub fn ack<'b>(&'b self, own_uid: &'b str) -> ProtocalRef<'b> {
        ProtocalRef {
            bridge: self.bridge,
            kind: ProtocalType::RECEIVED,
            data_content: self.fp,
            from: own_uid,
            to: self.from,
            fp: None,
            qos: false,
            typeu: -1,
            sm: None,
        }
    }

    /// Parses `dataContent` as the JSON payload of a framework packet.
    pub fn payload<T: Payload>(&self) -> Result<T, DecodeError> {
        let content = self
            .data_content
            .ok_or(DecodeError::MissingContent(self.kind))?;
        T::from_json(content)
    }

    /// Encodes as a client sends it (see [`Protocal::encode`]).
    pub fn encode(&self) -> String {
        self.write(String::with_capacity(self.size_hint()), Style::Client)
    }

    /// About the length of the encoded frame: the strings plus the field names and numbers.
    pub fn size_hint(&self) -> usize {
        let texts = [self.data_content, Some(self.from), Some(self.to), self.fp];
        texts.into_iter().flatten().map(str::len).sum::<usize>() + 128
    }

    /// The owned frame.
    pub fn to_frame(&self) -> Protocal {
        Protocal {
            bridge: self.bridge,
            kind: self.kind,
            data_content: self.data_content.map(str::to_owned),
            from: self.from.to_owned(),
            to: self.to.to_owned(),
            fp: self.fp.map(str::to_owned),
            qos: self.qos,
            typeu: self.typeu,
            sm: self.sm,
        }
    }

    /// The length of [`encode`](Self::encode)'s text, counted without writing it, with
    /// `content_json` bytes for `dataContent` as written (`null` included): a host that writes
    /// the frame itself measures its own text of the content (`Client::send_held`).
    pub fn encoded_len(&self, content_json: usize) -> usize {
        self.len_with(content_json, |value| value.map_or(4, client_string_len))
    }

    /// At least [`encoded_len`](Self::encoded_len), counted without a pass over the texts: as
    /// if each of their bytes were escaped to six (`\u00XX`). Enough to pass a size limit that
    /// this is below, for less than the count: the SDK runs interpreted on iOS.
    pub fn encoded_len_bound(&self, content_json: usize) -> usize {
        self.len_with(content_json, |value| {
            value.map_or(4, |text| 2 + 6 * text.len())
        })
    }

    /// The frame's length with `content_json` bytes of content and `string(text)` for each other
    /// text field written.
    fn len_with(&self, content_json: usize, string: impl Fn(Option<&str>) -> usize) -> usize {
        let fixed = if self.bridge {
            r#"{"bridge":true,"type":"#.len()
        } else {
            r#"{"bridge":false,"type":"#.len()
        } + r#","dataContent":"#.len()
            + r#","from":"#.len()
            + r#","to":"#.len()
            + r#","fp":"#.len()
            + if self.qos {
                r#","QoS":true,"typeu":"#.len()
            } else {
                r#","QoS":false,"typeu":"#.len()
            }
            + 1;
        fixed
            + int_len(self.kind.into())
            + int_len(self.typeu.into())
            + content_json
            + string(Some(self.from))
            + string(Some(self.to))
            + string(self.fp)
    }

    /// Appends the frame to `out` as a JSON object in `style`, in the stock field order. Each
    /// field name is written with its quotes, colon and separator as one constant: the frame's
    /// shape is fixed, and sends are the SDK's hot path.
    fn write(&self, mut out: String, style: Style) -> String {
        out.push_str(if self.bridge {
            r#"{"bridge":true,"type":"#
        } else {
            r#"{"bridge":false,"type":"#
        });
        push_int(&mut out, self.kind.into());
        push_string_field(&mut out, r#","dataContent":"#, self.data_content, style);
        push_string_field(&mut out, r#","from":"#, Some(self.from), style);
        push_string_field(&mut out, r#","to":"#, Some(self.to), style);
        push_string_field(&mut out, r#","fp":"#, self.fp, style);
        out.push_str(if self.qos {
            r#","QoS":true,"typeu":"#
        } else {
            r#","QoS":false,"typeu":"#
        });
        push_int(&mut out, self.typeu.into());
        if style == Style::Gson {
            out.push_str(r#","sm":"#);
            push_int(&mut out, self.sm.unwrap_or(0));
        }
        out.push('}');
        out
    }
}

/// A framework payload carried as JSON inside `dataContent`.
pub trait Payload: Sized {
    /// Parses the payload's JSON text.
    fn from_json(text: &str) -> Result<Self, DecodeError>;
}
