/**
 * The `IMSDK` object: the stock public API (docs/client-behaviour.md §8) over the wasm core.
 *
 * Runtime-agnostic: the core, the socket and the host come in through `createIMSDK`. No
 * protocol, QoS or keep-alive logic lives here: every decision is the core's, and this module
 * only carries its outputs to sockets and app callbacks. It imports only `companions.js`, so the
 * two can be loaded as wasm-bindgen snippets.
 */
import { kickoutAlertText, MBErrorCode, MBSenseMode } from './companions.js';
import { createSendIdTable } from './send-id-table.js';

/**
 * What a transport reports about one socket. `onClose` fires at most once, for a close or an
 * error, and nothing fires after the SDK called `close()`.
 * @typedef {object} SocketHandlers
 * @property {() => void} onOpen
 * @property {(text: string) => void} onText
 * @property {(bytes: Uint8Array) => void} onBytes
 * @property {() => void} onClose
 */

/**
 * One open socket. `send` calls `done` exactly once: with 0 when the frame was handed to the
 * socket, else with an `MBErrorCode` (3 when the socket refused it).
 * @typedef {object} Socket
 * @property {(text: string, done: (errCode: number) => void) => void} send
 * @property {() => void} close
 */

/**
 * Opens WebSocket connections (never with a subprotocol).
 * @typedef {object} Transport
 * @property {(url: string, handlers: SocketHandlers) => Socket} open may throw if it cannot
 */

/**
 * App lifecycle and network hints from the host.
 * @typedef {object} LifecycleHooks
 * @property {() => void} onShow
 * @property {() => void} onHide
 * @property {(connected: boolean) => void} onNetworkChange
 */

/** @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel */

/**
 * What the SDK needs from its runtime besides sockets.
 * @typedef {object} Host
 * @property {(bytes: Uint8Array) => void} fillRandom fills with random bytes; throws if it has
 *   none (the core then uses its seeded fallback)
 * @property {(text: string) => void} showAlert shows a message to the user
 * @property {(hooks: LifecycleHooks) => () => void} subscribeLifecycle returns an unsubscribe
 * @property {(level: LogLevel, line: string) => void} log the console
 * @property {() => number} now wall clock in ms
 */

/** A `Protocal` object (or any object the app passes as one). */
/** @typedef {Record<string, any>} Message */

/**
 * The core's output objects (`kind` names the variant; see src/wasm/convert.rs).
 * @typedef {{kind: string, [field: string]: any}} CoreOutput
 */

/**
 * The wasm `ImClient` (or anything with the same methods). Socket generations are numbers.
 * @typedef {object} Core
 * @property {(info: Message, url: string) => number} login
 * @property {(message: Message) => {code: number, sendId: number | null, fp: string | null}} send
 * @property {() => void} logout
 * @property {(generation: number) => void} socketOpened
 * @property {(generation: number, text: string) => void} socketText
 * @property {(generation: number, bytes: Uint8Array) => void} socketBytes
 * @property {(generation: number) => void} socketClosed
 * @property {(connected: boolean) => void} networkChanged
 * @property {() => void} appShown
 * @property {() => void} appHidden
 * @property {(mode: number) => boolean} setSenseMode
 * @property {(length: number) => void} setFingerprintLength
 * @property {(on: boolean) => void} setDebug
 * @property {(json: string) => number} setConfig a `setConfig` object as JSON → 0 or 209
 * @property {() => string} state
 * @property {() => boolean} isLoggedIn
 * @property {() => boolean} isOnline
 * @property {() => Message | null} loginInfo
 * @property {() => void} destroy
 * @property {() => void} [free]
 */

/**
 * Builds a core that reports to `output` and draws random bytes with `random`.
 * @typedef {(output: (o: CoreOutput) => void, random: (bytes: Uint8Array) => void) => Core} CoreFactory
 */

/**
 * @typedef {object} IMSDKDependencies
 * @property {() => Promise<CoreFactory>} loadCore called once, synchronously inside the first
 *   `loginImpl` (again after a failure)
 * @property {Transport} transport
 * @property {Partial<Host>} [host] missing members fall back to `FALLBACK_HOST`
 */

/**
 * What a member missing from `host` falls back to: `crypto.getRandomValues`, the console, no
 * lifecycle events, `Date.now`.
 * @type {Host}
 */
