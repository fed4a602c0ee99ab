//! Core outputs as plain JS objects, and JS objects as core inputs.

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::core::{Event, Level, LostMessage, Output};
use crate::protocol::{KickoutInfo, LoginInfo, Protocal};

/// The JS shape of one output: `{kind: "...", ...}`.
#[derive(Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
enum JsOutput<'a> {
    Open {
        generation: u64,
        url: &'a str,
    },
    Close {
        generation: u64,
    },
    Transmit {
        generation: u64,
        text: &'a str,
        send_id: Option<u64>,
    },
    State {
        state: &'static str,
    },
    LoginSucceeded,
    LoginFailed {
        is_reconnect: bool,
        code: i32,
    },
    Reconnected,
    Disconnected,
    Data {
        message: &'a Protocal,
    },
    Ping,
    Pong,
    Kicked {
        info: &'a KickoutInfo,
    },
    Lost {
        messages: Vec<JsLost<'a>>,
    },
    Received {
        fp: &'a str,
    },
    Echo {
        message: &'a Protocal,
    },
    Log {
        level: &'static str,
        message: &'a str,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsLost<'a> {
    send_id: u64,
    message: &'a Protocal,
    written: bool,
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warn",
        Level::Error => "error",
    }
}

fn to_js_shape(output: &Output) -> Option<JsOutput<'_>> {
    Some(match output {
        Output::OpenSocket { generation, url } => JsOutput::Open {
            generation: *generation,
            url,
        },
        Output::CloseSocket { generation } => JsOutput::Close {
            generation: *generation,
        },
        Output::Transmit {
            generation,
            text,
            send_id,
        } => JsOutput::Transmit {
            generation: *generation,
            text,
            send_id: *send_id,
        },
        Output::Timeout(_) => return None,
        Output::Event(event) => match event {
            Event::StateChanged(state) => JsOutput::State {
                state: state.as_str(),
            },
            Event::LoginSucceeded => JsOutput::LoginSucceeded,
            Event::LoginFailed { is_reconnect, code } => JsOutput::LoginFailed {
                is_reconnect: *is_reconnect,
                code: *code,
            },
            Event::Reconnected => JsOutput::Reconnected,
            Event::Disconnected => JsOutput::Disconnected,
            Event::Data(message) => JsOutput::Data { message },
            Event::Ping => JsOutput::Ping,
            Event::Pong => JsOutput::Pong,
            Event::Kicked(info) => JsOutput::Kicked { info },
            Event::MessagesLost(lost) => JsOutput::Lost {
                messages: lost.iter().map(js_lost).collect(),
            },
            Event::MessageReceived { fp } => JsOutput::Received { fp },
            Event::Echo(message) => JsOutput::Echo { message },
            Event::Log { level, message } => JsOutput::Log {
                level: level_name(*level),
                message,
            },
        },
    })
}

fn js_lost(lost: &LostMessage) -> JsLost<'_> {
    JsLost {
        send_id: lost.send_id,
        message: &lost.message,
        written: lost.written,
    }
}

/// Serializes with `null` for absent values and plain objects for maps.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// The JS object for `output`, or `None` for the end-of-outputs marker.
pub fn output_to_js(output: &Output) -> Option<JsValue> {
    to_js_shape(output).map(|shape| to_js(&shape))
}

/// A login object from JS (`loginUserId`, `loginToken`, `extra`, `firstLoginTime`).
pub fn login_info_from_js(value: JsValue) -> Option<LoginInfo> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// A `Protocal` object from JS, with stock defaults for absent fields.
pub fn message_from_js(value: JsValue) -> Option<Protocal> {
    serde_wasm_bindgen::from_value(value).ok()
}
