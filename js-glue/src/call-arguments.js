/**
 * The arguments of the wasm calls that take a message (`ImClient.send`, `.frame`, `.login`):
 * what the adapter writes into the fields and the text buffer (docs/client-behaviour.md §11),
 * checked by the type rules of the core's decoder, and the app's copy of an inbound message.
 * No imports, so a wasm-bindgen test can load it as a snippet.
 */

/** A message's flags (src/wasm/texts.rs). */
const BRIDGE = 1;
export const QOS = 2;
/** The type of app messages, whose content stays out of the core. */
const APP_DATA = 2;

/**
 * The members of the framework replies' JSON payloads (docs/protocol.md §3): code, first login
 * time, text; '' where the type has none. The core reads no JSON in the wasm.
 * @type {Record<number, [string, string, string]>}
 */
const REPLY_FIELDS = {
  50: ['code', 'firstLoginTime', ''],
  52: ['errorCode', '', 'errorMsg'],
  54: ['code', '', 'reason'],
};

// The type checks of the core's decoder (src/protocol/frame.rs `read_field`).
/** @param {unknown} v */
export const isText = (v) => v == null || typeof v === 'string';
/** @param {unknown} v */
const isInt32 = (v) => v === undefined || (typeof v === 'number' && (v | 0) === v);
/** @param {unknown} v */
export const isInt64 = (v) => v == null || (Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) < 2 ** 63);
/**
 * An object and no array or function. Not `typeof v === 'object'`: WeChat's ES6→ES5 compile
 * turns that into a Babel helper call.
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
export const isPlainObject = (v) => v !== null && Object(v) === v && typeof v !== 'function' && !Array.isArray(v);
/** @param {string | null | undefined} v */
const lengthOf = (v) => (v == null ? -1 : v.length);

/**
 * A call's numbers and texts: flags, type, typeu, the four texts joined by ',' (so that lone
 * surrogates at a boundary cannot pair) and their lengths (−1 for `null`), then for an inbound
 * frame the code and first login time of a framework reply.
 * @typedef {[number, number, number, string, number, number, number, number, number | undefined, number]} CallArguments
 */

/**
 * @param {number} flags @param {number} type @param {number} typeu
 * @param {string | null | undefined} a @param {string | null | undefined} b
 * @param {string | null | undefined} c @param {string | null | undefined} d
 * @param {number} [code] @param {number} [firstLoginTime]
 * @returns {CallArguments}
 */
export const callArguments = (flags, type, typeu, a, b, c, d, code, firstLoginTime = 0) => [
  flags,
  type,
  typeu,
  (a ?? '') + ',' + (b ?? '') + ',' + (c ?? '') + ',' + (d ?? ''),
  lengthOf(a),
  lengthOf(b),
  lengthOf(c),
  lengthOf(d),
  code,
  firstLoginTime,
];

/**
 * A framework reply's payload read by the rules of the core's payload reader
 * (src/protocol/payload.rs): `[code, firstLoginTime, text]`, or `[undefined, 0, why]`.
 * @param {[string, string, string]} names
 * @param {unknown} content the frame's `dataContent`
 * @returns {[number | undefined, number, string | null]}
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

/**
 * The call arguments of `ImClient.send` (or, `inbound`, `ImClient.frame`) for a message; `null`
 * when it is no object or a field has the wrong type. Absent fields take the stock defaults. An
 * inbound app message's content stays out (the app gets the parsed object), as does a sent one's
 * that the glue writes itself (`held`, `ImClient.sendHeld`), and a framework reply's text takes
 * the place of its JSON payload.
 * @param {unknown} m
 * @param {boolean} inbound
 * @param {boolean} [held]
 * @returns {CallArguments | null}
 */
export function messageArguments(m, inbound, held) {
  if (!isPlainObject(m)) return null;
  const { bridge, type, dataContent, from, to, fp, QoS, typeu, sm } = m;
  const valid =
    (bridge === undefined || typeof bridge === 'boolean') &&
    (QoS === undefined || typeof QoS === 'boolean') &&
    isInt32(type) &&
    isInt32(typeu) &&
    isInt64(sm) &&
    isText(dataContent) &&
    isText(from) &&
    isText(to) &&
    isText(fp);
  if (!valid) return null;
  const flags = (bridge ? BRIDGE : 0) | (QoS ? QOS : 0);
  const names = inbound ? REPLY_FIELDS[type] : undefined;
  if (names) {
    // Indexed, not destructured: WeChat's ES5 compile adds helpers for array destructuring.
    const reply = readReply(names, dataContent);
    return callArguments(flags, type, typeu ?? -1, reply[2], from, to, fp, reply[0], reply[1]);
  }
  const content = (inbound && type === APP_DATA) || held ? null : dataContent;
  return callArguments(flags, type ?? 0, typeu ?? -1, content, from, to, fp);
}

/**
 * The app's copy of an inbound app message: the wire fields, absent ones with the decoder's
 * defaults (src/protocol/frame.rs).
 * @param {Record<string, any>} p the frame's parsed JSON
 */
export const wireMessage = (p) => ({
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
 * A frame's text as the core's writer writes it (src/protocol/frame.rs `ProtocalRef::write`, the
 * stock field order; docs/client-behaviour.md §11), concatenated around `JSON.stringify` of the
 * texts: in V8 about twice as fast as stringifying an object (`npm run bench`,
 * docs/performance.md).
 * @param {boolean} bridge @param {number} type @param {string} contentJson
 * @param {string} fromJson @param {string} to @param {string | null} fp
 * @param {boolean} qos @param {number} typeu
 */
const frameText = (bridge, type, contentJson, fromJson, to, fp, qos, typeu) =>
  '{"bridge":' +
  bridge +
  ',"type":' +
  type +
  ',"dataContent":' +
  contentJson +
  ',"from":' +
  fromJson +
  ',"to":' +
  JSON.stringify(to) +
  ',"fp":' +
  JSON.stringify(fp) +
  ',"QoS":' +
  qos +
  ',"typeu":' +
  typeu +
  '}';

/**
 * The text of the ack of the QoS frame `p` from the user whose id is `ownUidJson` (as JSON), as
 * the core's writer writes one (`ProtocalRef::ack`).
 * @param {Record<string, any>} p the frame's parsed JSON, checked by `messageArguments`
 * @param {string} ownUidJson
 */
export const ackText = (p, ownUidJson) =>
  frameText(p.bridge === true, 4, JSON.stringify(p.fp), ownUidJson, p.from ?? '-1', null, false, -1);

/** Any UTF-16 unit outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The UTF-8 length of `text` without encoding it: the length itself for ASCII (told by the
 * runtime's regular expressions, natively), else 2 bytes a unit below U+0800, 4 a surrogate
 * pair and 3 any other.
 * @param {string} text
 */
export function utf8Length(text) {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit < 0xe000) ? 1 : 2;
  }
  return bytes;
}

/**
 * The text of the app message `m` as the core's writer writes a sent one, with its content's
 * JSON, and its final `fp` and `from` (as JSON).
 * @param {Record<string, any>} m the app's message, checked by `messageArguments`
 * @param {string} contentJson
 * @param {string | null} fp
 * @param {string} fromJson
 */
export const messageText = (m, contentJson, fp, fromJson) =>
  frameText(m.bridge === true, m.type ?? 0, contentJson, fromJson, m.to ?? '-1', fp, m.QoS === true, m.typeu ?? -1);
