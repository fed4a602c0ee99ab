//! A small, strict JSON reader and writer for the protocol's flat objects.
//!
//! The SDK ships inside a mini-program package with a tight size budget, and its frames are flat
//! objects of strings, integers, booleans and nulls. A general serializer (serde_json with serde
//! derives) costs several times the code of this module in the wasm; see the size steps in
//! docs/performance.md. Reading is strict (one JSON value, objects where objects belong, integers
//! in range, valid escapes, nesting bounded) and never panics.

mod reader;
mod writer;

pub use reader::{read_object, ObjectReader};
pub use writer::{
    client_string_len, int_len, int_text, push_int, push_string_field, ObjectWriter, Style,
};

/// [`NEEDS_ESCAPE`] flag: a byte that a JSON string holds only escaped (`"`, `\`, the control
/// characters); the reader's and the writer's scans of plain text stop there.
const ALWAYS: u8 = 1;
/// [`NEEDS_ESCAPE`] flag: a byte that [`Style::Gson`] escapes (`<>&='`) or that may start a
/// character it escapes (E2, the first byte of U+2028 and U+2029 in UTF-8).
const GSON: u8 = 2;

/// Per byte, its [`ALWAYS`] and [`GSON`] flags: the scans for the end of a run of plain string
/// text test each byte with one lookup.
static NEEDS_ESCAPE: [u8; 256] = needs_escape_table();

const fn needs_escape_table() -> [u8; 256] {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = ALWAYS;
        byte += 1;
    }
    table[b'"' as usize] = ALWAYS;
    table[b'\\' as usize] = ALWAYS;
    let gson = b"<>&='\xE2";
    let mut index = 0;
    while index < gson.len() {
        table[gson[index] as usize] = GSON;
        index += 1;
    }
    table
}
