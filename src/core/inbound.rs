//! What the client does with each frame the server sends.

use super::client::Client;
use super::payloads::Payloads;
use super::session::Session;
use super::timers::Timer;
use super::{ConnectionState, Event, Level, LogTopic};
use crate::protocol::json::int_text;
use crate::protocol::{error_code, KickoutInfo, LoginResponse, ProtocalRef, ProtocalType};

impl Client {
    /// Dispatches one frame from the current socket, borrowed (nothing is copied unless an
    /// event keeps it), with the payload of a framework reply, the app message's event and the
    /// ack from `payloads`.
    pub(super) fn handle_frame(
        &mut self,
        now: u64,
        frame: ProtocalRef<'_>,
        payloads: &impl Payloads,
    ) -> FrameHandled {
        if self.is_online() {
            let dead_after = self.config.sense_mode.dead_after_ms();
            self.timers.set(Timer::LinkDead, now + dead_after);
        }
        let mut handled = FrameHandled::default();
        if frame.qos {
            handled.acked = self.acknowledge(&frame, payloads);
            if handled.acked && self.is_duplicate(now, &frame) {
                return handled;
            }
        }
        match frame.kind {
            ProtocalType::COMMON_DATA => {
                self.emit(payloads.app_message(&frame));
                handled.app_message = true;
            }
            ProtocalType::RECEIVED => {
                self.handle_ack(frame.data_content.unwrap_or_default(), false)
            }
            ProtocalType::RESPONSE_LOGIN => {
                let response = payloads.login_response(&frame);
                self.handle_login_response(now, response)
            }
            ProtocalType::RESPONSE_KEEP_ALIVE => {
                self.debug_line(LogTopic::Heartbeat, &["pong received"]);
                self.emit(Event::Pong)
            }
            ProtocalType::RESPONSE_FOR_ERROR => self.handle_error(now, payloads.error_code(&frame)),
            ProtocalType::RESPONSE_ECHO => {
                self.debug_line(LogTopic::Sdk, &["echo reply received"]);
                self.emit(Event::Echo(Box::new(frame.to_frame())));
                // The stock server never acks an echo: its reply is the acknowledgement.
                if let Some(fp) = frame.fp {
                    self.handle_ack(fp, true);
                }
            }
            ProtocalType::KICKOUT => self.handle_kickout(now, payloads.kickout(&frame)),
            other => self.log(
                Level::Warn,
                ["ignored frame of unknown type ", &int_text(other.into())].concat(),
            ),
        }
        handled
    }

    /// Acks a QoS frame (duplicates too); whether it could (it has an fp, a session is on).
    fn acknowledge(&mut self, frame: &ProtocalRef<'_>, payloads: &impl Payloads) -> bool {
        if frame.fp.is_none() {
            self.log(Level::Warn, "QoS frame without fp cannot be acked".into());
            return false;
        }
        let Some(session) = self.session.as_ref() else {
            return false;
        };
        let ack = payloads.ack(frame, session.user_id());
        self.write(ack);
        true
    }

    /// Whether the acked frame's fp was seen before (then it is not delivered again).
    fn is_duplicate(&mut self, now: u64, frame: &ProtocalRef<'_>) -> bool {
        let duplicate = self
            .seen
            .check_and_insert(frame.fp.unwrap_or_default(), now);
        if duplicate {
            self.log(Level::Debug, "duplicate frame acked, not delivered".into());
        }
        duplicate
    }

    /// The acknowledgement of the QoS message with `fp`: a type-4 ack, or with `echo_reply` a
    /// type-53 reply, which acknowledges only an echo (docs/client-behaviour.md §4).
    fn handle_ack(&mut self, fp: &str, echo_reply: bool) {
        if let Some((send_id, fp)) = self.qos_send.acknowledge(fp, echo_reply) {
            self.settle_before_outcome(send_id, true);
            self.emit(Event::MessageReceived { fp, send_id });
        } else if !echo_reply {
            self.log(Level::Debug, "ack for an fp not in flight ignored".into());
        }
    }

    fn handle_login_response(&mut self, now: u64, response: Result<LoginResponse, String>) {
        if self.state != ConnectionState::LoggingIn {
            self.log(Level::Debug, "login reply outside a login ignored".into());
            return;
        }
        let response = match response {
            Ok(response) => response,
            Err(why) => {
                self.log(Level::Error, ["unreadable login reply: ", &why].concat());
                return;
            }
        };
        if response.code == error_code::COMMON_CODE_OK {
            self.log(Level::Info, "logged in".into());
            self.login_succeeded(now, response.first_login_time);
            return;
        }
        let is_reconnect = self.session.as_ref().is_some_and(Session::ever_online);
        self.log(
            Level::Warn,
            ["login rejected with code ", &int_text(response.code.into())].concat(),
        );
        self.emit(Event::LoginFailed {
            is_reconnect,
            code: response.code,
        });
        self.end_session(now, ConnectionState::AuthFailed);
    }

    fn handle_error(&mut self, now: u64, code: Option<i32>) {
        if code != Some(error_code::RESPONSE_FOR_UNLOGIN) {
            self.log(
                Level::Warn,
                [
                    "server error frame with code ",
                    &code.map_or_else(|| "?".into(), |code| int_text(code.into())),
                ]
                .concat(),
            );
            return;
        }
        match self.state {
            ConnectionState::Online => self.link_lost(now, "server says not logged in (301)"),
            ConnectionState::LoggingIn => self.attempt_failed(
                now,
                error_code::RESPONSE_FOR_UNLOGIN,
                "server says not logged in (301)",
            ),
            _ => {}
        }
    }

    fn handle_kickout(&mut self, now: u64, info: Option<KickoutInfo>) {
        let info = info.unwrap_or(KickoutInfo {
            code: -1,
            reason: None,
        });
        self.log(
            Level::Warn,
            ["kicked out with code ", &int_text(info.code.into())].concat(),
        );
        // A kick during a relogin comes after the outage's `Disconnected` was already told.
        let was_online = self.is_online();
        self.emit(Event::Kicked(info));
        self.end_session(now, ConnectionState::Kicked);
        if was_online {
            self.emit(Event::Disconnected);
        }
    }
}

/// What a frame from the host led to ([`Client::handle_read_frame`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameHandled {
    /// An app message for the app ([`Event::Data`] or [`Event::HeldData`]).
    pub app_message: bool,
    /// An ack to write ([`Outbound::Ack`](super::Outbound::Ack) or
    /// [`Outbound::HeldAck`](super::Outbound::HeldAck)), duplicates included.
    pub acked: bool,
}
