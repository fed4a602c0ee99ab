/**
 * `TextEncoder` / `TextDecoder` for runtimes without them (WeChat mini-programs): the native
 * classes where they exist, else small UTF-8 implementations with the subset of the API the
 * wasm-bindgen glue and the core adapter use (`encode`, `encodeInto`, `decode`). The
 * mini-program build injects these in place of the glue's global references, so no global
 * object is touched.
 */

const REPLACEMENT = 0xfffd;

/**
 * UTF-8 encoder: `encode(string) -> Uint8Array` and `encodeInto(string, bytes)`. A constructor
 * function, not a class: for a class, WeChat's ES6→ES5 compile adds Babel helpers.
 * @constructor
 */
function Utf8Encoder() {}

Utf8Encoder.prototype.encoding = 'utf-8';

/** @param {string} [text] */
Utf8Encoder.prototype.encode = function (text = '') {
  const out = new Uint8Array(text.length * 3);
  return out.slice(0, this.encodeInto(text, out).written);
};

/**
 * Writes as many whole characters of `text` as fit into `out`.
 * @param {string} text
 * @param {Uint8Array} out
 * @returns {{read: number, written: number}} UTF-16 units read, bytes written
 */
// biome-ignore lint/complexity/useArrowFunction: a method, like the prototype's others
Utf8Encoder.prototype.encodeInto = function (text, out) {
  let at = 0;
  let i = 0;
  for (; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    let units = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        units = 2;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = REPLACEMENT;
    const length = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (at + length > out.length) break;
    if (length === 1) {
      out[at++] = code;
    } else if (length === 2) {
      out[at++] = 0xc0 | (code >> 6);
      out[at++] = 0x80 | (code & 0x3f);
    } else if (length === 3) {
      out[at++] = 0xe0 | (code >> 12);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    } else {
      out[at++] = 0xf0 | (code >> 18);
      out[at++] = 0x80 | ((code >> 12) & 0x3f);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    }
    i += units - 1;
  }
  return { read: i, written: at };
};

/**
 * The code point of the sequence starting at `bytes[i]` and its length; malformed input gives
 * U+FFFD for one byte.
 * @param {Uint8Array} bytes
 * @param {number} i
 * @returns {[number, number]}
 */
function readCodePoint(bytes, i) {
  const first = bytes[i];
  if (first < 0x80) return [first, 1];
  const length = first >= 0xf0 && first < 0xf5 ? 4 : first >= 0xe0 ? 3 : first >= 0xc2 ? 2 : 0;
  if (length === 0 || first >= 0xf5 || i + length > bytes.length) return [REPLACEMENT, 1];
  let code = first & (0xff >> (length + 1));
  for (let k = 1; k < length; k += 1) {
    const next = bytes[i + k];
    if ((next & 0xc0) !== 0x80) return [REPLACEMENT, 1];
    code = (code << 6) | (next & 0x3f);
  }
  const overlong = code < [0, 0, 0x80, 0x800, 0x10000][length];
  if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return [REPLACEMENT, 1];
  return [code, length];
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

Utf8Decoder.prototype.encoding = 'utf-8';

/** @param {ArrayBufferView | ArrayBuffer} [input] */
Utf8Decoder.prototype.decode = function (input) {
  if (input === undefined) return '';
  const bytes = ArrayBuffer.isView(input)
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    : new Uint8Array(input);
  let out = '';
  /** @type {number[]} */
  let units = [];
  for (let i = 0; i < bytes.length; ) {
    const read = readCodePoint(bytes, i);
    const code = read[0];
    const length = read[1];
    // A literal U+FFFD is 3 bytes long: one byte read as U+FFFD is a malformed sequence.
    if (this.fatal && code === REPLACEMENT && length === 1) throw new TypeError('invalid UTF-8');
    i += length;
    if (code >= 0x10000) {
      units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
    } else {
      units.push(code);
    }
    if (units.length >= 4096) {
      out += String.fromCharCode.apply(null, units);
      units = [];
    }
  }
  return out + String.fromCharCode.apply(null, units);
};

// Older runtimes have a TextEncoder without `encodeInto`, which the core adapter writes with.
const NativeEncoder =
  typeof TextEncoder === 'function' && 'encodeInto' in TextEncoder.prototype ? TextEncoder : undefined;
const NativeDecoder = typeof TextDecoder === 'function' ? TextDecoder : undefined;

/** The runtime's `TextEncoder`, or the UTF-8 polyfill. */
const Encoder = NativeEncoder ?? Utf8Encoder;
/** The runtime's `TextDecoder`, or the UTF-8 polyfill. */
const Decoder = NativeDecoder ?? Utf8Decoder;

export { Decoder as TextDecoder, Encoder as TextEncoder, Utf8Decoder, Utf8Encoder };
