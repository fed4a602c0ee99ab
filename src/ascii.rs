//! Text known to be ASCII, cut at any byte without UTF-8 validation or char-boundary checks:
//! the texts the glue writes are ASCII nearly always (ids, fingerprints, JSON), so are the
//! fingerprints the core draws, and the interpreted wasm on iOS pays for every instruction
//! (docs/performance.md, "Counted wasm instructions").

/// Bytes that are all ASCII, so every sub-slice of them is UTF-8.
#[derive(Clone, Copy)]
pub(crate) struct AsciiText<'t>(&'t [u8]);

impl<'t> AsciiText<'t> {
    /// `bytes`, if every one of them is ASCII. Out of line: inlined at its callers it made the
    /// browser's wasm (opt-level 3) 630 bytes larger.
    #[inline(never)]
    pub(crate) fn new(bytes: &'t [u8]) -> Option<Self> {
        is_ascii(bytes).then_some(Self(bytes))
    }

    /// How many bytes (and characters, and UTF-16 units) the text has.
    pub(crate) fn len(self) -> usize {
        self.0.len()
    }

    /// The bytes from `start` to `end` as text; `None` past the end.
    #[allow(unsafe_code)]
    pub(crate) fn part(self, start: usize, end: usize) -> Option<&'t str> {
        let bytes = self.0.get(start..end)?;
        // SAFETY: `new` checked that every byte of `self.0` is ASCII, so any run of them is
        // UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    }

    /// The whole text.
    pub(crate) fn as_str(self) -> &'t str {
        self.part(0, self.len()).unwrap_or_default()
    }
}

/// Whether every byte of `bytes` is ASCII, eight bytes a step (wasm has 64-bit loads and
/// operations; core's `<[u8]>::is_ascii` steps by `usize`, four bytes on wasm32: 167 wasm
/// instructions for a received frame's texts against 123): the bytes or-ed together, their high
/// bits checked once at the end.
fn is_ascii(bytes: &[u8]) -> bool {
    let mut seen = 0;
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        seen |= u64::from_le_bytes(*word);
        rest = tail;
    }
    // The last bytes: within the last eight, read again whole if there are eight.
    match bytes.last_chunk::<8>() {
        Some(last) => seen |= u64::from_le_bytes(*last),
        None => {
            for &byte in rest {
                seen |= u64::from(byte);
            }
        }
    }
    seen & 0x8080_8080_8080_8080 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_past_ascii_anywhere_is_found() {
        for length in 0..=40 {
            let text = vec![b'a'; length];
            assert!(AsciiText::new(&text).is_some(), "length {length}");
            for at in 0..length {
                for byte in [0x80, 0xc3, 0xff] {
                    let mut changed = text.clone();
                    changed[at] = byte;
                    assert!(
                        AsciiText::new(&changed).is_none(),
                        "length {length}, at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn parts_are_cut_at_any_byte_and_not_past_the_end() {
        let text = AsciiText::new(b"alice,bob").expect("ASCII");
        assert_eq!(text.len(), 9);
        assert_eq!(text.as_str(), "alice,bob");
        assert_eq!(text.part(0, 5), Some("alice"));
        assert_eq!(text.part(6, 9), Some("bob"));
        assert_eq!(text.part(9, 9), Some(""));
        assert_eq!(text.part(6, 10), None);
        assert_eq!(text.part(10, 10), None);
        assert_eq!(text.part(5, 4), None);
    }
}
