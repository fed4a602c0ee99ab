//! What the JS glue passes for a login, a sent message or an inbound frame: numbers in the
//! fields, texts in the text buffer, cut and checked here (docs/client-behaviour.md §11).

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

/// Cuts `texts`, four parts joined by one separator character (which keeps a lone surrogate at
/// the end of one part from pairing with one at the start of the next), into the parts of the
/// given JS string lengths (UTF-16 code units); a negative length is an absent part. `None`
/// when the lengths do not fit `texts`.
fn cut_utf16(texts: &str, lengths: [i32; 4]) -> Option<[Option<&str>; 4]> {
    // As many UTF-8 bytes as UTF-16 units (the parts' and the three separators'): ASCII, where
    // the two counts agree everywhere (any other character takes more bytes than units), so
    // the parts are cut by arithmetic alone: no pass over the text. Plain index loops: the
    // iterator adapters stayed out of line in the size-optimised wasm, which runs interpreted
    // on iOS (docs/performance.md, "Counted wasm instructions").
    let mut units: i64 = 3;
    let mut index = 0;
    while index < 4 {
        units += i64::from(lengths[index].max(0));
        index += 1;
    }
    let ascii = i64::try_from(texts.len()).is_ok_and(|bytes| bytes == units);
    let mut parts = [None; 4];
    let mut start = 0;
    let mut index = 0;
    while index < 4 {
        if index > 0 {
            start += if ascii {
                1
            } else {
                texts.get(start..)?.chars().next()?.len_utf8()
            };
        }
        if let Ok(units) = usize::try_from(lengths[index]) {
            let end = if ascii {
                start + units
            } else {
                start + utf8_length(texts.get(start..)?, units)?
            };
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

/// The bytes of the text buffer the fields say were written, as text; `None` if they are more
/// than the buffer holds or not UTF-8 (`encodeInto` writes only UTF-8: then the glue wrote
/// elsewhere).
fn written_text<'t>(buffer: &'t [u8], fields: &Fields) -> Option<&'t str> {
    text_prefix(buffer, u32::try_from(fields[FIELD_WRITTEN]).ok()?)
}

/// The first `written` bytes of the text buffer as text; `None` if they are more than the
/// buffer holds or not UTF-8.
pub(super) fn text_prefix(buffer: &[u8], written: u32) -> Option<&str> {
    let bytes = buffer.get(..usize::try_from(written).ok()?)?;
    std::str::from_utf8(bytes).ok()
}

/// The login info and URL the JS glue wrote: `loginUserId`, `loginToken`, `extra` and the URL
/// as a message's four texts (see [`ImClient::login`](super::ImClient::login)); `None` if the
/// lengths do not fit the texts or the user id or the URL is absent.
pub(super) fn login_texts(
    buffer: &[u8],
    fields: &Fields,
    first_login_time: i64,
) -> Option<(LoginInfo, String)> {
    let [user_id, token, extra, url] = cut_utf16(written_text(buffer, fields)?, lengths(fields))?;
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
    let [data_content, from, to, fp] = cut_utf16(written_text(buffer, fields)?, lengths(fields))?;
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
