/**
 * The `Core` facade.js drives, over the wasm `ImClient`'s typed boundary (docs/client-behaviour.md §11,
 * docs/performance.md "Speed"): parsed frames cross as fields and texts; app messages wait here.
 */
import * as wire from './call-arguments.js';
import { utf8Length } from './text-codec.js';

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
const TEXT_BUFFER_BYTES = 4096; // The smallest text buffer, in bytes: more than a generated fingerprint needs.

/** `b[1]`…`b[36]` as ASCII: in V8 ~70 ns a send less than `apply` (docs/performance.md "Acks…"). */
function asciiText36(/** @type {Uint8Array} */ b) {
  // biome-ignore format: the 36 arguments in four rows
  return String.fromCharCode(
    b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
    b[10], b[11], b[12], b[13], b[14], b[15], b[16], b[17], b[18],
    b[19], b[20], b[21], b[22], b[23], b[24], b[25], b[26], b[27],
    b[28], b[29], b[30], b[31], b[32], b[33], b[34], b[35], b[36],
  );
}

/**
 * `RawHost`: what the wasm calls (src/wasm/host.rs); none may throw. `data` and `writeAck` concern the oldest
 * parsed frame `frame` held; `written`'s `code` is 0 when written, `last` when that settles the send.
 * @typedef {{output(json: string): void, data(): void, writeText(generation: number, text: string): void,
 *   writeAck(generation: number): void, writeFirst(generation: number, sendId: number, text: string): void,
 *   writeMessage(generation: number, sendId: number, first: boolean): void,
 *   written(sendId: number, code: number, last: boolean): void, received(sendId: number): void,
 *   timer(delay: number | undefined): void, random(bytes: Uint8Array): boolean}} RawHost
 * @typedef {{kind: string, [field: string]: any}} CoreOutput an output of src/wasm/convert.rs
 * `CoreHandlers`: where the core's outputs go, frequent ones as calls (a throw is logged);
 * `transmit`'s `sendId` marks a message's first write, whose result goes to `Core.written`; `message` writes
 * the text `send` gave for `sendId` (`first`: its first write).
 * @typedef {{transmit(generation: number, text: string, sendId: number | null): void,
 *   message(generation: number, sendId: number, first: boolean): void,
 *   written(sendId: number, code: number, last: boolean): void, data(message: Record<string, any>): void,
 *   received(sendId: number): void, output(output: CoreOutput): void}} CoreHandlers
 * `Core`: the wasm `ImClient` as facade.js drives it (docs/client-behaviour.md §11); `send`'s outputs
 * wait for `flush`, its `text` is the frame the caller keeps and writes (mini-program build), `firstLoginTime`
 * is `null` without a session.
 * @typedef {{login(info: Record<string, any>, url: string): number, flush(): void, logout(): void,
 *   send(message: Record<string, any>): {code: number, sendId: number | null, fp: string | null, text?: string},
 *   written(sendId: number, ok: boolean): void, socketOpened(generation: number): void,
 *   socketText(generation: number, text: string): void, socketBytes(generation: number, bytes: Uint8Array): void,
 *   socketClosed(generation: number): void, networkChanged(connected: boolean): void, appShown(): void,
 *   appHidden(): void, setSenseMode(mode: number): boolean, setFingerprintLength(length: number): void,
 *   setDebug(logs: 'coreLogs' | 'sdkLogs' | 'heartbeatLogs', on: boolean): void, setConfig(json: string): number,
 *   state(): string, isLoggedIn(): boolean, isOnline(): boolean, firstLoginTime(): number | null,
 *   destroy(): void, free?(): void}} Core
 * @typedef {(handlers: CoreHandlers, random: (bytes: Uint8Array) => void) => Core} CoreFactory
 */

/**
 * A `CoreFactory` over `(host) => new ImClient(host)`; `compareBuffers` renews views on a new `memory.buffer`,
 * detached or not (WeChat does not promise it). @param {(host: RawHost) => any} createRaw
 * @param {{buffer: ArrayBuffer}} memory @param {boolean} [compareBuffers]
 */
