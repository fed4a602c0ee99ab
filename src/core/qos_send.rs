//! Send-side QoS: every unacknowledged QoS message with its own deadline.
//!
//! Online, a message's deadline is its resend (or, after the last resend, loss) check. Offline,
//! retries do not advance and the deadline is the end of its offline hold. Acks and deadlines cost
//! O(1); only going offline or online touches every entry.
//!
//! Deadlines need no priority queue: they are queued in the order they fall due. Online, every
//! new deadline is `now + resend interval`, later than all queued ones. Offline, a message's hold
//! ends at `went offline + hold - time already held`, and an older message has been offline
//! through every outage a newer one has seen, so in send order the hold ends never decrease.
//! (A host clock that steps back only makes a deadline fire late.) An acknowledged message
//! leaves its deadline behind, skipped when it reaches the front and dropped by compaction.
//!
//! Messages are kept in send order, by send id, with no hashing; only fingerprints are hashed.
//! The table spans the oldest unacknowledged message to the newest, so one message that waits
//! (until its last resend or the end of its offline hold) keeps the empty slots of the later,
//! acknowledged ones until it ends.

use std::collections::VecDeque;
use std::rc::Rc;

use super::fixed_hash::FixedHashMap;

use super::{Config, LostMessage};

/// A QoS message not yet acknowledged: its encoded frame, shared with its writes (a lost one is
/// reported with it, and decoded only by a host that asks, [`LostMessage::message`]; none when
/// the host keeps the message, `Client::send_held`), and its fingerprint, to forget it by when
/// it is lost.
#[derive(Debug)]
struct Pending {
    text: Option<Rc<String>>,
    fp: Rc<str>,
    resends: u32,
    written: bool,
    /// A type-5 echo, which its type-53 reply acknowledges.
    echo: bool,
    deadline: u64,
    offline_since: Option<u64>,
    held_ms: u64,
}

impl Pending {
    /// The report of this message as lost, with the message as the app sent it.
    fn lost(self, send_id: u64) -> LostMessage {
        LostMessage {
            send_id,
            text: self.text,
            written: self.written,
        }
    }
}

/// A frame to write for a tracked message.
#[derive(Debug, PartialEq, Eq)]
pub struct MessageWrite {
    /// The message's send id.
    pub send_id: u64,
    /// The encoded frame; `None` when the host keeps the message.
    pub text: Option<Rc<String>>,
    /// Whether this is the message's first write.
    pub first_write: bool,
}

/// What expired at a deadline.
#[derive(Debug, Default)]
pub struct Expired {
    /// Frames to write again.
    pub resend: Vec<MessageWrite>,
    /// Messages given up.
    pub lost: Vec<LostMessage>,
}

/// The table of unacknowledged QoS messages.
#[derive(Debug, Default)]
pub struct QosSend {
    /// Send ids are given out in increasing order, so the messages sit in send order in a deque
    /// indexed by `send id - first_id`: no hashing per send or ack. A slot is `None` once its
    /// message is acknowledged or lost, or if its id was not a QoS message; leading `None`s are
    /// dropped, so the deque spans the oldest unacknowledged message to the newest.
    slots: VecDeque<Option<Pending>>,
    /// The send id of `slots[0]`.
    first_id: u64,
    /// How many slots hold a message.
    live: usize,
    by_fp: FixedHashMap<Rc<str>, u64>,
    /// `(deadline, send id)` in the order they fall due; entries of removed messages or of
    /// superseded deadlines are skipped.
    deadlines: VecDeque<(u64, u64)>,
    online: bool,
}

impl QosSend {
    /// How many messages are unacknowledged.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether `fp` is unacknowledged.
    pub fn contains(&self, fp: &str) -> bool {
        self.by_fp.contains_key(fp)
    }

