/**
 * Adapts the wasm `ImClient`'s typed boundary (docs/client-behaviour.md §11) to the `Core`
 * interface facade.js drives. An inbound frame is parsed here by the runtime's `JSON.parse`
 * (the app's message needs the object anyway) and crosses as fields: numbers in the core's fields
 * area, texts joined into the core's text buffer; a sent message crosses the same way. Frames to
 * write come back as text, acknowledgements as a send id and fp, other outputs as JSON text, and
 * an app message as a signal to hand the app the next parsed object held here.
 */
import {
  ackText,
  callArguments,
  isInt64,
  isText,
  messageArguments,
  messageText,
  QOS,
  utf8Length,
  wireMessage,
} from './call-arguments.js';

/** The fields area (src/wasm/texts.rs `FIELD_*`; tests/js/boundary-contract.test.mjs). */
const FIELD_COUNT = 8;
const FIELD_WRITTEN = 3;
const FIELD_LENGTHS = 4;
const FIELD_SENT_ID = 0;
const FIELD_SENT_FROM_USER = 2;
/** The states by number, and the bits of `ImClient.status()` (src/wasm/handle.rs). */
const STATES = ['idle', 'connecting', 'logging_in', 'online', 'reconnecting', 'logged_out', 'kicked', 'auth_failed'];
const STATUS_LOGGED_IN = 16;
const STATUS_ONLINE = 32;
const STATUS_SESSION = 64;
/** The bits of `ImClient.frame`'s result (src/wasm/handle.rs). */
const FRAME_APP_MESSAGE = 1;
const FRAME_ACKED = 2;
/** The numbered inputs of `ImClient.socket`, `.hint` and `.configure` (src/wasm/inputs.rs). */
const SOCKET = { opened: 0, closed: 1 };
const HINT = { networkDown: 0, networkUp: 1, appShown: 2, appHidden: 3, logout: 4 };
const SETTING = { senseMode: 0, fingerprintLength: 1, coreLogs: 2, sdkLogs: 3, heartbeatLogs: 4 };

/** The smallest text buffer asked for, in bytes: more than a generated fingerprint needs. */
const TEXT_BUFFER_BYTES = 4096;
/** The length of a generated UUID fingerprint. */
const UUID_LENGTH = 36;

/**
 * `b[1]` to `b[36]` as ASCII (a generated UUID): in V8 one call with fixed arguments costs
 * about 70 ns less a send than `apply` over a view (`npm run bench`, docs/performance.md).
 * @param {Uint8Array} b
 */
function asciiText36(b) {
  // biome-ignore format: the 36 arguments in four rows
  return String.fromCharCode(
    b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
    b[10], b[11], b[12], b[13], b[14], b[15], b[16], b[17], b[18],
    b[19], b[20], b[21], b[22], b[23], b[24], b[25], b[26], b[27],
    b[28], b[29], b[30], b[31], b[32], b[33], b[34], b[35], b[36],
  );
}

/**
 * What the wasm `ImClient` reports to (src/wasm/host.rs). None may throw: an exception would
 * unwind through the core in the middle of an update.
 * @typedef {object} RawHost
 * @property {(json: string) => void} output every other output, as JSON text
 * @property {() => void} data the next app message: the oldest parsed frame `frame` accepted
 * @property {(generation: number, text: string) => void} writeText a frame to write
 * @property {(generation: number) => void} writeAck the ack of the oldest parsed frame `frame`
 *   said it acks
 * @property {(generation: number, sendId: number, text: string) => void} writeFirst the first
 *   write of the app message of `sendId`, in the core's text (`send`)
 * @property {(generation: number, sendId: number, first: boolean) => void} writeMessage a write
 *   of the app message of `sendId`, whose text the glue keeps; `first`: its first write
 * @property {(sendId: number, code: number, last: boolean) => void} written the first write of
 *   `sendId` is settled (`code` 0 written), `last` when that is the send's last outcome
 * @property {(sendId: number) => void} received a QoS message was acknowledged
 * @property {(delay: number | undefined) => void} timer (re)arms the one timer, which calls
 *   `ImClient.timeout()`; `undefined` disarms it
 * @property {(bytes: Uint8Array) => boolean} random fills with random bytes; `false` if it cannot
 */

/** @typedef {{kind: string, [field: string]: any}} CoreOutput an output of src/wasm/convert.rs */

