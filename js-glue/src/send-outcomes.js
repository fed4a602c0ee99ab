/**
 * The outcomes of the messages `sendData` / `sendDataAsync` accepted: each send's callbacks
 * (`fnSuccess` / `fnFail` / `fnComplete` for its first write) and promise (settled when a QoS
 * message is acknowledged or lost, a non-QoS one when written), by the core's send id.
 */
import { ON_LOST, ON_RECEIVED } from './app-callbacks.js';
import { BREOKEN_CONNECT_TO_SERVER, CLIENT_SDK_NO_INITIALED, COMMON_DATA_SEND_FAILD } from './companions.js';
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
 * A message accepted by `sendData`, until its outcome is known.
 * @typedef {object} SendRecord
 * @property {Message} message the app's object
 * @property {boolean} qos
 * @property {string | null} fp
 * @property {number | null} sendId
 * @property {boolean} writeSettled
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
   * Reports the first write of a message (or that it never happened) to its callbacks.
   * @param {SendRecord} record
   * @param {number} code 0 when written
   */
  function settleWrite(record, code) {
    if (record.writeSettled) return;
    record.writeSettled = true;
    if (code === 0) {
      app.callOptional(record.callbacks.fnSuccess, 'sendData fnSuccess', [{ errMsg: 'sendData:ok', fp: record.fp }]);
      complete(record);
    } else {
      fail(record, code);
    }
    if (record.qos) return;
    forget(record);
    if (code === 0) record.promise?.resolve({ fp: null });
    else record.promise?.reject(new IMSendError(code, 'write_failed'));
  }

  /**
   * A record of a message not yet handed to the core.
   * @param {Message} message the app's object
   * @param {boolean} qos
   * @param {SendRecord['callbacks']} callbacks
   * @param {SendRecord['promise']} promise
   * @returns {SendRecord}
   */
  function newRecord(message, qos, callbacks, promise) {
    return { message, qos, fp: null, sendId: null, writeSettled: false, callbacks, promise };
  }

  /** @param {SendRecord} record */
  function forget(record) {
    if (record.sendId !== null) sends.delete(record.sendId);
  }

  /**
   * Calls `fnFail` and `fnComplete` of a message not written.
   * @param {SendRecord} record
   * @param {number} code
   */
  function fail(record, code) {
    app.callOptional(record.callbacks.fnFail, 'sendData fnFail', [{ errCode: code, errMsg: 'sendData:fail ' + code }]);
    complete(record);
  }

  /** @param {SendRecord} record */
  function complete(record) {
    app.callOptional(record.callbacks.fnComplete, 'sendData fnComplete');
  }

  /**
   * A message that was not accepted: fail and complete now, reject the promise.
   * @param {SendRecord} record
   * @param {number} code
   */
  function refuse(record, code) {
    record.writeSettled = true;
    fail(record, code);
    const reason = code === CLIENT_SDK_NO_INITIALED ? 'not_initialised' : 'refused';
    record.promise?.reject(new IMSendError(code, reason));
  }

  return {
    settleWrite,

    /**
     * The record of a first transmission, `null` for a send no longer followed.
     * @param {number} sendId
     */
    record: (sendId) => sends.get(sendId) ?? null,

    /**
     * Hands an accepted message to the core; the outcome goes to `callbacks` and `promise`.
     * @param {Message} message what the core encodes (a copy when it was queued)
     * @param {Message} original the app's object, which gets the assigned `fp`
     * @param {SendRecord['callbacks']} callbacks
     * @param {SendRecord['promise']} promise
     * @returns {number} the core's code
     */
    coreSend(message, original, callbacks, promise) {
      const record = newRecord(original, Boolean(message.QoS), callbacks, promise);
      const core = /** @type {import('./facade.js').Core} */ (session.core);
      const result = core.send(message);
      if (result.code === 0) {
        record.fp = result.fp;
        record.sendId = result.sendId;
        if (result.fp && !original.fp) original.fp = result.fp;
        sends.set(/** @type {number} */ (result.sendId), record);
      }
      // The send's first write comes out only now, after the send is filed by its id.
      core.flush();
      if (result.code !== 0) refuse(record, result.code);
      return result.code;
    },

    /**
     * Refuses a message that never reached the core; returns `code`.
     * @param {unknown} p
     * @param {SendRecord['callbacks']} callbacks
     * @param {SendRecord['promise']} promise
     * @param {number} code
     */
    refuseNew(p, callbacks, promise, code) {
      refuse(newRecord(/** @type {Message} */ (p), false, callbacks, promise), code);
      return code;
    },

    /** @param {{sendId: number, message: Message, written: boolean}[]} lostMessages */
    onLost(lostMessages) {
      const list = lostMessages.map((lost) => {
        const record = sends.get(lost.sendId);
        if (!record) return lost.message;
        if (!lost.written) settleWrite(record, BREOKEN_CONNECT_TO_SERVER);
        forget(record);
        record.promise?.reject(new IMSendError(COMMON_DATA_SEND_FAILD, 'lost'));
        return record.message;
      });
      app.invoke(ON_LOST, [list]);
      app.emit('lost', list);
    },

    /**
     * @param {string} fp
     * @param {number} sendId
     */
    onReceived(fp, sendId) {
      const record = sends.get(sendId);
      if (record) {
        forget(record);
        record.promise?.resolve({ fp });
      }
      app.invoke(ON_RECEIVED, [fp]);
      app.emit('received', fp);
    },
  };
}

/** @typedef {ReturnType<typeof createSendOutcomes>} SendOutcomes */
