/**
 * A virtual clock for the benchmarks: replaces `Date.now`, `setTimeout` and `clearTimeout` so
 * the SDK's timers fire when the bench advances time (tests/js/support/virtual-timers.mjs), and
 * counts every timer callback fired.
 */
import { createVirtualTimers } from '../../tests/js/support/virtual-timers.mjs';

export function installVirtualClock(start = 1_700_000_000_000) {
  let fired = 0;
  const timers = createVirtualTimers((fn, ...args) => {
    fired += 1;
    fn(...args);
  }, start);
  const original = { now: Date.now, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  Date.now = timers.now;
  globalThis.setTimeout = timers.api.setTimeout;
  globalThis.clearTimeout = timers.api.clearTimeout;

  return {
    now: timers.now,
    /** Timer callbacks fired so far. */
    fired: () => fired,
    /** Timers armed now. */
    armed: timers.size,
    /** Moves time forward by `ms`, firing every timer due on the way, in order. */
    advance: timers.advance,
    uninstall() {
      Date.now = original.now;
      globalThis.setTimeout = original.setTimeout;
      globalThis.clearTimeout = original.clearTimeout;
    },
  };
}
