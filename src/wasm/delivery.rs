//! The core behind the handle: each call runs at the current time, then every output goes to
//! the JS host in order and the one timer is armed at the core's next deadline.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::convert;
use super::host::Host;
use super::texts::{Fields, FIELD_COUNT};
use crate::core::{Client, Event, Level, LogTopic, Outbound, Output};

/// The state shared by the handle and its timer.
pub(super) struct Inner {
    pub(super) client: RefCell<Client>,
    pub(super) host: Host,
    dispatching: Cell<bool>,
    /// The deadline the host's one timer is armed for.
    timer: Cell<Option<u64>>,
    pub(super) destroyed: Cell<bool>,
    /// The text buffer: the glue writes the texts of a `login`, `send` or `frame` call here.
    pub(super) texts: RefCell<Vec<u8>>,
    /// The numbers the glue writes for a `login`, `send` or `frame` call.
    pub(super) fields: RefCell<Fields>,
}

fn now_ms() -> u64 {
    super::host::date_now() as u64
}

impl Inner {
    /// The core `client`, reporting to `host`.
    pub(super) fn new(client: Client, host: Host) -> Self {
        Self {
            client: RefCell::new(client),
            host,
            dispatching: Cell::new(false),
            timer: Cell::new(None),
            destroyed: Cell::new(false),
            texts: RefCell::new(Vec::new()),
            fields: RefCell::new([0; FIELD_COUNT]),
        }
    }

    /// Runs `f` on the core at the current time, then delivers the outputs and re-arms the
    /// timer; `None` once destroyed.
    pub(super) fn run<R>(this: &Rc<Self>, f: impl FnOnce(&mut Client, u64) -> R) -> Option<R> {
        let now = now_ms();
        let result = Self::run_at(this, now, f)?;
        Self::deliver(this, now);
        Some(result)
    }

    /// Runs `f` on the core at the current time and leaves its outputs queued for the next
    /// delivery (`ImClient.flush` or any other call); `None` once destroyed.
    pub(super) fn run_quietly<R>(
        this: &Rc<Self>,
        f: impl FnOnce(&mut Client, u64) -> R,
    ) -> Option<R> {
        Self::run_at(this, now_ms(), f)
    }

    fn run_at<R>(this: &Rc<Self>, now: u64, f: impl FnOnce(&mut Client, u64) -> R) -> Option<R> {
        this.with_client(|client| f(client, now))
    }

    /// Runs `f` on the core without the clock and without delivering outputs, for an input
    /// that needs neither; `None` once destroyed.
    #[inline(always)]
    pub(super) fn with_client<R>(&self, f: impl FnOnce(&mut Client) -> R) -> Option<R> {
        if self.destroyed.get() {
            return None;
        }
        Some(f(&mut self.client.borrow_mut()))
    }

    /// Tells the host a warning of the bindings themselves.
    pub(super) fn warn(&self, message: &str) {
        let message = message.to_owned();
        let log = Event::Log {
            level: Level::Warn,
            topic: LogTopic::Core,
            message,
        };
        self.host.output(&convert::event(&log));
    }

    /// Stops the timer; every later call does nothing.
    pub(super) fn destroy(&self) {
        self.destroyed.set(true);
        if self.timer.take().is_some() {
            self.host.timer(None);
        }
    }

    /// The host's timer fired: the core handles its deadlines.
    pub(super) fn timeout(this: &Rc<Self>) {
        this.timer.set(None);
        Inner::run(this, |client, now| client.handle_timeout(now));
    }

    /// Keeps the host's one timer armed at `deadline`: never earlier, so an idle client wakes
    /// only for what is due (its pings).
    fn arm(&self, deadline: Option<u64>, now: u64) {
        if self.timer.replace(deadline) == deadline {
            return;
        }
        let delay = deadline.map(|at| at.saturating_sub(now).min(u64::from(u32::MAX)) as f64);
        self.host.timer(delay);
    }

    /// Hands the core's outputs to the host in order, taking them one at a time so that the
    /// core is not borrowed while the host runs, then arms the timer for the core's deadline. A
    /// call made from inside a host callback only adds outputs, which this loop delivers next;
    /// `destroy` from inside one stops it.
    fn deliver(this: &Rc<Self>, now: u64) {
        if this.dispatching.replace(true) {
            return;
        }
        while !this.destroyed.get() {
            let output = this.client.borrow_mut().poll_output();
            match output {
                Output::Write { generation, frame } => this.write(generation as f64, frame),
                Output::OpenSocket { generation, url } => {
                    this.host.output(&convert::open_socket(generation, &url))
                }
                Output::CloseSocket { generation } => {
                    this.host.output(&convert::close_socket(generation))
                }
                Output::Event(Event::HeldData) => this.host.data(),
                Output::Event(Event::MessageWritten {
                    send_id,
                    code,
                    last,
                }) => this.host.written(send_id as f64, code, last),
                Output::Event(Event::MessageReceived { send_id, .. }) => {
                    this.host.received(send_id as f64)
                }
                Output::Event(event) => this.host.output(&convert::event(&event)),
                Output::Timeout(deadline) => {
                    this.arm(deadline, now);
                    break;
                }
            }
        }
        this.dispatching.set(false);
    }

    /// Hands one frame to the host: an app message's first write with its text and send id
    /// (the browser build, `ImClient.send`), or by send id alone, the glue keeping the text (the
    /// mini-program build, `ImClient.sendHeld`); a held frame's ack without text; any other as
    /// its text.
    fn write(&self, generation: f64, frame: Outbound) {
        match frame {
            #[cfg(not(feature = "glue-writes-messages"))]
            Outbound::Message {
                send_id,
                first_write: true,
                text: Some(text),
            } => self.host.write_first(generation, send_id as f64, &text),
            #[cfg(feature = "glue-writes-messages")]
            Outbound::Message {
                send_id,
                first_write,
                text: None,
            } => self
                .host
                .write_message(generation, send_id as f64, first_write),
            Outbound::HeldAck => self.host.write_ack(generation),
            other => {
                if let Some(text) = other.text() {
                    self.host.write_text(generation, &text);
                }
            }
        }
    }
}
