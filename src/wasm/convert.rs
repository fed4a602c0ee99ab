//! Core outputs as compact JSON text for the JS host (which `JSON.parse`s them).
//!
//! JSON text keeps the boundary to one string per output and reuses the protocol's writer, so
//! the wasm carries no object-building glue; the shapes are those `js-glue/src/facade.js` reads.

use crate::core::{Event, Level, LogTopic, LostMessage};
use crate::protocol::json::{ObjectWriter, Style};
use crate::protocol::KickoutInfo;

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warn",
        Level::Error => "error",
    }
}

fn kind(kind: &str) -> ObjectWriter {
    let mut writer = ObjectWriter::new(Style::Client);
    writer.string("kind", Some(kind));
    writer
}

/// `{"kind":"open","generation":…,"url":…}`.
pub fn open_socket(generation: u64, url: &str) -> String {
    let mut writer = kind("open");
    writer
        .int("generation", generation as i64)
        .string("url", Some(url));
    writer.finish()
}

/// `{"kind":"close","generation":…}`.
pub fn close_socket(generation: u64) -> String {
    let mut writer = kind("close");
    writer.int("generation", generation as i64);
    writer.finish()
}

/// The JSON of an app event (but app messages, write results and acknowledgements, which have
/// host calls).
pub fn event(event: &Event) -> String {
    let mut writer;
    match event {
        Event::StateChanged(state) => {
            writer = kind("state");
            writer.string("state", Some(state.as_str()));
        }
        Event::LoginSucceeded => writer = kind("loginSucceeded"),
        Event::LoginFailed { is_reconnect, code } => {
            writer = kind("loginFailed");
            writer
                .bool("isReconnect", *is_reconnect)
                .int("code", (*code).into());
        }
        Event::Reconnected => writer = kind("reconnected"),
        Event::Disconnected => writer = kind("disconnected"),
        Event::Ping => writer = kind("ping"),
        Event::Pong => writer = kind("pong"),
        Event::Kicked(info) => {
            writer = kind("kicked");
            writer.raw("info", |out| write_kickout(out, info));
        }
        Event::MessagesLost(lost) => {
            writer = kind("lost");
            writer.raw("messages", |out| write_lost(out, lost));
        }
        Event::Echo(message) => {
            writer = kind("echo");
            writer.raw("message", |out| append(out, |out| message.write_to(out)));
        }
        Event::Log {
            level,
            topic,
            message,
        } => {
            writer = kind("log");
            writer
                .string("level", Some(level_name(*level)))
                .string("message", Some(message))
                .bool("sdk", *topic != LogTopic::Core);
        }
        Event::Data(_)
        | Event::HeldData
        | Event::MessageReceived { .. }
        | Event::MessageWritten { .. } => {
            unreachable!("delivered by their own host calls (delivery.rs)")
        }
    }
    writer.finish()
}

fn write_kickout(out: &mut String, info: &KickoutInfo) {
    append(out, |out| {
        let mut writer = ObjectWriter::continuing(out, Style::Client);
        writer
            .int("code", info.code.into())
            .string("reason", info.reason.as_deref());
        writer.finish()
    });
}

fn write_lost(out: &mut String, lost: &[LostMessage]) {
    out.push('[');
    for (index, message) in lost.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        append(out, |out| {
            let mut writer = ObjectWriter::continuing(out, Style::Client);
            writer
                .int("sendId", message.send_id as i64)
                .raw("message", |out| {
                    out.push_str(message.text.as_ref().map_or("null", |text| text.as_str()))
                });
            writer.finish()
        });
    }
    out.push(']');
}

/// Lets a writer that takes its buffer by value append to `out`.
fn append(out: &mut String, write: impl FnOnce(String) -> String) {
    *out = write(std::mem::take(out));
}