/**
 * Where the core's outputs go: the frequent ones as calls, every other as an object. They are
 * called from inside the wasm: what they throw is caught here and logged.
 * @typedef {object} CoreHandlers
 * @property {(generation: number, text: string, sendId: number | null) => void} transmit a
 *   frame to write on the socket of `generation`; `sendId` on a message's first write, whose
 *   result goes to `Core.written`
 * @property {(generation: number, sendId: number, first: boolean) => void} message a write of
 *   the app message of `sendId` (its text is the send's, `Core.send`); `first`: its first write,
 *   whose result goes to `Core.written`
 * @property {(sendId: number, code: number, last: boolean) => void} written a message's first
 *   write is settled (`code` 0 written), `last` when that is the send's last outcome
 * @property {(message: Record<string, any>) => void} data an app message
 * @property {(sendId: number) => void} received a QoS message was acknowledged
 * @property {(output: CoreOutput) => void} output every other output
 */

/**
 * The wasm `ImClient` as facade.js drives it (docs/client-behaviour.md §11).
 * @typedef {object} Core
 * @property {(info: Record<string, any>, url: string) => number} login
 * @property {(message: Record<string, any>) => {code: number, sendId: number | null, fp: string | null, text: string | null}} send
 *   `text` the frame to write, kept by the caller
 *   its outputs wait for `flush`
 * @property {() => void} flush
 * @property {(sendId: number, ok: boolean) => void} written the socket's result of a first write
 * @property {() => void} logout
 * @property {(generation: number) => void} socketOpened
 * @property {(generation: number, text: string) => void} socketText
 * @property {(generation: number, bytes: Uint8Array) => void} socketBytes
 * @property {(generation: number) => void} socketClosed
 * @property {(connected: boolean) => void} networkChanged
 * @property {() => void} appShown
 * @property {() => void} appHidden
 * @property {(mode: number) => boolean} setSenseMode
 * @property {(length: number) => void} setFingerprintLength
 * @property {(logs: 'coreLogs' | 'sdkLogs' | 'heartbeatLogs', on: boolean) => void} setDebug
 * @property {(json: string) => number} setConfig
 * @property {() => string} state
 * @property {() => boolean} isLoggedIn
 * @property {() => boolean} isOnline
 * @property {() => number | null} firstLoginTime the session's, `null` without one
 * @property {() => void} destroy
 * @property {() => void} [free]
 */

/** @typedef {(handlers: CoreHandlers, random: (bytes: Uint8Array) => void) => Core} CoreFactory */

/**
 * A `CoreFactory` over the wasm class.
 * @param {(host: RawHost) => any} createRaw `(host) => new ImClient(host)`
 * @param {{buffer: ArrayBuffer}} memory the wasm memory
 * @param {boolean} [compareBuffers] renew the memory views when the memory's buffer changes, not
 *   only when the old one is detached: WeChat does not promise that growth detaches it
 */
