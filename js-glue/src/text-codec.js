/**
 * `TextEncoder` / `TextDecoder` injected into the mini-program bundle (no global is touched): the runtime's
 * if they pass a probe at load, else UTF-8 fallbacks (`encodeInto`, `decode`) on the engine's URI functions,
 * far cheaper without a JIT than a loop per byte (docs/client-behaviour.md §9; docs/performance.md "Size").
 */

const CHUNK = 8192; // Bytes per `String.fromCharCode.apply` call: well under any engine's argument limit.

/** The UTF-8 bytes of `text`, one character per byte. @param {string} text */
function utf8Bytes(text) {
  try {
    return unescape(encodeURIComponent(text));
  } catch {
    // A `URIError` on a lone surrogate: replaced by U+FFFD, as the native encoder does.
    const wellFormed = text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (unit) =>
      unit.length === 2 ? unit : '\ufffd',
    );
    return unescape(encodeURIComponent(wellFormed));
  }
}

/** UTF-8 encoder (no class: a Babel helper in ES5). @constructor */
function Utf8Encoder() {}
/** Writes the whole characters of `text` that fit into `out`. @param {string} text @param {Uint8Array} out */
// biome-ignore lint/complexity/useArrowFunction: a method, set on the prototype
Utf8Encoder.prototype.encodeInto = function (text, out) {
  // ASCII is its own UTF-8: copied unit by unit (jsc without JIT: 6.9, not 9.3 µs a 169-unit frame).
  const length = text.length;
  if (length <= out.length) {
    let i = 0;
    while (i < length) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      out[i] = unit;
      i += 1;
    }
    if (i === length) return { read: length, written: length };
  }
  const bytes = utf8Bytes(text);
  const size = bytes.length;
  if (size <= out.length) {
    for (let i = 0; i < size; i += 1) out[i] = bytes.charCodeAt(i);
    return { read: length, written: size };
  }
  // Cut before the character the buffer ends in: continuation bytes are 0b10xxxxxx.
  let written = out.length;
  while (written > 0 && (bytes.charCodeAt(written) & 0xc0) === 0x80) written -= 1;
  let read = 0;
  for (let i = 0; i < written; i += 1) {
    const byte = bytes.charCodeAt(i);
    out[i] = byte;
    // A lead byte starts a character: of two UTF-16 units when it starts 4 bytes.
    if ((byte & 0xc0) !== 0x80) read += byte >= 0xf0 ? 2 : 1;
  }
  return { read, written };
};

/** `bytes` as one character per byte (`apply` takes typed arrays: the lib says `number[]`). */
function binaryString(/** @type {Uint8Array} */ bytes) {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, /** @type {any} */ (bytes));
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + CHUNK)));
  }
  return binary;
}

/** UTF-8 decoder, always as with `{fatal: true, ignoreBOM: true}`, the SDK's only use. @constructor */
function Utf8Decoder() {}
/** @param {ArrayBufferView | ArrayBuffer} [input] */
Utf8Decoder.prototype.decode = (input) => {
  if (input === undefined) return '';
  // No new view of a `Uint8Array` (the usual input): an allocation an interpreter pays for.
  const bytes =
    input instanceof Uint8Array
      ? input
      : ArrayBuffer.isView(input)
        ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : new Uint8Array(input);
  const binary = binaryString(bytes);
  try {
    // A `URIError` on any invalid UTF-8: overlong, surrogate, beyond U+10FFFF, truncated.
    return decodeURIComponent(escape(binary));
  } catch {
    throw new TypeError('invalid UTF-8');
  }
};

/** The runtime's `TextEncoder` if it has a UTF-8 `encodeInto` (some polyfills have only `encode`). */
function workingNativeEncoder() {
  try {
    const out = new Uint8Array(4);
    return new TextEncoder().encodeInto('\u00e9', out).written === 2 && out[1] === 0xa9 ? TextEncoder : undefined;
  } catch {
    return undefined;
  }
}

/** The runtime's `TextDecoder` if it passes the probe of docs/client-behaviour.md §9. */
function workingNativeDecoder() {
  let strict;
  try {
    strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const kept = strict.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0xa9])) === '\ufeff\u00e9';
    if (!kept || new TextDecoder('utf-8', { ignoreBOM: true }).decode() !== '') return undefined;
  } catch {
    return undefined;
  }
  try {
    strict.decode(new Uint8Array([0xff]));
  } catch {
    return TextDecoder;
  }
}

const Encoder = workingNativeEncoder() ?? Utf8Encoder;
const Decoder = workingNativeDecoder() ?? Utf8Decoder;

/** The UTF-8 length of `text`, by the fallback encoder's URI functions. @param {string} text */
export const utf8Length = (text) => utf8Bytes(text).length;

export { Decoder as TextDecoder, Encoder as TextEncoder, Utf8Decoder, Utf8Encoder };
