/**
 * The log lines of one `IMSDK` object: the glue's and the core's, filtered by the debug
 * settings, to `on('log')` listeners and to `callback_onIMLog` (else the host's console).
 */

import { describe, ON_LOG } from './app-callbacks.js';

/**
 * The debug switches of `setDebugSDKEnable` and `setDebugPingPongEnable`.
 * @typedef {{sdkDebug: boolean, pingPongDebug: boolean}} LogSettings
 */

/**
 * @param {Record<string, any>} imsdk the `IMSDK` object, for its `callback_onIMLog`
 * @param {import('./runtime-interfaces.js').Host} host
 * @param {LogSettings} settings read at each line
 * @param {import('./listeners.js').Listeners} listeners
 */
export function createLogging(imsdk, host, settings, listeners) {
  /**
   * @param {import('./runtime-interfaces.js').LogLevel} level
   * @param {string} line
   */
  function emitLine(level, line) {
    // Not through the app callbacks' `emit`: a "log" listener that throws would be reported by
    // a log line, which calls it again, without end. Its errors go straight to the console.
    const logListeners = listeners.of('log');
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

  return {
    /**
     * A line of the glue; debug lines only with `setDebugSDKEnable(true)`.
     * @param {import('./runtime-interfaces.js').LogLevel} level
     * @param {string} text
     */
    sdkLog(level, text) {
      if (level === 'debug' && !settings.sdkDebug) return;
      emitLine(level, '[IMSDK] ' + text);
    },

    /**
     * A line of the core, which filters its own by `setDebugCoreEnable` (`Client::log`).
     * @param {import('./runtime-interfaces.js').LogLevel} level
     * @param {string} text
     */
    coreLog(level, text) {
      emitLine(level, '[IMSDK-core] ' + text);
    },

    /**
     * A heartbeat line, only with `setDebugSDKEnable(true)` and `setDebugPingPongEnable(true)`.
     * @param {string} text
     */
    heartbeatLog(text) {
      if (settings.sdkDebug && settings.pingPongDebug) emitLine('debug', '[IMSDK] ' + text);
    },
  };
}

/** @typedef {ReturnType<typeof createLogging>} Logging */
