//! The messages the app sent: send ids, the QoS messages not yet acknowledged, and the first
//! writes whose result the host has not reported (docs/client-behaviour.md §4, §8).

use std::rc::Rc;

use super::context::Context;
use super::qos_send::{Expired, MessageWrite, QosSend};
use super::settlement::FirstWrites;
use super::{Config, Event, Level, LostMessage};
use crate::protocol::json::int_text;

/// Everything on the sending side that changes with a send, an ack or a loss.
#[derive(Debug)]
pub(super) struct Outbox {
    qos_send: QosSend,
    first_writes: FirstWrites,
    next_send_id: u64,
}

impl Outbox {
    /// Nothing sent yet; the first send id is 1.
    pub(super) fn new() -> Self {
        Self {
            qos_send: QosSend::default(),
            first_writes: FirstWrites::default(),
            next_send_id: 1,
        }
    }

    /// How many QoS messages are unacknowledged (queued or in flight).
    pub(super) fn pending(&self) -> usize {
        self.qos_send.len()
    }

    /// Whether a QoS message with `fp` is unacknowledged.
    pub(super) fn is_pending(&self, fp: &str) -> bool {
        self.qos_send.contains(fp)
    }

    /// The earliest QoS deadline.
    pub(super) fn next_deadline(&self) -> Option<u64> {
        self.qos_send.next_deadline()
    }

    /// The send id for the next accepted message.
    pub(super) fn take_send_id(&mut self) -> u64 {
        let send_id = self.next_send_id;
        self.next_send_id += 1;
        send_id
    }

    /// The first write of `send_id` went to the socket; its result is now due from the host.
    pub(super) fn first_write_handed(&mut self, send_id: u64, qos: bool) {
        self.first_writes.handed(send_id, qos);
    }

    /// Starts tracking an accepted QoS message (see [`QosSend::track`]).
    pub(super) fn track(
        &mut self,
        send_id: u64,
        fp: Rc<str>,
        text: Option<Rc<String>>,
        echo: bool,
        now: u64,
        config: &Config,
    ) {
        self.qos_send.track(send_id, fp, text, echo, now, config);
    }

    /// The host's result of the first write of `send_id` (see [`FirstWrites::written`]).
    pub(super) fn written(&mut self, send_id: u64, ok: bool) -> Option<Event> {
        self.first_writes.written(send_id, ok)
    }

    /// The acknowledgement of the QoS message with `fp`: a type-4 ack, or with `echo_reply` a
    /// type-53 reply, which acknowledges only an echo (docs/client-behaviour.md §4).
    pub(super) fn acknowledge(&mut self, cx: &mut Context, fp: &str, echo_reply: bool) {
        if let Some((send_id, fp)) = self.qos_send.acknowledge(fp, echo_reply) {
            self.settle_before_outcome(cx, send_id, true);
            cx.emit(Event::MessageReceived { fp, send_id });
        } else if !echo_reply {
            cx.log(Level::Debug, "ack for an fp not in flight ignored".into());
        }
    }

    /// The link went down at `now`: retries freeze, offline holds start.
    pub(super) fn go_offline(&mut self, now: u64, config: &Config) {
        self.qos_send.go_offline(now, config);
    }

    /// The link is online at `now`: every waiting message, in send order, to write now (the
    /// caller hands each first write to the socket, [`first_write_handed`](Self::first_write_handed)).
    pub(super) fn go_online(&mut self, now: u64, config: &Config) -> Vec<MessageWrite> {
        self.qos_send.go_online(now, config)
    }

    /// The QoS deadlines due at `now`: what to write again, what is given up.
    pub(super) fn expire(&mut self, now: u64, config: &Config) -> Expired {
        self.qos_send.expire(now, config)
    }

    /// The config changes from `old` to `new` at `now` (see [`QosSend::reconfigure`]).
    pub(super) fn reconfigure(&mut self, now: u64, old: &Config, new: &Config) {
        self.qos_send.reconfigure(now, old, new);
    }

    /// Gives up every unacknowledged message (a new user, a logout, the end of the session).
    pub(super) fn lose_all(&mut self, cx: &mut Context) {
        let lost = self.qos_send.drain_all();
        self.report_lost(cx, lost);
    }

    /// Tells the app of messages given up, each write settled first.
    pub(super) fn report_lost(&mut self, cx: &mut Context, lost: Vec<LostMessage>) {
        if !lost.is_empty() {
            for message in &lost {
                self.settle_before_outcome(cx, message.send_id, message.written);
            }
            cx.log(
                Level::Warn,
                [&int_text(lost.len() as i64), " message(s) lost"].concat(),
            );
            cx.emit(Event::MessagesLost(lost));
        }
    }

    /// Emits the settlement [`FirstWrites::settle_before_outcome`] makes, if any.
    fn settle_before_outcome(&mut self, cx: &mut Context, send_id: u64, handed: bool) {
        if let Some(event) = self.first_writes.settle_before_outcome(send_id, handed) {
            cx.emit(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Output, SeededRandom};

    fn context() -> Context {
        Context::new(Config::default(), Box::new(SeededRandom::new(7)))
    }

    fn events(cx: &mut Context) -> Vec<Event> {
        std::iter::from_fn(|| cx.take_output())
            .filter_map(|output| match output {
                Output::Event(event) => Some(event),
                _ => None,
            })
            .collect()
    }

    fn track(outbox: &mut Outbox, fp: &str, config: &Config) -> u64 {
        let send_id = outbox.take_send_id();
        let text = Some(Rc::new(String::from("{}")));
        outbox.track(send_id, Rc::from(fp), text, false, 0, config);
        send_id
    }

    #[test]
    fn an_ack_settles_a_handed_first_write_before_the_message_counts_as_received() {
        let (mut outbox, mut cx) = (Outbox::new(), context());
        let config = *cx.config();
        assert!(outbox.go_online(0, &config).is_empty());
        let send_id = track(&mut outbox, "fp1", &config);
        outbox.first_write_handed(send_id, true);
        outbox.acknowledge(&mut cx, "fp1", false);
        let expected = [
            Event::MessageWritten {
                send_id,
                code: 0,
                last: false,
            },
            Event::MessageReceived {
                fp: Rc::from("fp1"),
                send_id,
            },
        ];
        assert_eq!(events(&mut cx), expected);
        assert_eq!((outbox.pending(), outbox.written(send_id, true)), (0, None));
    }

    #[test]
    fn a_message_never_handed_to_a_socket_is_settled_201_before_it_is_reported_lost() {
        let (mut outbox, mut cx) = (Outbox::new(), context());
        let config = *cx.config();
        let send_id = track(&mut outbox, "fp1", &config);
        outbox.lose_all(&mut cx);
        let events = events(&mut cx);
        let settled = Event::MessageWritten {
            send_id,
            code: 201,
            last: false,
        };
        assert_eq!(events.first(), Some(&settled));
        assert!(matches!(events.last(), Some(Event::MessagesLost(lost)) if lost.len() == 1));
        assert_eq!(outbox.pending(), 0);
    }
}
