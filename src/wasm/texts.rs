//! The text buffer's contents: the texts and numbers the JS glue passes for a login, a sent
//! message or an inbound frame, cut and checked here (docs/client-behaviour.md §11).

use crate::protocol::{LoginInfo, Payload, ProtocalRef, UNSET_UID};

/// The bits of a message's `flags`.
pub(super) const BRIDGE: u8 = 1;
/// See [`BRIDGE`].
pub(super) const QOS: u8 = 2;

/// Cuts `texts`, four parts joined by one separator character (which keeps a lone surrogate at
/// the end of one part from pairing with one at the start of the next), into the parts of the
/// given JS string lengths (UTF-16 code units); a negative length is an absent part. `None`
/// when the lengths do not fit `texts`.
fn cut_utf16(texts: &str, lengths: [i32; 4]) -> Option<[Option<&str>; 4]> {
    // In ASCII text, UTF-16 units and UTF-8 bytes are the same count.
    let ascii = texts.is_ascii();
    let mut parts = [None; 4];
    let mut rest = texts;
    for (index, (part, length)) in parts.iter_mut().zip(lengths).enumerate() {
        if index > 0 {
            let mut chars = rest.chars();
            chars.next()?;
            rest = chars.as_str();
        }
        let Ok(units) = usize::try_from(length) else {
            continue;
        };
        let end = if ascii {
            units
        } else {
            utf8_length(rest, units)?
        };
        let (text, tail) = rest.split_at_checked(end)?;
        *part = Some(text);
        rest = tail;
    }
    rest.is_empty().then_some(parts)
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
/// buffer holds or not UTF-8 (`encodeInto` writes only UTF-8: then the glue wrote elsewhere).
pub(super) fn written_text(buffer: &[u8], written: u32) -> Option<&str> {
    let bytes = buffer.get(..usize::try_from(written).ok()?)?;
    std::str::from_utf8(bytes).ok()
}

/// The login info and URL the JS glue wrote (see [`ImClient::login`]); `None` if the lengths
/// do not fit the texts or the info is not a login object.
pub(super) fn login_texts(
    buffer: &[u8],
    written: u32,
    info_len: u32,
) -> Option<(LoginInfo, String)> {
    let texts = written_text(buffer, written)?;
    let (info_json, url) = texts.split_at_checked(utf8_length(texts, info_len as usize)?)?;
    Some((LoginInfo::from_json(info_json).ok()?, url.to_owned()))
}

/// Writes a generated fingerprint to the start of the text buffer, after its length in one
/// byte (see [`ImClient::send`]). The glue keeps the buffer longer than any generated one.
pub(super) fn write_fingerprint(buffer: &mut [u8], fp: &str) {
    if let Some((length, text)) = buffer
        .get_mut(..=fp.len())
        .and_then(|slot| slot.split_first_mut())
    {
        *length = fp.len() as u8;
        text.copy_from_slice(fp.as_bytes());
    }
}

/// A message from the fields the JS glue passes (see [`ImClient::send`]), borrowing `texts`;
/// `None` when the lengths do not fit `texts`.
pub(super) fn message(
    flags: u8,
    kind: i32,
    typeu: i32,
    texts: &str,
    lengths: [i32; 4],
) -> Option<ProtocalRef<'_>> {
    let [data_content, from, to, fp] = cut_utf16(texts, lengths)?;
    Some(ProtocalRef {
        bridge: flags & BRIDGE != 0,
        kind,
        data_content,
        from: from.unwrap_or(UNSET_UID),
        to: to.unwrap_or(UNSET_UID),
        fp,
        qos: flags & QOS != 0,
        typeu,
        sm: None,
    })
}