export const FALLBACK_HOST = Object.freeze({
  fillRandom(bytes) {
    globalThis.crypto.getRandomValues(bytes);
  },
  showAlert(text) {
    console.warn('[IMSDK] ' + text);
  },
  subscribeLifecycle: () => () => {},
  log(level, line) {
    console[level](line);
  },
  now: () => Date.now(),
});

/* The app callbacks' property names, each spelled once (the mini-program bundle is counted in bytes). */
const ON_LOG = 'callback_onIMLog';
const ON_DATA = 'callback_onIMData';
const ON_LOGIN_SUCCESS = 'callback_onIMAfterLoginSucess';
const ON_LOGIN_FAILED = 'callback_onIMAfterLoginFailed';
const ON_RECONNECTED = 'callback_onIMReconnectSucess';
const ON_DISCONNECTED = 'callback_onIMDisconnected';
const ON_PING = 'callback_onIMPing';
const ON_PONG = 'callback_onIMPong';
const ON_SHOW_ALERT = 'callback_onIMShowAlert';
const ON_KICKOUT = 'callback_onIMKickout';
const ON_LOST = 'callback_onMessagesLost';
const ON_RECEIVED = 'callback_onMessagesBeReceived';

/** The app callbacks, assigned as properties (every one optional). */
export const CALLBACK_NAMES = Object.freeze([
  ON_LOG,
  ON_DATA,
  ON_LOGIN_SUCCESS,
  ON_LOGIN_FAILED,
  ON_RECONNECTED,
  ON_DISCONNECTED,
  ON_PING,
  ON_PONG,
  ON_SHOW_ALERT,
  ON_KICKOUT,
  ON_LOST,
  ON_RECEIVED,
]);

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

/**
 * A copy of `set`'s members, to iterate while they may change (no spread: see `IMSendError`).
 * @template T
 * @param {Set<T> | Map<T, unknown> | undefined} collection a set, or a map's keys
 * @returns {T[]}
 */
function snapshot(collection) {
  /** @type {T[]} */
  const items = [];
  collection?.forEach((value, key) => {
    items.push(/** @type {T} */ (collection instanceof Map ? key : value));
  });
  return items;
}

/** @type {number[]} */
const SENSE_MODES = Object.keys(MBSenseMode).map((name) => /** @type {Record<string, number>} */ (MBSenseMode)[name]);
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/**
 * The core's inbound frame limit (`Config::max_inbound_bytes`, 1 MiB). A frame the core would
 * drop is dropped here already, before it is copied into wasm memory, which never shrinks: a
 * server sending 32 MiB frames would otherwise leave the page with 32 MiB more (96 MiB for
 * non-ASCII text). A string of more UTF-16 units than this is more UTF-8 bytes than this too.
 */
const MAX_INBOUND_BYTES = 1024 * 1024;

/**
 * The host part of a `ws://` URL that is not loopback, else `null`.
 * @param {string} url
 */
