//! The connection-level timers as one table (QoS deadlines live with their messages).

/// The connection-level deadlines the client can have armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// The current login attempt must have succeeded by then.
    LoginTimeout,
    /// The next (re)connect attempt.
    Reconnect,
    /// The next keep-alive ping.
    Ping,
    /// The link is dead if nothing arrived by then.
    LinkDead,
}

const ALL: [Timer; 4] = [
    Timer::LoginTimeout,
    Timer::Reconnect,
    Timer::Ping,
    Timer::LinkDead,
];

/// One optional deadline (ms) per [`Timer`].
#[derive(Debug, Default, Clone)]
pub struct Timers {
    deadlines: [Option<u64>; 4],
}

impl Timers {
    /// Arms `timer` at `at`, replacing any earlier deadline.
    pub fn set(&mut self, timer: Timer, at: u64) {
        self.deadlines[timer as usize] = Some(at);
    }

    /// Disarms `timer`.
    pub fn stop(&mut self, timer: Timer) {
        self.deadlines[timer as usize] = None;
    }

    /// Disarms everything.
    pub fn stop_all(&mut self) {
        self.deadlines = [None; 4];
    }

    /// The earliest armed deadline.
    pub fn next(&self) -> Option<u64> {
        self.deadlines.iter().flatten().copied().min()
    }

    /// Disarms and returns the timers due at `now`, in table order (`None` for the others).
    pub fn take_expired(&mut self, now: u64) -> [Option<Timer>; 4] {
        ALL.map(|timer| {
            let slot = &mut self.deadlines[timer as usize];
            let due = slot.is_some_and(|at| at <= now);
            if due {
                *slot = None;
            }
            due.then_some(timer)
        })
    }
}
