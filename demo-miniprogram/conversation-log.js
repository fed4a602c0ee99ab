/**
 * The messages one user sent and received, each with its delivery state. Plain bookkeeping: the
 * states come from the SDK (the code `sendData` returned, `callback_onMessagesBeReceived`,
 * `callback_onMessagesLost`); nothing here decides whether a message arrived.
 *
 * States of a sent message: `sending` (accepted by `sendData`), then `delivered` or `lost`;
 * `failed` when `sendData` refused it (its code is kept). A received message is `received`.
 */

/**
 * @param {() => string} clock the time shown next to a message
 */
function createConversationLog(clock) {
  let nextId = 1;
  /** Entries with the app's `Protocal` object kept aside, since the SDK may set its `fp` later. */
  let entries = [];

  function add(fields) {
    const entry = Object.assign({ id: nextId, time: clock() }, fields);
    nextId += 1;
    entries.push(entry);
    return entry;
  }

  function sentWithFp(fp) {
    return entries.filter((entry) => entry.direction === 'out' && entry.message.fp === fp);
  }

  return {
    /**
     * A message given to `sendData`, with the code it returned.
     * @param {object} message the `Protocal` object passed to `sendData`
     * @param {number} code
     */
    addSent(message, code) {
      return add({
        direction: 'out',
        message,
        from: message.from,
        to: message.to,
        text: message.dataContent,
        state: code === 0 ? 'sending' : 'failed',
        code,
      });
    },

    /** @param {object} message a `Protocal` from `callback_onIMData` */
    addReceived(message) {
      return add({
        direction: 'in',
        message,
        from: message.from,
        to: message.to,
        text: message.dataContent,
        state: 'received',
        code: 0,
      });
    },

    /**
     * `callback_onMessagesBeReceived(fp)`.
     * @param {string} fp
     * @returns {boolean} whether a sent message changed state
     */
    markDelivered(fp) {
      const found = sentWithFp(fp).filter((entry) => entry.state === 'sending');
      for (const entry of found) entry.state = 'delivered';
      return found.length > 0;
    },

    /**
     * `callback_onMessagesLost(list)`.
     * @param {object[]} lost the original messages
     * @returns {boolean} whether a sent message changed state
     */
    markLost(lost) {
      let changed = false;
      for (const message of lost) {
        for (const entry of entries) {
          const same = entry.message === message || (message.fp && entry.message.fp === message.fp);
          if (entry.direction === 'out' && entry.state === 'sending' && same) {
            entry.state = 'lost';
            changed = true;
          }
        }
      }
      return changed;
    },

    /** Forgets everything (another user logs in). */
    clear() {
      entries = [];
    },

    /** Plain copies for page data (no `Protocal` objects). */
    list() {
      return entries.map((entry) => ({
        id: entry.id,
        time: entry.time,
        direction: entry.direction,
        from: entry.from,
        to: entry.to,
        text: entry.text,
        state: entry.state,
        code: entry.code,
        fp: entry.message.fp || null,
      }));
    },
  };
}

module.exports = { createConversationLog };
