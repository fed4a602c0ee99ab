//! WebAssembly bindings: one [`ImClient`](handle::ImClient) handle that drives the core.
//!
//! The bindings convert types, read `Date.now()`, keep one timer armed at the core's next
//! deadline and hand every output to the JS host in order. They make no protocol decisions.

mod config;
mod convert;
mod delivery;
mod handle;
#[cfg(feature = "heap-reserve")]
mod heap;
mod host;
mod inputs;
mod texts;

/// Links the word-wise `memcpy` and its kin in place of `compiler_builtins`' (wordmem/).
#[cfg(feature = "word-memory")]
use wasm_word_memory as _;

pub use handle::{ImClient, FRAME_ACKED, FRAME_APP_MESSAGE};
pub use host::Host;

/// The wasm allocator: talc instead of Rust's default dlmalloc, for a smaller module (−1.4 KB
/// Brotli in the mini-program build); side by side, the send benchmark shows no speed difference.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
