//! Message fingerprints: UUID v4, or the stock mini-program's n-character alphanumeric ids.

use std::rc::Rc;

use super::RandomSource;
use crate::ascii::AsciiText;

const ALPHANUMERIC: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The longest alphanumeric fingerprint: an id, not a payload (a length the app got wrong must
/// not fill the memory).
pub const MAX_FINGERPRINT_LENGTH: usize = 128;

/// A new fingerprint: `length` characters of `[0-9A-Za-z]` for a `length` from 1 to
/// [`MAX_FINGERPRINT_LENGTH`], else a UUID v4.
pub fn new_fingerprint(random: &mut dyn RandomSource, length: Option<usize>) -> Rc<str> {
    match alphanumeric_length(length) {
        Some(n) => alphanumeric(random, n),
        None => uuid_v4(random),
    }
}

/// The length of the alphanumeric fingerprints `length` asks for; `None` when it asks for
/// UUIDs v4 (no length, 0, or more than [`MAX_FINGERPRINT_LENGTH`]).
pub(crate) fn alphanumeric_length(length: Option<usize>) -> Option<usize> {
    length.filter(|n| (1..=MAX_FINGERPRINT_LENGTH).contains(n))
}

fn uuid_v4(random: &mut dyn RandomSource) -> Rc<str> {
    let mut bytes = [0u8; 16];
    random.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    // Four bytes at a time to eight hex digits in one 64-bit word, no table and no byte swap,
    // joined by shifts: the interpreted wasm of iOS pays per instruction, and a digit at a time
    // cost several times as many (docs/performance.md, "Counted wasm instructions").
    let mut hex = [0u64; 4];
    let mut index = 0;
    while index < 4 {
        let at = index * 4;
        hex[index] = hex_digits([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        index += 1;
    }
    let [a, b, c, d] = hex;
    // 8-4-4-4-12 digits: each word below is eight characters of the text, little-endian.
    let dash = u64::from(b'-');
    let text = [
        a.to_le_bytes(),
        (dash | (b & 0xffff_ffff) << 8 | dash << 40 | (b >> 32 & 0xffff) << 48).to_le_bytes(),
        (b >> 48 | dash << 16 | (c & 0xffff_ffff) << 24 | dash << 56).to_le_bytes(),
        (c >> 32 | d << 32).to_le_bytes(),
        (d >> 32).to_le_bytes(),
    ];
    ascii_string(&text.as_flattened()[..36])
}

/// The eight lowercase hex digits of `bytes`, in order: each byte spread to a 16-bit lane of a
/// little-endian word, its two nibbles to the lane's two bytes, then every nibble turned into its
/// ASCII digit at once.
fn hex_digits(bytes: [u8; 4]) -> u64 {
    let x = u64::from(u32::from_le_bytes(bytes));
    let x = (x | x << 16) & 0x0000_ffff_0000_ffff;
    let x = (x | x << 8) & 0x00ff_00ff_00ff_00ff;
    let x = ((x >> 4) & 0x000f_000f_000f_000f) | ((x & 0x000f_000f_000f_000f) << 8);
    // 1 in each byte whose nibble is 10 or more: `a` is 39 past `9` + 1.
    let letters = ((x + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    x + 0x3030_3030_3030_3030 + letters * 39
}

/// `bytes`, ASCII by construction, as a shared string (one allocation: the QoS table, the
/// receipt and the acknowledgement event share it). Checked as ASCII, eight bytes a step: UTF-8
/// validation took about 250 wasm instructions for a UUID.
fn ascii_string(bytes: &[u8]) -> Rc<str> {
    Rc::from(AsciiText::new(bytes).map_or("", AsciiText::as_str))
}

fn alphanumeric(random: &mut dyn RandomSource, length: usize) -> Rc<str> {
    let mut text = Vec::with_capacity(length);
    while text.len() < length {
        let mut bytes = [0u8; 32];
        random.fill_bytes(&mut bytes);
        // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
        for byte in bytes.iter().filter(|b| **b < 248) {
            if text.len() == length {
                break;
            }
            text.push(ALPHANUMERIC[usize::from(*byte % 62)]);
        }
    }
    ascii_string(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::SeededRandom;

    #[test]
    fn uuid_has_version_4_and_rfc_variant() {
        let id = new_fingerprint(&mut SeededRandom::new(7), None);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(id.matches('-').count(), 4);
    }

    #[test]
    fn uuid_digits_are_the_random_bytes_in_lowercase_hex() {
        struct Counting(u8);
        impl RandomSource for Counting {
            fn fill_bytes(&mut self, bytes: &mut [u8]) {
                for byte in bytes {
                    *byte = self.0;
                    self.0 = self.0.wrapping_add(0x1d);
                }
            }
        }
        let id = new_fingerprint(&mut Counting(0x0a), None);
        let mut bytes = [0u8; 16];
        Counting(0x0a).fill_bytes(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expected = [
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..],
        ]
        .join("-");
        assert_eq!(&*id, expected);
        for nibble in 0..16u8 {
            let digits = hex_digits([nibble * 0x11; 4]).to_le_bytes();
            let expected = format!("{nibble:x}").repeat(8);
            assert_eq!(std::str::from_utf8(&digits), Ok(expected.as_str()));
        }
    }

    #[test]
    fn alphanumeric_ids_have_the_requested_length_and_alphabet() {
        for length in [1, 12, MAX_FINGERPRINT_LENGTH] {
            let id = new_fingerprint(&mut SeededRandom::new(7), Some(length));
            assert_eq!(id.len(), length);
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
    }

    #[test]
    fn lengths_out_of_range_give_uuids() {
        for length in [0, MAX_FINGERPRINT_LENGTH + 1, usize::MAX] {
            let id = new_fingerprint(&mut SeededRandom::new(7), Some(length));
            assert_eq!((id.len(), &id[14..15]), (36, "4"), "length {length}");
        }
    }
}
