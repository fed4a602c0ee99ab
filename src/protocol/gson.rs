//! JSON text as Gson writes it by default: HTML-sensitive characters escaped as `\uXXXX`.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io;

/// Characters Gson's default `HtmlSafe` mode writes as `\uXXXX` escapes.
const GSON_ESCAPED: [char; 7] = ['<', '>', '&', '=', '\'', '\u{2028}', '\u{2029}'];

/// Serializes `value` to compact JSON with Gson's default escaping (what the stock server's
/// `new Gson().toJson(..)` writes for a DTO with the same field order).
pub fn to_gson_string<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, GsonFormatter);
    value
        .serialize(&mut serializer)
        .expect("plain structs serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

struct GsonFormatter;

impl Formatter for GsonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(index) = rest.find(GSON_ESCAPED) {
            writer.write_all(&rest.as_bytes()[..index])?;
            let ch = rest[index..].chars().next().expect("found a char");
            write!(writer, "\\u{:04x}", ch as u32)?;
            rest = &rest[index + ch.len_utf8()..];
        }
        CompactFormatter.write_string_fragment(writer, rest)
    }
}
