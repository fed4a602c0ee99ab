/**
 * What one `IMSDK` object tells the app (docs/client-behaviour.md §8): its `callback_on…`
 * properties, its `on()` listeners and its log lines; what an app function throws is logged.
 */

/* The app callbacks' names, each spelled once to save bytes. */
export const ON_LOG = 'callback_onIMLog';
export const ON_DATA = 'callback_onIMData';
export const ON_LOGIN_SUCCESS = 'callback_onIMAfterLoginSucess';
export const ON_LOGIN_FAILED = 'callback_onIMAfterLoginFailed';
export const ON_RECONNECTED = 'callback_onIMReconnectSucess';
export const ON_DISCONNECTED = 'callback_onIMDisconnected';
export const ON_PING = 'callback_onIMPing';
export const ON_PONG = 'callback_onIMPong';
export const ON_SHOW_ALERT = 'callback_onIMShowAlert';
export const ON_KICKOUT = 'callback_onIMKickout';
export const ON_LOST = 'callback_onMessagesLost';
export const ON_RECEIVED = 'callback_onMessagesBeReceived';
// biome-ignore format: the names in two rows
const CALLBACK_NAMES = [
  ON_LOG, ON_DATA, ON_LOGIN_SUCCESS, ON_LOGIN_FAILED, ON_RECONNECTED, ON_DISCONNECTED,
  ON_PING, ON_PONG, ON_SHOW_ALERT, ON_KICKOUT, ON_LOST, ON_RECEIVED,
];

/** An error as one line of text. @param {unknown} error */
export function describe(error) {
  return error instanceof Error ? error.name + ': ' + error.message : String(error);
}

/**
 * Sets `imsdk`'s callbacks to `null`, then tells the app through them, listeners or `host`.
 * @param {Record<string, any>} imsdk @param {import('./runtime-interfaces.js').Host} host
 */
export function createAppCallbacks(imsdk, host) {
  CALLBACK_NAMES.forEach((name) => {
    imsdk[name] = null;
  });
  /** @type {Map<string, Set<Function>>} */
  const byEvent = new Map();
  /** A copy of `event`'s listeners in order (`Array.from`: a spread costs Babel helpers). @param {string} event */
  const listenersOf = (event) => Array.from(byEvent.get(event) ?? []);

  /** @param {import('./runtime-interfaces.js').LogLevel} level @param {string} line */
  function logLine(level, line) {
    // Not through `emit`: a throwing "log" listener would be called again about its own throw.
    const logListeners = listenersOf('log');
    for (let i = 0; i < logListeners.length; i += 1) {
      try {
        logListeners[i]({ level, message: line });
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
      host.log('error', '[IMSDK] ' + ON_LOG + ' threw: ' + describe(error));
      host.log(level, line);
    }
  }

  /** A warning or error of the glue. @param {'warn' | 'error'} level @param {string} text */
  const sdkLog = (level, text) => logLine(level, '[IMSDK] ' + text);

  /**
   * Calls `callback` on `self` with `args` (an array: rest parameters cost bytes in ES5) if it is
   * a function, logging a throw; returns whether it was one.
   * @param {Function | undefined} callback @param {unknown} self @param {string} name @param {unknown[]} [args]
   */
  function call(callback, self, name, args) {
    if (typeof callback !== 'function') return false;
    try {
      callback.apply(self, args);
    } catch (error) {
      sdkLog('error', name + ' threw: ' + describe(error));
    }
    return true;
  }

  /** @param {Function | undefined} callback @param {string} name @param {unknown[]} [args] */
  const callOptional = (callback, name, args) => call(callback, undefined, name, args);

  /** Calls the app callback `name`, if set; returns whether it was. @param {string} name @param {unknown[]} [args] */
  const invoke = (name, args) => call(imsdk[name], imsdk, name, args);

  return {
    sdkLog,
    /**
     * A line of the core; `sdk` for the lines of the SDK's debug switches.
     * @param {import('./runtime-interfaces.js').LogLevel} level @param {string} text @param {boolean} [sdk]
     */
    coreLog: (level, text, sdk) => logLine(level, (sdk ? '[IMSDK] ' : '[IMSDK-core] ') + text),
    callOptional,
    invoke,
    /** Calls the `on(event)` listeners with `payload`. @param {string} event @param {unknown} [payload] */
    emit(event, payload) {
      const current = listenersOf(event);
      for (let i = 0; i < current.length; i += 1) callOptional(current[i], 'listener of "' + event + '"', [payload]);
    },
    /** Shows `text` through `callback_onIMShowAlert`, else the host's alert. @param {string} text */
    showAlert(text) {
      if (invoke(ON_SHOW_ALERT, [text])) return;
      try {
        host.showAlert(text);
      } catch (error) {
        sdkLog('error', 'alert failed: ' + describe(error));
      }
    },
    listenersOf,
    /** @param {string} event @param {Function} listener */
    listen(event, listener) {
      let set = byEvent.get(event);
      if (!set) {
        set = new Set();
        byEvent.set(event, set);
      }
      set.add(listener);
    },
    /** @param {string} event @param {Function} listener */
    unlisten(event, listener) {
      byEvent.get(event)?.delete(listener);
    },
    clearListeners() {
      byEvent.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createAppCallbacks>} AppCallbacks */
