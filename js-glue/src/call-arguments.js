/** The arguments of the wasm calls that take a message (docs/client-behaviour.md §11). No imports: a snippet. */

/** A message's flags (src/wasm/texts.rs). */
const BRIDGE = 1;
const QOS = 2;
const APP_DATA = 2; // The type of app messages, whose content stays out of the core.

/** @type {Record<number, [string, string, string]>} replies' members (docs/protocol.md §3): code, login time, text */
const REPLY_FIELDS = {
  50: ['code', 'firstLoginTime', ''],
  52: ['errorCode', '', 'errorMsg'],
  54: ['code', '', 'reason'],
};

// The type checks of the core's decoder (src/protocol/frame.rs `read_field`).
const isText = (/** @type {unknown} */ v) => v == null || typeof v === 'string';
const isInt32 = (/** @type {unknown} */ v) => v === undefined || (typeof v === 'number' && (v | 0) === v);
const isInt64 = (/** @type {unknown} */ v) =>
  v == null || (Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) < 2 ** 63);
/** @typedef {Record<string, any>} Obj */
/** An object, not an array or function (no `typeof`: Babel helper). @param {unknown} v @returns {v is Obj} */
export const isPlainObject = (v) => v !== null && Object(v) === v && typeof v !== 'function' && !Array.isArray(v);
/** @typedef {string | null | undefined} Text */
const lengthOf = (/** @type {Text} */ v) => (v == null ? -1 : v.length);

/**
 * A call's flags, type, typeu, four texts joined by ',' (lone surrogates at a boundary cannot pair),
 * their lengths (−1 for `null`), then an inbound framework reply's code and first login time.
 * @typedef {[number, number, number, string, number, number, number, number, number | undefined, number]} CallArguments
 */
/**
 * @param {number} flags @param {number} type @param {number} typeu @param {Text} a @param {Text} b @param {Text} c
 * @param {Text} d @param {number} [code] @param {number} [firstLoginTime] @returns {CallArguments}
 */
// biome-ignore format: the tuple's numbers, texts, lengths and reply fields in rows
export const callArguments = (flags, type, typeu, a, b, c, d, code, firstLoginTime = 0) => [
  flags, type, typeu,
  (a ?? '') + ',' + (b ?? '') + ',' + (c ?? '') + ',' + (d ?? ''),
  lengthOf(a), lengthOf(b), lengthOf(c), lengthOf(d),
  code, firstLoginTime,
];

/**
 * A reply's `dataContent` read here as src/protocol/payload.rs would (the wasm reads no JSON):
 * `[code, loginTime, text]` or `[undefined, 0, why]`.
 * @param {string[]} names @param {unknown} content @returns {[number | undefined, number, string | null]}
 */
function readReply(names, content) {
  if (typeof content !== 'string') return [undefined, 0, 'packet has no dataContent'];
  let payload;
  try {
    payload = JSON.parse(content);
  } catch {
    return [undefined, 0, 'invalid JSON'];
  }
  if (!isPlainObject(payload)) return [undefined, 0, 'invalid JSON: not an object'];
  const code = payload[names[0]];
  const time = names[1] ? payload[names[1]] : undefined;
  const text = names[2] ? payload[names[2]] : undefined;
  if (code === undefined) return [undefined, 0, 'missing field ' + names[0]];
  if (!isInt32(code) || !isInt64(time) || !isText(text))
    return [undefined, 0, 'invalid JSON: a field of the wrong type'];
  return [code, time ?? 0, text ?? null];
}

/** Whether `m` is an object whose fields have the types the core's decoder takes. @param {unknown} m */
export function isWireFrame(m) {
  if (!isPlainObject(m)) return false;
  const { bridge, type, dataContent, from, to, fp, QoS, typeu, sm } = m;
  // biome-ignore format: the checks in rows by type
  return (bridge === undefined || typeof bridge === 'boolean') && (QoS === undefined || typeof QoS === 'boolean') &&
    isInt32(type) && isInt32(typeu) && isInt64(sm) &&
    isText(dataContent) && isText(from) && isText(to) && isText(fp);
}

/**
 * The arguments of `ImClient.send` (`inbound`: `.frame`), `null` for what `isWireFrame` refuses. Inbound, an app
 * message passes its fp alone, a reply its text for its payload; a held send (`sendHeld`) no content.
 * @param {unknown} m @param {boolean} inbound @param {boolean} [held] @returns {CallArguments | null}
 */
export function messageArguments(m, inbound, held) {
  if (!isWireFrame(m)) return null;
  const { bridge, type, dataContent, from, to, fp, QoS, typeu } = /** @type {Obj} */ (m);
  const flags = (bridge ? BRIDGE : 0) | (QoS ? QOS : 0);
  const names = inbound ? REPLY_FIELDS[type] : undefined;
  if (names) {
    const reply = readReply(names, dataContent); // Indexed, not destructured: Babel helpers in ES5.
    return callArguments(flags, type, typeu ?? -1, reply[2], from, to, fp, reply[0], reply[1]);
  }
  if (inbound && type === APP_DATA) return callArguments(flags, type, typeu ?? -1, null, null, null, fp);
  return callArguments(flags, type ?? 0, typeu ?? -1, held ? null : dataContent, from, to, fp);
}

/** Whether a login info's fields have the types the core's login reader takes. @param {Record<string, any>} i */
export const isLoginInfo = (i) =>
  typeof i.loginUserId === 'string' && isText(i.loginToken) && isText(i.extra) && isInt64(i.firstLoginTime);

/** The app's copy of an inbound message, with the decoder's defaults. @param {Record<string, any>} p */
// biome-ignore format: the wire fields in two rows
export const wireMessage = (p) => ({
  bridge: p.bridge ?? false, type: p.type ?? 0, dataContent: p.dataContent ?? null, from: p.from ?? '-1',
  to: p.to ?? '-1', fp: p.fp ?? null, QoS: p.QoS ?? false, typeu: p.typeu ?? -1,
});

/**
 * The ack of the checked QoS frame `p` from the user `ownUidJson` (JSON), as `ProtocalRef::ack` writes
 * it; its fixed parts as constants: a receive's V8 ratio 2.1 where `frameText` made it 2.5–2.8.
 * @param {Record<string, any>} p @param {string} ownUidJson
 */
// biome-ignore format: the frame's text in one row
export const ackText = (p, ownUidJson) =>
  '{"bridge":' + (p.bridge === true) + ',"type":4,"dataContent":' + JSON.stringify(p.fp) + ',"from":' + ownUidJson +
  ',"to":' + JSON.stringify(p.from ?? '-1') + ',"fp":null,"QoS":false,"typeu":-1}';

/**
 * The checked message `m` the glue sends as `ProtocalRef::write` writes it, with its content's JSON
 * and its final `fp` and `from` (JSON). @param {Record<string, any>} m @param {string} contentJson
 * @param {string | null} fp @param {string} fromJson
 */
// biome-ignore format: the frame's text in two rows
export const messageText = (m, contentJson, fp, fromJson) =>
  '{"bridge":' + (m.bridge === true) + ',"type":' + (m.type ?? 0) + ',"dataContent":' + contentJson + ',"from":' + fromJson +
  ',"to":' + JSON.stringify(m.to ?? '-1') + ',"fp":' + JSON.stringify(fp) + ',"QoS":' + (m.QoS === true) + ',"typeu":' + (m.typeu ?? -1) + '}';
