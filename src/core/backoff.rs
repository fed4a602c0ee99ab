//! Reconnect backoff: immediately, then 3 s, 6 s, 12 s … capped, with jitter.

use super::{Config, RandomSource};

/// Counts failed attempts of one outage and turns the count into the next delay.
#[derive(Debug, Default, Clone)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Forgets past failures (a new login, or a relogin whose session held).
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// The delay before the next attempt, counting one more failure.
    pub fn next_delay(&mut self, config: &Config, random: &mut dyn RandomSource) -> u64 {
        let failures = self.failures;
        self.failures = self.failures.saturating_add(1);
        if failures == 0 {
            return 0;
        }
        let doublings = (failures - 1).min(32);
        let delay = config
            .reconnect_base_ms
            .saturating_mul(1u64 << doublings)
            .min(config.reconnect_cap_ms);
        let spread = delay.saturating_mul(config.reconnect_jitter_percent.min(100)) / 100;
        if spread == 0 {
            return delay;
        }
        let offset = random.next_u64() % (2 * spread + 1);
        delay - spread + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::SeededRandom;

    #[test]
    fn delays_double_from_the_base_up_to_the_cap_within_the_jitter() {
        let config = Config::default();
        let mut random = SeededRandom::new(1);
        let mut backoff = Backoff::default();
        let delays: Vec<u64> = (0..8)
            .map(|_| backoff.next_delay(&config, &mut random))
            .collect();
        assert_eq!(delays[0], 0);
        for (delay, nominal) in delays[1..]
            .iter()
            .zip([3_000, 6_000, 12_000, 24_000, 30_000, 30_000, 30_000])
        {
            assert!(
                (nominal * 8 / 10..=nominal * 12 / 10).contains(delay),
                "{delay} not within 20% of {nominal}"
            );
        }
        backoff.reset();
        assert_eq!(backoff.next_delay(&config, &mut random), 0);
    }
}
