//! JSON writing for flat objects, in the client's or the stock server's style.

use super::{ALWAYS, GSON, NEEDS_ESCAPE};

/// How strings are escaped and nulls are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As a client (`JSON.stringify`): nulls written, only the required escapes.
    Client,
    /// As the stock server (Gson defaults): nulls left out, `<>&='` and U+2028/U+2029 escaped.
    Gson,
}

/// Writes one JSON object, field by field.
pub struct ObjectWriter {
    out: String,
    style: Style,
    empty: bool,
}

impl ObjectWriter {
    /// Starts an object.
    pub fn new(style: Style) -> Self {
        Self::with_capacity(style, 64)
    }

    /// Starts an object in a buffer sized for `capacity` bytes (fewer reallocations).
    pub fn with_capacity(style: Style, capacity: usize) -> Self {
        Self::continuing(String::with_capacity(capacity), style)
    }

    /// Starts an object at the end of `out` (for nesting).
    pub fn continuing(mut out: String, style: Style) -> Self {
        out.push('{');
        Self {
            out,
            style,
            empty: true,
        }
    }

    /// A string field; `None` is `null` (left out in [`Style::Gson`]).
    pub fn string(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => {
                self.name(name);
                write_string(&mut self.out, value, self.style);
            }
            None => self.null(name),
        }
        self
    }

    /// An integer field.
    pub fn int(&mut self, name: &'static str, value: i64) -> &mut Self {
        self.name(name);
        push_int(&mut self.out, value);
        self
    }

    /// A boolean field.
    pub fn bool(&mut self, name: &'static str, value: bool) -> &mut Self {
        self.name(name);
        // Two constant copies: a copy of a variable length is a `memory.copy` in wasm.
        if value {
            self.out.push_str("true");
        } else {
            self.out.push_str("false");
        }
        self
    }

    /// A field whose value is JSON text written by `value` (an object or array).
    pub fn raw(&mut self, name: &'static str, value: impl FnOnce(&mut String)) -> &mut Self {
        self.name(name);
        value(&mut self.out);
        self
    }

    /// Closes the object and returns the text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }

    fn null(&mut self, name: &'static str) {
        if self.style == Style::Client {
            self.name(name);
            self.out.push_str("null");
        }
    }

    /// Writes `"name":`. Field names are identifiers fixed in the code, so they are copied as
    /// they are, without an escape scan.
    fn name(&mut self, name: &'static str) {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        if !std::mem::replace(&mut self.empty, false) {
            self.out.push(',');
        }
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }
}

/// `value` in decimal. The SDK builds its text by concatenation: the formatting machinery would
/// cost the wasm several kilobytes.
pub fn int_text(value: i64) -> String {
    let mut out = String::new();
    push_int(&mut out, value);
    out
}

/// Appends `value` in decimal without the formatting machinery.
pub fn push_int(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_digits(out, value.unsigned_abs());
}

/// How many bytes [`push_int`] writes for `value`.
pub fn int_len(value: i64) -> usize {
    let mut digits = 1;
    let mut rest = value.unsigned_abs();
    while rest >= 10 {
        rest /= 10;
        digits += 1;
    }
    digits + usize::from(value < 0)
}

/// How many bytes `value` takes written as a [`Style::Client`] JSON string, quotes included:
/// what the writer would write, counted without writing it.
pub fn client_string_len(value: &str) -> usize {
    let bytes = value.as_bytes();
    let mut length = bytes.len() + 2;
    let mut index = skip_plain_words(bytes, 0);
    while index < bytes.len() {
        let byte = bytes[index];
        if NEEDS_ESCAPE[usize::from(byte)] & ALWAYS != 0 {
            length += match byte {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                // `\u00XX` for the other control characters.
                _ => 5,
            };
        }
        index = skip_plain_words(bytes, index + 1);
    }
    length
}

