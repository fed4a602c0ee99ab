//! When a sent message counts as written (docs/client-behaviour.md §8, `sendData`'s callbacks):
//! the host reports the result of each message's first write, and the client settles every
//! accepted send's write exactly once, before the message's acknowledgement or loss.

use super::Event;
use crate::protocol::error_code;

/// The first writes handed to a socket whose result the host has not reported yet.
#[derive(Debug, Default)]
pub(super) struct FirstWrites {
    /// Each send id shifted left by one, its low bit set for a QoS message (a plain `u64`
    /// list: a deque of pairs cost the mini-program's `.wasm.br` 318 bytes more, `npm run
    /// build`, before and after).
    awaiting: Vec<u64>,
}

impl FirstWrites {
    /// The first write of `send_id` went to the socket.
    pub(super) fn handed(&mut self, send_id: u64, qos: bool) {
        self.awaiting.push(send_id << 1 | u64::from(qos));
    }

    /// The host's result of the first write of `send_id` (whether the socket took it):
    /// [`Event::MessageWritten`] with 0 or 3 (`COMMON_DATA_SEND_FAILD`), the last outcome of a
    /// non-QoS message; `None` for a send already settled.
    pub(super) fn written(&mut self, send_id: u64, ok: bool) -> Option<Event> {
        let qos = self.take(send_id)?;
        let code = if ok {
            error_code::COMMON_CODE_OK
        } else {
            error_code::COMMON_DATA_SEND_FAILD
        };
        Some(Event::MessageWritten {
            send_id,
            code,
            last: !qos,
        })
    }

    /// The settlement of a QoS message acknowledged or lost now, if its write is not settled
    /// yet: one `handed` to a socket whose result is still due counts as written (an ack
    /// proves it), one never handed to a socket fails with 201 (`BREOKEN_CONNECT_TO_SERVER`).
    pub(super) fn settle_before_outcome(&mut self, send_id: u64, handed: bool) -> Option<Event> {
        let code = if !handed {
            error_code::BREOKEN_CONNECT_TO_SERVER
        } else {
            self.take(send_id)?;
            error_code::COMMON_CODE_OK
        };
        Some(Event::MessageWritten {
            send_id,
            code,
            last: false,
        })
    }

    /// Stops awaiting `send_id`; whether it is a QoS message, `None` if it was not awaited.
    fn take(&mut self, send_id: u64) -> Option<bool> {
        let index = self
            .awaiting
            .iter()
            .position(|entry| entry >> 1 == send_id)?;
        Some(self.awaiting.swap_remove(index) & 1 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(send_id: u64, code: i32, last: bool) -> Option<Event> {
        Some(Event::MessageWritten {
            send_id,
            code,
            last,
        })
    }

    #[test]
    fn a_write_result_settles_its_send_once() {
        let mut writes = FirstWrites::default();
        writes.handed(1, false);
        writes.handed(2, true);
        assert_eq!(writes.written(2, false), written(2, 3, false));
        assert_eq!(writes.written(1, true), written(1, 0, true));
        assert_eq!(writes.written(1, true), None);
        assert_eq!(writes.settle_before_outcome(2, true), None);
    }

    #[test]
    fn results_in_any_order_settle_each_send_once() {
        let mut writes = FirstWrites::default();
        for send_id in 1..=5 {
            writes.handed(send_id, send_id % 2 == 0);
        }
        assert_eq!(writes.written(3, true), written(3, 0, true));
        assert_eq!(writes.written(5, true), written(5, 0, true));
        assert_eq!(writes.written(1, false), written(1, 3, true));
        assert_eq!(writes.settle_before_outcome(4, true), written(4, 0, false));
        assert_eq!(writes.written(2, true), written(2, 0, false));
        for send_id in 1..=5 {
            assert_eq!(
                writes.written(send_id, true),
                None,
                "{send_id} settled twice"
            );
        }
    }

    #[test]
    fn an_outcome_first_settles_a_handed_write_as_written_and_an_unhanded_one_as_201() {
        let mut writes = FirstWrites::default();
        writes.handed(7, true);
        assert_eq!(writes.settle_before_outcome(7, true), written(7, 0, false));
        assert_eq!(writes.written(7, false), None);
        assert_eq!(
            writes.settle_before_outcome(8, false),
            written(8, 201, false)
        );
    }
}
