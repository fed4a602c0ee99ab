//! The app's commands besides logging in and out (`link.rs`): send, change a setting.

use std::rc::Rc;

use super::client::{Client, SendReceipt};
use super::fingerprint::{alphanumeric_length, new_fingerprint};
use super::timers::Timer;
use super::{Level, LogTopic, Outbound, SendError};
use crate::protocol::{ProtocalRef, ProtocalType, SenseMode, UNSET_UID};

/// Tries before giving up on drawing a fingerprint that is not already in flight.
const FINGERPRINT_TRIES: usize = 16;

impl Client {
    /// Switches the debug lines of `topic` on or off (docs/client-behaviour.md §8).
    pub fn set_debug_logs(&mut self, topic: LogTopic, on: bool) {
        let switch = match topic {
            LogTopic::Core => &mut self.config.debug_logs,
            LogTopic::Sdk => &mut self.config.sdk_logs,
            LogTopic::Heartbeat => &mut self.config.heartbeat_logs,
        };
        *switch = on;
    }

    /// Switches fingerprints to `n` alphanumeric characters (`Some(n)`) or UUID v4 (`None`).
    pub fn set_fingerprint_length(&mut self, length: Option<usize>) {
        self.config.fingerprint_length = length.filter(|n| *n > 0);
    }

    /// The stock `setMsgIdLength(n)` (docs/client-behaviour.md §7): a whole `n` above 0 is
    /// [`set_fingerprint_length`](Self::set_fingerprint_length)`(Some(n))`, any other value
    /// (0, negative, fractional, not a number) UUID v4.
    pub fn set_msg_id_length(&mut self, n: f64) {
        let length = n as usize;
        self.set_fingerprint_length((length as f64 == n).then_some(length));
    }

    /// The stock `setSenseMode(mode)` (docs/client-behaviour.md §2): one of the `MBSenseMode`
    /// numbers 1–7 is [`set_sense_mode`](Self::set_sense_mode); any other value changes
    /// nothing and is logged (`unknown sense mode … ignored`). Returns whether it was taken.
    pub fn set_sense_mode_number(&mut self, now: u64, mode: f64) -> bool {
        let number = mode as i32;
        let known = SenseMode::from_code(number).filter(|_| f64::from(number) == mode);
        if let Some(mode) = known {
            self.set_sense_mode(now, mode);
        } else {
            self.log(Level::Warn, "unknown sense mode ignored".into());
        }
        known.is_some()
    }

    /// Changes the keep-alive cadence; an online client re-arms its timers from `now`.
    pub fn set_sense_mode(&mut self, now: u64, mode: SenseMode) {
        self.config.sense_mode = mode;
        if self.is_online() {
            self.timers.set(Timer::Ping, now + mode.ping_interval_ms());
            self.timers.set(Timer::LinkDead, now + mode.dead_after_ms());
        }
    }

    /// Sends an app message (type 2, or 5 for an echo test).
    ///
    /// Online, it is written at once. Offline during a session, a QoS message waits in order and
    /// is written on reconnect; a non-QoS message is refused. A QoS message without `fp` gets one.
    pub fn send<'m>(
        &mut self,
        now: u64,
        message: impl Into<ProtocalRef<'m>>,
    ) -> Result<SendReceipt, SendError> {
        let mut message = message.into();
        if message.kind != ProtocalType::COMMON_DATA && message.kind != ProtocalType::ECHO {
            return Err(SendError::Invalid(
                "only type 2 (data) or 5 (echo) can be sent",
            ));
        }
        if message.to.is_empty() {
            return Err(SendError::Invalid("`to` is empty"));
        }
        if self.session.is_none() || !self.state.is_active() {
            return Err(SendError::NotConnected);
        }
        if !message.qos && !self.is_online() {
            return Err(SendError::NotConnected);
        }
        // The QoS fingerprint: the message's own, or one generated for it.
        let fp = if message.qos {
            if self.qos_send.len() >= self.config.max_pending_messages {
                return Err(SendError::TooManyPending(self.qos_send.len()));
            }
            Some(match message.fp {
                Some(fp) if self.qos_send.contains(fp) => {
                    return Err(SendError::Invalid(
                        "a message with this fp is already pending",
                    ))
                }
                Some(fp) if !fp.is_empty() => Rc::from(fp),
                _ => self.unique_fingerprint()?,
            })
        } else {
            None
        };
        if let Some(fp) = &fp {
            message.fp = Some(fp);
        }
        if message.from.is_empty() || message.from == UNSET_UID {
            if let Some(session) = &self.session {
                message.from = session.user_id();
            }
        }
        let echo = message.kind == ProtocalType::ECHO;
        let text = message.encode();
        if text.len() > self.config.max_outbound_bytes {
            return Err(SendError::TooLarge {
                len: text.len(),
                limit: self.config.max_outbound_bytes,
            });
        }
        let text = Rc::new(text);
        let send_id = self.take_send_id();
        if self.is_online() {
            self.write(Outbound::Message {
                send_id,
                first_write: true,
                text: Rc::clone(&text),
            });
            self.first_writes.handed(send_id, fp.is_some());
        }
        if let Some(fp) = &fp {
            self.qos_send
                .track(send_id, Rc::clone(fp), text, echo, now, &self.config);
        }
        Ok(SendReceipt { send_id, fp })
    }

    /// A fingerprint no pending message has. A UUID v4 (122 random bits) is taken as drawn:
    /// checking it would cost a hash of it per send for a collision that does not happen.
    fn unique_fingerprint(&mut self) -> Result<Rc<str>, SendError> {
        let length = self.config.fingerprint_length;
        let alphanumeric = alphanumeric_length(length).is_some();
        for _ in 0..FINGERPRINT_TRIES {
            let fp = new_fingerprint(self.random.as_mut(), length);
            if !alphanumeric || !self.qos_send.contains(&fp) {
                return Ok(fp);
            }
        }
        Err(SendError::Invalid(
            "fingerprint length too short for a unique id",
        ))
    }
}
