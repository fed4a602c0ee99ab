/** An `IMSDK`'s log lines to `on('log')` and `callback_onIMLog`, else the console (docs/client-behaviour.md §8). */
import { describe, ON_LOG } from './app-callbacks.js';

/**
 * @param {Record<string, any>} imsdk @param {import('./runtime-interfaces.js').Host} host
 * @param {import('./listeners.js').Listeners} listeners
 */
export function createLogging(imsdk, host, listeners) {
  /** @param {import('./runtime-interfaces.js').LogLevel} level @param {string} line */
  function emitLine(level, line) {
    // Not through `emit`: a throwing "log" listener would be called again about its own throw.
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
    /** A warning or error of the glue. @param {'warn' | 'error'} level @param {string} text */
    sdkLog: (level, text) => emitLine(level, '[IMSDK] ' + text),
    /**
     * A line of the core; `sdk` for the lines of the SDK's debug switches.
     * @param {import('./runtime-interfaces.js').LogLevel} level @param {string} text @param {boolean} [sdk]
     */
    coreLog: (level, text, sdk) => emitLine(level, (sdk ? '[IMSDK] ' : '[IMSDK-core] ') + text),
  };
}

/** @typedef {ReturnType<typeof createLogging>} Logging */
