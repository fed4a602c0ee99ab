//! What the JS glue passes for a login, a sent message or an inbound frame: numbers in the
//! fields, texts in the text buffer, cut and checked here (docs/client-behaviour.md §11).

use crate::ascii::AsciiText;
use crate::protocol::{LoginInfo, ProtocalRef, UNSET_UID};

/// How many numbers the fields hold; the glue writes them, by these indices, before a call.
pub const FIELD_COUNT: usize = 8;
/// A message's flags: [`BRIDGE`] and [`QOS`].
pub const FIELD_FLAGS: usize = 0;
/// A message's `type`.
pub const FIELD_TYPE: usize = 1;
/// A message's `typeu`.
pub const FIELD_TYPEU: usize = 2;
/// How many bytes of the text buffer were written.
pub const FIELD_WRITTEN: usize = 3;
/// The JS lengths (UTF-16 units, −1 for `null`) of `dataContent`, `from`, `to` and `fp`, in
/// that order, as written joined in the text buffer (a login's: user id, token, extra, URL).
pub const FIELD_LENGTHS: usize = 4;
/// After `send` accepted a message: its send id, the low 32 bits here and the high ones next.
pub const FIELD_SENT_ID: usize = 0;
/// After `send` accepted a message: 1 if the core wrote the logged-in user as its `from`.
pub const FIELD_SENT_FROM_USER: usize = 2;

/// The bits of a message's flags.
const BRIDGE: i32 = 1;
/// See [`BRIDGE`].
const QOS: i32 = 2;

/// The numbers the glue wrote for one call.
pub(super) type Fields = [i32; FIELD_COUNT];

/// The lengths of the four text fields.
fn lengths(fields: &Fields) -> [i32; 4] {
    let mut lengths = [0; 4];
    lengths.copy_from_slice(&fields[FIELD_LENGTHS..]);
    lengths
}

/// The texts the fields say were written, cut into their four parts (see [`cut_ascii`]);
/// `None` when the lengths do not fit, or the bytes are more than the buffer holds or not
/// UTF-8 (`encodeInto` writes only UTF-8: then the glue wrote elsewhere).
fn written_parts<'t>(buffer: &'t [u8], fields: &Fields) -> Option<[Option<&'t str>; 4]> {
    let bytes = buffer.get(..usize::try_from(fields[FIELD_WRITTEN]).ok()?)?;
    match AsciiText::new(bytes) {
        Some(ascii) => cut_ascii(ascii, lengths(fields)),
        None => cut_utf16(std::str::from_utf8(bytes).ok()?, lengths(fields)),
    }
}

/// Cuts `texts`, four parts joined by one separator character (which keeps a lone surrogate at
/// the end of one part from pairing with one at the start of the next), into the parts of the
/// given JS string lengths (UTF-16 code units); a negative length is an absent part. `None`
/// when the lengths do not fit `texts`. In ASCII a UTF-16 unit is a byte, so the parts are cut
/// by arithmetic alone, in straight-line code: a loop over the four, its state kept in memory,
/// took 343 wasm instructions for a received frame's texts against 184, which iOS interprets
/// (docs/performance.md, "Counted wasm instructions").
fn cut_ascii(
    texts: AsciiText<'_>,
    [first, second, third, fourth]: [i32; 4],
) -> Option<[Option<&str>; 4]> {
    let mut at = 0;
    let parts = [
        next_part(texts, &mut at, first)?,
        next_part(texts, &mut at, second)?,
        next_part(texts, &mut at, third)?,
        next_part(texts, &mut at, fourth)?,
    ];
    (at == texts.len() + 1).then_some(parts)
}

/// The part of `texts` of `length` bytes from `at` (absent for a negative length); moves `at`
/// past it and the separator after it. `None` past the end.
fn next_part<'t>(texts: AsciiText<'t>, at: &mut usize, length: i32) -> Option<Option<&'t str>> {
    let start = *at;
    let part = match usize::try_from(length) {
        Ok(units) => Some(texts.part(start, start + units)?),
        Err(_) => None,
    };
    *at = start + part.map_or(0, str::len) + 1;
    Some(part)
}