function insecureRemoteHost(url) {
  const match = /^ws:\/\/([^/?#]*)/i.exec(url);
  if (!match) return null;
  const hostAndPort = match[1].replace(/^[^@]*@/, '');
  const host = hostAndPort.startsWith('[')
    ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1)
    : hostAndPort.replace(/:\d*$/, '');
  return LOOPBACK_HOST.test(host) ? null : host;
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.name + ': ' + error.message : String(error);
}

/**
 * @param {unknown} value
 * @returns {value is Message}
 */
function isObject(value) {
  // Not `typeof value === 'object'`: WeChat's ES6→ES5 compile turns that into a Babel helper call.
  return value !== null && Object(value) === value && typeof value !== 'function';
}

/**
 * A message accepted by `sendData`, until its outcome is known.
 * @typedef {object} SendRecord
 * @property {Message} message the app's object
 * @property {boolean} qos
 * @property {string | null} fp
 * @property {number | null} sendId
 * @property {boolean} writeSettled
 * @property {number | null} earlyWrite the write result reported while `core.send` ran
 * @property {{fnSuccess?: Function, fnFail?: Function, fnComplete?: Function}} callbacks
 * @property {{resolve: Function, reject: Function} | null} promise
 */

/**
 * Creates one `IMSDK` object.
 * @param {IMSDKDependencies} dependencies
 */
export function createIMSDK({ loadCore, transport, host: hostMembers = {} }) {
  /** @type {Host} */
  const host = Object.assign({}, FALLBACK_HOST, hostMembers);
  /** @type {{coreDebug: boolean, sdkDebug: boolean, pingPongDebug: boolean, senseMode: number, msgIdLength: number}} */
  const settings = {
    coreDebug: false,
    sdkDebug: false,
    pingPongDebug: false,
    senseMode: MBSenseMode.MODE_5S,
    msgIdLength: 0,
  };
  /** @type {CoreFactory | null} */
  let factory = null;
  /** @type {Promise<void> | null} */
  let loading = null;
  /** @type {Core | null} */
  let core = null;
  /** Bumped by `destroy()`, so a load that finishes later does not revive the SDK. */
  let epoch = 0;
  /** @type {{run: () => void, fail: (code: number) => void}[]} */
  let waiting = [];
  /** @type {Message | null} the login waiting for the core */
  let queuedLogin = null;
  /** @type {string[]} `setConfig` objects as JSON, in call order: accepted, or made without a core */
  let configs = [];
  /** @type {Message | null} copy of the app's login info for the core's session */
  let loginCopy = null;
  /** @type {(() => void) | null} */
  let unsubscribeLifecycle = null;
  /** @type {Map<number, {socket: Socket | null, live: boolean}>} */
  const sockets = new Map();
  /** @type {import('./send-id-table.js').SendIdTable<SendRecord>} */
  const sends = createSendIdTable();
  /** @type {SendRecord | null} the message `core.send` is being called for */
  let sending = null;
  /** @type {Map<string, Set<Function>>} */
  const listeners = new Map();

  // ---- logging -------------------------------------------------------------------------

  /**
   * @param {LogLevel} level
   * @param {string} line
   */
  function emitLine(level, line) {
    // Not through emit(): a "log" listener that throws would be reported by a log line, which
    // calls it again, without end. Its errors go straight to the console.
    const logListeners = snapshot(listeners.get('log'));
    for (let i = 0; i < logListeners.length; i += 1) {
      const listener = logListeners[i];
      try {
        listener({ level, message: line });
      } catch (error) {
        host.log('error', '[IMSDK] listener of "log" threw: ' + describe(error));
      }
    }
    const appLog = imsdk[ON_LOG];
    if (typeof appLog !== 'function') {
      host.log(level, line);
      return;
    }
    try {
      appLog.call(imsdk, line, true);
    } catch (error) {
      host.log('error', '[IMSDK] callback_onIMLog threw: ' + describe(error));
      host.log(level, line);
    }
  }

  /**
   * A line of the glue; debug lines only with `setDebugSDKEnable(true)`.
   * @param {LogLevel} level
   * @param {string} text
   */
  function sdkLog(level, text) {
    if (level === 'debug' && !settings.sdkDebug) return;
    emitLine(level, '[IMSDK] ' + text);
  }

  /**
   * A line of the core; debug and info lines only with `setDebugCoreEnable(true)`.
   * @param {LogLevel} level
   * @param {string} text
   */
  function coreLog(level, text) {
    if ((level === 'debug' || level === 'info') && !settings.coreDebug) return;
    emitLine(level, '[IMSDK-core] ' + text);
  }

  /** @param {string} text */
  function heartbeatLog(text) {
    if (settings.sdkDebug && settings.pingPongDebug) emitLine('debug', '[IMSDK] ' + text);
  }

  // ---- app callbacks and events -----------------------------------------------------------

  /**
   * Calls the app callback `name` with `args` (none when absent) if it is set; a throwing
   * callback is logged. An array, not rest parameters: their ES5 lowering costs bytes.
   * @param {string} name
   * @param {unknown[]} [args]
   * @returns {boolean} whether a callback was set
   */
  function invoke(name, args) {
    const callback = imsdk[name];
    if (typeof callback !== 'function') return false;
    try {
      callback.apply(imsdk, args);
    } catch (error) {
      sdkLog('error', name + ' threw: ' + describe(error));
    }
    return true;
  }

  /**
   * Calls `callback` with `args` (none when absent) if it is a function; a throw is logged.
   * @param {Function | undefined} callback
   * @param {string} name
   * @param {unknown[]} [args]
   */
  function callOptional(callback, name, args) {
    if (typeof callback !== 'function') return;
    try {
      callback.apply(undefined, args);
    } catch (error) {
      sdkLog('error', name + ' threw: ' + describe(error));
    }
  }

  /**
   * @param {string} event
   * @param {unknown} [payload]
   */
  function emit(event, payload) {
    const set = listeners.get(event);
    if (!set) return;
    const copy = snapshot(set);
    for (let i = 0; i < copy.length; i += 1) callOptional(copy[i], 'listener of "' + event + '"', [payload]);
  }

  /** @param {string} event */
  function hasListeners(event) {
    return (listeners.get(event)?.size ?? 0) > 0;
  }

  /** @param {string} text */
  function showAlert(text) {
    if (invoke(ON_SHOW_ALERT, [text])) return;
    try {
      host.showAlert(text);
    } catch (error) {
      sdkLog('error', 'alert failed: ' + describe(error));
    }
  }

  // ---- send outcomes ----------------------------------------------------------------------

  /**
   * Reports the first write of a message (or that it never happened) to its callbacks.
   * @param {SendRecord} record
   * @param {number} code 0 when written
   */
  function settleWrite(record, code) {
    if (record === sending) {
      record.earlyWrite = code;
      return;
    }
    if (record.writeSettled) return;
    record.writeSettled = true;
    const { fnSuccess, fnFail, fnComplete } = record.callbacks;
    if (code === 0) {
      if (fnSuccess) callOptional(fnSuccess, 'sendData fnSuccess', [{ errMsg: 'sendData:ok', fp: record.fp }]);
    } else if (fnFail) {
      callOptional(fnFail, 'sendData fnFail', [{ errCode: code, errMsg: 'sendData:fail ' + code }]);
    }
    callOptional(fnComplete, 'sendData fnComplete');
    if (record.qos) return;
    forget(record);
    if (code === 0) record.promise?.resolve({ fp: null });
    else record.promise?.reject(new IMSendError(code, 'write_failed'));
  }

  /** @param {SendRecord} record */
  function forget(record) {
    if (record.sendId !== null) sends.delete(record.sendId);
  }

  /**
   * The record for a first transmission: a known one, or the message `core.send` is sending.
   * @param {number} sendId
   */
  function recordForSendId(sendId) {
    // While `core.send` runs, the one first transmission is that of the message it sends (a
    // nested call's outputs wait for the delivery in progress); `coreSend` files it after.
    if (sending && sending.sendId === null) {
      sending.sendId = sendId;
      return sending;
    }
    return sends.get(sendId) ?? null;
  }

  /**
   * Hands an accepted message to the core; the outcome goes to `callbacks` and `promise`.
   * @param {Message} message what the core encodes (a copy when it was queued)
   * @param {Message} original the app's object, which gets the assigned `fp`
   * @param {SendRecord['callbacks']} callbacks
   * @param {SendRecord['promise']} promise
   * @returns {number} the core's code
   */
  function coreSend(message, original, callbacks, promise) {
    /** @type {SendRecord} */
    const record = {
      message: original,
      qos: Boolean(message.QoS),
      fp: null,
      sendId: null,
      writeSettled: false,
      earlyWrite: null,
      callbacks,
      promise,
    };
    sending = record;
    let result;
    try {
      result = /** @type {Core} */ (core).send(message);
    } finally {
      sending = null;
    }
    if (result.code !== 0) {
      refuse(record, result.code);
      return result.code;
    }
    const sendId = /** @type {number} */ (result.sendId);
    record.fp = result.fp;
    record.sendId = sendId;
    if (result.fp && !original.fp) original.fp = result.fp;
    sends.set(sendId, record);
    if (record.earlyWrite !== null) settleWrite(record, record.earlyWrite);
    return 0;
  }

  /**
   * A message that was not accepted: fail and complete now, reject the promise.
   * @param {SendRecord} record
   * @param {number} code
   */
  function refuse(record, code) {
    record.writeSettled = true;
    const { fnFail, fnComplete } = record.callbacks;
    callOptional(fnFail, 'sendData fnFail', [{ errCode: code, errMsg: 'sendData:fail ' + code }]);
    callOptional(fnComplete, 'sendData fnComplete');
    const reason = code === MBErrorCode.CLIENT_SDK_NO_INITIALED ? 'not_initialised' : 'refused';
    record.promise?.reject(new IMSendError(code, reason));
  }

  /** @param {{sendId: number, message: Message, written: boolean}[]} lostMessages */
  function onLost(lostMessages) {
    const list = lostMessages.map((lost) => {
      const record = sends.get(lost.sendId);
      if (!record) return lost.message;
      if (!lost.written) settleWrite(record, MBErrorCode.BREOKEN_CONNECT_TO_SERVER);
      forget(record);
      record.promise?.reject(new IMSendError(MBErrorCode.COMMON_DATA_SEND_FAILD, 'lost'));
      return record.message;
    });
    invoke(ON_LOST, [list]);
    emit('lost', list);
  }

  /**
   * @param {string} fp
   * @param {number} sendId
   */
  function onReceived(fp, sendId) {
    const record = sends.get(sendId);
    if (record) {
      forget(record);
      record.promise?.resolve({ fp });
    }
    invoke(ON_RECEIVED, [fp]);
    emit('received', fp);
  }

  // ---- sockets ----------------------------------------------------------------------------

  /**
   * @param {number} generation
   * @param {string} url
   */
  function openSocket(generation, url) {
    const entry = { socket: /** @type {Socket | null} */ (null), live: true };
    const whenLive = (/** @type {(c: Core) => void} */ act) => {
      if (entry.live && core) act(core);
    };
    sockets.set(generation, entry);
    sdkLog('debug', 'socket #' + generation + ' connecting');
    try {
      entry.socket = transport.open(url, {
        onOpen: () => whenLive((c) => c.socketOpened(generation)),
        onText: (text) =>
          whenLive((c) =>
            text.length > MAX_INBOUND_BYTES ? dropOversized(text.length) : c.socketText(generation, text),
          ),
        onBytes: (bytes) =>
          whenLive((c) =>
            bytes.length > MAX_INBOUND_BYTES ? dropOversized(bytes.length) : c.socketBytes(generation, bytes),
          ),
        onClose: () =>
          whenLive((c) => {
            entry.live = false;
            sockets.delete(generation);
            sdkLog('debug', 'socket #' + generation + ' closed');
            c.socketClosed(generation);
          }),
      });
    } catch (error) {
      sdkLog('error', 'cannot open a socket: ' + describe(error));
      entry.live = false;
      sockets.delete(generation);
      core?.socketClosed(generation);
    }
  }

  /** @param {number} length at least the frame's size in bytes */
  function dropOversized(length) {
    sdkLog(
      'error',
      'dropped inbound frame: frame of ' + length + '+ bytes exceeds the limit of ' + MAX_INBOUND_BYTES + ' bytes',
    );
  }

  /** @param {number} generation */
  function closeSocket(generation) {
    const entry = sockets.get(generation);
    if (!entry) return;
    sockets.delete(generation);
    entry.live = false;
    entry.socket?.close();
  }

  /**
   * @param {number} generation
   * @param {string} text
   * @param {number | null} sendId set on a message's first transmission
   */
  function transmit(generation, text, sendId) {
    const record = sendId === null ? null : recordForSendId(sendId);
    const socket = sockets.get(generation)?.socket;
    if (!socket) {
      if (record) settleWrite(record, MBErrorCode.COMMON_DATA_SEND_FAILD);
      return;
    }
    socket.send(text, (code) => {
      if (record) settleWrite(record, code);
      if (code !== 0) writeFailed(generation, code);
    });
  }

  /**
   * A write failed: on the live socket that is a link loss (on iOS a socket killed in the
   * background may never report its close, while its writes fail), so it is closed and the core
   * told once; the core reconnects.
   * @param {number} generation
   * @param {number} code
   */
  function writeFailed(generation, code) {
    if (!sockets.get(generation)?.live) return;
    sdkLog('warn', 'socket #' + generation + ': a write failed (code ' + code + '): link lost');
    closeSocket(generation);
    core?.socketClosed(generation);
  }

  // ---- core outputs -----------------------------------------------------------------------

  /** @param {CoreOutput} output */
  function handleOutput(output) {
    try {
      dispatch(output);
    } catch (error) {
      sdkLog('error', 'handling core output "' + output.kind + '" failed: ' + describe(error));
    }
  }

  /** @param {CoreOutput} output */
  function dispatch(output) {
    switch (output.kind) {
      case 'open':
        return openSocket(output.generation, output.url);
      case 'close':
        return closeSocket(output.generation);
      case 'transmit':
        return transmit(output.generation, output.text, output.sendId ?? null);
      case 'state':
        sdkLog('debug', 'state: ' + output.state);
        return emit('state', output.state);
      case 'loginSucceeded':
        invoke(ON_LOGIN_SUCCESS);
        return emit('loginSucceeded');
      case 'loginFailed':
        invoke(ON_LOGIN_FAILED, [output.isReconnect, output.code]);
        return emit('loginFailed', { isReconnect: output.isReconnect, code: output.code });
      case 'reconnected':
        invoke(ON_RECONNECTED);
        return emit('reconnected');
      case 'disconnected':
        invoke(ON_DISCONNECTED);
        return emit('disconnected');
      case 'data':
        invoke(ON_DATA, [output.message, {}]);
        return emit('data', output.message);
      case 'ping':
        heartbeatLog('ping sent');
        invoke(ON_PING);
        return emit('ping');
      case 'pong':
        heartbeatLog('pong received');
        invoke(ON_PONG);
        return emit('pong');
      case 'kicked':
        return onKicked(output.info);
      case 'lost':
        return onLost(output.messages);
      case 'received':
        return onReceived(output.fp, output.sendId);
      case 'echo':
        sdkLog('debug', 'echo reply received');
        return emit('echo', output.message);
      case 'log':
        return coreLog(output.level, output.message);
      default:
        sdkLog('warn', 'unknown core output "' + output.kind + '" ignored');
    }
  }

  /** @param {{code: number, reason?: string | null}} info */
  function onKicked(info) {
    const handled = hasListeners('kicked') || typeof imsdk[ON_KICKOUT] === 'function';
    invoke(ON_KICKOUT, [info]);
    emit('kicked', info);
    if (!handled) showAlert(kickoutAlertText(info));
  }

  // ---- the core's life --------------------------------------------------------------------

  /** @param {Uint8Array} bytes */
  function fillRandom(bytes) {
    host.fillRandom(bytes);
  }

  function createCore() {
    const created = /** @type {CoreFactory} */ (factory)(handleOutput, fillRandom);
    core = created;
    created.setDebug(settings.coreDebug);
    created.setSenseMode(settings.senseMode);
    created.setFingerprintLength(settings.msgIdLength);
    configs = configs.filter((json) => created.setConfig(json) === 0);
    unsubscribeLifecycle = host.subscribeLifecycle({
      onShow: () => core?.appShown(),
      onHide: () => core?.appHidden(),
      onNetworkChange: (connected) => core?.networkChanged(Boolean(connected)),
    });
    return created;
  }

  /** The core, created now if its factory is loaded; `null` while it is not. */
  function readyCore() {
    if (!core && factory) createCore();
    return core;
  }

  /**
   * Queues `task` (in call order) until the core is loaded, and starts loading it.
   * @param {() => void} task
   * @param {(code: number) => void} fail called instead if the core cannot be loaded
   */
  function enqueue(task, fail) {
    waiting.push({ run: task, fail });
    startLoading();
  }

  function startLoading() {
    if (loading) return;
    const loadEpoch = epoch;
    let pending;
    try {
      pending = Promise.resolve(loadCore());
    } catch (error) {
      pending = Promise.reject(error);
    }
    loading = pending.then(
      (loaded) => {
        factory = loaded;
        if (loadEpoch !== epoch) return;
        const queued = takeWaiting();
        if (queued.length > 0) readyCore();
        for (let i = 0; i < queued.length; i += 1) {
          const entry = queued[i];
          if (core && loadEpoch === epoch) entry.run();
          else entry.fail(MBErrorCode.CLIENT_SDK_NO_INITIALED);
        }
      },
      (error) => {
        loading = null;
        if (loadEpoch !== epoch) return;
        sdkLog('error', 'the wasm core failed to load: ' + describe(error));
        takeWaiting().forEach((entry) => {
          entry.fail(MBErrorCode.CLIENT_SDK_NO_INITIALED);
        });
      },
    );
  }

  function takeWaiting() {
    const queued = waiting;
    waiting = [];
    queuedLogin = null;
    return queued;
  }

  /**
   * @param {Message} info a copy of the app's login info
   * @param {string} url
   */
  function coreLogin(info, url) {
    const remoteHost = insecureRemoteHost(url);
    if (remoteHost !== null) {
      sdkLog('warn', 'plain ws:// to ' + remoteHost + ': use wss:// (and a whitelisted domain) in production');
    }
    loginCopy = info;
    sdkLog('debug', 'login to ' + url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, ''));
    return /** @type {Core} */ (core).login(info, url);
  }

  // ---- the public object ------------------------------------------------------------------

  /** @type {Record<string, any> & import('./companions.js').CompanionTarget} the methods below plus the `callback_*` properties */
  const imsdk = {
    /**
     * Starts a session: connect to `wsUrl` and log in with `loginInfo` (copied, never mutated).
     * @param {{loginUserId: string, loginToken?: string, extra?: string, firstLoginTime?: number}} loginInfo
     * @param {string} wsUrl
     * @returns {number} 0, or 4 (no `loginUserId`) / 205 (no URL)
     */
    loginImpl(loginInfo, wsUrl) {
      if (!isObject(loginInfo) || typeof loginInfo.loginUserId !== 'string' || !loginInfo.loginUserId) {
        return MBErrorCode.COMMON_INVALID_PROTOCAL;
      }
      if (typeof wsUrl !== 'string' || !wsUrl) return MBErrorCode.TO_SERVER_NET_INFO_NOT_SETUP;
      const info = Object.assign({}, loginInfo);
      if (readyCore()) return coreLogin(info, wsUrl);
      queuedLogin = info;
      enqueue(
        () => {
          const code = coreLogin(info, wsUrl);
          if (code !== 0) {
            sdkLog('error', 'login refused by the core (code ' + code + ')');
            invoke(ON_LOGIN_FAILED, [false, code]);
          }
        },
        (code) => invoke(ON_LOGIN_FAILED, [false, code]),
      );
      return MBErrorCode.COMMON_CODE_OK;
    },

    /**
     * Sends a `Protocal` object. `fnSuccess(res)` / `fnFail(err)` / `fnComplete()` report the
     * socket write of its first transmission (fail also when a QoS message is lost before it
     * was ever written). A QoS message without `fp` gets one, written back to `p.fp`.
     * @param {Message} p
     * @param {(res: {errMsg: string, fp: string | null}) => void} [fnSuccess]
     * @param {(err: {errCode: number, errMsg: string}) => void} [fnFail]
     * @param {() => void} [fnComplete]
     * @returns {number} 0 accepted, 4 invalid, 201 not connected, 203 not initialised,
     *   206 too large, 208 too many pending
     */
    sendData(p, fnSuccess, fnFail, fnComplete) {
      return sendMessage(p, { fnSuccess, fnFail, fnComplete }, null);
    },

    /**
     * Sends a message; resolves with `{fp}` when a QoS message is acknowledged (a non-QoS one
     * when it is written), rejects with an `IMSendError` when it is refused or lost.
     * @param {Message} p
     * @returns {Promise<{fp: string | null}>}
     */
    sendDataAsync(p) {
      return new Promise((resolve, reject) => {
        sendMessage(p, {}, { resolve, reject });
      });
    },

    /**
     * Logs out: a logout frame if online, the socket closed, in-flight messages reported lost.
     * @returns {number} 0
     */
    disconnectSocket() {
      if (core) {
        core.logout();
      } else if (queuedLogin) {
        queuedLogin = null;
        enqueue(
          () => core?.logout(),
          () => {},
        );
      }
      return MBErrorCode.COMMON_CODE_OK;
    },

    /** Whether the session logged in and has not ended (it may be reconnecting). */
    isLogined() {
      return core ? core.isLoggedIn() : false;
    },

    /** Whether the client is online now. */
    isOnline() {
      return core ? core.isOnline() : false;
    },

    /**
     * A copy of the login info the app passed, with `firstLoginTime` once the server sent it;
     * `null` without a session.
     */
    getLoginInfo() {
      if (!core) return queuedLogin ? Object.assign({}, queuedLogin) : null;
      const session = /** @type {{firstLoginTime?: number} | null} */ (core.loginInfo());
      if (!session || !loginCopy) return null;
      return Object.assign({}, loginCopy, { firstLoginTime: session.firstLoginTime });
    },

    /**
     * The connection state: `idle`, `connecting`, `logging_in`, `online`, `reconnecting`,
     * `logged_out`, `kicked` or `auth_failed`.
     * @returns {string}
     */
    getConnectionState() {
      if (core) return core.state();
      return queuedLogin ? 'connecting' : 'idle';
    },

    /** @param {boolean} enabled the core's debug and info log lines */
    setDebugCoreEnable(enabled) {
      settings.coreDebug = Boolean(enabled);
      core?.setDebug(settings.coreDebug);
    },

    /** @param {boolean} enabled the glue's debug log lines */
    setDebugSDKEnable(enabled) {
      settings.sdkDebug = Boolean(enabled);
    },

    /** @param {boolean} enabled heartbeat lines (with `setDebugSDKEnable(true)`) */
    setDebugPingPongEnable(enabled) {
      settings.pingPongDebug = Boolean(enabled);
    },

    /**
     * The keep-alive cadence (`MBSenseMode.*`), as `MBKeepAliveDaemon.setSenseMode` sets it.
     * @param {number} mode
     * @returns {boolean} `false` for an unknown mode
     */
    setSenseMode(mode) {
      if (SENSE_MODES.indexOf(mode) < 0) {
        sdkLog('warn', 'unknown sense mode ' + mode + ' ignored');
        return false;
      }
      settings.senseMode = mode;
      core?.setSenseMode(mode);
      return true;
    },

    /**
     * Changes timings of docs/client-behaviour.md §12 (`loginTimeoutMs`, `qosResendIntervalMs`,
     * …), all or nothing; the core checks names, types and bounds. Kept (as JSON) for a core
     * created later, as the sense mode is: one made before the core exists is checked then.
     * @param {Record<string, number>} config
     * @returns {number} 0, or 209 (refused and logged: nothing changed)
     */
    setConfig(config) {
      let json = '';
      try {
        // `undefined` for a function or `undefined`: not an object, as the core says.
        json = '' + JSON.stringify(config);
      } catch {
        // A BigInt, a cycle or a throwing getter: the core refuses the empty text.
      }
      const code = core ? core.setConfig(json) : 0;
      if (code === 0) configs.push(json);
      return code;
    },

    /**
     * Fingerprint length, as `MBProtocalFactory.setMsgIdLength` sets it (0: UUID v4).
     * @param {number} length
     */
    setMsgIdLength(length) {
      const n = Number(length);
      settings.msgIdLength = Number.isInteger(n) && n > 0 ? n : 0;
      core?.setFingerprintLength(settings.msgIdLength);
    },

    /**
     * Subscribes to an event: `state`, `loginSucceeded`, `loginFailed`, `reconnected`,
     * `disconnected`, `data`, `ping`, `pong`, `kicked`, `lost`, `received`, `echo`, `log`.
     * @param {string} event
     * @param {(payload?: any) => void} listener
     * @returns {() => void} unsubscribes
     */
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => imsdk.off(event, listener);
    },

    /**
     * @param {string} event
     * @param {(payload?: any) => void} listener
     */
    off(event, listener) {
      listeners.get(event)?.delete(listener);
    },

    /**
     * Logs out, closes the socket, stops the timer, detaches host listeners and event
     * listeners. A later `loginImpl` starts afresh.
     */
    destroy() {
      epoch += 1;
      loading = null;
      takeWaiting().forEach((entry) => {
        entry.fail(MBErrorCode.CLIENT_SDK_NO_INITIALED);
      });
      const retiring = core;
      core = null;
      loginCopy = null;
      if (retiring) {
        retiring.logout();
        // Deferred: destroy() may run inside one of this core's own callbacks.
        setTimeout(() => {
          retiring.destroy();
          retiring.free?.();
        }, 0);
      }
      snapshot(sockets).forEach(closeSocket);
      unsubscribeLifecycle?.();
      unsubscribeLifecycle = null;
      listeners.clear();
    },
  };
  CALLBACK_NAMES.forEach((name) => {
    imsdk[name] = null;
  });

  /**
   * @param {unknown} p
   * @param {SendRecord['callbacks']} callbacks
   * @param {SendRecord['promise']} promise
   */
  function sendMessage(p, callbacks, promise) {
    if (!isObject(p)) {
      return refuseNew(p, callbacks, promise, MBErrorCode.COMMON_INVALID_PROTOCAL);
    }
    if (core) return coreSend(p, p, callbacks, promise);
    if (!p.QoS || !queuedLogin) {
      return refuseNew(p, callbacks, promise, MBErrorCode.CLIENT_SDK_NO_INITIALED);
    }
    const copy = Object.assign({}, p);
    enqueue(
      () => coreSend(copy, p, callbacks, promise),
      (code) => refuseNew(p, callbacks, promise, code),
    );
    return MBErrorCode.COMMON_CODE_OK;
  }

  /**
   * @param {unknown} p
   * @param {SendRecord['callbacks']} callbacks
   * @param {SendRecord['promise']} promise
   * @param {number} code
   */
  function refuseNew(p, callbacks, promise, code) {
    refuse(
      {
        message: /** @type {Message} */ (p),
        qos: false,
        fp: null,
        sendId: null,
        writeSettled: false,
        earlyWrite: null,
        callbacks,
        promise,
      },
      code,
    );
    return code;
  }

  return imsdk;
}
