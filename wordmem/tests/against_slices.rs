//! Each function against what the standard library's slice methods do, for every length up to
//! three words past a word and every offset within a word, overlapping ranges included.

use wasm_word_memory::{bcmp, memcmp, memcpy, memmove, memset};

/// A buffer whose bytes all differ from their neighbours.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 3) as u8).collect()
}

const LENGTHS: std::ops::Range<usize> = 0..33;
const OFFSETS: std::ops::Range<usize> = 0..9;

#[test]
fn memcpy_copies_every_length_at_every_alignment() {
    for n in LENGTHS {
        for from in OFFSETS {
            for to in OFFSETS {
                let src = pattern(n + 16);
                let mut got = vec![0xAA; n + 16];
                let mut want = got.clone();
                want[to..to + n].copy_from_slice(&src[from..from + n]);
                unsafe { memcpy(got.as_mut_ptr().add(to), src.as_ptr().add(from), n) };
                assert_eq!(got, want, "n={n} from={from} to={to}");
            }
        }
    }
}

#[test]
fn memmove_handles_overlap_in_both_directions() {
    for n in LENGTHS {
        for from in 0..20 {
            for to in 0..20 {
                let mut got = pattern(n + 20);
                let mut want = got.clone();
                want.copy_within(from..from + n, to);
                unsafe { memmove(got.as_mut_ptr().add(to), got.as_ptr().add(from), n) };
                assert_eq!(got, want, "n={n} from={from} to={to}");
            }
        }
    }
}

#[test]
fn memset_fills_with_the_low_byte() {
    for n in LENGTHS {
        for at in OFFSETS {
            let mut got = pattern(n + 16);
            let mut want = got.clone();
            want[at..at + n].fill(0x5C);
            unsafe { memset(got.as_mut_ptr().add(at), 0x1_5C, n) };
            assert_eq!(got, want, "n={n} at={at}");
        }
    }
}

#[test]
fn memcmp_orders_as_unsigned_bytes_and_bcmp_tells_equality() {
    for n in 1..LENGTHS.end {
        for differ_at in 0..n {
            for (x, y) in [(1u8, 2u8), (0x80, 0x7F), (0, 0xFF)] {
                let mut a = pattern(n);
                let mut b = a.clone();
                a[differ_at] = x;
                b[differ_at] = y;
                let order = unsafe { memcmp(a.as_ptr(), b.as_ptr(), n) };
                assert_eq!(
                    order.signum(),
                    (x.cmp(&y) as i32).signum(),
                    "n={n} at={differ_at}"
                );
                assert_ne!(unsafe { bcmp(a.as_ptr(), b.as_ptr(), n) }, 0);
            }
        }
        let a = pattern(n);
        assert_eq!(unsafe { memcmp(a.as_ptr(), a.clone().as_ptr(), n) }, 0);
        assert_eq!(unsafe { bcmp(a.as_ptr(), a.clone().as_ptr(), n) }, 0);
    }
}
