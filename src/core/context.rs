//! What every part of the client reads, draws from and tells: the config, the host's
//! randomness and the queue of outputs for the host.

use std::collections::VecDeque;
use std::rc::Rc;

use super::backoff::Backoff;
use super::fingerprint::new_fingerprint;
use super::{Config, Event, Level, LogTopic, Output, RandomSource};
use crate::protocol::SenseMode;

/// The config, the randomness and the outputs not yet taken by the host.
pub(super) struct Context {
    config: Config,
    random: Box<dyn RandomSource>,
    outputs: VecDeque<Output>,
}

impl Context {
    /// A context with nothing queued.
    pub(super) fn new(config: Config, random: Box<dyn RandomSource>) -> Self {
        Self {
            config,
            random,
            outputs: VecDeque::new(),
        }
    }

    /// The current configuration.
    pub(super) fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the whole configuration (already checked).
    pub(super) fn replace_config(&mut self, config: Config) {
        self.config = config;
    }

    /// Switches the debug lines of `topic` on or off.
    pub(super) fn set_debug_logs(&mut self, topic: LogTopic, on: bool) {
        let switch = match topic {
            LogTopic::Core => &mut self.config.debug_logs,
            LogTopic::Sdk => &mut self.config.sdk_logs,
            LogTopic::Heartbeat => &mut self.config.heartbeat_logs,
        };
        *switch = on;
    }

    /// Switches fingerprints to `n` alphanumeric characters (`Some(n)`, n > 0) or UUID v4.
    pub(super) fn set_fingerprint_length(&mut self, length: Option<usize>) {
        self.config.fingerprint_length = length.filter(|n| *n > 0);
    }

    /// Changes the keep-alive cadence.
    pub(super) fn set_sense_mode(&mut self, mode: SenseMode) {
        self.config.sense_mode = mode;
    }

    /// A random `u64` (the salt of the receive-side de-duplication).
    pub(super) fn random_u64(&mut self) -> u64 {
        self.random.next_u64()
    }

    /// A new fingerprint of the configured kind.
    pub(super) fn new_fingerprint(&mut self) -> Rc<str> {
        new_fingerprint(self.random.as_mut(), self.config.fingerprint_length)
    }

    /// The delay before the next reconnect attempt, counting one more failure in `backoff`.
    pub(super) fn retry_delay(&mut self, backoff: &mut Backoff) -> u64 {
        backoff.next_delay(&self.config, self.random.as_mut())
    }

    /// Queues an output for the host.
    pub(super) fn queue(&mut self, output: Output) {
        self.outputs.push_back(output);
    }

    /// Queues an event for the app. Never inlined: a copy at each of its call sites cost the
    /// mini-program's `.wasm.br` 284 bytes more (`npm run build`, before and after).
    #[inline(never)]
    pub(super) fn emit(&mut self, event: Event) {
        self.queue(Output::Event(event));
    }

    /// Queues a log line of the core: warnings and errors always, info and debug with
    /// `debug_logs` on.
    pub(super) fn log(&mut self, level: Level, message: String) {
        if level > Level::Info || self.config.debug_logs {
            let topic = LogTopic::Core;
            self.emit(Event::Log {
                level,
                topic,
                message,
            });
        }
    }

    /// Queues a debug line of `topic` (not `Core`), the concatenation of `parts`, only when its
    /// switches are on (docs/client-behaviour.md §8).
    #[inline(never)]
    pub(super) fn debug_line(&mut self, topic: LogTopic, parts: &[&str]) {
        let on =
            self.config.sdk_logs && (topic != LogTopic::Heartbeat || self.config.heartbeat_logs);
        if on {
            self.emit(Event::Log {
                level: Level::Debug,
                topic,
                message: parts.concat(),
            });
        }
    }

    /// The oldest queued output, if any.
    pub(super) fn take_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }
}