    /// Starts tracking the message with fingerprint `fp`, encoded as `text` (`None`: the host
    /// keeps it; `echo`: a type-5 echo); `send_id` is above every tracked one. Online, the
    /// caller writes it now.
    pub fn track(
        &mut self,
        send_id: u64,
        fp: Rc<str>,
        text: Option<Rc<String>>,
        echo: bool,
        now: u64,
        config: &Config,
    ) {
        let (deadline, offline_since) = if self.online {
            (now.saturating_add(config.qos_resend_interval_ms), None)
        } else {
            (now.saturating_add(config.offline_hold_ms), Some(now))
        };
        if self.slots.is_empty() {
            self.first_id = send_id;
        }
        let index = self.index(send_id).unwrap_or(self.slots.len());
        debug_assert!(index >= self.slots.len(), "send ids increase");
        self.slots.resize_with(index, || None);
        self.by_fp.insert(Rc::clone(&fp), send_id);
        self.slots.push_back(Some(Pending {
            text,
            fp,
            resends: 0,
            written: self.online,
            echo,
            deadline,
            offline_since,
            held_ms: 0,
        }));
        self.live += 1;
        self.deadlines.push_back((deadline, send_id));
    }

    /// Removes the message acknowledged by `fp` and returns its send id and the table's copy of
    /// its fingerprint; `None` if it was not unacknowledged. With `echo_reply` the acknowledgement is a type-53 reply, which
    /// acknowledges only an echo.
    pub fn acknowledge(&mut self, fp: &str, echo_reply: bool) -> Option<(u64, Rc<str>)> {
        // A type-4 ack hashes `fp` once; only an echo reply looks the message up first.
        if echo_reply && !self.get(*self.by_fp.get(fp)?)?.echo {
            return None;
        }
        let (fp, send_id) = self.by_fp.remove_entry(fp)?;
        self.take(send_id);
        self.compact();
        Some((send_id, fp))
    }

    /// The earliest deadline.
    pub fn next_deadline(&self) -> Option<u64> {
        self.deadlines.front().map(|(at, _)| *at)
    }

    /// The link is down: freeze retries and start each message's offline hold.
    pub fn go_offline(&mut self, now: u64, config: &Config) {
        if !self.online {
            return;
        }
        self.online = false;
        for pending in self.slots.iter_mut().flatten() {
            pending.offline_since = Some(now);
            let remaining = config.offline_hold_ms.saturating_sub(pending.held_ms);
            pending.deadline = now.saturating_add(remaining);
        }
        self.rebuild_deadlines();
    }

    /// The client is online again: every message is written now, in send order.
    pub fn go_online(&mut self, now: u64, config: &Config) -> Vec<MessageWrite> {
        if self.online {
            return Vec::new();
        }
        self.online = true;
        let deadline = now.saturating_add(config.qos_resend_interval_ms);
        let mut writes = Vec::with_capacity(self.live);
        for (send_id, pending) in self.numbered_mut() {
            if let Some(since) = pending.offline_since.take() {
                pending.held_ms = pending.held_ms.saturating_add(now.saturating_sub(since));
            }
            pending.deadline = deadline;
            writes.push(MessageWrite {
                send_id,
                text: pending.text.clone(),
                first_write: !pending.written,
            });
            pending.written = true;
        }
        self.rebuild_deadlines();
        writes
    }

    /// Handles every deadline due at `now`: resend, or give up.
    pub fn expire(&mut self, now: u64, config: &Config) -> Expired {
        let mut expired = Expired::default();
        while let Some(&(at, send_id)) = self.deadlines.front() {
            if at > now {
                break;
            }
            self.deadlines.pop_front();
            let slot = self
                .index(send_id)
                .and_then(|index| self.slots.get_mut(index));
            let Some(pending) = slot
                .and_then(Option::as_mut)
                .filter(|pending| pending.deadline == at)
            else {
                continue;
            };
            if self.online && pending.resends < config.qos_max_resends {
                pending.resends += 1;
                pending.deadline = now.saturating_add(config.qos_resend_interval_ms);
                self.deadlines.push_back((pending.deadline, send_id));
                expired.resend.push(MessageWrite {
                    send_id,
                    text: pending.text.clone(),
                    first_write: false,
                });
            } else if let Some(lost) = self.remove_lost(send_id) {
                expired.lost.push(lost);
            }
        }
        self.drop_stale_front();
        expired
    }

