/**
 * Adapts the wasm `ImClient`'s compact boundary to the `Core` interface facade.js drives
 * (docs/client-behaviour.md §11): inbound text frames are parsed here with the runtime's
 * `JSON.parse` (which the app's message needs anyway) and handed over field by field, as are
 * sent messages, their text fields written straight into the core's text buffer. The core
 * decides what to write; acks and app messages come back as their fields, and this module
 * writes them with the runtime's `JSON.stringify` (it keeps each sent message's fields and
 * content until the core is done with it); the rare other frames come back as text, other
 * outputs as JSON text, and app messages as a signal to hand the app the next parsed object
 * this module holds. Plain module with no imports, so a wasm-bindgen test can load it as a
 * snippet.
 */

/** The numbers of `ImClient.socket`'s events (src/wasm/handle.rs). */
const SOCKET = { opened: 0, closed: 1 };
/** The numbers of `ImClient.hint`'s hints. */
const HINT = { networkDown: 0, networkUp: 1, appShown: 2, appHidden: 3, logout: 4 };
/** The bits of a message's `flags` for `ImClient.send` and `ImClient.frame`. */
const BRIDGE = 1;
const QOS = 2;
/** The numbers of `ImClient.configure`'s settings. */
const SETTING = { senseMode: 0, fingerprintLength: 1, debugLogs: 2 };

/** @param {unknown} v */
const isText = (v) => v == null || typeof v === 'string';
/** @param {unknown} v */
const isFlag = (v) => v === undefined || typeof v === 'boolean';
/** @param {unknown} v */
const isInt32 = (v) => v === undefined || (typeof v === 'number' && (v | 0) === v);
/** @param {unknown} v */
const isInt64 = (v) => v == null || (Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) < 2 ** 63);

/** @param {string | null | undefined} v */
const lengthOf = (v) => (v == null ? -1 : v.length);

/**
 * The smallest text buffer the adapter asks the core for, in bytes: more than a generated
 * fingerprint needs (1 + 128). It grows to the longest texts written (UTF-8: a byte for each
 * ASCII character, at most 3 for any UTF-16 unit).
 */
const TEXT_BUFFER_BYTES = 4096;

/** The type of app messages (`MBProtocalType.FROM_CLIENT_TYPE_OF_COMMON_DATA`). */
const APP_DATA = 2;
/** The type of QoS acknowledgements (`MBProtocalType.FROM_CLIENT_TYPE_OF_RECIVED`). */
const RECEIVED = 4;

/**
 * The field arguments of `ImClient.send` and `ImClient.frame` for a message, or `null` when it
 * is not an object or a field has the wrong type, by the rules of the core's decoder
 * (src/protocol/frame.rs `read_field`; absent fields take the stock defaults). The four text
 * fields travel as one string, joined by a separator, and their lengths. The content of an
 * inbound app message stays out (the core only dedupes and acks it, and the app gets it from
 * the parsed object), as does that of a sent message whose frame this module writes.
 * @param {unknown} m
 * @param {boolean} inbound
 * @param {boolean} [contentKept] a sent message whose content this module keeps
 * @returns {[number, number, number, string, number, number, number, number] | null}
 */
function messageArguments(m, inbound, contentKept) {
  // Not `typeof m !== 'object'`: WeChat's ES6→ES5 compile turns that into a Babel helper call.
  if (m === null || Object(m) !== m || typeof m === 'function' || Array.isArray(m)) return null;
  const { bridge, type, dataContent, from, to, fp, QoS, typeu, sm } = /** @type {Record<string, any>} */ (m);
  const valid =
    isFlag(bridge) &&
    isFlag(QoS) &&
    isInt32(type) &&
    isInt32(typeu) &&
    isInt64(sm) &&
    isText(dataContent) &&
    isText(from) &&
    isText(to) &&
    isText(fp);
  if (!valid) return null;
  const content = (inbound && type === APP_DATA) || contentKept ? null : dataContent;
  return [
    (bridge ? BRIDGE : 0) | (QoS ? QOS : 0),
    type ?? 0,
    typeu ?? -1,
    (content ?? '') + ',' + (from ?? '') + ',' + (to ?? '') + ',' + (fp ?? ''),
    lengthOf(content),
    lengthOf(from),
    lengthOf(to),
    lengthOf(fp),
  ];
}

