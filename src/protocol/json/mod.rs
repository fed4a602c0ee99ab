//! A small, strict JSON reader and writer for the protocol's flat objects.
//!
//! The SDK ships inside a mini-program package with a tight size budget, and its frames are flat
//! objects of strings, integers, booleans and nulls. A general serializer (serde_json with serde
//! derives) costs several times the code of this module in the wasm; see the README's size
//! table. Reading is strict (one JSON value, objects where objects belong, integers in range,
//! valid escapes, nesting bounded) and never panics.

mod reader;
mod writer;

pub use reader::{read_object, ObjectReader};
pub use writer::{int_text, push_int, ObjectWriter, Style};
