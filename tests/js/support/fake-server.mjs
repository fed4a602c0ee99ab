/**
 * An in-process transport with a scripted MobileIMSDK server behind it, for the benchmarks and
 * for tests that need frames to arrive synchronously: it answers the login and keep-alives at
 * once, delivers what a test hands it inside the call, and records what the SDK writes, so a
 * benchmark measures the SDK and nothing of a network.
 */
const LOGIN_OK = (uid) =>
  JSON.stringify({
    bridge: false,
    type: 50,
    dataContent: JSON.stringify({ code: 0, firstLoginTime: 1 }),
    from: '0',
    to: uid,
    QoS: false,
    typeu: -1,
    sm: -1,
  });
const PONG = (uid) =>
  JSON.stringify({ bridge: false, type: 51, dataContent: '{}', from: '0', to: uid, QoS: false, typeu: -1, sm: -1 });

/** Where the type of a frame the SDK writes starts: right after `{"bridge":false,"type":`. */
const TYPE_AT = '{"bridge":false,"type":'.length;
const DIGIT_0 = '0'.charCodeAt(0);
const COMMA = ','.charCodeAt(0);

export function createFakeServer() {
  /** @type {import('../../../js-glue/src/facade.js').SocketHandlers | null} */
  let handlers = null;
  const written = [];
  const server = {
    written,
    /** Delivers a frame to the SDK as if the server sent it. */
    deliver(text) {
      handlers?.onText(text);
    },
    transport: {
      open(_url, socketHandlers) {
        handlers = socketHandlers;
        queueMicrotask(() => handlers?.onOpen());
        return {
          send(text, done) {
            written.push(text);
            done(0);
            // Only logins and keep-alives need a reply. Their type is one digit right after the
            // prefix (the SDK writes `bridge` first and `type` second), read with `charCodeAt`:
            // two `startsWith` calls cost V8 about 150 ns a frame, which the benchmarks would
            // count against the SDK.
            if (text.charCodeAt(TYPE_AT + 1) !== COMMA) return;
            const type = text.charCodeAt(TYPE_AT);
            if (type === DIGIT_0 + 0) {
              queueMicrotask(() => server.deliver(LOGIN_OK(JSON.parse(text).from)));
            } else if (type === DIGIT_0 + 1) {
              queueMicrotask(() => server.deliver(PONG(JSON.parse(text).from)));
            }
          },
          close() {
            handlers = null;
          },
        };
      },
    },
  };
  return server;
}
