//! JSON writing for flat objects, in the client's or the stock server's style.

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
        Self::continuing(String::new(), style)
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

    /// The style this writer uses.
    pub fn style(&self) -> Style {
        self.style
    }

    /// A string field; `None` is `null` (left out in [`Style::Gson`]).
    pub fn string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
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
    pub fn int(&mut self, name: &str, value: i64) -> &mut Self {
        self.name(name);
        push_int(&mut self.out, value);
        self
    }

    /// A boolean field.
    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.name(name);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    /// A field whose value is JSON text written by `value` (an object or array).
    pub fn raw(&mut self, name: &str, value: impl FnOnce(&mut String)) -> &mut Self {
        self.name(name);
        value(&mut self.out);
        self
    }

    /// Closes the object and returns the text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }

    fn null(&mut self, name: &str) {
        if self.style == Style::Client {
            self.name(name);
            self.out.push_str("null");
        }
    }

    fn name(&mut self, name: &str) {
        if !std::mem::replace(&mut self.empty, false) {
            self.out.push(',');
        }
        write_string(&mut self.out, name, self.style);
        self.out.push(':');
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
    let mut magnitude = value.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    for digit in &digits[start..] {
        out.push(char::from(*digit));
    }
}

fn write_string(out: &mut String, value: &str, style: Style) {
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '=' | '\'' | '\u{2028}' | '\u{2029}' if style == Style::Gson => {
                push_unicode_escape(out, ch)
            }
            ch if ch < ' ' => push_unicode_escape(out, ch),
            ch => out.push(ch),
        }
    }
    out.push('"');
}

fn push_unicode_escape(out: &mut String, ch: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let code = ch as u32;
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
    }
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
}
