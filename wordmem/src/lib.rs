//! `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp` for MVP WebAssembly, eight bytes per step.
//!
//! A pure-MVP module has no `memory.copy` or `memory.fill`: every struct moved, every `Vec`
//! extended and every key compared calls these functions, and the ones `compiler_builtins`
//! links in go one byte at a time whenever the two addresses are not equally aligned. Wasm
//! allows unaligned loads and stores, so these move whole words whatever the alignment. On
//! wasm32 they are exported under the C names and replace `compiler_builtins`' weak definitions
//! at link time; elsewhere they are plain functions, for the tests. `no_builtins` keeps LLVM
//! from turning the loops back into calls of the functions they define.
#![no_std]
#![no_builtins]

use core::ptr::{read_unaligned, write_unaligned};

/// Bytes per step.
const WORD: usize = 8;

/// Copies `n` bytes from `src` to `dest`, which do not overlap: whole words, the last one
/// ending at `n` (it may copy again bytes the one before copied), so no byte at a time from 8
/// bytes on; from 4 to 7 bytes as two words of 4, fewer one at a time.
#[inline(always)]
unsafe fn copy_apart(dest: *mut u8, src: *const u8, n: usize) {
    if n >= WORD {
        let mut i = 0;
        while i + WORD < n {
            copy::<u64>(dest, src, i);
            i += WORD;
        }
        copy::<u64>(dest, src, n - WORD);
    } else if n >= 4 {
        copy::<u32>(dest, src, 0);
        copy::<u32>(dest, src, n - 4);
    } else {
        let mut i = 0;
        while i < n {
            *dest.add(i) = *src.add(i);
            i += 1;
        }
    }
}

/// Copies `n` bytes from `src` to `dest`, front to back, each byte read before any byte after
/// it is written: right for a `dest` before an overlapping `src`.
#[inline(always)]
unsafe fn copy_forward(dest: *mut u8, src: *const u8, n: usize) {
    let mut i = 0;
    while i + WORD <= n {
        copy::<u64>(dest, src, i);
        i += WORD;
    }
    while i < n {
        *dest.add(i) = *src.add(i);
        i += 1;
    }
}

/// Copies one `T` from `src + at` to `dest + at`.
#[inline(always)]
unsafe fn copy<T>(dest: *mut u8, src: *const u8, at: usize) {
    write_unaligned(
        dest.add(at).cast::<T>(),
        read_unaligned(src.add(at).cast::<T>()),
    );
}

/// Copies `n` bytes from `src` to `dest`, back to front.
#[inline(always)]
unsafe fn copy_backward(dest: *mut u8, src: *const u8, n: usize) {
    let mut i = n;
    while i >= WORD {
        i -= WORD;
        write_unaligned(
            dest.add(i).cast::<u64>(),
            read_unaligned(src.add(i).cast::<u64>()),
        );
    }
    while i > 0 {
        i -= 1;
        *dest.add(i) = *src.add(i);
    }
}

/// C's `memcpy`: `n` bytes from `src` to `dest`.
///
/// # Safety
/// Both ranges are valid for `n` bytes and do not overlap.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    copy_apart(dest, src, n);
    dest
}

/// C's `memmove`: `n` bytes from `src` to `dest`, which may overlap.
///
/// # Safety
/// Both ranges are valid for `n` bytes.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dest as usize).wrapping_sub(src as usize) >= n {
        // `dest` is before `src` or past its end: front to back never reads a byte it wrote.
        copy_forward(dest, src, n);
    } else {
        copy_backward(dest, src, n);
    }
    dest
}

/// C's `memset`: `n` bytes at `dest` set to the low byte of `c`.
///
/// # Safety
/// The range is valid for `n` bytes.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    let byte = c as u8;
    let word = u64::from(byte) * 0x0101_0101_0101_0101;
    let mut i = 0;
    while i + WORD <= n {
        write_unaligned(dest.add(i).cast::<u64>(), word);
        i += WORD;
    }
    while i < n {
        *dest.add(i) = byte;
        i += 1;
    }
    dest
}

/// C's `memcmp`: the difference of the first differing bytes of `a` and `b` (as unsigned), 0
/// if the `n` bytes are equal.
///
/// # Safety
/// Both ranges are valid for `n` bytes.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let word = |at: usize| {
        read_unaligned(a.add(at).cast::<u64>()) == read_unaligned(b.add(at).cast::<u64>())
    };
    let mut i = 0;
    while i + WORD <= n && word(i) {
        i += WORD;
    }
    // Every whole word equal (keys found in a table, the commonest case): the rest is checked
    // by one word that ends at `n`.
    if i + WORD > n && i < n && n >= WORD && word(n - WORD) {
        return 0;
    }
    while i < n {
        let (x, y) = (*a.add(i), *b.add(i));
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// C's `bcmp`: 0 if the `n` bytes of `a` and `b` are equal, else not 0.
///
/// # Safety
/// Both ranges are valid for `n` bytes.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    memcmp(a, b, n)
}