/// Appends `value`'s digits, most significant first.
fn push_digits(out: &mut String, value: u64) {
    if value >= 10 {
        push_digits(out, value / 10);
    }
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// Appends `"name":value` for a string field: `name` is the field's name with its quotes, colon
/// and the comma before it (one constant copy); `None` is `null` (left out in [`Style::Gson`]).
pub fn push_string_field(out: &mut String, name: &str, value: Option<&str>, style: Style) {
    match value {
        Some(value) => {
            out.push_str(name);
            write_string(out, value, style);
        }
        None if style == Style::Client => {
            out.push_str(name);
            out.push_str("null");
        }
        None => {}
    }
}

/// Writes `value` as a JSON string: the runs that need no escape are copied whole, and each
/// short escape is a constant (a copy of a variable length would be a `memcpy` call).
fn write_string(out: &mut String, value: &str, style: Style) {
    let flags = if style == Style::Gson {
        ALWAYS | GSON
    } else {
        ALWAYS
    };
    out.reserve(value.len() + 2);
    out.push('"');
    let bytes = value.as_bytes();
    let mut clean_from = 0;
    let mut index = 0;
    while index < bytes.len() {
        if style == Style::Client {
            index = skip_plain_words(bytes, index);
            if index == bytes.len() {
                break;
            }
        }
        let byte = bytes[index];
        if NEEDS_ESCAPE[usize::from(byte)] & flags == 0 {
            index += 1;
            continue;
        }
        // Every flagged byte is ASCII or starts a character, so `index` is a boundary.
        let run = &value[clean_from..index];
        if byte == b'"' || byte == b'\\' {
            // The character itself starts the next run: only a backslash goes before it (one
            // copy less per escape; a JSON text inside a string has many quotes).
            out.push_str(run);
            out.push('\\');
            clean_from = index;
            index += 1;
            continue;
        }
        let length = match byte {
            b'\n' => push_escape(out, run, "\\n"),
            b'\r' => push_escape(out, run, "\\r"),
            b'\t' => push_escape(out, run, "\\t"),
            0x08 => push_escape(out, run, "\\b"),
            0x0c => push_escape(out, run, "\\f"),
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            0xE2 => match bytes.get(index + 1..index + 3) {
                Some([0x80, 0xA8]) => push_unicode_escape(out, run, '\u{2028}'),
                Some([0x80, 0xA9]) => push_unicode_escape(out, run, '\u{2029}'),
                _ => {
                    index += 1;
                    continue;
                }
            },
            // The other control characters and, in Gson style, `<>&='`.
            byte => push_unicode_escape(out, run, char::from(byte)),
        };
        index += length;
        clean_from = index;
    }
    out.push_str(&value[clean_from..]);
    out.push('"');
}

/// Skips the 8-byte words of `bytes` from `index` on that hold no byte a [`Style::Client`]
/// string escapes (`"`, `\`, control characters), testing each word at once: returns the
/// index of the first such byte, or of the last bytes that make no whole word (or the end).
fn skip_plain_words(bytes: &[u8], mut index: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    /// The high bit of each byte of `word` below `limit` (at most 128); exact up to the first.
    const fn below(word: u64, limit: u8) -> u64 {
        word.wrapping_sub(ONES * limit as u64) & !word & HIGH
    }
    while let Some(word) = bytes.get(index..).and_then(<[u8]>::first_chunk) {
        let word = u64::from_le_bytes(*word);
        let found = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if found != 0 {
            return index + (found.trailing_zeros() / 8) as usize;
        }
        index += 8;
    }
    index
}

/// Appends `run` and then `escape`, a backslash and a letter; returns 1, the length of the
/// escaped character.
#[inline(always)]
fn push_escape(out: &mut String, run: &str, escape: &'static str) -> usize {
    out.push_str(run);
    out.push_str(escape);
    1
}

/// Appends `run` and then `ch` as `\\uXXXX`; returns the UTF-8 length of `ch`.
fn push_unicode_escape(out: &mut String, run: &str, ch: char) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str(run);
    let code = ch as u32;
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
    }
    ch.len_utf8()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_style_writes_nulls_and_plain_html_characters() {
        let mut w = ObjectWriter::new(Style::Client);
        w.string("a", Some("x<y\"\n\u{1}"))
            .string("b", None)
            .int("c", -42)
            .bool("d", true);
        assert_eq!(
            w.finish(),
            r#"{"a":"x<y\"\n\u0001","b":null,"c":-42,"d":true}"#
        );
    }

    #[test]
    fn gson_style_leaves_nulls_out_and_escapes_html_characters() {
        let mut w = ObjectWriter::new(Style::Gson);
        w.string("a", None)
            .string("b", Some("<a href='x'>&=\u{2028}"))
            .int("c", i64::MIN);
        assert_eq!(
            w.finish(),
            r#"{"b":"\u003ca href\u003d\u0027x\u0027\u003e\u0026\u003d\u2028","c":-9223372036854775808}"#
        );
    }

    fn written(value: &str, style: Style) -> String {
        let mut out = String::new();
        write_string(&mut out, value, style);
        out
    }

    #[test]
    fn writes_empty_plain_and_all_escape_strings() {
        for style in [Style::Client, Style::Gson] {
            assert_eq!(written("", style), r#""""#);
            assert_eq!(written("plain é 😀", style), "\"plain é 😀\"");
            assert_eq!(
                written("\"\\\n\r\t\u{8}\u{c}\u{0}\u{1f}", style),
                r#""\"\\\n\r\t\b\f\u0000\u001f""#
            );
        }
    }

    #[test]
    fn short_and_long_runs_around_an_escape_are_written_as_json_stringify_does() {
        // Runs of every length before and after every kind of escape.
        for length in 0..20 {
            for at in 0..=length {
                for special in ['"', '\\', '\n', '\u{1}', 'é', '😀'] {
                    let text: String = (0..length)
                        .map(|i| if i % 5 == 4 { 'ü' } else { 'x' })
                        .take(at)
                        .chain([special])
                        .chain((at..length).map(|_| 'y'))
                        .collect();
                    let expected = serde_json::to_string(&text).expect("a string serializes");
                    assert_eq!(written(&text, Style::Client), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn every_ascii_character_at_every_place_of_two_words_is_written_as_json_stringify_does() {
        // The client style tests eight bytes at once: each character beside the others, among
        // plain ASCII and among multi-byte characters.
        for filler in ['a', 'é'] {
            for code in 0..=0x7f_u8 {
                for at in 0..17 {
                    let mut text: Vec<char> = vec![filler; 17];
                    text[at] = char::from(code);
                    let text: String = text.into_iter().collect();
                    let expected = serde_json::to_string(&text).expect("a string serializes");
                    assert_eq!(written(&text, Style::Client), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn escapes_line_separators_only_in_gson_style_and_only_whole() {
        let value = "\u{2028}a\u{2029}\u{2027}\u{20ac}\u{e2}<";
        assert_eq!(written(value, Style::Client), format!("\"{value}\""));
        assert_eq!(
            written(value, Style::Gson),
            "\"\\u2028a\\u2029\u{2027}\u{20ac}\u{e2}\\u003c\""
        );
        assert_eq!(written("\u{2029}", Style::Gson), r#""\u2029""#);
    }
}