/** The length of a UUID, the fingerprint the core generates unless `setMsgIdLength` says otherwise. */
const UUID_LENGTH = 36;

/**
 * The ASCII text of `b[1]` to `b[36]` (a generated fingerprint is ASCII). A `String.fromCharCode`
 * call with as many fixed arguments costs far less than a `TextDecoder` call for so short a text:
 * side by side in Node 20, about 70 ns less per send; spreading or applying the bytes instead
 * costs more than the decoder.
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
 * The app's copy of an inbound app message: exactly the wire fields, absent ones with the
 * defaults the core decoded them with (src/protocol/frame.rs), whatever else the frame held.
 * @param {Record<string, any>} p the frame's parsed JSON
 */
const wireMessage = (p) => ({
  bridge: p.bridge ?? false,
  type: p.type ?? 0,
  dataContent: p.dataContent ?? null,
  from: p.from ?? '-1',
  to: p.to ?? '-1',
  fp: p.fp ?? null,
  QoS: p.QoS ?? false,
  typeu: p.typeu ?? -1,
});

/**
 * A frame's text as the core's writer writes it: every field, in the stock order
 * (docs/protocol.md §8).
 * @param {boolean} bridge
 * @param {number} type
 * @param {string | null} dataContent
 * @param {string} from
 * @param {string} to
 * @param {string | null} fp
 * @param {boolean} QoS
 * @param {number} typeu
 */
const frameText = (bridge, type, dataContent, from, to, fp, QoS, typeu) =>
  JSON.stringify({ bridge, type, dataContent, from, to, fp, QoS, typeu });

/**
 * The fields of a sent message this module writes, as the app gave them at `sendData` (a later
 * change to the app's object changes no resend), with the stock defaults.
 * @typedef {{bridge: boolean, type: number, dataContent: string | null, to: string, QoS: boolean, typeu: number}} HeldMessage
 */

/**
 * What the wasm `ImClient` reports to. None of these may throw: an exception would unwind
 * through the core in the middle of an update.
 * @typedef {object} RawHost
 * @property {(json: string) => void} output every other output, as JSON text
 * @property {() => void} data the next app message: the oldest parsed frame `frame` accepted
 * @property {(generation: number, text: string) => void} writeText a frame the core encoded
 * @property {(generation: number, sendId: number, text: string) => void} writeFirst an app
 *   message's first write, encoded by the core
 * @property {(generation: number, bridge: boolean, fp: string, to: string, from: string) => void} writeAck
 * @property {(generation: number, sendId: number, firstWrite: boolean, from: string, fp: string | undefined) => void} writeMessage
 * @property {(sendId: number, fp: string) => void} received
 * @property {(bytes: Uint8Array) => boolean} random fills with random bytes; `false` if it cannot
 */

/**
 * How the adapter meets its runtime.
 * @typedef {object} AdapterOptions
 * @property {boolean} [compareBuffers] notice memory growth by the memory's buffer changing,
 *   not only by the old one being detached: WeChat does not promise that growth detaches it
 *   (one report says iOS WXWebAssembly does not); browsers detach it, as the spec says, and the
 *   comparison costs a `memory.buffer` read per write
 * @property {boolean} [glueWritesFrames] write acks and app messages here, with the runtime's
 *   `JSON.stringify`, instead of taking the core's text: for runtimes without a native
 *   `TextDecoder` (iOS WeChat), where turning the core's bytes into a string costs more than
 *   the native JSON; with a native one (and a JIT), the core's text is cheaper
 *   (docs/client-behaviour.md §11, docs/performance.md)
 */

