/**
 * The soak's book of every message: who sent it, and what the two apps were told about it.
 *
 * One entry per fingerprint, kept small (the soak's own memory is part of the heap it samples):
 * sender, receiver, payload, and three counters — delivered to the receiving app
 * (`callback_onIMData`), acknowledged to the sender (`callback_onMessagesBeReceived`), reported
 * lost to the sender (`callback_onMessagesLost`).
 *
 * What must hold (docs/client-behaviour.md §4, §5): a message is delivered to an app at most once;
 * every sent fp gets exactly one terminal callback, received or lost. What may happen with the
 * stock protocol and is counted, not failed:
 *  * delivered but reported lost — the message reached the peer but every ack to the sender
 *    was dropped or cut off;
 *  * acknowledged but never delivered — the server acks as soon as it has queued the frame for
 *    the receiver (docs/protocol.md §6.3, a "pseudo-ack"), and chaos then dropped it and its one
 *    server-side resend, or the connection was cut, or the server was restarted.
 */

/**
 * @typedef {object} Entry
 * @property {number} sender index of the sending peer
 * @property {number} receiver index of the receiving peer
 * @property {string} content the payload sent
 * @property {number} arrived frames with this fp that reached the receiver's current socket
 * @property {number} delivered
 * @property {number} acked
 * @property {number} lost
 * @property {number} ackedAt when the sender was told it was received (ms epoch), 0 before
 */

