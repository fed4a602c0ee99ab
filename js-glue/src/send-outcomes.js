/**
 * The outcomes of the messages `sendData` / `sendDataAsync` accepted, by the core's send id:
 * the core says when each is written (`written`, once, before it is acknowledged or lost) and
 * when that is its last outcome (docs/client-behaviour.md §8); this module only calls back.
 */
import { ON_LOST, ON_RECEIVED } from './app-callbacks.js';
import { CLIENT_SDK_NO_INITIALED, COMMON_DATA_SEND_FAILD } from './companions.js';
import { createSendIdTable } from './send-id-table.js';

/**
 * Why a `sendDataAsync` promise was rejected: an `Error` with `code` and `reason`. A constructor
 * function, not a class extending `Error`, for which WeChat's ES6→ES5 compile adds Babel helpers.
 * @constructor
 * @param {number} code an `MBErrorCode`
 * @param {'refused' | 'write_failed' | 'lost' | 'not_initialised'} reason
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

/** @typedef {import('./facade.js').Message} Message */

/**
 * A message accepted by `sendData`, until its last outcome.
 * @typedef {object} SendRecord
 * @property {Message} message the app's object
 * @property {string | null} fp
 * @property {string | null} text the frame written for it (the core keeps no text)
 * @property {{fnSuccess?: Function, fnFail?: Function, fnComplete?: Function}} callbacks
 * @property {{resolve: Function, reject: Function} | null} promise
 */

/**
 * @param {{core: import('./facade.js').Core | null}} session the current core
 * @param {import('./app-callbacks.js').AppCallbacks} app
 */
export function createSendOutcomes(session, app) {
  /** @type {import('./send-id-table.js').SendIdTable<SendRecord>} */
  const sends = createSendIdTable();

  /**
   * Calls `fnFail` and `fnComplete` of a message not written.
   * @param {SendRecord} record
   * @param {number} code
   */
  function fail(record, code) {
    app.callOptional(record.callbacks.fnFail, 'sendData fnFail', [{ errCode: code, errMsg: 'sendData:fail ' + code }]);
    app.callOptional(record.callbacks.fnComplete, 'sendData fnComplete');
  }

  /**
   * Refuses a message: fail and complete now, reject the promise; returns `code`.
   * @param {Message} message
   * @param {SendRecord['callbacks']} callbacks
   * @param {SendRecord['promise']} promise
   * @param {number} code
   */
  function refuse(message, callbacks, promise, code) {
    fail({ message, fp: null, text: null, callbacks, promise }, code);
    promise?.reject(new IMSendError(code, code === CLIENT_SDK_NO_INITIALED ? 'not_initialised' : 'refused'));
    return code;
  }

  /**
   * The record of `sendId`, forgotten.
   * @param {number} sendId
   */
  function take(sendId) {
    const record = sends.get(sendId);
    sends.delete(sendId);
    return record;
  }

  return {
    refuse,

    /**
     * Hands an accepted message to the core; the outcome goes to `callbacks` and `promise`.
     * @param {Message} message what the core encodes (a copy when it was queued)
     * @param {Message} original the app's object, which gets the assigned `fp`
     * @param {SendRecord['callbacks']} callbacks
     * @param {SendRecord['promise']} promise
     * @returns {number} the core's code
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
      return code === 0 ? code : refuse(original, callbacks, promise, code);
    },

    /**
     * @param {number} sendId
     * @param {number} code 0 written, else why not
     * @param {boolean} last whether this is the send's last outcome
     */
    onWritten(sendId, code, last) {
      const record = last ? take(sendId) : sends.get(sendId);
      if (!record) return;
      if (code === 0) {
        app.callOptional(record.callbacks.fnSuccess, 'sendData fnSuccess', [{ errMsg: 'sendData:ok', fp: record.fp }]);
        app.callOptional(record.callbacks.fnComplete, 'sendData fnComplete');
      } else {
        fail(record, code);
      }
      if (!last) return;
      if (code === 0) record.promise?.resolve({ fp: null });
      else record.promise?.reject(new IMSendError(code, 'write_failed'));
    },

    /** @param {{sendId: number, message: Message}[]} lostMessages */
    onLost(lostMessages) {
      const list = lostMessages.map((lost) => {
        const record = take(lost.sendId);
        if (!record) return lost.message;
        record.promise?.reject(new IMSendError(COMMON_DATA_SEND_FAILD, 'lost'));
        return record.message;
      });
      app.invoke(ON_LOST, [list]);
      app.emit('lost', list);
    },

    /**
     * The frame written for `sendId`, while the send has an outcome to come.
     * @param {number} sendId
     */
    textOf: (sendId) => sends.get(sendId)?.text,

    /** @param {number} sendId a QoS message acknowledged: its fp is the record's */
    onReceived(sendId) {
      const record = take(sendId);
      if (!record) return;
      record.promise?.resolve({ fp: record.fp });
      app.invoke(ON_RECEIVED, [record.fp]);
      app.emit('received', record.fp);
    },
  };
}

/** @typedef {ReturnType<typeof createSendOutcomes>} SendOutcomes */