/// [`cut_ascii`] for text that is not all ASCII: each part's end found by counting its
/// characters' UTF-16 units.
fn cut_utf16(texts: &str, lengths: [i32; 4]) -> Option<[Option<&str>; 4]> {
    let mut parts = [None; 4];
    let mut start = 0;
    let mut index = 0;
    while index < 4 {
        if index > 0 {
            start += texts.get(start..)?.chars().next()?.len_utf8();
        }
        if let Ok(units) = usize::try_from(lengths[index]) {
            let end = start + utf8_length(texts.get(start..)?, units)?;
            parts[index] = Some(texts.get(start..end)?);
            start = end;
        }
        index += 1;
    }
    (start == texts.len()).then_some(parts)
}

/// The UTF-8 length of the first `units` UTF-16 code units of `text`; `None` if `text` is
/// shorter or they end inside a character.
fn utf8_length(text: &str, units: usize) -> Option<usize> {
    let (mut counted, mut end) = (0, 0);
    for ch in text.chars() {
        if counted >= units {
            break;
        }
        counted += ch.len_utf16();
        end += ch.len_utf8();
    }
    (counted == units).then_some(end)
}

/// The first `written` bytes of the text buffer as text; `None` if they are more than the
/// buffer holds or not UTF-8. ASCII (an ack's fp, nearly always) is not validated again.
pub(super) fn text_prefix(buffer: &[u8], written: u32) -> Option<&str> {
    let bytes = buffer.get(..usize::try_from(written).ok()?)?;
    match AsciiText::new(bytes) {
        Some(ascii) => Some(ascii.as_str()),
        None => std::str::from_utf8(bytes).ok(),
    }
}

/// The login info and URL the JS glue wrote: `loginUserId`, `loginToken`, `extra` and the URL
/// as a message's four texts (see [`ImClient::login`](super::ImClient::login)); `None` if the
/// lengths do not fit the texts or the user id or the URL is absent.
pub(super) fn login_texts(
    buffer: &[u8],
    fields: &Fields,
    first_login_time: i64,
) -> Option<(LoginInfo, String)> {
    let [user_id, token, extra, url] = written_parts(buffer, fields)?;
    let info = LoginInfo {
        login_user_id: user_id?.to_owned(),
        login_token: token.map(str::to_owned),
        extra: extra.map(str::to_owned),
        first_login_time,
    };
    Some((info, url?.to_owned()))
}

/// Writes a generated fingerprint to the start of the text buffer, after its length in one
/// byte (see [`ImClient::send`](super::ImClient::send)). The glue keeps the buffer longer than
/// any generated one.
pub(super) fn write_fingerprint(buffer: &mut [u8], fp: &str) {
    if let Some((length, text)) = buffer
        .get_mut(..=fp.len())
        .and_then(|slot| slot.split_first_mut())
    {
        *length = fp.len() as u8;
        text.copy_from_slice(fp.as_bytes());
    }
}

/// The message of a `send` or `frame` call, borrowing the text buffer; `None` when the lengths
/// do not fit the texts written.
pub(super) fn message<'t>(buffer: &'t [u8], fields: &Fields) -> Option<ProtocalRef<'t>> {
    let [data_content, from, to, fp] = written_parts(buffer, fields)?;
    let flags = fields[FIELD_FLAGS];
    Some(ProtocalRef {
        bridge: flags & BRIDGE != 0,
        kind: fields[FIELD_TYPE],
        data_content,
        from: from.unwrap_or(UNSET_UID),
        to: to.unwrap_or(UNSET_UID),
        fp,
        qos: flags & QOS != 0,
        typeu: fields[FIELD_TYPEU],
        sm: None,
    })
}