/**
 * A `CoreFactory` (see facade.js) over the wasm class.
 * @param {(host: RawHost, glueWritesFrames: boolean) => any} createRaw
 *   `(host, glueWritesFrames) => new ImClient(host, glueWritesFrames)`
 * @param {AdapterOptions} [options]
 * @returns {import('./facade.js').CoreFactory}
 */
export function coreFactory(createRaw, options = {}) {
  const compareBuffers = Boolean(options.compareBuffers);
  const glueWritesFrames = Boolean(options.glueWritesFrames);
  return (output, random) => {
    /** Hands `read()` to `output`, which never throws; a failure to read becomes a log line. */
    const deliver = (/** @type {() => import('./facade.js').CoreOutput} */ read) => {
      let value;
      try {
        value = read();
      } catch (error) {
        value = { kind: 'log', level: 'error', message: 'unreadable core output: ' + error };
      }
      output(value);
    };
    /** @type {Map<number, HeldMessage>} sent messages by send id, until the core is done with them */
    const held = new Map();
    /** @type {HeldMessage | null} the message `raw.send` is being called for (its id comes after) */
    let sending = null;
    /** Whether the core wrote the message `raw.send` is being called for during the call. */
    let sendingWritten = false;
    /**
     * A `lost` report with each message as it was sent, content included; forgets them.
     * @param {any} report
     */
    const withContent = (report) => {
      const messages = report.messages;
      for (let i = 0; i < messages.length; i += 1) {
        const message = held.get(messages[i].sendId);
        if (!message) continue;
        held.delete(messages[i].sendId);
        const { from, fp } = messages[i].message;
        messages[i].message = Object.assign({}, message, { from, fp });
      }
      return report;
    };
    /** Logs an inbound frame the core never sees, as the core logs the ones it drops. */
    const drop = (/** @type {string} */ why) =>
      output({ kind: 'log', level: 'error', message: 'dropped inbound frame: ' + why });
    /** @type {Record<string, any>[]} parsed app messages the core has accepted, in order */
    const appMessages = [];
    const raw = createRaw({
      output: (json) =>
        deliver(() => {
          const value = JSON.parse(json);
          return value.kind === 'lost' ? withContent(value) : value;
        }),
      data: () =>
        output({ kind: 'data', message: wireMessage(/** @type {Record<string, any>} */ (appMessages.shift())) }),
      writeText: (generation, text) => output({ kind: 'transmit', generation, text, sendId: null }),
      writeFirst: (generation, sendId, text) => output({ kind: 'transmit', generation, text, sendId }),
      writeAck: (generation, bridge, fp, to, from) =>
        output({
          kind: 'transmit',
          generation,
          text: frameText(bridge, RECEIVED, fp, from, to, null, false, -1),
          sendId: null,
        }),
      writeMessage(generation, sendId, firstWrite, from, fp) {
        const m = held.get(sendId) ?? /** @type {HeldMessage} */ (sending);
        if (m === sending) sendingWritten = true;
        if (!m.QoS) held.delete(sendId);
        const text = frameText(m.bridge, m.type, m.dataContent, from, m.to, fp ?? null, m.QoS, m.typeu);
        output({ kind: 'transmit', generation, text, sendId: firstWrite ? sendId : null });
      },
      received(sendId, fp) {
        held.delete(sendId);
        output({ kind: 'received', fp, sendId });
      },
      random(bytes) {
        try {
          random(bytes);
          return true;
        } catch {
          return false;
        }
      },
    }, glueWritesFrames);
    const status = () => JSON.parse(raw.status());
    const memory = raw.memory();
    const encoder = new TextEncoder();
    /** A view of the core's text buffer, at `textAddress`. */
    let textBuffer = new Uint8Array(0);
    let textAddress = 0;
    /**
     * The view of the text buffer, at least `bytes` long: a new one when the buffer must grow
     * or the memory grew (its old view detached, or with `compareBuffers` another buffer: a view
     * of the old one would write where the core never reads).
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
     * Writes `texts` into the core's text buffer; returns their UTF-8 length.
     * @param {string} texts
     */
    const writeTexts = (texts) => {
      const { read, written } = encoder.encodeInto(texts, textBufferOf(texts.length));
      if (read === texts.length) return written;
      // Not ASCII, and longer than the buffer holds: UTF-8 takes at most 3 bytes a unit.
      return encoder.encodeInto(texts, textBufferOf(texts.length * 3)).written;
    };
    /**
     * The UTF-8 length of `text`: measured by the fallback encoder without writing, or written
     * into the text buffer by the native one.
     * @param {string} text
     */
    const utf8Length = (text) =>
      typeof encoder.byteLength === 'function' ? encoder.byteLength(text) : writeTexts(text);
    /**
     * Hands the core a message whose content this module keeps and writes (`glueWritesFrames`).
     * @param {Record<string, any>} message the app's message
     * @param {NonNullable<ReturnType<typeof messageArguments>>} args its fields, content left out
     * @returns {number} what `sendHeld` returns
     */
    const sendHeld = (message, args) => {
      /** @type {HeldMessage} */
      const kept = {
        bridge: Boolean(args[0] & BRIDGE),
        type: args[1],
        dataContent: message.dataContent ?? null,
        to: message.to ?? '-1',
        QoS: Boolean(args[0] & QOS),
        typeu: args[2],
      };
      const contentLength = utf8Length(JSON.stringify(kept.dataContent));
      const written = writeTexts(args[3]);
      sending = kept;
      sendingWritten = false;
      let sendId;
      try {
        sendId = raw.sendHeld(args[0], args[1], args[2], written, contentLength, args[5], args[6], args[7]);
      } finally {
        sending = null;
      }
      // A plain message is kept only until its one write (here, or later in a nested call).
      if (sendId > 0 && (kept.QoS || !sendingWritten)) held.set(sendId, kept);
      return sendId;
    };
    /** The fingerprint `send` just generated, from the text buffer (see `ImClient.send`). */
    const generatedFingerprint = () => {
      const buffer = textBufferOf(1);
      return buffer[0] === UUID_LENGTH ? asciiText36(buffer) : utf8.decode(buffer.subarray(1, 1 + buffer[0]));
    };
    /**
     * @param {number} generation
     * @param {string} text
     */
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
      // Held before the call: the core may deliver it during the call, or later, in order,
      // when the call is nested in the delivery of other outputs.
      appMessages.push(parsed);
      const written = writeTexts(args[3]);
      const accepted = raw.frame(generation, args[0], args[1], args[2], written, args[4], args[5], args[6], args[7]);
      if (!accepted) appMessages.splice(appMessages.lastIndexOf(parsed), 1);
    };
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return {
      login(info, url) {
        const json = JSON.stringify(info);
        return raw.login(writeTexts(json + url), json.length);
      },
      send(message) {
        let args;
        try {
          args = messageArguments(message, false, glueWritesFrames);
        } catch {
          args = null;
        }
        if (args === null) return { code: 4, sendId: null, fp: null };
        const sendId = glueWritesFrames
          ? sendHeld(message, args)
          : raw.send(args[0], args[1], args[2], writeTexts(args[3]), args[4], args[5], args[6], args[7]);
        if (sendId <= 0) return { code: -sendId, sendId: null, fp: null };
        return { code: 0, sendId, fp: args[0] & QOS ? message.fp || generatedFingerprint() : null };
      },
      loginInfo: () => status().loginInfo,
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
      setDebug: (on) => raw.configure(SETTING.debugLogs, on ? 1 : 0),
      state: () => status().state,
      isLoggedIn: () => status().loggedIn,
      isOnline: () => status().online,
      destroy() {
        raw.destroy();
        appMessages.length = 0;
        held.clear();
      },
      free: () => raw.free(),
    };
  };
}
