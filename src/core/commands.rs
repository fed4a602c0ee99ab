//! Sending an app message (docs/client-behaviour.md §4, §7).

use std::rc::Rc;

use super::client::SendReceipt;
use super::context::Context;
use super::fingerprint::alphanumeric_length;
use super::link::Link;
use super::outbox::Outbox;
use super::{Outbound, SendError};
use crate::protocol::{ProtocalRef, ProtocalType, UNSET_UID};

/// Tries before giving up on drawing a fingerprint that is not already in flight.
const FINGERPRINT_TRIES: usize = 16;

impl Outbox {
    /// Sends an app message on `link` (see [`Client::send`](super::Client::send)); with
    /// `held`, the JSON length of its content as the host writes it, the host keeps the
    /// message and writes its frames (see [`Client::send_held`](super::Client::send_held)).
    pub(super) fn send(
        &mut self,
        link: &Link,
        cx: &mut Context,
        now: u64,
        message: ProtocalRef<'_>,
        held: Option<usize>,
    ) -> Result<SendReceipt, SendError> {
        // A copy of a shorter lifetime, which can borrow the fingerprint made here.
        let mut message: ProtocalRef<'_> = message;
        if message.kind != ProtocalType::COMMON_DATA && message.kind != ProtocalType::ECHO {
            return Err(SendError::Invalid(
                "only type 2 (data) or 5 (echo) can be sent",
            ));
        }
        if message.to.is_empty() {
            return Err(SendError::Invalid("`to` is empty"));
        }
        if link.session().is_none() || !link.state().is_active() {
            return Err(SendError::NotConnected);
        }
        if !message.qos && !link.is_online() {
            return Err(SendError::NotConnected);
        }
        // The QoS fingerprint: the message's own, or one generated for it.
        let fp = if message.qos {
            if self.pending() >= cx.config().max_pending_messages {
                return Err(SendError::TooManyPending(self.pending()));
            }
            Some(match message.fp {
                Some(fp) if self.is_pending(fp) => {
                    return Err(SendError::Invalid(
                        "a message with this fp is already pending",
                    ))
                }
                Some(fp) if !fp.is_empty() => Rc::from(fp),
                _ => self.unique_fingerprint(cx)?,
            })
        } else {
            None
        };
        if let Some(fp) = &fp {
            message.fp = Some(fp);
        }
        let mut from_user = false;
        if message.from.is_empty() || message.from == UNSET_UID {
            if let Some(user_id) = link.user_id() {
                message.from = user_id;
                from_user = true;
            }
        }
        let echo = message.kind == ProtocalType::ECHO;
        let (text, len) = match held {
            None => {
                let text = message.encode();
                let len = text.len();
                (Some(text), len)
            }
            Some(content_json) => {
                // Counted exactly only when the bound is past the limit.
                let bound = message.encoded_len_bound(content_json);
                let len = if bound > cx.config().max_outbound_bytes {
                    message.encoded_len(content_json)
                } else {
                    bound
                };
                (None, len)
            }
        };
        let limit = cx.config().max_outbound_bytes;
        if len > limit {
            return Err(SendError::TooLarge { len, limit });
        }
        let text = text.map(Rc::new);
        let send_id = self.take_send_id();
        if link.is_online() {
            let frame = Outbound::Message {
                send_id,
                first_write: true,
                text: text.clone(),
            };
            link.write(cx, frame);
            self.first_write_handed(send_id, fp.is_some());
        }
        if let Some(fp) = &fp {
            self.track(send_id, Rc::clone(fp), text, echo, now, cx.config());
        }
        Ok(SendReceipt {
            send_id,
            fp,
            from_user,
        })
    }

    /// A fingerprint no pending message has. A UUID v4 (122 random bits) is taken as drawn:
    /// checking it would cost a hash of it per send for a collision that does not happen.
    fn unique_fingerprint(&self, cx: &mut Context) -> Result<Rc<str>, SendError> {
        let alphanumeric = alphanumeric_length(cx.config().fingerprint_length).is_some();
        for _ in 0..FINGERPRINT_TRIES {
            let fp = cx.new_fingerprint();
            if !alphanumeric || !self.is_pending(&fp) {
                return Ok(fp);
            }
        }
        Err(SendError::Invalid(
            "fingerprint length too short for a unique id",
        ))
    }
}
