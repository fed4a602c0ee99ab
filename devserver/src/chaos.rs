//! Fault injection for soak tests: `--chaos seed=S,drop=P,dup=P,delay=MIN-MAX,cut=MS`.
//!
//! Every connection gets its own random stream derived from the seed and the connection's
//! accept order (0, 1, 2, …), so a run is reproducible when clients connect in the same order
//! and the server writes the same frames.
//!
//! * `drop=P`: each text frame the server writes is dropped with probability P.
//! * `dup=P`: each frame that is not dropped is written twice with probability P.
//! * `delay=MIN-MAX`: each frame waits a uniform MIN..=MAX ms before it is written. Frames keep
//!   their order, so a delay also holds back the frames queued behind it.
//! * `cut=MS`: each connection is cut after a uniform MS/2..=3·MS/2 ms *without* a close frame
//!   (the TCP connection is simply closed, as when a network path dies; a browser reports 1006).
//!
//! Only text frames the server writes are affected. Frames the server reads, WebSocket control
//! frames and the server's own 1000 "Bye" close are not.

use std::str::FromStr;
use std::time::Duration;

use thiserror::Error;

/// A parsed `--chaos` value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChaosSpec {
    /// The seed every connection's random stream is derived from.
    pub seed: u64,
    /// Probability of dropping a frame.
    pub drop: f64,
    /// Probability of writing a frame twice.
    pub dup: f64,
    /// Per-frame delay range, inclusive.
    pub delay: Option<(Duration, Duration)>,
    /// Mean time after which a connection is cut.
    pub cut: Option<Duration>,
}

/// Why a `--chaos` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChaosSpecError {
    /// A part is not `key=value`.
    #[error("`{0}` is not key=value")]
    NotKeyValue(String),
    /// An unknown key.
    #[error("unknown chaos key `{0}` (expected seed, drop, dup, delay, cut)")]
    UnknownKey(String),
    /// A value that does not parse or is out of range.
    #[error("bad value for `{key}`: `{value}`")]
    BadValue {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
    },
}

impl FromStr for ChaosSpec {
    type Err = ChaosSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spec = ChaosSpec {
            seed: 0,
            drop: 0.0,
            dup: 0.0,
            delay: None,
            cut: None,
        };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| ChaosSpecError::NotKeyValue(part.to_owned()))?;
            let bad = || ChaosSpecError::BadValue {
                key: key.to_owned(),
                value: value.to_owned(),
            };
            match key {
                "seed" => spec.seed = value.parse().map_err(|_| bad())?,
                "drop" => spec.drop = probability(value).ok_or_else(bad)?,
                "dup" => spec.dup = probability(value).ok_or_else(bad)?,
                "delay" => {
                    let (min, max) = value.split_once('-').ok_or_else(bad)?;
                    let min: u64 = min.parse().map_err(|_| bad())?;
                    let max: u64 = max.parse().map_err(|_| bad())?;
                    if min > max {
                        return Err(bad());
                    }
                    spec.delay = Some((Duration::from_millis(min), Duration::from_millis(max)));
                }
                "cut" => {
                    let ms: u64 = value.parse().map_err(|_| bad())?;
                    if ms == 0 {
                        return Err(bad());
                    }
                    spec.cut = Some(Duration::from_millis(ms));
                }
                _ => return Err(ChaosSpecError::UnknownKey(key.to_owned())),
            }
        }
        Ok(spec)
    }
}

fn probability(value: &str) -> Option<f64> {
    value.parse().ok().filter(|p| (0.0..=1.0).contains(p))
}

/// What to do with one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FramePlan {
    /// How many times to write it: 0 (dropped), 1 or 2 (duplicated).
    pub copies: u8,
    /// How long to wait before writing it.
    pub delay: Duration,
}

/// One connection's faults, drawn from its own reproducible random stream.
#[derive(Debug, Clone)]
pub struct LinkChaos {
    spec: ChaosSpec,
    frames: SplitMix64,
    cut: SplitMix64,
}

impl LinkChaos {
    /// The faults for the connection accepted `conn`-th (from 0).
    pub fn new(spec: ChaosSpec, conn: u64) -> Self {
        let base = SplitMix64::new(spec.seed ^ conn.wrapping_mul(0xA076_1D64_78BD_642F)).next();
        Self {
            spec,
            frames: SplitMix64::new(base),
            cut: SplitMix64::new(base ^ 0xE703_7ED1_A0B4_28DB),
        }
    }

    /// When to cut this connection, counted from its start; `None` without `cut=`.
    pub fn cut_after(&mut self) -> Option<Duration> {
        let mean = self.spec.cut?;
        Some(mean.mul_f64(0.5 + self.cut.unit()))
    }

    /// The plan for the next frame written. Draws the same amount of randomness for every
    /// frame, so a frame's fate depends only on the seed, the connection and its position.
    pub fn plan_frame(&mut self) -> FramePlan {
        let drop_roll = self.frames.unit();
        let dup_roll = self.frames.unit();
        let delay_roll = self.frames.unit();
        let copies = if drop_roll < self.spec.drop {
            0
        } else if dup_roll < self.spec.dup {
            2
        } else {
            1
        };
        let delay = self.spec.delay.map_or(Duration::ZERO, |(min, max)| {
            min + (max - min).mul_f64(delay_roll)
        });
        FramePlan { copies, delay }
    }
}

/// SplitMix64: tiny, fast and fixed forever, so a seed means the same run in every version.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> ChaosSpec {
        text.parse().unwrap()
    }

    #[test]
    fn parses_every_key() {
        let s = spec("seed=7,drop=0.1,dup=0.25,delay=5-20,cut=3000");
        assert_eq!(s.seed, 7);
        assert_eq!((s.drop, s.dup), (0.1, 0.25));
        assert_eq!(
            s.delay,
            Some((Duration::from_millis(5), Duration::from_millis(20)))
        );
        assert_eq!(s.cut, Some(Duration::from_secs(3)));
    }

    #[test]
    fn refuses_bad_values() {
        for bad in ["drop=2", "dup=x", "delay=9-1", "cut=0", "speed=1", "seed"] {
            assert!(bad.parse::<ChaosSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn same_seed_and_connection_give_the_same_plans() {
        let s = spec("seed=42,drop=0.3,dup=0.3,delay=0-100,cut=1000");
        let plans = |conn| {
            let mut chaos = LinkChaos::new(s, conn);
            let cut = chaos.cut_after();
            let frames: Vec<_> = (0..50).map(|_| chaos.plan_frame()).collect();
            (cut, frames)
        };
        assert_eq!(plans(3), plans(3));
        assert_ne!(plans(3), plans(4));
    }

    #[test]
    fn rates_and_ranges_hold() {
        let mut chaos = LinkChaos::new(spec("seed=1,drop=0.2,dup=0.5,delay=10-20,cut=1000"), 0);
        let plans: Vec<_> = (0..10_000).map(|_| chaos.plan_frame()).collect();
        let dropped = plans.iter().filter(|p| p.copies == 0).count();
        let doubled = plans.iter().filter(|p| p.copies == 2).count();
        assert!((1_700..2_300).contains(&dropped), "{dropped}");
        assert!((3_700..4_300).contains(&doubled), "{doubled}");
        assert!(plans
            .iter()
            .all(|p| (10..=20).contains(&p.delay.as_millis())));
        let cut = chaos.cut_after().unwrap();
        assert!(cut >= Duration::from_millis(500) && cut <= Duration::from_millis(1500));
    }
}
