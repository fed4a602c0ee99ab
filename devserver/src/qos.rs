//! Server → client QoS (`QoS4SendDaemonS2C`): every QoS frame the server writes is remembered by
//! fingerprint until the client acknowledges it; a periodic check resends it once, then gives up.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// The S2C QoS daemon's timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QosTimings {
    /// How often the queue is checked (stock: 5000 ms, first check at boot).
    pub check_interval: Duration,
    /// Frames written less than this long ago are not resent yet (stock: 2000 ms).
    pub just_now: Duration,
    /// How many times a frame is resent before it is reported lost (stock: 1).
    pub max_resends: u32,
}

impl Default for QosTimings {
    fn default() -> Self {
        Self {
            check_interval: Duration::from_millis(5000),
            just_now: Duration::from_millis(2000),
            max_resends: 1,
        }
    }
}

#[derive(Debug)]
struct Pending {
    to: String,
    frame: Utf8Bytes,
    written_at: Instant,
    resends: u32,
}

/// A frame the check wants resent to the session currently online for `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resend {
    /// The fingerprint.
    pub fp: String,
    /// The receiver's user id, looked up again at resend time.
    pub to: String,
    /// The frame exactly as first written.
    pub frame: Utf8Bytes,
}

/// What one check decided.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Check {
    /// Frames to resend now.
    pub resend: Vec<Resend>,
    /// Fingerprints given up on (`messagesLost`).
    pub lost: Vec<String>,
}

/// The queue of unacknowledged server → client QoS frames.
#[derive(Debug, Default)]
pub struct QosQueue {
    timings: QosTimings,
    pending: Mutex<HashMap<String, Pending>>,
}

impl QosQueue {
    /// An empty queue with `timings`.
    pub fn new(timings: QosTimings) -> Self {
        Self {
            timings,
            pending: Mutex::default(),
        }
    }

    /// The timings this queue runs on.
    pub fn timings(&self) -> QosTimings {
        self.timings
    }

    /// Remembers a QoS frame written to `to` at `now`. A frame with the same fingerprint
    /// (a sender's retry) replaces the older entry and starts over.
    pub fn put(&self, fp: &str, to: &str, frame: Utf8Bytes, now: Instant) {
        self.lock().insert(
            fp.to_owned(),
            Pending {
                to: to.to_owned(),
                frame,
                written_at: now,
                resends: 0,
            },
        );
    }

    /// The client acknowledged `fp`; returns whether it was pending.
    pub fn acknowledge(&self, fp: &str) -> bool {
        self.lock().remove(fp).is_some()
    }

    /// One run of the daemon at `now`: entries resent `max_resends` times are lost and removed;
    /// entries older than "just now" are counted as resent and returned for resending.
    pub fn check(&self, now: Instant) -> Check {
        let mut check = Check::default();
        self.lock().retain(|fp, p| {
            if p.resends >= self.timings.max_resends {
                check.lost.push(fp.clone());
                return false;
            }
            if now.saturating_duration_since(p.written_at) > self.timings.just_now {
                p.resends += 1;
                check.resend.push(Resend {
                    fp: fp.clone(),
                    to: p.to.clone(),
                    frame: p.frame.clone(),
                });
            }
            true
        });
        check
    }

    /// A resend of `fp` was written at `now`.
    pub fn rewritten(&self, fp: &str, now: Instant) {
        if let Some(p) = self.lock().get_mut(fp) {
            p.written_at = now;
        }
    }

    /// How many frames await an acknowledgement.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Pending>> {
        self.pending.lock().expect("qos lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn resends_once_after_just_now_then_loses() {
        let q = QosQueue::new(QosTimings::default());
        let t0 = Instant::now();
        q.put("f", "bob", "frame".into(), t0);
        assert_eq!(q.check(t0 + ms(2000)), Check::default());
        let check = q.check(t0 + ms(2001));
        assert_eq!(check.resend.len(), 1);
        assert_eq!(check.resend[0].to, "bob");
        q.rewritten("f", t0 + ms(2001));
        assert_eq!(q.check(t0 + ms(7001)).lost, vec!["f".to_owned()]);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn acknowledged_frames_are_not_resent() {
        let q = QosQueue::new(QosTimings::default());
        let t0 = Instant::now();
        q.put("f", "bob", "frame".into(), t0);
        assert!(q.acknowledge("f"));
        assert!(!q.acknowledge("f"));
        assert_eq!(q.check(t0 + ms(9000)), Check::default());
    }

    #[test]
    fn a_senders_retry_starts_over() {
        let q = QosQueue::new(QosTimings::default());
        let t0 = Instant::now();
        q.put("f", "bob", "frame".into(), t0);
        q.check(t0 + ms(3000));
        q.put("f", "bob", "frame".into(), t0 + ms(4000));
        assert_eq!(q.check(t0 + ms(8000)).resend.len(), 1);
        assert_eq!(q.len(), 1);
    }
}
