/**
 * The log lines of one `IMSDK` object, the glue's (filtered here by its debug switches) and the
 * core's (filtered by the core), to `on('log')` listeners and `callback_onIMLog`, else the
 * console (docs/client-behaviour.md §8).
 */
import { describe, ON_LOG } from './app-callbacks.js';

/** @typedef {{sdkDebug: boolean, pingPongDebug: boolean}} LogSettings the switches of `setDebugSDKEnable` and `setDebugPingPongEnable` */

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
    // Not through the app callbacks' `emit`: a throwing "log" listener reported by a log line
    // would be called again, without end. Its errors go straight to the console.
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
      if (level !== 'debug' || settings.sdkDebug) emitLine(level, '[IMSDK] ' + text);
    },

    /**
     * A line of the core.
     * @param {import('./runtime-interfaces.js').LogLevel} level
     * @param {string} text
     */
    coreLog: (level, text) => emitLine(level, '[IMSDK-core] ' + text),

    /** @param {string} text a heartbeat line, with the SDK and PingPong switches on */
    heartbeatLog(text) {
      if (settings.sdkDebug && settings.pingPongDebug) emitLine('debug', '[IMSDK] ' + text);
    },
  };
}

/** @typedef {ReturnType<typeof createLogging>} Logging */
