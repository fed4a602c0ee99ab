//! A simulated WebSocket link: per direction it can delay, drop, duplicate and reorder frames;
//! the world can also cut it (both ends see a close) or black-hole it (nothing arrives, nobody
//! is told), all with seeded randomness.

use mobileimsdk_wasm::core::{RandomSource, SeededRandom};

/// The faults of one link, applied to both directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFaults {
    /// One-way delay of every frame (and of the connect and close handshakes).
    pub delay_ms: u64,
    /// Extra random delay, 0 to this, per frame.
    pub jitter_ms: u64,
    /// Chance in 1000 that a text frame is dropped.
    pub drop_per_mille: u32,
    /// Chance in 1000 that a text frame is delivered twice.
    pub duplicate_per_mille: u32,
    /// Whether jitter may deliver frames out of order (otherwise each direction is FIFO).
    pub reorder: bool,
}

impl LinkFaults {
    /// A clean link with 10 ms one-way delay.
    pub const CLEAN: Self = Self {
        delay_ms: 10,
        jitter_ms: 0,
        drop_per_mille: 0,
        duplicate_per_mille: 0,
        reorder: false,
    };

    /// A clean link with the given one-way delay.
    pub fn delayed(delay_ms: u64) -> Self {
        Self {
            delay_ms,
            ..Self::CLEAN
        }
    }
}

impl Default for LinkFaults {
    fn default() -> Self {
        Self::CLEAN
    }
}

/// `true` with a chance of `per_mille` in 1000.
pub fn chance(random: &mut SeededRandom, per_mille: u32) -> bool {
    per_mille > 0 && random.next_u64() % 1000 < u64::from(per_mille)
}

/// One direction of a link: when its frames arrive.
#[derive(Debug, Default, Clone)]
pub struct Direction {
    last_delivery: u64,
    /// Everything sent is silently lost (a half-open connection).
    pub blackhole: bool,
}

impl Direction {
    /// Delivery times of one text frame sent at `now`: none if dropped, two if duplicated.
    pub fn plan_frame(
        &mut self,
        now: u64,
        faults: &LinkFaults,
        random: &mut SeededRandom,
    ) -> Vec<u64> {
        if self.blackhole || chance(random, faults.drop_per_mille) {
            return Vec::new();
        }
        let copies = if chance(random, faults.duplicate_per_mille) {
            2
        } else {
            1
        };
        (0..copies)
            .map(|_| self.arrival(now, faults, random))
            .collect()
    }

    /// Delivery time of the close handshake: never dropped, after every frame sent before it.
    pub fn plan_close(&mut self, now: u64, faults: &LinkFaults) -> u64 {
        let at = (now + faults.delay_ms).max(self.last_delivery);
        self.last_delivery = at;
        at
    }

    fn arrival(&mut self, now: u64, faults: &LinkFaults, random: &mut SeededRandom) -> u64 {
        let jitter = if faults.jitter_ms > 0 {
            random.next_u64() % (faults.jitter_ms + 1)
        } else {
            0
        };
        let at = now + faults.delay_ms + jitter;
        if faults.reorder {
            self.last_delivery = self.last_delivery.max(at);
            at
        } else {
            let at = at.max(self.last_delivery);
            self.last_delivery = at;
            at
        }
    }
}