    /// The config changed from `old` to `new` at `now`. Online, a new resend interval re-arms
    /// every message's next check at `now` plus that interval (its resends used stay used);
    /// offline, a new hold moves the end of every message's hold as if the new hold had applied
    /// all along (an end already past falls due at the next [`expire`](Self::expire)). Either
    /// way the deadlines stay in send order, which is the order they fall due.
    pub fn reconfigure(&mut self, now: u64, old: &Config, new: &Config) {
        let changed = if self.online {
            old.qos_resend_interval_ms != new.qos_resend_interval_ms
        } else {
            old.offline_hold_ms != new.offline_hold_ms
        };
        if !changed {
            return;
        }
        let next_check = now.saturating_add(new.qos_resend_interval_ms);
        for pending in self.slots.iter_mut().flatten() {
            pending.deadline = match pending.offline_since {
                Some(since) => {
                    since.saturating_add(new.offline_hold_ms.saturating_sub(pending.held_ms))
                }
                None => next_check,
            };
        }
        self.rebuild_deadlines();
    }

    /// Gives up every message (logout, kick-out, auth failure).
    pub fn drain_all(&mut self) -> Vec<LostMessage> {
        self.online = false;
        self.deadlines.clear();
        self.by_fp.clear();
        self.live = 0;
        let first_id = self.first_id;
        std::mem::take(&mut self.slots)
            .into_iter()
            .zip(first_id..)
            .filter_map(|(slot, send_id)| Some(slot?.lost(send_id)))
            .collect()
    }

    /// The slot index of `send_id`; `None` below the first slot.
    fn index(&self, send_id: u64) -> Option<usize> {
        usize::try_from(send_id.checked_sub(self.first_id)?).ok()
    }

    fn get(&self, send_id: u64) -> Option<&Pending> {
        self.slots.get(self.index(send_id)?)?.as_ref()
    }

    /// The live messages with their send ids, in send order.
    fn numbered_mut(&mut self) -> impl Iterator<Item = (u64, &mut Pending)> {
        (self.first_id..)
            .zip(self.slots.iter_mut())
            .filter_map(|(send_id, slot)| Some((send_id, slot.as_mut()?)))
    }

    /// Removes the message of `send_id` and the empty slots it leaves at the front.
    fn take(&mut self, send_id: u64) -> Option<Pending> {
        let index = self.index(send_id)?;
        let pending = self.slots.get_mut(index)?.take()?;
        self.live -= 1;
        while self.slots.front().is_some_and(Option::is_none) {
            self.slots.pop_front();
            self.first_id += 1;
        }
        Some(pending)
    }

    /// Keeps the deadlines of removed messages (skipped when they reach the front) within twice
    /// the live count, and the front of the deadline queue live.
    fn compact(&mut self) {
        if self.deadlines.len() > 2 * self.live + 64 {
            let mut deadlines = std::mem::take(&mut self.deadlines);
            deadlines.retain(|(at, id)| self.get(*id).is_some_and(|p| p.deadline == *at));
            self.deadlines = deadlines;
        } else {
            self.drop_stale_front();
        }
    }

    /// Queues every live message's deadline in send order (after going offline or online, when
    /// that order is the order they fall due).
    fn rebuild_deadlines(&mut self) {
        self.deadlines = (self.first_id..)
            .zip(&self.slots)
            .filter_map(|(send_id, slot)| Some((slot.as_ref()?.deadline, send_id)))
            .collect();
    }

    /// Drops entries of removed messages or superseded deadlines off the front, so the front is a
    /// live deadline.
    fn drop_stale_front(&mut self) {
        while let Some(&(at, send_id)) = self.deadlines.front() {
            if self
                .get(send_id)
                .is_some_and(|pending| pending.deadline == at)
            {
                break;
            }
            self.deadlines.pop_front();
        }
    }

    fn remove_lost(&mut self, send_id: u64) -> Option<LostMessage> {
        let pending = self.take(send_id)?;
        if self.by_fp.get(&*pending.fp) == Some(&send_id) {
            self.by_fp.remove(&*pending.fp);
        }
        self.compact();
        Some(pending.lost(send_id))
    }
}