export function coreFactory(createRaw, memory, compareBuffers) {
  /** @type {CoreFactory} */
  const create = (handlers, random) => {
    const output = handlers.output;
    const logError = (/** @type {string} */ message) => output({ kind: 'log', level: 'error', message });
    const drop = (/** @type {string} */ why) => logError('dropped inbound frame: ' + why); // As the core logs its drops.
    /** @type {Record<string, any>[]} parsed app messages the core accepted, in order */
    const appMessages = [];
    /** @type {Record<string, any>[]} parsed frames the core acks, in order */
    const acked = [];
    let ownUidJson = '""'; // The session's user id as JSON: the sender of acks.
    let timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
    /**
     * Calls `call(a, b, c)`, logging a throw: nothing may unwind through the wasm.
     * @param {Function} call @param {unknown} [a] @param {unknown} [b] @param {unknown} [c]
     */
    const guarded = (call, a, b, c) => {
      try {
        call(a, b, c);
      } catch (error) {
        logError('handling a core output failed: ' + error);
      }
    };
    const deliverData = () => handlers.data(wire.wireMessage(/** @type {Record<string, any>} */ (appMessages.shift())));
    const writeAck = (/** @type {number} */ generation) =>
      handlers.transmit(generation, wire.ackText(/** @type {Record<string, any>} */ (acked.shift()), ownUidJson), null);
    const outputJson = (/** @type {string} */ json) => output(JSON.parse(json));
    const raw = createRaw({
      output: (json) => guarded(outputJson, json),
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
    const held = !!raw.sendHeld; // The mini-program core takes only sends the glue writes (docs/performance.md).
    const fieldsAddress = raw.fields();
    let fields = new Int32Array(memory.buffer, fieldsAddress, FIELD_COUNT);
    let textBuffer = new Uint8Array(0);
    let textAddress = 0;
    /** The text buffer's view, at least `bytes` long, renewed when it or the memory grew. @param {number} bytes */
    const textBufferOf = (bytes) => {
      if (textBuffer.byteLength < bytes) {
        const capacity = Math.max(bytes, TEXT_BUFFER_BYTES);
        textAddress = raw.textBuffer(capacity); // May grow the memory: `buffer` is read after.
        textBuffer = new Uint8Array(memory.buffer, textAddress, capacity);
      } else if (compareBuffers && textBuffer.buffer !== memory.buffer) {
        textBuffer = new Uint8Array(memory.buffer, textAddress, textBuffer.byteLength);
      }
      return textBuffer;
    };
    /** Writes `texts` into the text buffer; returns their UTF-8 length. @param {string} texts */
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
    /** Writes a call's texts and numbers. @param {import('./call-arguments.js').CallArguments} args */
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
    /** The ASCII fingerprint `send` generated, after its length byte: no decoder needed. */
    const generatedFingerprint = () => {
      const buffer = textBufferOf(1);
      if (buffer[0] === 36) return asciiText36(buffer); // A UUID.
      // `apply` takes any array-like, a typed array included (TypeScript's lib says `number[]`).
      return String.fromCharCode.apply(null, /** @type {any} */ (buffer.subarray(1, 1 + buffer[0])));
    };
    const socketText = (/** @type {number} */ generation, /** @type {string} */ text) => {
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        return drop('invalid JSON'); // Not the parser's message: it quotes the frame (secrets?).
      }
      if (!wire.isWireFrame(parsed)) return drop('invalid JSON: not an object, or a field of the wrong type');
      const { type, QoS, dataContent: content, fp } = parsed; // Plain acks, app messages: the fp alone crosses.
      if (type === 4 && QoS !== true && typeof content === 'string') return raw.ack(generation, writeTexts(content));
      appMessages.push(parsed); // Held before the call: the core may deliver and ack in it, or later.
      acked.push(parsed);
      const args = type === 2 && typeof fp === 'string' ? null : wire.messageArguments(parsed, true);
      if (args) writeCall(args);
      const led = args ? raw.frame(generation, args[8], args[9]) : raw.data(generation, QoS === true, writeTexts(fp));
      if (!(led & FRAME_APP_MESSAGE)) appMessages.splice(appMessages.lastIndexOf(parsed), 1);
      if (!(led & FRAME_ACKED)) acked.splice(acked.lastIndexOf(parsed), 1);
    };
    return {
      login(info, url) {
        if (!wire.isLoginInfo(info)) return 4;
        const { loginUserId, loginToken, extra, firstLoginTime } = info;
        writeCall(wire.callArguments(0, 0, 0, loginUserId, loginToken, extra, url));
        const code = raw.login(firstLoginTime ?? 0);
        if (code === 0) ownUidJson = JSON.stringify(loginUserId);
        return code;
      },
      send(message) {
        let args = null;
        try {
          args = wire.messageArguments(message, false, held);
        } catch {}
        if (args === null) return { code: 4, sendId: null, fp: null };
        writeCall(args);
        const contentJson = held ? JSON.stringify(message.dataContent ?? null) : '';
        const code = held ? raw.sendHeld(utf8Length(contentJson)) : raw.send();
        if (code !== 0) return { code, sendId: null, fp: null };
        fieldsView();
        const sendId = (fields[FIELD_SENT_ID] >>> 0) + fields[FIELD_SENT_ID + 1] * 2 ** 32;
        const fp = message.QoS === true ? message.fp || generatedFingerprint() : null;
        if (!held) return { code: 0, sendId, fp };
        const from = fields[FIELD_SENT_FROM_USER] ? ownUidJson : JSON.stringify(message.from ?? '-1');
        return { code: 0, sendId, fp, text: wire.messageText(message, contentJson, fp ?? message.fp ?? null, from) };
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
