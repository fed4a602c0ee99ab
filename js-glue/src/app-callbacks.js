/**
 * What one `IMSDK` object tells the app (docs/client-behaviour.md §8): its `callback_on…`
 * properties, its `on()` listeners and its log lines; what an app function throws is logged.
 */

/** @type {Record<string, string>} each event's app callback, each name spelled once to save bytes */
// biome-ignore format: the table in rows
const CALLBACKS = {
  log: 'callback_onIMLog', data: 'callback_onIMData',
  loginSucceeded: 'callback_onIMAfterLoginSucess', loginFailed: 'callback_onIMAfterLoginFailed',
  reconnected: 'callback_onIMReconnectSucess', disconnected: 'callback_onIMDisconnected',
  ping: 'callback_onIMPing', pong: 'callback_onIMPong', alert: 'callback_onIMShowAlert',
  kicked: 'callback_onIMKickout', lost: 'callback_onMessagesLost', received: 'callback_onMessagesBeReceived',
};

/** @typedef {import('./facade.js').LogLevel} LogLevel */

/** An error as one line of text. @param {unknown} error */
export function describe(error) {
  return error instanceof Error ? error.name + ': ' + error.message : String(error);
}

/** Nulls the callbacks; tells the app. @param {Record<string, any>} imsdk @param {import('./facade.js').Host} host */
export function createAppCallbacks(imsdk, host) {
  for (const event in CALLBACKS) imsdk[CALLBACKS[event]] = null;
  /** @type {Map<string, Set<Function>>} */
  const byEvent = new Map();
  /** A copy of `event`'s listeners in order (`Array.from`: a spread costs Babel helpers). @param {string} event */
  const listenersOf = (event) => Array.from(byEvent.get(event) ?? []);
  function logLine(/** @type {LogLevel} */ level, /** @type {string} */ line) {
    const logListeners = listenersOf('log'); // Not `emit`: a throwing listener would hear of its own throw.
    for (let i = 0; i < logListeners.length; i += 1) {
      try {
        logListeners[i]({ level, message: line });
      } catch (error) {
        host.log('error', '[IMSDK] listener of "log" threw: ' + describe(error));
      }
    }
    const appLog = imsdk[CALLBACKS.log];
    if (typeof appLog !== 'function') return host.log(level, line);
    try {
      appLog.call(imsdk, line, true);
    } catch (error) {
      host.log('error', '[IMSDK] ' + CALLBACKS.log + ' threw: ' + describe(error));
      host.log(level, line);
    }
  }
  /** A warning or error of the glue. @param {'warn' | 'error'} level @param {string} text */
  const sdkLog = (level, text) => logLine(level, '[IMSDK] ' + text);
  /**
   * Calls `callback` on `self` if it is a function, with `a` and `b` as far as they are defined (no rest
   * parameters: bytes in ES5; no array: time on iOS), logging a throw; whether it was.
   * @param {string} name @param {unknown} [a] @param {unknown} [b] @param {unknown} [self]
   */
  function callOptional(/** @type {unknown} */ callback, name, a, b, self) {
    if (typeof callback !== 'function') return false;
    try {
      if (b !== undefined) callback.call(self, a, b);
      else if (a !== undefined) callback.call(self, a);
      else callback.call(self);
    } catch (error) {
      sdkLog('error', name + ' threw: ' + describe(error));
    }
    return true;
  }
  /** Calls `event`'s callback if set; whether set. @param {string} event @param {unknown} [a] @param {unknown} [b] */
  const invoke = (event, a, b) => callOptional(imsdk[CALLBACKS[event]], CALLBACKS[event], a, b, imsdk);
  /** Calls `event`'s listeners, if any; whether there were. @param {string} event @param {unknown} [payload] */
  const emit = (event, payload) => {
    if (!byEvent.get(event)?.size) return false;
    const current = listenersOf(event);
    for (let i = 0; i < current.length; i += 1) callOptional(current[i], 'listener of "' + event + '"', payload);
    return true;
  };

  return {
    sdkLog,
    /** A core line (`sdk`: the SDK's switches). @param {LogLevel} level @param {string} text @param {boolean} [sdk] */
    coreLog: (level, text, sdk) => logLine(level, (sdk ? '[IMSDK] ' : '[IMSDK-core] ') + text),
    callOptional,
    invoke,
    emit,
    /** Invokes, then emits `a`; whether any ran. @param {string} event @param {unknown} [a] @param {unknown} [b] */
    tell(event, a, b) {
      const invoked = invoke(event, a, b);
      return emit(event, a) || invoked;
    },
    /** Shows `text` through `callback_onIMShowAlert`, else the host's alert. @param {string} text */
    showAlert(text) {
      if (invoke('alert', text)) return;
      try {
        host.showAlert(text);
      } catch (error) {
        sdkLog('error', 'alert failed: ' + describe(error));
      }
    },
    /** @param {string} event @param {Function} listener */
    listen(event, listener) {
      if (!byEvent.has(event)) byEvent.set(event, new Set());
      byEvent.get(event)?.add(listener);
    },
    /** @param {string} event @param {Function} listener */
    unlisten: (event, listener) => byEvent.get(event)?.delete(listener),
    clearListeners: () => byEvent.clear(),
  };
}

/** @typedef {ReturnType<typeof createAppCallbacks>} AppCallbacks */
