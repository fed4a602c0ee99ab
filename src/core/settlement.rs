//! When a sent message counts as written (docs/client-behaviour.md §8, `sendData`'s callbacks):
//! the host reports the result of each message's first write, and the client settles every
//! accepted send's write exactly once, before the message's acknowledgement or loss.

use super::client::Client;
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

    /// Stops awaiting `send_id`; whether it is a QoS message, `None` if it was not awaited.
    fn take(&mut self, send_id: u64) -> Option<bool> {
        let index = self
            .awaiting
            .iter()
            .position(|entry| entry >> 1 == send_id)?;
        Some(self.awaiting.swap_remove(index) & 1 == 1)
    }
}

impl Client {
    /// The host's result of the first write of the message `send_id` (whether the socket took
    /// it): the settlement it makes, [`Event::MessageWritten`] with 0 or 3
    /// (`COMMON_DATA_SEND_FAILD`), the last outcome of a non-QoS message; `None` for a send
    /// already settled. Returned, not queued: a write's result causes nothing else, so the host
    /// applies it at once (in the wasm, without a delivery round).
    pub fn handle_written(&mut self, send_id: u64, ok: bool) -> Option<Event> {
        let qos = self.first_writes.take(send_id)?;
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

    /// Settles the write of a QoS message that is acknowledged or lost now: one handed to a
    /// socket whose result is still due counts as written (an ack proves it), one never handed
    /// to a socket fails with 201 (`BREOKEN_CONNECT_TO_SERVER`).
    pub(super) fn settle_before_outcome(&mut self, send_id: u64, handed: bool) {
        let code = if !handed {
            error_code::BREOKEN_CONNECT_TO_SERVER
        } else if self.first_writes.take(send_id).is_some() {
            error_code::COMMON_CODE_OK
        } else {
            return;
        };
        self.emit(Event::MessageWritten {
            send_id,
            code,
            last: false,
        });
    }
}
