//! Strict JSON reading: one object at a time, fields handed to a callback, unknown values skipped.

use std::borrow::Cow;

use super::{ALWAYS, NEEDS_ESCAPE};
use crate::protocol::DecodeError;

/// A cursor over one JSON text.
pub struct ObjectReader<'a> {
    text: &'a str,
    pos: usize,
}

/// Reads `text` as exactly one JSON object, calling `field(name, reader)` for each member; the
/// callback must consume the member's value (or call [`ObjectReader::skip`]). Names are borrowed
/// from `text` unless they contain escapes.
///
/// The callback is a trait object so that one copy of this function serves every payload type
/// (the size of the wasm matters more here than an indirect call per field).
pub fn read_object(
    text: &str,
    field: &mut dyn FnMut(&str, &mut ObjectReader<'_>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut reader = ObjectReader { text, pos: 0 };
    reader.expect(b'{')?;
    if !reader.eat(b'}') {
        loop {
            let name = reader.member_name()?;
            field(&name, &mut reader)?;
            if reader.eat(b'}') {
                break;
            }
            reader.expect(b',')?;
        }
    }
    reader.skip_whitespace();
    if reader.pos != reader.text.len() {
        return Err(invalid("trailing characters"));
    }
    Ok(())
}

fn invalid(what: &'static str) -> DecodeError {
    DecodeError::InvalidJson(what)
}

impl<'a> ObjectReader<'a> {
    /// A string value.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        self.str().map(Cow::into_owned)
    }

    /// A string value, borrowed from the text unless it contains escapes. With escapes, the
    /// string is built in one allocation, sized by the distance to its closing quote.
    fn str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        self.expect(b'"')?;
        let text = self.text;
        let mut unescaped: Option<String> = None;
        loop {
            let run = self.pos;
            // The stop bytes are ASCII, so the cursor stays on a character boundary.
            self.pos += text.as_bytes()[run..]
                .iter()
                .position(|&b| NEEDS_ESCAPE[usize::from(b)] & ALWAYS != 0)
                .ok_or(invalid("unterminated string"))?;
            let plain = &text[run..self.pos];
            match self.next_byte()? {
                b'"' => {
                    return Ok(match unescaped {
                        None => Cow::Borrowed(plain),
                        Some(mut out) => {
                            out.push_str(plain);
                            Cow::Owned(out)
                        }
                    })
                }
                b'\\' => {
                    let out = unescaped
                        .get_or_insert_with(|| String::with_capacity(self.closing_quote() - run));
                    out.push_str(plain);
                    out.push(self.escape()?);
                }
                _ => return Err(invalid("control character in string")),
            }
        }
    }

    /// A member's name and the colon after it.
    fn member_name(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let name = self.str()?;
        self.expect(b':')?;
        Ok(name)
    }

    /// Where the string ends whose escape starts just before the cursor: its closing quote (or
    /// the end of the text), found by stepping over escapes without checking them.
    fn closing_quote(&self) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = self.pos + 1;
        while let Some(&byte) = bytes.get(end).filter(|&&b| b != b'"') {
            end += if byte == b'\\' { 2 } else { 1 };
        }
        end.min(bytes.len())
    }

    /// A string or `null`.
    pub fn optional_string(&mut self) -> Result<Option<String>, DecodeError> {
        if self.eat_literal("null") {
            return Ok(None);
        }
        self.string().map(Some)
    }

    /// A boolean.
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        if self.eat_literal("true") {
            Ok(true)
        } else if self.eat_literal("false") {
            Ok(false)
        } else {
            Err(invalid("expected a boolean"))
        }
    }

    /// An integer that fits `i64` (no fraction, no exponent).
    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        self.skip_whitespace();
        let negative = self.eat_byte(b'-');
        let digits_start = self.pos;
        let mut magnitude: i64 = 0;
        while let Some(digit) = self.peek().filter(u8::is_ascii_digit) {
            self.pos += 1;
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_sub(i64::from(digit - b'0')))
                .ok_or(invalid("integer out of range"))?;
        }
        let digits = self.pos - digits_start;
        if digits == 0 || (digits > 1 && self.text.as_bytes()[digits_start] == b'0') {
            return Err(invalid("expected an integer"));
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return Err(invalid("expected an integer, found a fraction"));
        }
        if negative {
            Ok(magnitude)
        } else {
            magnitude
                .checked_neg()
                .ok_or(invalid("integer out of range"))
        }
    }

    /// An integer that fits `i32`.
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        i32::try_from(self.i64()?).map_err(|_| invalid("integer out of range"))
    }

    /// An integer or `null`.
    pub fn optional_i64(&mut self) -> Result<Option<i64>, DecodeError> {
        if self.eat_literal("null") {
            return Ok(None);
        }
        self.i64().map(Some)
    }

    /// Skips any JSON value, however deeply nested: the open brackets are kept on the heap
    /// (one byte each, bounded by the frame size limit), never on the call stack.
    pub fn skip(&mut self) -> Result<(), DecodeError> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek().ok_or(invalid("unexpected end"))? {
                b'{' | b'[' => {
                    let bracket = self.next_byte()?;
                    open.push(bracket);
                    let close = if bracket == b'{' { b'}' } else { b']' };
                    if self.eat(close) {
                        open.pop();
                    } else if bracket == b'{' {
                        self.member_name()?;
                        continue;
                    } else {
                        continue;
                    }
                }
                b'"' => {
                    self.str()?;
                }
                b't' | b'f' => {
                    self.bool()?;
                }
                b'n' => {
                    if !self.eat_literal("null") {
                        return Err(invalid("unexpected literal"));
                    }
                }
                _ => self.number()?,
            }
            // After a complete value: close finished containers, or move to the next member.
            loop {
                let Some(&bracket) = open.last() else {
                    return Ok(());
                };
                let close = if bracket == b'{' { b'}' } else { b']' };
                if self.eat(close) {
                    open.pop();
                    continue;
                }
                self.expect(b',')?;
                if bracket == b'{' {
                    self.member_name()?;
                }
                break;
            }
        }
    }

    fn number(&mut self) -> Result<(), DecodeError> {
        self.eat_byte(b'-');
        let int_start = self.pos;
        self.digits();
        let int_len = self.pos - int_start;
        if int_len == 0 || (int_len > 1 && self.text.as_bytes()[int_start] == b'0') {
            return Err(invalid("malformed number"));
        }
        if self.eat_byte(b'.') && self.digits() == 0 {
            return Err(invalid("malformed number"));
        }
        if self.eat_byte(b'e') || self.eat_byte(b'E') {
            if !self.eat_byte(b'+') {
                self.eat_byte(b'-');
            }
            if self.digits() == 0 {
                return Err(invalid("malformed number"));
            }
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn escape(&mut self) -> Result<char, DecodeError> {
        Ok(match self.next_byte()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first) {
                    if !(self.eat_byte(b'\\') && self.eat_byte(b'u')) {
                        return Err(invalid("unpaired surrogate"));
                    }
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(invalid("unpaired surrogate"));
                    }
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    char::from_u32(code).ok_or(invalid("invalid escape"))?
                } else {
                    char::from_u32(first).ok_or(invalid("unpaired surrogate"))?
                }
            }
            _ => return Err(invalid("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or(invalid("invalid escape"))?;
            self.pos += 1;
            code = code << 4 | digit;
        }
        Ok(code)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Result<u8, DecodeError> {
        let byte = self.peek().ok_or(invalid("unexpected end"))?;
        self.pos += 1;
        Ok(byte)
    }

    fn eat_byte(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        self.eat_byte(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(invalid("unexpected character"))
        }
    }

    fn eat_literal(&mut self, literal: &str) -> bool {
        self.skip_whitespace();
        let hit = self.text[self.pos..].starts_with(literal);
        if hit {
            self.pos += literal.len();
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
        let mut out = Vec::new();
        read_object(text, &mut |name, reader| {
            let value = match name {
                "s" => reader.optional_string()?.unwrap_or_else(|| "null".into()),
                "i" => reader.i64()?.to_string(),
                "b" => reader.bool()?.to_string(),
                _ => {
                    reader.skip()?;
                    "skipped".into()
                }
            };
            out.push((name.to_owned(), value));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn reads_strings_with_every_escape() {
        let got = fields(r#"{"s":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\u003c"}"#).unwrap();
        assert_eq!(got[0].1, "a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}<");
    }

    #[test]
    fn borrows_plain_names_and_values_and_unescapes_the_others() {
        let mut got = Vec::new();
        read_object(
            r#"{"plain":"","s\u0074":"\"\"","\\":"a\nb","":"\u00e9x"}"#,
            &mut |name, reader| {
                let value = reader.str()?;
                let borrowed = matches!(value, Cow::Borrowed(_));
                got.push((name.to_owned(), value.into_owned(), borrowed));
                Ok(())
            },
        )
        .unwrap();
        let expected = [
            ("plain", "", true),
            ("st", "\"\"", false),
            ("\\", "a\nb", false),
            ("", "\u{e9}x", false),
        ];
        for ((name, value, borrowed), want) in got.iter().zip(expected) {
            assert_eq!((name.as_str(), value.as_str(), *borrowed), want);
        }
        assert_eq!(got.len(), expected.len());
    }

    #[test]
    fn matches_escaped_names_like_plain_ones() {
        let got = fields(r#"{"\u0073":"a","\u0069":7,"b\u0000":true}"#).unwrap();
        assert_eq!(
            got,
            vec![
                ("s".into(), "a".into()),
                ("i".into(), "7".into()),
                ("b\0".into(), "skipped".into()),
            ]
        );
    }

    #[test]
    fn reads_strings_that_are_all_escapes() {
        let got = fields(r#"{"s":"\\\"\n\u0041\ud83d\ude00"}"#).unwrap();
        assert_eq!(got[0].1, "\\\"\nA\u{1F600}");
        let long = "\\\"".repeat(1000);
        let got = fields(&format!(r#"{{"s":"{long}"}}"#)).unwrap();
        assert_eq!(got[0].1, "\"".repeat(1000));
    }

    #[test]
    fn refuses_broken_strings_with_the_same_errors() {
        for (bad, why) in [
            (r#"{"s":"abc"#, "unterminated string"),
            (r#"{"s":"a\"#, "unexpected end"),
            (r#"{"s":"a\u12"#, "invalid escape"),
            (r#"{"s":"a\u12"}"#, "invalid escape"),
            (r#"{"s":"\u00g0"}"#, "invalid escape"),
            ("{\"s\":\"\\u00\u{e9}\"}", "invalid escape"),
            (r#"{"s":"\udc00"}"#, "unpaired surrogate"),
            (r#"{"s":"\ud800\u0041"}"#, "unpaired surrogate"),
            ("{\"s\":\"\\\\\n\"}", "control character in string"),
            (r#"{"\x":1}"#, "invalid escape"),
            (r#"{"i":1,"t"#, "unterminated string"),
        ] {
            assert_eq!(fields(bad), Err(DecodeError::InvalidJson(why)), "{bad:?}");
        }
    }

    #[test]
    fn reads_integers_at_the_edges_and_refuses_others() {
        assert_eq!(
            fields(r#"{"i":-9223372036854775808}"#).unwrap()[0].1,
            i64::MIN.to_string()
        );
        assert_eq!(
            fields(r#"{"i":9223372036854775807}"#).unwrap()[0].1,
            i64::MAX.to_string()
        );
        for bad in [
            r#"{"i":9223372036854775808}"#,
            r#"{"i":1.5}"#,
            r#"{"i":01}"#,
            r#"{"i":-}"#,
            r#"{"i":"1"}"#,
        ] {
            assert!(fields(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn skips_nested_unknown_values_of_any_depth_and_checks_their_syntax() {
        let got = fields(r#"{"x":{"a":[1,-2.5e3,{"b":null}],"c":true},"b":false}"#).unwrap();
        assert_eq!(
            got,
            vec![("x".into(), "skipped".into()), ("b".into(), "false".into())]
        );
        let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(fields(&deep).unwrap().len(), 1);
        let unbalanced = format!(r#"{{"x":{}{}}}"#, "[".repeat(10), "]".repeat(9));
        assert!(fields(&unbalanced).is_err());
    }

    #[test]
    fn refuses_what_is_not_one_object() {
        for bad in [
            "",
            "null",
            "[]",
            r#"{"s":"a"} x"#,
            r#"{"s":"a",}"#,
            r#"{"s":"a\x"}"#,
            r#"{"s":"\ud800"}"#,
            "{\"s\":\"a\u{1}\"}",
            r#"{"x":[1,]}"#,
            r#"{"x":tru}"#,
        ] {
            assert!(fields(bad).is_err(), "{bad:?}");
        }
        assert!(fields(" { } ").unwrap().is_empty());
    }
}
