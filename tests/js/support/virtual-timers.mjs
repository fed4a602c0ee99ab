/**
 * The four timer functions of a runtime on a virtual clock: nothing fires until the test moves
 * time forward with `advance(ms)`, which fires every timer due on the way, in the order they
 * fall due (by arming order when they tie), and moves `now()` to each one's time as it fires.
 */

/**
 * @param {(fn: Function, ...args: unknown[]) => void} run runs a timer callback (the runtime
 *   reports what it throws)
 * @param {number} [start] the clock's first reading, in ms since the epoch
 */
export function createVirtualTimers(run, start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  /** @type {Map<number, {at: number, fn: Function, args: unknown[], every: number | null}>} */
  const timers = new Map();

  /** @param {Function} fn @param {unknown} delay @param {unknown[]} args @param {boolean} repeat */
  function arm(fn, delay, args, repeat) {
    const id = nextId++;
    const ms = Math.max(0, Number(delay) || 0);
    timers.set(id, { at: now + ms, fn, args, every: repeat ? Math.max(1, ms) : null });
    return id;
  }

  /** @param {number} id */
  const clear = (id) => {
    timers.delete(id);
  };

  /** The id and timer due first, not later than `end`, or `null`. */
  function dueFirst(end) {
    /** @type {[number, {at: number}] | null} */
    let due = null;
    for (const entry of timers) {
      if (entry[1].at <= end && (due === null || entry[1].at < due[1].at)) due = entry;
    }
    return due;
  }

  return {
    api: {
      setTimeout: (fn, delay, ...args) => arm(fn, delay, args, false),
      clearTimeout: clear,
      setInterval: (fn, delay, ...args) => arm(fn, delay, args, true),
      clearInterval: clear,
    },
    now: () => now,
    /** Timers armed and not yet fired or cleared. */
    size: () => timers.size,
    /** Moves the clock forward by `ms`, firing every timer due on the way. */
    advance(ms) {
      const end = now + ms;
      for (let due = dueFirst(end); due !== null; due = dueFirst(end)) {
        const [id, timer] = /** @type {[number, {at: number, fn: Function, args: unknown[], every: number | null}]} */ (
          due
        );
        now = timer.at;
        if (timer.every === null) timers.delete(id);
        else timer.at += timer.every;
        run(timer.fn, ...timer.args);
      }
      now = end;
    },
    /** Clears every timer. */
    clearAll() {
      timers.clear();
    },
  };
}
