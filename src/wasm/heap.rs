//! The heap reserve of the mini-program build (feature `heap-reserve`).
//!
//! The allocator (talc) takes memory only by growing the wasm memory: pages the module starts
//! with beyond its data and stack are never used, so a larger initial memory alone would not
//! stop growth. Instead, while the module starts, one allocation of the reserve, freed at once,
//! leaves it in the allocator's heap, and an ordinary session is served from it without growing
//! the memory again (docs/client-behaviour.md §9).

use wasm_bindgen::prelude::wasm_bindgen;

/// Bytes reserved: what an ordinary session needs (tests/js/miniprogram-memory.test.mjs), with
/// a margin.
const RESERVED_HEAP_BYTES: usize = 3 * 1024 * 1024;

/// Runs once when the glue initialises the instance (wasm-bindgen's start function), before JS
/// holds any view of the memory.
#[wasm_bindgen(start)]
fn reserve_heap() {
    let reserve: Vec<u8> = Vec::with_capacity(RESERVED_HEAP_BYTES);
    // `black_box`: an allocation nothing reads would be optimised away.
    drop(std::hint::black_box(reserve));
}