export function coreFactory(createRaw, memory, compareBuffers) {
  /** @type {CoreFactory} */
  const create = (handlers, random) => {
    const output = handlers.output;
    /** Logs what a handler threw: nothing may unwind through the wasm. */
    const failed = (/** @type {unknown} */ error) =>
      output({ kind: 'log', level: 'error', message: 'handling a core output failed: ' + error });
    /** Logs an inbound frame the core never sees, as the core logs the ones it drops. */
    const drop = (/** @type {string} */ why) =>
      output({ kind: 'log', level: 'error', message: 'dropped inbound frame: ' + why });
    /** @type {Record<string, any>[]} parsed app messages the core accepted, in order */
    const appMessages = [];
    /** @type {Record<string, any>[]} parsed frames the core acks, in order */
    const acked = [];
    /** The user of the session, whom acks are from, as JSON. */
    let ownUidJson = '""';
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /**
     * Calls `call(a, b, c)`, logging what it throws: nothing may unwind through the wasm.
     * @param {Function} call
     * @param {unknown} [a] @param {unknown} [b] @param {unknown} [c]
     */
    const guarded = (call, a, b, c) => {
      try {
        call(a, b, c);
      } catch (error) {
        failed(error);
      }
    };
    /** Hands the app the oldest message the core accepted. */
    const deliverData = () => handlers.data(wireMessage(/** @type {Record<string, any>} */ (appMessages.shift())));
    /** @param {number} generation writes the ack of the oldest frame the core acks */
    const writeAck = (generation) =>
      handlers.transmit(generation, ackText(/** @type {Record<string, any>} */ (acked.shift()), ownUidJson), null);
    const raw = createRaw({
      output(json) {
        let value;
        try {
          value = JSON.parse(json);
        } catch (error) {
          return failed(error);
        }
        output(value);
      },
      data: () => guarded(deliverData),
      writeText: (generation, text) => guarded(handlers.transmit, generation, text, null),
      writeAck: (generation) => guarded(writeAck, generation),
      writeFirst: (generation, sendId, text) => guarded(handlers.transmit, generation, text, sendId),
      writeMessage: (generation, sendId, first) => guarded(handlers.message, generation, sendId, first),
      written: (sendId, code, last) => guarded(handlers.written, sendId, code, last),
      received: (sendId) => guarded(handlers.received, sendId),
      timer(delay) {
        if (timer !== undefined) clearTimeout(timer);
        timer = delay === undefined ? undefined : setTimeout(() => raw.timeout(), delay);
      },
      random(bytes) {
        try {
          random(bytes);
          return true;
        } catch {
          return false;
        }
      },
    });
    const encoder = new TextEncoder();
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    /**
     * Whether the glue writes sent messages itself: the mini-program core takes only such sends
     * (`sendHeld`). Without a native UTF-8 decoder (WeChat) reading the core's text of each
     * frame back costs more than `JSON.stringify`; with one (browsers), less (docs/performance.md,
     * "Messages written by the glue").
     */
    const held = typeof raw.sendHeld === 'function';
    const fieldsAddress = raw.fields();
    let fields = new Int32Array(memory.buffer, fieldsAddress, FIELD_COUNT);
    let textBuffer = new Uint8Array(0);
    let textAddress = 0;

    /**
     * The view of the text buffer, at least `bytes` long: renewed when the buffer must grow or
     * the memory grew (a view of an old buffer would write where the core never reads).
     * @param {number} bytes
     */
    const textBufferOf = (bytes) => {
      if (textBuffer.byteLength < bytes) {
        const capacity = Math.max(bytes, TEXT_BUFFER_BYTES);
        // Growing the buffer may grow the memory: its `buffer` is read after.
        textAddress = raw.textBuffer(capacity);
        textBuffer = new Uint8Array(memory.buffer, textAddress, capacity);
      } else if (compareBuffers && textBuffer.buffer !== memory.buffer) {
        textBuffer = new Uint8Array(memory.buffer, textAddress, textBuffer.byteLength);
      }
      return textBuffer;
    };
    /**
     * Writes `texts` into the text buffer; returns their UTF-8 length.
     * @param {string} texts
     */
    const writeTexts = (texts) => {
      const { read, written } = encoder.encodeInto(texts, textBufferOf(texts.length));
      // Not ASCII, and longer than the buffer holds: UTF-8 takes at most 3 bytes a unit.
      return read === texts.length ? written : encoder.encodeInto(texts, textBufferOf(texts.length * 3)).written;
    };
    /** Renews the view of the fields when the memory grew (see `textBufferOf`). */
    const fieldsView = () => {
      if (fields.length === 0 || (compareBuffers && fields.buffer !== memory.buffer)) {
        fields = new Int32Array(memory.buffer, fieldsAddress, FIELD_COUNT);
      }
    };
    /**
     * Writes a call's texts into the text buffer and its numbers into the fields.
     * @param {import('./call-arguments.js').CallArguments} args
     */
    const writeCall = (args) => {
      const written = writeTexts(args[3]);
      fieldsView();
      fields[0] = args[0];
      fields[1] = args[1];
      fields[2] = args[2];
      fields[FIELD_WRITTEN] = written;
      fields[FIELD_LENGTHS] = args[4];
      fields[FIELD_LENGTHS + 1] = args[5];
      fields[FIELD_LENGTHS + 2] = args[6];
      fields[FIELD_LENGTHS + 3] = args[7];
    };
    /**
     * The fingerprint `send` just generated, written after its length in one byte: ASCII (a
     * UUID, or letters and digits), so `fromCharCode` makes it, no decoder.
     */
    const generatedFingerprint = () => {
      const buffer = textBufferOf(1);
      if (buffer[0] === UUID_LENGTH) return asciiText36(buffer);
      // `apply` takes any array-like, a typed array included (TypeScript's lib says `number[]`).
      return String.fromCharCode.apply(null, /** @type {any} */ (buffer.subarray(1, 1 + buffer[0])));
    };
    /** @param {number} generation @param {string} text */
    const socketText = (generation, text) => {
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        // The parser's message quotes the frame, which may hold secrets: not logged.
        return drop('invalid JSON');
      }
      const args = messageArguments(parsed, true);
      if (args === null) return drop('invalid JSON: not an object, or a field of the wrong type');
      // Held before the call: the core may deliver its message and ack during the call, or
      // later, in order, when the call is nested in the delivery of other outputs.
      appMessages.push(parsed);
      acked.push(parsed);
      writeCall(args);
      const led = raw.frame(generation, args[8], args[9]);
      if (!(led & FRAME_APP_MESSAGE)) appMessages.splice(appMessages.lastIndexOf(parsed), 1);
      if (!(led & FRAME_ACKED)) acked.splice(acked.lastIndexOf(parsed), 1);
    };
    return {
      login(info, url) {
        const { loginUserId, loginToken, extra, firstLoginTime } = info;
        if (typeof loginUserId !== 'string' || !isText(loginToken) || !isText(extra) || !isInt64(firstLoginTime)) {
          return 4;
        }
        writeCall(callArguments(0, 0, 0, loginUserId, loginToken, extra, url));
        const code = raw.login(firstLoginTime ?? 0);
        if (code === 0) ownUidJson = JSON.stringify(loginUserId);
        return code;
      },
      send(message) {
        let args = null;
        try {
          args = messageArguments(message, false, held);
        } catch {}
        if (args === null) return { code: 4, sendId: null, fp: null, text: null };
        writeCall(args);
        const contentJson = held ? JSON.stringify(message.dataContent ?? null) : '';
        const code = held ? raw.sendHeld(utf8Length(contentJson)) : raw.send();
        if (code !== 0) return { code, sendId: null, fp: null, text: null };
        fieldsView();
        const sendId = (fields[FIELD_SENT_ID] >>> 0) + fields[FIELD_SENT_ID + 1] * 2 ** 32;
        const fp = args[0] & QOS ? message.fp || generatedFingerprint() : null;
        if (!held) return { code: 0, sendId, fp, text: null };
        const from = fields[FIELD_SENT_FROM_USER] ? ownUidJson : JSON.stringify(message.from ?? '-1');
        return { code: 0, sendId, fp, text: messageText(message, contentJson, fp ?? message.fp ?? null, from) };
      },
      flush: () => raw.flush(),
      written: (sendId, ok) => raw.written(sendId, ok),
      firstLoginTime: () => (raw.status() & STATUS_SESSION ? raw.firstLoginTime() : null),
      logout: () => raw.hint(HINT.logout),
      socketOpened: (generation) => raw.socket(SOCKET.opened, generation),
      socketText,
      socketBytes(generation, bytes) {
        let text;
        try {
          text = utf8.decode(bytes);
        } catch {
          return drop('frame is not valid UTF-8');
        }
        socketText(generation, text);
      },
      socketClosed: (generation) => raw.socket(SOCKET.closed, generation),
      networkChanged: (connected) => raw.hint(connected ? HINT.networkUp : HINT.networkDown),
      appShown: () => raw.hint(HINT.appShown),
      appHidden: () => raw.hint(HINT.appHidden),
      setSenseMode: (mode) => raw.configure(SETTING.senseMode, mode),
      setFingerprintLength: (length) => raw.configure(SETTING.fingerprintLength, length),
      setDebug: (logs, on) => raw.configure(SETTING[logs], on ? 1 : 0),
      setConfig: (json) => raw.setConfig(writeTexts(json)),
      state: () => STATES[raw.status() & 15],
      isLoggedIn: () => (raw.status() & STATUS_LOGGED_IN) !== 0,
      isOnline: () => (raw.status() & STATUS_ONLINE) !== 0,
      destroy() {
        raw.destroy();
        if (timer !== undefined) clearTimeout(timer);
        appMessages.length = 0;
        acked.length = 0;
      },
      free: () => raw.free(),
    };
  };
  return create;
}