export function createLedger() {
  /** @type {Map<string, Entry>} */
  const entries = new Map();
  /** @type {string[]} */
  const violations = [];
  const refused = new Map();
  /** @type {Map<number, number>} unterminated messages per sender */
  const pendingBySender = new Map();
  let unknownDeliveries = 0;
  let unknownTerminals = 0;
  let terminals = 0;

  /** @param {string} text */
  function violation(text) {
    if (violations.length < 50) violations.push(text);
    else if (violations.length === 50) violations.push('… (more violations not listed)');
  }

  return {
    /**
     * A message `sendData` accepted (code 0) with this fp.
     * @param {string} fp
     * @param {number} sender
     * @param {number} receiver
     * @param {string} content
     */
    sent(fp, sender, receiver, content) {
      if (typeof fp !== 'string' || !fp) {
        violation(`peer ${sender}: sendData accepted a QoS message without giving it an fp`);
        return;
      }
      if (entries.has(fp)) {
        violation(`peer ${sender}: fp ${fp} was handed out twice`);
        return;
      }
      entries.set(fp, { sender, receiver, content, arrived: 0, delivered: 0, acked: 0, lost: 0, ackedAt: 0 });
      pendingBySender.set(sender, (pendingBySender.get(sender) ?? 0) + 1);
    },

    /** @param {number} code a non-zero `sendData` result */
    refused(code) {
      refused.set(code, (refused.get(code) ?? 0) + 1);
    },

    /**
     * A type-2 frame with `fp` reached peer `receiver`'s current socket.
     * @param {number} receiver
     * @param {string} fp
     */
    arrived(receiver, fp) {
      const entry = entries.get(fp);
      if (entry && entry.receiver === receiver) entry.arrived += 1;
    },

    /**
     * `callback_onIMData(p)` on peer `receiver`.
     * @param {number} receiver
     * @param {{fp?: string, dataContent?: string}} p
     */
    delivered(receiver, p) {
      const entry = typeof p?.fp === 'string' ? entries.get(p.fp) : undefined;
      if (!entry) {
        unknownDeliveries += 1;
        violation(`peer ${receiver}: delivered a message nobody sent (fp ${p?.fp})`);
        return;
      }
      entry.delivered += 1;
      if (entry.receiver !== receiver)
        violation(`fp ${p.fp}: delivered to peer ${receiver}, sent to ${entry.receiver}`);
      if (p.dataContent !== entry.content) violation(`fp ${p.fp}: delivered content differs from what was sent`);
      if (entry.delivered === 2) violation(`fp ${p.fp}: delivered twice to peer ${receiver}`);
    },

    /**
     * `callback_onMessagesBeReceived(fp)` on peer `sender`.
     * @param {number} sender
     * @param {string} fp
     */
    acked(sender, fp) {
      terminal(sender, fp, 'acked');
    },

    /**
     * One message of `callback_onMessagesLost(list)` on peer `sender`.
     * @param {number} sender
     * @param {{fp?: string}} message
     */
    lost(sender, message) {
      terminal(sender, message?.fp, 'lost');
    },

    /** Messages sent and not yet given a terminal callback. */
    pending() {
      return entries.size - terminals;
    },

    /** @param {number} sender messages `sender` sent that have no terminal callback yet */
    pendingOf(sender) {
      return pendingBySender.get(sender) ?? 0;
    },

    /** How many were sent. */
    size: () => entries.size,

    /** The counts of the run; `final` also lists the messages without a terminal callback. */
    summary() {
      const counts = {
        sent: entries.size,
        received: 0,
        lost: 0,
        duplicates: 0,
        unaccounted: 0,
        doubleTerminal: 0,
        delivered: 0,
        deliveredButReportedLost: 0,
        ackedButNotDelivered: 0,
        lostAndNotDelivered: 0,
        arrivedButNotDelivered: 0,
        neverArrived: 0,
        unknownDeliveries,
        unknownTerminals,
        refused: Object.fromEntries(refused),
      };
      for (const entry of entries.values()) {
        const ends = entry.acked + entry.lost;
        if (ends === 0) counts.unaccounted += 1;
        if (ends > 1) counts.doubleTerminal += 1;
        if (entry.acked > 0) counts.received += 1;
        if (entry.lost > 0) counts.lost += 1;
        if (entry.delivered > 1) counts.duplicates += entry.delivered - 1;
        if (entry.delivered > 0) counts.delivered += 1;
        if (entry.delivered > 0 && entry.lost > 0) counts.deliveredButReportedLost += 1;
        if (entry.delivered === 0 && entry.acked > 0) counts.ackedButNotDelivered += 1;
        if (entry.delivered === 0 && entry.lost > 0) counts.lostAndNotDelivered += 1;
        if (entry.arrived > 0 && entry.delivered === 0) counts.arrivedButNotDelivered += 1;
        if (entry.arrived === 0) counts.neverArrived += 1;
      }
      return counts;
    },

    /** The messages acknowledged to the sender that never reached the receiver. */
    *ackedNeverArrived() {
      for (const entry of entries.values()) {
        if (entry.acked > 0 && entry.arrived === 0 && entry.delivered === 0) yield entry;
      }
    },

    /** The fps without a terminal callback (at most `limit`). */
    unaccountedFps(limit = 10) {
      const out = [];
      for (const [fp, entry] of entries) {
        if (entry.acked + entry.lost === 0) out.push(`${fp} (peer ${entry.sender} → ${entry.receiver})`);
        if (out.length >= limit) break;
      }
      return out;
    },

    violations,
    violation,
  };

  /**
   * @param {number} sender
   * @param {string | undefined} fp
   * @param {'acked' | 'lost'} kind
   */
  function terminal(sender, fp, kind) {
    const entry = typeof fp === 'string' ? entries.get(fp) : undefined;
    if (!entry || entry.sender !== sender) {
      unknownTerminals += 1;
      violation(`peer ${sender}: ${kind} callback for an fp it did not send (${fp})`);
      return;
    }
    entry[kind] += 1;
    if (kind === 'acked') entry.ackedAt = Date.now();
    if (entry.acked + entry.lost === 1) {
      terminals += 1;
      pendingBySender.set(sender, (pendingBySender.get(sender) ?? 1) - 1);
    } else violation(`fp ${fp}: a second terminal callback (${kind}; acked=${entry.acked} lost=${entry.lost})`);
  }
}
