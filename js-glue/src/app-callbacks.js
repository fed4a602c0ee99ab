/** What one `IMSDK` object tells the app: its `callback_on…` properties and `on()` listeners; a throw is logged. */

/* The app callbacks' names (docs/client-behaviour.md §8), each spelled once to save bytes. */
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
export const CALLBACK_NAMES = [
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
];

/** An error as one line of text. @param {unknown} error */
export function describe(error) {
  return error instanceof Error ? error.name + ': ' + error.message : String(error);
}

/**
 * @param {Record<string, any>} imsdk @param {import('./runtime-interfaces.js').Host} host
 * @param {import('./listeners.js').Listeners} listeners @param {(level: 'error', text: string) => void} sdkLog
 */
export function createAppCallbacks(imsdk, host, listeners, sdkLog) {
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
    callOptional,
    invoke,
    /** Calls the `on(event)` listeners with `payload`. @param {string} event @param {unknown} [payload] */
    emit(event, payload) {
      const current = listeners.of(event);
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
  };
}

/** @typedef {ReturnType<typeof createAppCallbacks>} AppCallbacks */
