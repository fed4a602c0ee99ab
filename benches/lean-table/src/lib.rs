//! The least a wasm module can do for a QoS send, its ack and a received QoS frame: a UUID-shaped
//! fingerprint drawn from an in-module generator, a fixed open-addressing table of pending
//! fingerprints by a 64-bit digest, and a fixed set of seen digests. No events, no write
//! results, no resends, no loss, no offline hold, no limits, no allocation: a scale for the
//! iOS-engine benchmark (docs/performance.md, "The floor of a wasm-held QoS table"), not a client.

use std::cell::UnsafeCell;

/// Slots of each table (a power of two); the benchmark keeps at most one message pending.
const SLOTS: usize = 1 << 14;
/// The longest fingerprint handled.
const MAX_FP: usize = 40;

/// A pending message: its fingerprint's digest, its send id (0: a free slot) and its text.
#[derive(Clone, Copy)]
struct Pending {
    digest: u64,
    send_id: u32,
    length: u8,
    fp: [u8; MAX_FP],
}

const FREE: Pending = Pending {
    digest: 0,
    send_id: 0,
    length: 0,
    fp: [0; MAX_FP],
};

/// Everything the module keeps.
struct State {
    /// Where the host writes a fingerprint and reads a drawn one.
    text: [u8; 64],
    /// `SLOTS` of them.
    pending: Vec<Pending>,
    /// `SLOTS` seen digests, 0 for a free slot (a digest of 0 is taken as 1).
    seen: Vec<u64>,
    random: u64,
    next_send_id: u32,
}

/// The state, made at the first call (a static of its size would fill the module's data).
struct Global(UnsafeCell<Option<State>>);

// SAFETY: wasm32 without threads: one caller at a time, and no export calls another.
unsafe impl Sync for Global {}

static STATE: Global = Global(UnsafeCell::new(None));

fn state() -> &'static mut State {
    // SAFETY: see `Global`; each export takes this reference once and drops it on return.
    let state = unsafe { &mut *STATE.0.get() };
    state.get_or_insert_with(|| State {
        text: [0; 64],
        pending: vec![FREE; SLOTS],
        seen: vec![0; SLOTS],
        random: 0x2545_f491_4f6c_dd1d,
        next_send_id: 1,
    })
}

fn mix(state: u64, word: u64) -> u64 {
    let product = (state ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    product ^ (product >> 32)
}

/// A 64-bit digest of `bytes`, eight bytes a step (as the SDK's `FpHasher`).
fn digest(bytes: &[u8]) -> u64 {
    let mut hash = 0x51_7cc1_b727_220a;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, u64::from_le_bytes(word));
    }
    let mut tail = 0;
    for (index, byte) in chunks.remainder().iter().enumerate() {
        tail |= u64::from(*byte) << (8 * index);
    }
    mix(mix(hash, tail | (bytes.len() as u64) << 56), 0).max(1)
}

/// Four lowercase hex digits of the low 16 bits of `bits`, as four ASCII bytes.
fn hex4(bits: u32) -> [u8; 4] {
    let nibbles = ((bits >> 12) & 0xf)
        | ((bits >> 8) & 0xf) << 8
        | ((bits >> 4) & 0xf) << 16
        | (bits & 0xf) << 24;
    let letters = ((nibbles + 0x0606_0606) >> 4) & 0x0101_0101;
    (nibbles + 0x3030_3030 + letters * 39).to_le_bytes()
}

/// The address of the text buffer.
#[no_mangle]
pub extern "C" fn text() -> *mut u8 {
    state().text.as_mut_ptr()
}

/// A QoS send: draws a UUID-shaped fingerprint into the text buffer (36 bytes), tracks it and
/// returns its send id.
#[no_mangle]
pub extern "C" fn send() -> u32 {
    let s = state();
    let mut fp = [0; MAX_FP];
    let mut at = 0;
    for group in 0..8 {
        if (2..6).contains(&group) {
            fp[at] = b'-';
            at += 1;
        }
        s.random ^= s.random << 13;
        s.random ^= s.random >> 7;
        s.random ^= s.random << 17;
        fp[at..at + 4].copy_from_slice(&hex4(s.random as u32));
        at += 4;
    }
    s.text[..at].copy_from_slice(&fp[..at]);
    let digest = digest(&fp[..at]);
    let send_id = s.next_send_id;
    s.next_send_id += 1;
    let mut slot = digest as usize & (SLOTS - 1);
    while s.pending[slot].send_id != 0 {
        slot = (slot + 1) & (SLOTS - 1);
    }
    s.pending[slot] = Pending {
        digest,
        send_id,
        length: at as u8,
        fp,
    };
    send_id
}

/// An ack of the fingerprint in the first `length` bytes of the text buffer: the send id it
/// settles (the message is forgotten), or 0.
#[no_mangle]
pub extern "C" fn ack(length: u32) -> u32 {
    let s = state();
    let length = length as usize;
    if length > MAX_FP {
        return 0;
    }
    let digest = digest(&s.text[..length]);
    let mut slot = digest as usize & (SLOTS - 1);
    loop {
        let pending = s.pending[slot];
        if pending.send_id == 0 {
            return 0;
        }
        if pending.digest == digest
            && usize::from(pending.length) == length
            && pending.fp[..length] == s.text[..length]
        {
            remove(&mut s.pending, slot);
            return pending.send_id;
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

/// Empties `slot`, moving later entries of its run back so that every lookup still finds them.
fn remove(table: &mut [Pending], slot: usize) {
    let mut hole = slot;
    let mut next = (slot + 1) & (SLOTS - 1);
    while table[next].send_id != 0 {
        let home = table[next].digest as usize & (SLOTS - 1);
        if next.wrapping_sub(home) & (SLOTS - 1) >= next.wrapping_sub(hole) & (SLOTS - 1) {
            table[hole] = table[next];
            hole = next;
        }
        next = (next + 1) & (SLOTS - 1);
    }
    table[hole] = FREE;
}

/// A received QoS frame's fingerprint, the first `length` bytes of the text buffer: 1 if seen
/// before (a duplicate), else 0 and it is remembered. The set never forgets: the benchmark
/// receives fewer frames than it holds.
#[no_mangle]
pub extern "C" fn seen(length: u32) -> u32 {
    let s = state();
    let Some(bytes) = s.text.get(..length as usize) else {
        return 0;
    };
    let digest = digest(bytes);
    let mut slot = digest as usize & (SLOTS - 1);
    loop {
        match s.seen[slot] {
            0 => {
                s.seen[slot] = digest;
                return 0;
            }
            known if known == digest => return 1,
            _ => slot = (slot + 1) & (SLOTS - 1),
        }
    }
}
