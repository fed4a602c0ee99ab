//! The online map (user id → the session registered for it) and the stock server's rules for
//! admitting a login when the user id is already online.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::outbox::{Outbox, WriteFailed};

/// The session registered for a user id.
#[derive(Debug, Clone)]
struct Registered {
    outbox: Outbox,
    first_login_time: i64,
}

/// What happened to a login that was admitted to the online map, or not.
#[derive(Debug)]
pub enum Admission {
    /// The new session is now the user's online session.
    Registered {
        /// The older session of the same user, which must be kicked out (code 1).
        kick: Option<Outbox>,
    },
    /// The new session reconnected with an older first-login time than the online one: the new
    /// session must be kicked out and is not registered.
    Refused,
}

/// Why a frame addressed to a user id was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undelivered {
    /// No session is online for that user id.
    Offline,
    /// The online session could not take the frame.
    WriteFailed(WriteFailed),
}

/// The online map, shared by every connection.
#[derive(Debug, Default)]
pub struct Hub {
    online: Mutex<HashMap<String, Registered>>,
}

impl Hub {
    /// Registers `outbox` as the online session of `uid`, applying the duplicate-login rules of
    /// the stock server (`OnlineProcessor.putUser`) with the one deviation docs/protocol.md §7 states:
    ///
    /// * no other session online for `uid`, or the same connection again: registered;
    /// * `from_client <= 0` (a first login): the older session is kicked;
    /// * `from_client` equal to the older session's first-login time (a relogin of the same
    ///   client): the older session is replaced without a kick (docs/protocol.md §7);
    /// * `from_client` later than the older session's: the older session is kicked;
    /// * `from_client` earlier: the new session is refused (and kicked by the caller).
    ///
    /// `to_client` is the first-login time sent back in the login reply and stored with the
    /// session for later comparisons.
    pub fn admit(&self, uid: &str, from_client: i64, to_client: i64, outbox: &Outbox) -> Admission {
        let mut online = self.online.lock().expect("hub lock");
        let mut kick = None;
        if let Some(old) = online.get(uid) {
            if old.outbox.conn() != outbox.conn() {
                if from_client > 0 && from_client < old.first_login_time {
                    return Admission::Refused;
                }
                if from_client <= 0 || from_client > old.first_login_time {
                    kick = Some(old.outbox.clone());
                }
            }
        }
        online.insert(
            uid.to_owned(),
            Registered {
                outbox: outbox.clone(),
                first_login_time: to_client,
            },
        );
        Admission::Registered { kick }
    }

    /// Removes `uid` if connection `conn` is still its online session; a replaced or kicked
    /// session's close changes nothing.
    pub fn remove_if_current(&self, uid: &str, conn: u64) -> bool {
        let mut online = self.online.lock().expect("hub lock");
        if online.get(uid).is_some_and(|r| r.outbox.conn() == conn) {
            online.remove(uid);
            true
        } else {
            false
        }
    }

    /// Writes `frame` to the session online for `uid`.
    pub fn send_to(&self, uid: &str, frame: Utf8Bytes) -> Result<(), Undelivered> {
        let outbox = self
            .online
            .lock()
            .expect("hub lock")
            .get(uid)
            .map(|r| r.outbox.clone())
            .ok_or(Undelivered::Offline)?;
        outbox.send(frame).map_err(Undelivered::WriteFailed)
    }

    /// How many user ids are online.
    pub fn online_count(&self) -> usize {
        self.online.lock().expect("hub lock").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::OutboxReceiver;

    fn outbox(conn: u64) -> (Outbox, OutboxReceiver) {
        Outbox::channel(conn, 4)
    }

    fn kicked(admission: Admission) -> Option<u64> {
        match admission {
            Admission::Registered { kick } => kick.map(|o| o.conn()),
            Admission::Refused => panic!("refused"),
        }
    }

    #[test]
    fn first_login_kicks_the_older_session() {
        let hub = Hub::default();
        let (a, _ra) = outbox(1);
        let (b, _rb) = outbox(2);
        assert_eq!(kicked(hub.admit("bob", 0, 100, &a)), None);
        assert_eq!(kicked(hub.admit("bob", 0, 200, &b)), Some(1));
        assert!(!hub.remove_if_current("bob", 1));
        assert!(hub.remove_if_current("bob", 2));
        assert_eq!(hub.online_count(), 0);
    }

    #[test]
    fn relogin_with_the_returned_time_replaces_without_kick() {
        let hub = Hub::default();
        let (a, _ra) = outbox(1);
        let (b, _rb) = outbox(2);
        hub.admit("bob", 0, 100, &a);
        assert_eq!(kicked(hub.admit("bob", 100, 100, &b)), None);
        assert!(hub.remove_if_current("bob", 2));
    }

    #[test]
    fn later_time_kicks_older_and_earlier_time_is_refused() {
        let hub = Hub::default();
        let (a, _ra) = outbox(1);
        let (b, _rb) = outbox(2);
        let (c, _rc) = outbox(3);
        hub.admit("bob", 0, 100, &a);
        assert_eq!(kicked(hub.admit("bob", 150, 150, &b)), Some(1));
        assert!(matches!(hub.admit("bob", 120, 120, &c), Admission::Refused));
        assert!(hub.remove_if_current("bob", 2));
    }

    #[test]
    fn same_connection_logging_in_again_is_not_kicked() {
        let hub = Hub::default();
        let (a, _ra) = outbox(1);
        hub.admit("bob", 0, 100, &a);
        assert_eq!(kicked(hub.admit("bob", 0, 300, &a)), None);
    }

    #[test]
    fn send_to_reports_offline_and_full_queues() {
        let hub = Hub::default();
        assert_eq!(hub.send_to("x", "f".into()), Err(Undelivered::Offline));
        let (a, _ra) = Outbox::channel(1, 1);
        hub.admit("x", 0, 1, &a);
        assert_eq!(hub.send_to("x", "f".into()), Ok(()));
        assert_eq!(
            hub.send_to("x", "g".into()),
            Err(Undelivered::WriteFailed(WriteFailed::QueueFull))
        );
    }
}
