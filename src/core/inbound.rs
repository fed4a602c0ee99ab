//! What the client does with each frame the server sends.

use super::context::Context;
use super::link::Link;
use super::outbox::Outbox;
use super::payloads::Payloads;
use super::qos_receive::SeenCache;
use super::session::Session;
use super::{ConnectionState, Event, Level, LogTopic};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, KickoutInfo, LoginResponse, ProtocalRef, ProtocalType};

impl Link {
    /// Dispatches one frame from the current socket, borrowed (nothing is copied unless an
    /// event keeps it), with the payload of a framework reply, the app message's event and the
    /// ack from `payloads`.
    pub(super) fn handle_frame(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        seen: &mut SeenCache,
        now: u64,
        frame: ProtocalRef<'_>,
        payloads: &impl Payloads,
    ) -> FrameHandled {
        self.frame_arrived(now, cx.config().sense_mode);
        let mut handled = FrameHandled::default();
        if frame.qos {
            handled.acked = self.acknowledge(cx, &frame, payloads);
            if handled.acked && is_duplicate(cx, seen, now, &frame) {
                return handled;
            }
        }
        match frame.kind {
            ProtocalType::COMMON_DATA => {
                cx.emit(payloads.app_message(&frame));
                handled.app_message = true;
            }
            ProtocalType::RECEIVED => {
                outbox.acknowledge(cx, frame.data_content.unwrap_or_default(), false)
            }
            ProtocalType::RESPONSE_LOGIN => {
                let response = payloads.login_response(&frame);
                self.handle_login_response(cx, outbox, now, response)
            }
            ProtocalType::RESPONSE_KEEP_ALIVE => {
                cx.debug_line(LogTopic::Heartbeat, &["pong received"]);
                cx.emit(Event::Pong)
            }
            ProtocalType::RESPONSE_FOR_ERROR => {
                self.handle_error(cx, outbox, now, payloads.error_code(&frame))
            }
            ProtocalType::RESPONSE_ECHO => {
                cx.debug_line(LogTopic::Sdk, &["echo reply received"]);
                cx.emit(Event::Echo(Box::new(frame.to_frame())));
                // The stock server never acks an echo: its reply is the acknowledgement.
                if let Some(fp) = frame.fp {
                    outbox.acknowledge(cx, fp, true);
                }
            }
            ProtocalType::KICKOUT => self.handle_kickout(cx, outbox, payloads.kickout(&frame)),
            other => cx.log(
                Level::Warn,
                ["ignored frame of unknown type ", &int_text(other.into())].concat(),
            ),
        }
        handled
    }

    /// Acks a QoS frame (duplicates too); whether it could (it has an fp, a session is on).
    fn acknowledge(
        &self,
        cx: &mut Context,
        frame: &ProtocalRef<'_>,
        payloads: &impl Payloads,
    ) -> bool {
        if frame.fp.is_none() {
            cx.log(Level::Warn, "QoS frame without fp cannot be acked".into());
            return false;
        }
        let Some(user_id) = self.user_id() else {
            return false;
        };
        self.write(cx, payloads.ack(frame, user_id));
        true
    }

    fn handle_login_response(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        now: u64,
        response: Result<LoginResponse, String>,
    ) {
        if self.state() != ConnectionState::LoggingIn {
            cx.log(Level::Debug, "login reply outside a login ignored".into());
            return;
        }
        let response = match response {
            Ok(response) => response,
            Err(why) => {
                cx.log(Level::Error, ["unreadable login reply: ", &why].concat());
                return;
            }
        };
        if response.code == error_code::COMMON_CODE_OK {
            cx.log(Level::Info, "logged in".into());
            self.login_succeeded(cx, outbox, now, response.first_login_time);
            return;
        }
        let is_reconnect = self.session().is_some_and(Session::ever_online);
        cx.log(
            Level::Warn,
            ["login rejected with code ", &int_text(response.code.into())].concat(),
        );
        cx.emit(Event::LoginFailed {
            is_reconnect,
            code: response.code,
        });
        self.end_session(cx, outbox, ConnectionState::AuthFailed);
    }

    fn handle_error(&mut self, cx: &mut Context, outbox: &mut Outbox, now: u64, code: Option<i32>) {
        if code != Some(error_code::RESPONSE_FOR_UNLOGIN) {
            cx.log(
                Level::Warn,
                [
                    "server error frame with code ",
                    &code.map_or_else(|| "?".into(), |code| int_text(code.into())),
                ]
                .concat(),
            );
            return;
        }
        match self.state() {
            ConnectionState::Online => {
                self.link_lost(cx, outbox, now, "server says not logged in (301)")
            }
            ConnectionState::LoggingIn => self.attempt_failed(
                cx,
                now,
                error_code::RESPONSE_FOR_UNLOGIN,
                "server says not logged in (301)",
            ),
            _ => {}
        }
    }

    fn handle_kickout(&mut self, cx: &mut Context, outbox: &mut Outbox, info: Option<KickoutInfo>) {
        let info = info.unwrap_or(KickoutInfo {
            code: -1,
            reason: None,
        });
        cx.log(
            Level::Warn,
            ["kicked out with code ", &int_text(info.code.into())].concat(),
        );
        // A kick during a relogin comes after the outage's `Disconnected` was already told.
        let was_online = self.is_online();
        cx.emit(Event::Kicked(info));
        self.end_session(cx, outbox, ConnectionState::Kicked);
        if was_online {
            cx.emit(Event::Disconnected);
        }
    }
}

/// Whether the acked frame's fp was seen before (then it is not delivered again).
fn is_duplicate(cx: &mut Context, seen: &mut SeenCache, now: u64, frame: &ProtocalRef<'_>) -> bool {
    let duplicate = seen.check_and_insert(frame.fp.unwrap_or_default(), now);
    if duplicate {
        cx.log(Level::Debug, "duplicate frame acked, not delivered".into());
    }
    duplicate
}

/// What a frame from the host led to ([`Client::handle_read_frame`](super::Client::handle_read_frame)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameHandled {
    /// An app message for the app ([`Event::Data`] or [`Event::HeldData`]).
    pub app_message: bool,
    /// An ack to write ([`Outbound::Ack`](super::Outbound::Ack) or
    /// [`Outbound::HeldAck`](super::Outbound::HeldAck)), duplicates included.
    pub acked: bool,
}
