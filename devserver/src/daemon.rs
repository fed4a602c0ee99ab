//! The periodic work: the S2C QoS check (resend once, then report lost) and the sweep of the
//! C2S received cache. Both start at boot with an immediate first run, like the stock daemons.

use std::sync::Arc;

use tokio::sync::watch;
use tokio::time::{interval, Instant, MissedTickBehavior};

use crate::shared::{Counters, Shared};

/// Runs until the server shuts down.
pub(crate) async fn run(shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let mut qos_tick = interval(shared.qos.timings().check_interval);
    qos_tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut sweep_tick = interval(shared.config.dedupe.sweep_interval);
    sweep_tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = qos_tick.tick() => check_qos(&shared, Instant::now()),
            _ = sweep_tick.tick() => shared.received.sweep(Instant::now()),
        }
    }
}

/// One run of the S2C QoS daemon. A resend goes to the session online for the receiver *now*,
/// so it reaches a client that reconnected since.
fn check_qos(shared: &Shared, now: Instant) {
    let check = shared.qos.check(now);
    for resend in check.resend {
        match shared.hub.send_to(&resend.to, resend.frame) {
            Ok(()) => {
                tracing::debug!(fp = %resend.fp, to = %resend.to, "QoS resend");
                shared.qos.rewritten(&resend.fp, now);
            }
            Err(why) => {
                tracing::debug!(fp = %resend.fp, to = %resend.to, ?why, "QoS resend failed")
            }
        }
    }
    for fp in check.lost {
        Counters::bump(&shared.counters.s2c_lost);
        tracing::info!(%fp, "S2C message lost (no acknowledgement after the resend)");
    }
}
