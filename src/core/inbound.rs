//! What the client does with each frame the server sends.

use super::context::Context;
use super::link::Link;
use super::outbox::Outbox;
use super::payloads::Payloads;
use super::qos_receive::SeenCache;
use super::session::Session;
use super::{ConnectionState, Event, Level, Outbound};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, KickoutInfo, LoginResponse, ProtocalRef, ProtocalType};

impl Link {
    /// Dispatches one frame from the current socket, borrowed (nothing is copied unless an
    /// event keeps it), with the payload of a framework reply and the app message's event from
    /// `payloads`; whether it delivered an app message.
    pub(super) fn handle_frame(
        &mut self,
        cx: &mut Context,
        outbox: &mut Outbox,
        seen: &mut SeenCache,
        now: u64,
        frame: ProtocalRef<'_>,
        payloads: &impl Payloads,
    ) -> bool {
        self.frame_arrived(now, cx.config().sense_mode);
        if frame.qos && self.acknowledge_is_duplicate(cx, seen, now, &frame) {
            return false;
        }
        match frame.kind {
            ProtocalType::COMMON_DATA => {
                cx.emit(payloads.app_message(&frame));
                return true;
            }
            ProtocalType::RECEIVED => {
                outbox.acknowledge(cx, frame.data_content.unwrap_or_default(), false)
            }
            ProtocalType::RESPONSE_LOGIN => {
                let response = payloads.login_response(&frame);
                self.handle_login_response(cx, outbox, now, response)
            }
            ProtocalType::RESPONSE_KEEP_ALIVE => cx.emit(Event::Pong),
            ProtocalType::RESPONSE_FOR_ERROR => {
                self.handle_error(cx, outbox, now, payloads.error_code(&frame))
            }
            ProtocalType::RESPONSE_ECHO => {
                cx.log(Level::Debug, "echo reply".into());
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
        false
    }

    /// Acks a QoS frame (duplicates too) and tells whether its fp was seen before.
    fn acknowledge_is_duplicate(
        &self,
        cx: &mut Context,
        seen: &mut SeenCache,
        now: u64,
        frame: &ProtocalRef<'_>,
    ) -> bool {
        let Some(fp) = frame.fp else {
            cx.log(Level::Warn, "QoS frame without fp cannot be acked".into());
            return false;
        };
        let Some(user_id) = self.user_id() else {
            return false;
        };
        let ack = Outbound::Ack {
            text: frame.ack(user_id).encode(),
        };
        self.write(cx, ack);
        let duplicate = seen.check_and_insert(fp, now);
        if duplicate {
            cx.log(Level::Debug, "duplicate frame acked, not delivered".into());
        }
        duplicate
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
