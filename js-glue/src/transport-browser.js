/** The socket transport over a standard `WebSocket` (browsers; Node with `ws`). No imports: a snippet too. */

const OPEN = 1;
const SEND_FAILED = 3;

/** A binary message's bytes. @param {any} data */
const toBytes = (data) =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/**
 * A `Transport` (facade.js); the class is looked up at each open (a Node test installs one late).
 * @param {() => (new (url: string) => WebSocket) | undefined} [resolveWebSocket]
 * @returns {import('./facade.js').Transport}
 */
export function createWebSocketTransport(resolveWebSocket = () => globalThis.WebSocket) {
  return {
    open(url, handlers) {
      const WebSocketClass = resolveWebSocket();
      if (typeof WebSocketClass !== 'function') throw new Error('this runtime has no WebSocket');
      const ws = new WebSocketClass(url);
      ws.binaryType = 'arraybuffer';
      let live = true;
      /** Ends the socket once, detaching its events; whether it was live. */
      const end = () => {
        if (!live) return false;
        live = false;
        Object.assign(ws, { onopen: null, onmessage: null, onclose: null, onerror: null });
        return true;
      };
      const closed = () => {
        if (!end()) return;
        if (ws.readyState === OPEN) ws.close();
        handlers.onClose();
      };
      ws.onopen = () => handlers.onOpen();
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') handlers.onText(event.data);
        else handlers.onBytes(toBytes(event.data));
      };
      ws.onclose = closed;
      ws.onerror = closed;

      return {
        send(text, done) {
          let code = live && ws.readyState === OPEN ? 0 : SEND_FAILED;
          try {
            if (code === 0) ws.send(text);
          } catch {
            code = SEND_FAILED;
          }
          done(code);
        },
        close() {
          if (end()) ws.close(1000);
        },
      };
    },
  };
}
