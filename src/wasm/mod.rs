//! WebAssembly bindings: one [`ImClient`](handle::ImClient) handle that drives the core.
//!
//! The bindings convert types, read `Date.now()`, keep one timer armed at the core's next
//! deadline and hand every output to the JS host in order. They make no protocol decisions.

mod convert;
mod handle;
mod host;

pub use handle::ImClient;
pub use host::Host;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
