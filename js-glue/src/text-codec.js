/**
 * `TextEncoder` / `TextDecoder` for runtimes without them (iOS WeChat mini-programs): the native
 * classes where they exist, else UTF-8 fallbacks with the subset of the API the wasm-bindgen glue
 * and the core adapter use (`encodeInto`, `decode`). The mini-program build injects these in
 * place of the glue's global references, so no global object is touched.
 *
 * The fallbacks convert with the engine's own URI functions: `encodeURIComponent` and
 * `decodeURIComponent` read and write UTF-8, and `escape` / `unescape` map each byte to and from
 * `%XX`. Without a JIT (iOS) that native work costs far less than a JavaScript loop per byte.
 */

/** Bytes per `String.fromCharCode.apply` call: well under any engine's argument limit. */
const CHUNK = 8192;

/**
 * `text` with every lone surrogate replaced by U+FFFD, as the native `TextEncoder` does (the
 * same length in UTF-16 units).
 * @param {string} text
 */
function wellFormed(text) {
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (unit) =>
    unit.length === 2 ? unit : '\ufffd',
  );
}

/**
 * The UTF-8 bytes of `text`, one character of the result per byte.
 * @param {string} text
 */
function utf8Bytes(text) {
  try {
    return unescape(encodeURIComponent(text));
  } catch {
    // `encodeURIComponent` throws a `URIError` on a lone surrogate.
    return unescape(encodeURIComponent(wellFormed(text)));
  }
}

/**
 * UTF-8 encoder: `encodeInto(string, bytes)`. A constructor function, not a class: for a class,
 * WeChat's ES6→ES5 compile adds Babel helpers.
 * @constructor
 */
function Utf8Encoder() {}

/**
 * Writes as many whole characters of `text` as fit into `out`.
 * @param {string} text
 * @param {Uint8Array} out
 * @returns {{read: number, written: number}} UTF-16 units read, bytes written
 */
// biome-ignore lint/complexity/useArrowFunction: a method, set on the prototype
Utf8Encoder.prototype.encodeInto = function (text, out) {
  const bytes = utf8Bytes(text);
  if (bytes.length <= out.length) {
    for (let i = 0; i < bytes.length; i += 1) out[i] = bytes.charCodeAt(i);
    return { read: text.length, written: bytes.length };
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

/**
 * `bytes` as a string of one character per byte.
 * @param {Uint8Array} bytes
 */
function binaryString(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    // `apply` takes any array-like, a typed array included (TypeScript's lib says `number[]`).
    binary += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + CHUNK)));
  }
  return binary;
}

/**
 * Decodes `binary` (one character per byte) character by character: a byte that starts no
 * valid sequence becomes U+FFFD.
 * @param {string} binary
 */
function decodeLoosely(binary) {
  let out = '';
  for (let i = 0; i < binary.length; ) {
    const first = binary.charCodeAt(i);
    const length = first < 0xc0 ? 1 : first < 0xe0 ? 2 : first < 0xf0 ? 3 : 4;
    try {
      out += decodeURIComponent(escape(binary.substr(i, length)));
      i += length;
    } catch {
      out += '\ufffd';
      i += 1;
    }
  }
  return out;
}

/**
 * UTF-8 decoder: `decode(bytes) -> string`; malformed sequences become U+FFFD, or throw a
 * `TypeError` when constructed with `{fatal: true}`. A BOM is kept (as with `ignoreBOM: true`).
 * A constructor function, not a class (see `Utf8Encoder`).
 * @constructor
 * @param {string} [_label] only UTF-8 is supported
 * @param {{fatal?: boolean}} [options]
 */
function Utf8Decoder(_label, options) {
  this.fatal = Boolean(options?.fatal);
}

/** @param {ArrayBufferView | ArrayBuffer} [input] */
Utf8Decoder.prototype.decode = function (input) {
  if (input === undefined) return '';
  const bytes = ArrayBuffer.isView(input)
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    : new Uint8Array(input);
  const binary = binaryString(bytes);
  try {
    // `decodeURIComponent` throws a `URIError` on any invalid UTF-8: overlong, surrogate,
    // beyond U+10FFFF, truncated.
    return decodeURIComponent(escape(binary));
  } catch {
    if (this.fatal) throw new TypeError('invalid UTF-8');
    return decodeLoosely(binary);
  }
};

// Older runtimes have a TextEncoder without `encodeInto`, which the core adapter writes with.
const NativeEncoder =
  typeof TextEncoder === 'function' && 'encodeInto' in TextEncoder.prototype ? TextEncoder : undefined;
const NativeDecoder = typeof TextDecoder === 'function' ? TextDecoder : undefined;

/** The runtime's `TextEncoder`, or the UTF-8 fallback. */
const Encoder = NativeEncoder ?? Utf8Encoder;
/** The runtime's `TextDecoder`, or the UTF-8 fallback. */
const Decoder = NativeDecoder ?? Utf8Decoder;

export { Decoder as TextDecoder, Encoder as TextEncoder, Utf8Decoder, Utf8Encoder };
