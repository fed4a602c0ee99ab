/**
 * Records named events (app callbacks, SDK events) and awaits them with a timeout, so tests
 * never sleep for a fixed time.
 */

const DEFAULT_TIMEOUT_MS = 10_000;

/** The app callbacks the session tests record: everything but logs, pings and alerts. */
export const MAIN_CALLBACKS = [
  'callback_onIMData',
  'callback_onIMAfterLoginSucess',
  'callback_onIMAfterLoginFailed',
  'callback_onIMReconnectSucess',
  'callback_onIMDisconnected',
  'callback_onIMKickout',
  'callback_onMessagesLost',
  'callback_onMessagesBeReceived',
];

export function createRecorder() {
  /** @type {{name: string, args: unknown[], at: number}[]} */
  const records = [];
  /** @type {Set<() => void>} */
  const waiters = new Set();

  function push(name, ...args) {
    records.push({ name, args, at: Date.now() });
    for (const check of [...waiters]) check();
  }

  /** @param {string} name @param {(...args: any[]) => boolean} where */
  function matching(name, where) {
    return records.filter((record) => record.name === name && where(...record.args));
  }

  return {
    records,
    push,

    /** A function that records its calls under `name`. */
    callback(name) {
      return (...args) => push(name, ...args);
    },

    /** The argument lists recorded under `name`. */
    all(name) {
      return records.filter((record) => record.name === name).map((record) => record.args);
    },

    /**
     * Resolves with the arguments of the `count`-th record of `name` matching `where`.
     * @param {string} name
     * @param {{count?: number, where?: (...args: any[]) => boolean, timeout?: number}} [options]
     */
    waitFor(name, { count = 1, where = () => true, timeout = DEFAULT_TIMEOUT_MS } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching(name, where);
          if (found.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found[count - 1].args);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = records.map((record) => record.name).join(', ');
          reject(new Error(`timed out after ${timeout} ms waiting for ${count}× "${name}"; seen: ${seen}`));
        }, timeout);
        if (!check()) waiters.add(check);
      });
    },
  };
}

/**
 * Polls `predicate` until it holds (for state that has no event, e.g. counters).
 * @param {() => boolean} predicate
 * @param {string} what
 * @param {number} [timeout]
 */
export async function eventually(predicate, what, timeout = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
