//! `--log-frames`: one JSON line for every text frame read or written.
//!
//! ```text
//! {"ts":1700000000123,"conn":0,"dir":"in","frame":"{\"bridge\":false,\"type\":0,…}"}
//! ```
//!
//! `ts` is the wall clock in ms, `conn` the connection's accept order, `dir` one of `in`, `out`
//! or `drop` (a written frame that `--chaos` dropped), and `frame` the frame's text as a JSON
//! string (inbound text need not be valid JSON).

use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// Which way a logged frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Read from the client.
    In,
    /// Written to the client.
    Out,
    /// Would have been written, but chaos dropped it.
    Drop,
}

#[derive(Serialize)]
struct Line<'a> {
    ts: u128,
    conn: u64,
    dir: Direction,
    frame: &'a str,
}

/// A shared sink for frame lines.
#[derive(Clone)]
pub struct FrameLog {
    out: Arc<Mutex<dyn Write + Send>>,
}

impl fmt::Debug for FrameLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FrameLog")
    }
}

impl FrameLog {
    /// Lines go to standard output.
    pub fn stdout() -> Self {
        Self::to_writer(std::io::stdout())
    }

    /// Lines go to `writer` (tests use an in-memory buffer).
    pub fn to_writer(writer: impl Write + Send + 'static) -> Self {
        Self {
            out: Arc::new(Mutex::new(writer)),
        }
    }

    /// Writes one line for `frame` on connection `conn`. A failing sink is ignored.
    pub fn record(&self, conn: u64, dir: Direction, frame: &str) {
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let line = Line {
            ts,
            conn,
            dir,
            frame,
        };
        let mut text = serde_json::to_string(&line).expect("a log line serializes");
        text.push('\n');
        let mut out = self.out.lock().expect("frame log lock");
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
}
