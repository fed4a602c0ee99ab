/** The outcomes of accepted sends by the core's send id, as the core reports them (docs/client-behaviour.md §8). */
import { CLIENT_SDK_NO_INITIALED, COMMON_DATA_SEND_FAILD } from './companions.js';

/**
 * Why a `sendDataAsync` promise was rejected; no class: Babel helpers in ES5 (docs/performance.md "Size").
 * @constructor @param {number} code @param {'refused' | 'write_failed' | 'lost' | 'not_initialised'} reason
 * @returns {Error & {code: number, reason: string}}
 */
export function IMSendError(code, reason) {
  const error = /** @type {any} */ (new Error('message not delivered: ' + reason + ' (code ' + code + ')'));
  Object.setPrototypeOf(error, IMSendError.prototype);
  error.name = 'IMSendError';
  error.code = code;
  error.reason = reason;
  return error;
}
IMSendError.prototype = Object.create(Error.prototype, {
  constructor: { value: IMSendError, writable: true, configurable: true },
});

/**
 * Values by send id, added in increasing order and taken out in about that order: an array by
 * `id - first`, about 95 ns less a send than a `Map` (docs/performance.md "Speed").
 * @template T
 * @typedef {{set(id: number, value: T): void, get(id: number): T | undefined,
 *   take(id: number): T | undefined}} SendIdTable
 */
/** An empty table; `set` takes ids above every id added before. @template T @returns {SendIdTable<T>} */
export function createSendIdTable() {
  /** @type {(T | undefined)[]} */
  let slots = [];
  let first = 0; // The id of `slots[0]`.
  let head = 0; // The index of the first live slot (`slots.length` when there is none).
  return {
    set(id, value) {
      if (head === slots.length) {
        slots.length = 0;
        head = 0;
        first = id;
      }
      // Filled up to `id` with `undefined` rather than left with holes: a packed array stays fast.
      while (first + slots.length < id) slots.push(undefined);
      slots.push(value);
    },
    get: (id) => slots[id - first],
    take(id) {
      const index = id - first;
      if (index < head || index >= slots.length) return undefined;
      const value = slots[index];
      slots[index] = undefined;
      while (head < slots.length && slots[head] === undefined) head += 1;
      // The emptied front is cut off once it is half the array: amortized O(1) a removal.
      if (head >= 64 && head * 2 >= slots.length) {
        slots = slots.slice(head);
        first += head;
        head = 0;
      }
      return value;
    },
  };
}

/**
 * An accepted message (the app's object) until its last outcome, with the frame the glue writes for it
 * (`text`, mini-program build: the core keeps none).
 * @typedef {import('./facade.js').Message} Message
 * @typedef {{fnSuccess?: Function, fnFail?: Function, fnComplete?: Function} | null} Callbacks
 * @typedef {{resolve: Function, reject: Function} | null} Settle
 * @typedef {{message: Message, fp: string | null, text?: string, callbacks: Callbacks, promise: Settle}} SendRecord
 */

/** @param {{core: import('./facade.js').Core | null}} session @param {import('./app-callbacks.js').AppCallbacks} app */
export function createSendOutcomes(session, app) {
  /** @type {SendIdTable<SendRecord>} */
  const sends = createSendIdTable();
  /** Success (code 0) or failure, then complete. @param {Callbacks} callbacks @param {number} code @param {any} fp */
  function report(callbacks, code, fp) {
    if (!callbacks) return;
    if (code === 0) app.callOptional(callbacks.fnSuccess, 'sendData fnSuccess', { errMsg: 'sendData:ok', fp });
    else app.callOptional(callbacks.fnFail, 'sendData fnFail', { errCode: code, errMsg: 'sendData:fail ' + code });
    app.callOptional(callbacks.fnComplete, 'sendData fnComplete');
  }
  /** Refuses a message; returns `code`. @param {Callbacks} callbacks @param {Settle} promise @param {number} code */
  function refuse(callbacks, promise, code) {
    report(callbacks, code, null);
    promise?.reject(new IMSendError(code, code === CLIENT_SDK_NO_INITIALED ? 'not_initialised' : 'refused'));
    return code;
  }

  return {
    refuse,
    /**
     * Hands `message` (a copy when it was queued) to the core; `original`, the app's, gets the fp.
     * @param {Message} message @param {Message} original @param {Callbacks} callbacks @param {Settle} promise
     */
    coreSend(message, original, callbacks, promise) {
      const core = /** @type {import('./facade.js').Core} */ (session.core);
      const { code, sendId, fp, text } = core.send(message);
      if (code === 0) {
        if (fp && !original.fp) original.fp = fp;
        sends.set(/** @type {number} */ (sendId), { message: original, fp, text, callbacks, promise });
      }
      // The send's first write comes out only now, after the send is filed by its id.
      core.flush();
      return code === 0 ? code : refuse(callbacks, promise, code);
    },
    /** A first write settled (`code` 0: written). @param {number} sendId @param {number} code @param {boolean} last */
    onWritten(sendId, code, last) {
      const record = last ? sends.take(sendId) : sends.get(sendId);
      if (!record) return;
      report(record.callbacks, code, record.fp);
      if (!last) return;
      if (code === 0) record.promise?.resolve({ fp: null });
      else record.promise?.reject(new IMSendError(code, 'write_failed'));
    },
    /** @param {{sendId: number, message: Message}[]} lostMessages */
    onLost(lostMessages) {
      const list = lostMessages.map((lost) => {
        const record = sends.take(lost.sendId);
        if (!record) return lost.message;
        record.promise?.reject(new IMSendError(COMMON_DATA_SEND_FAILD, 'lost'));
        return record.message;
      });
      app.tell('lost', list);
    },
    /** The frame written for `sendId` while its outcome is to come. @param {number} sendId */
    textOf: (sendId) => sends.get(sendId)?.text,
    /** A QoS message acknowledged. @param {number} sendId */
    onReceived(sendId) {
      const record = sends.take(sendId);
      if (!record) return;
      record.promise?.resolve({ fp: record.fp });
      app.tell('received', record.fp);
    },
  };
}
