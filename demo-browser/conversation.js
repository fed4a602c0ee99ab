/**
 * The messages one user sent and received, each with its delivery state. Plain bookkeeping: the
 * states come from the SDK (the code `sendData` returned, `callback_onMessagesBeReceived`,
 * `callback_onMessagesLost`); nothing here decides whether a message arrived.
 *
 * A sent message is `sending` (accepted by `sendData`), then `delivered` or `lost`; `failed`
 * when `sendData` refused it (its code is kept). A received message is `received`.
 */

/**
 * @typedef {object} Entry
 * @property {number} id
 * @property {string} time
 * @property {'out' | 'in'} direction
 * @property {Record<string, any>} message the `Protocal` object (the SDK may set its `fp` later)
 * @property {'sending' | 'delivered' | 'lost' | 'failed' | 'received'} state
 * @property {number} code what `sendData` returned (0 for received messages)
 */

/**
 * @param {() => string} clock the time shown next to a message
 */
export function createConversationLog(clock) {
  let nextId = 1;
  /** @type {Entry[]} */
  let entries = [];

  /** @param {Omit<Entry, 'id' | 'time'>} fields */
  function add(fields) {
    const entry = { id: nextId, time: clock(), ...fields };
    nextId += 1;
    entries.push(entry);
    return entry;
  }

  /** @param {Entry} entry @param {Record<string, any>} message */
  function isSentAs(entry, message) {
    return entry.direction === 'out' && (entry.message === message || (message.fp && entry.message.fp === message.fp));
  }

  return {
    /**
     * A message given to `sendData`, with the code it returned.
     * @param {Record<string, any>} message
     * @param {number} code
     */
    addSent: (message, code) => add({ direction: 'out', message, state: code === 0 ? 'sending' : 'failed', code }),

    /** @param {Record<string, any>} message a `Protocal` from `callback_onIMData` */
    addReceived: (message) => add({ direction: 'in', message, state: 'received', code: 0 }),

    /**
     * `callback_onMessagesBeReceived(fp)`; returns whether a message changed state.
     * @param {string} fp
     */
    markDelivered(fp) {
      const found = entries.filter((entry) => entry.state === 'sending' && isSentAs(entry, { fp }));
      for (const entry of found) entry.state = 'delivered';
      return found.length > 0;
    },

    /**
     * `callback_onMessagesLost(list)`; returns whether a message changed state.
     * @param {Record<string, any>[]} lost the original messages
     */
    markLost(lost) {
      const found = entries.filter((entry) => entry.state === 'sending' && lost.some((m) => isSentAs(entry, m)));
      for (const entry of found) entry.state = 'lost';
      return found.length > 0;
    },

    /** Forgets everything (another user logs in). */
    clear() {
      entries = [];
    },

    /** The entries, oldest first. */
    list: () => [...entries],
  };
}
