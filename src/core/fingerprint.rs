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
    // Written into an array and turned into a string once: a `String::push` per character is a
    // call each, which an interpreted wasm (iOS) pays for.
    let mut text = [b'-'; 36];
    let mut at = 0;
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            at += 1;
        }
        text[at] = HEX[usize::from(byte >> 4)];
        text[at + 1] = HEX[usize::from(byte & 0x0f)];
        at += 2;
    }
    ascii_string(&text)
}

/// `bytes`, ASCII by construction, as a shared string (one allocation: the QoS table, the
/// receipt and the acknowledgement event share it). Checked as ASCII, eight bytes a step: UTF-8
/// validation took about 250 wasm instructions for a UUID.
fn ascii_string(bytes: &[u8]) -> Rc<str> {
    Rc::from(AsciiText::new(bytes).map_or("", AsciiText::as_str))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

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
