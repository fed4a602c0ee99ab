/** The socket transport over a standard `WebSocket` (browsers; Node with `ws`). No imports: a snippet too. */

const OPEN = 1;
const SEND_FAILED = 3;

/** @param {unknown} data a binary message @returns {Uint8Array} */
function toBytes(data) {
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return new Uint8Array(/** @type {ArrayBuffer} */ (data));
}

/**
 * A `Transport` (runtime-interfaces.js); the class is looked up at each open (a Node test installs one late).
 * @param {() => (new (url: string) => WebSocket) | undefined} [resolveWebSocket]
 * @returns {import('./runtime-interfaces.js').Transport}
 */
export function createWebSocketTransport(resolveWebSocket = () => globalThis.WebSocket) {
  return {
    open(url, handlers) {
      const WebSocketClass = resolveWebSocket();
      if (typeof WebSocketClass !== 'function') throw new Error('this runtime has no WebSocket');
      const ws = new WebSocketClass(url);
      ws.binaryType = 'arraybuffer';
      let live = true;

      const detach = () => {
        ws.onopen = null;
        ws.onmessage = null;
        ws.onclose = null;
        ws.onerror = null;
      };
      const closed = () => {
        if (!live) return;
        live = false;
        detach();
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
          if (!live || ws.readyState !== OPEN) {
            done(SEND_FAILED);
            return;
          }
          try {
            ws.send(text);
          } catch {
            done(SEND_FAILED);
            return;
          }
          done(0);
        },
        close() {
          if (!live) return;
          live = false;
          detach();
          ws.close(1000);
        },
      };
    },
  };
}
