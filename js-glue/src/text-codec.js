/**
 * `TextEncoder` / `TextDecoder` for runtimes without them (iOS WeChat mini-programs): the
 * runtime's classes where they exist and pass a probe at load (a host app's global polyfill may
 * lack `encodeInto` or throw on `fatal`), else UTF-8 fallbacks with the subset of the API the
 * wasm-bindgen glue and the core adapter use (`encodeInto`, `decode`). The mini-program build
 * injects these in place of the glue's global references, so no global object is touched.
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
  // ASCII text, the usual case, is its own UTF-8: copied unit by unit, without the URI
  // functions' two passes (in jsc without JIT, 6.9 instead of 9.3 µs for a 169-unit frame).
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

/**
 * `bytes` as a string of one character per byte.
 * @param {Uint8Array} bytes
 */
function binaryString(bytes) {
  // `apply` takes any array-like, a typed array included (TypeScript's lib says `number[]`).
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, /** @type {any} */ (bytes));
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + CHUNK)));
  }
  return binary;
}

/**
 * UTF-8 decoder: `decode(bytes) -> string`, always as with `{fatal: true, ignoreBOM: true}`,
 * which is how the SDK builds every decoder: malformed sequences throw a `TypeError`, a BOM is
 * kept. A constructor function, not a class (see `Utf8Encoder`).
 * @constructor
 */
function Utf8Decoder() {}

/** @param {ArrayBufferView | ArrayBuffer} [input] */
Utf8Decoder.prototype.decode = (input) => {
  if (input === undefined) return '';
  // No new view of a `Uint8Array` (the generated glue's and the adapter's input): each view
  // is an allocation, which an interpreter pays for.
  const bytes =
    input instanceof Uint8Array
      ? input
      : ArrayBuffer.isView(input)
        ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : new Uint8Array(input);
  const binary = binaryString(bytes);
  try {
    // `decodeURIComponent` throws a `URIError` on any invalid UTF-8: overlong, surrogate,
    // beyond U+10FFFF, truncated.
    return decodeURIComponent(escape(binary));
  } catch {
    throw new TypeError('invalid UTF-8');
  }
};

/**
 * The runtime's `TextEncoder` if it writes UTF-8 with `encodeInto` (older runtimes, and some
 * polyfills a host app installs, have only `encode`), probed once at load.
 */
function workingNativeEncoder() {
  if (typeof TextEncoder !== 'function') return undefined;
  try {
    const out = new Uint8Array(4);
    return new TextEncoder().encodeInto('\u00e9', out).written === 2 && out[1] === 0xa9 ? TextEncoder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runtime's `TextDecoder` if it does what the glue asks of it, probed once at load: built
 * with `{fatal: true, ignoreBOM: true}` (a polyfill may throw on `fatal`), it keeps a BOM,
 * decodes UTF-8 and throws on invalid bytes (the core adapter drops such frames, §7); built
 * with `{ignoreBOM: true}`, `decode()` gives `''` (the generated glue's first call).
 */
function workingNativeDecoder() {
  if (typeof TextDecoder !== 'function') return undefined;
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
    return undefined;
  } catch {
    return TextDecoder;
  }
}

/** The runtime's `TextEncoder` if it passed its probe, else the UTF-8 fallback. */
const Encoder = workingNativeEncoder() ?? Utf8Encoder;
/** The runtime's `TextDecoder` if it passed its probe, else the UTF-8 fallback. */
const Decoder = workingNativeDecoder() ?? Utf8Decoder;

export { Decoder as TextDecoder, Encoder as TextEncoder, Utf8Decoder, Utf8Encoder };
