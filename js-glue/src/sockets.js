/** The sockets of one `IMSDK` object, by the core's generation: opened and closed as the core says. */
import { describe } from './app-callbacks.js';

/** The core's inbound limit, checked before a frame is copied into wasm memory (docs/client-behaviour.md §7, §13). */
const MAX_INBOUND_BYTES = 1024 * 1024;
const OVER_LIMIT = '+ bytes exceeds the limit of ' + MAX_INBOUND_BYTES + ' bytes';

/**
 * @param {import('./facade.js').Transport} transport @param {{core: import('./facade.js').Core | null}} session
 * @param {import('./app-callbacks.js').AppCallbacks['sdkLog']} sdkLog
 */
export function createSockets(transport, session, sdkLog) {
  /** @type {Map<number, {socket: import('./facade.js').Socket | null, live: boolean, wrote(code: number): void}>} */
  const sockets = new Map();
  function close(/** @type {number} */ generation) {
    const entry = sockets.get(generation);
    if (!entry) return;
    sockets.delete(generation);
    entry.live = false;
    entry.socket?.close();
  }
  /**
   * A failed write on the live socket is a link loss (an iOS socket killed in the background may
   * never report its close, docs/client-behaviour.md §9). @param {number} generation @param {number} code
   */
  function writeFailed(generation, code) {
    if (!sockets.get(generation)?.live) return;
    sdkLog('warn', 'socket #' + generation + ': a write failed (code ' + code + '): link lost');
    close(generation);
    session.core?.socketClosed(generation);
  }

  return {
    close,
    /** Closes every socket (`Map#forEach` allows deleting the entry visited). */
    closeAll() {
      sockets.forEach((_, generation) => {
        close(generation);
      });
    },
    /** @param {number} generation @param {string} url */
    open(generation, url) {
      /** The result of a write that is no send's first: one function, not a closure a write. */
      const wrote = (/** @type {number} */ code) => code !== 0 && writeFailed(generation, code);
      const entry = { socket: /** @type {import('./facade.js').Socket | null} */ (null), live: true, wrote };
      /** @param {string | Uint8Array} frame */
      const receive = (frame) => {
        const core = entry.live && session.core;
        if (!core) return;
        if (frame.length > MAX_INBOUND_BYTES)
          sdkLog('error', 'dropped inbound frame: frame of ' + frame.length + OVER_LIMIT);
        else if (typeof frame === 'string') core.socketText(generation, frame);
        else core.socketBytes(generation, frame);
      };
      sockets.set(generation, entry);
      try {
        entry.socket = transport.open(url, {
          onOpen: () => entry.live && session.core?.socketOpened(generation),
          onText: receive,
          onBytes: receive,
          onClose: () => {
            const core = entry.live && session.core; // The core, while this socket is live.
            if (!core) return;
            entry.live = false;
            sockets.delete(generation);
            core.socketClosed(generation);
          },
        });
      } catch (error) {
        sdkLog('error', 'cannot open a socket: ' + describe(error));
        close(generation);
        session.core?.socketClosed(generation);
      }
    },
    /** `sendId`: a first write. @param {number} generation @param {string} text @param {number | null} sendId */
    transmit(generation, text, sendId) {
      const core = session.core;
      const entry = sockets.get(generation);
      if (!entry?.socket) {
        if (sendId !== null) core?.written(sendId, false);
        return;
      }
      if (sendId === null) return entry.socket.send(text, entry.wrote);
      entry.socket.send(text, (code) => {
        // A first write's result goes to the core that wrote it, while it lives.
        if (core && session.core === core) core.written(sendId, code === 0);
        if (code !== 0) writeFailed(generation, code);
      });
    },
  };
}
