/**
 * A virtual clock for the benchmarks: replaces `Date.now`, `setTimeout` and `clearTimeout` so
 * the SDK's timers fire when the bench advances time, and counts every timer callback fired.
 */
export function installVirtualClock(start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  /** @type {Map<number, {at: number, fn: () => void}>} */
  const timers = new Map();
  const original = { now: Date.now, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  let fired = 0;

  Date.now = () => now;
  globalThis.setTimeout = (fn, ms = 0) => {
    const id = nextId++;
    timers.set(id, { at: now + Math.max(0, Number(ms) || 0), fn });
    return id;
  };
  globalThis.clearTimeout = (id) => {
    timers.delete(id);
  };

  return {
    now: () => now,
    /** Timer callbacks fired so far. */
    fired: () => fired,
    /** Timers armed now. */
    armed: () => timers.size,
    /** Moves time forward by `ms`, firing every timer due on the way, in order. */
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due = null;
        for (const [id, timer] of timers) {
          if (timer.at <= end && (due === null || timer.at < due[1].at)) due = [id, timer];
        }
        if (due === null) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        fired += 1;
        due[1].fn();
      }
      now = end;
    },
    uninstall() {
      Date.now = original.now;
      globalThis.setTimeout = original.setTimeout;
      globalThis.clearTimeout = original.clearTimeout;
    },
  };
}
