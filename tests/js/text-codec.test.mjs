/**
 * The UTF-8 TextEncoder/TextDecoder fallback the mini-program build injects matches the native
 * classes on valid text, writes whole characters only, and handles malformed input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Utf8Decoder, Utf8Encoder } from '../../js-glue/src/text-codec.js';

const SAMPLES = [
  '',
  'plain ascii {"type":2}',
  'café – 你好，世界',
  'emoji 😀👍🏽 and 𝄞',
  '\u0000\u007f\u0080\u07ff\u0800\uffff',
  'x'.repeat(10_000) + '漢'.repeat(5_000),
];

/**
 * What `encoder.encodeInto` writes of `text` into a buffer large enough for all of it.
 * @param {{encodeInto: (text: string, out: Uint8Array) => {written: number}}} encoder
 * @param {string} text
 */
function encoded(encoder, text) {
  const out = new Uint8Array(text.length * 3);
  return out.slice(0, encoder.encodeInto(text, out).written);
}

/** Texts with lone surrogates, which the native encoder writes as U+FFFD. */
const LONE_SURROGATES = ['a\ud800b', '\udc00', 'x\ud83d', '\ude00\ud83d', '\ud83d\ud83d\ude00', '漢\udfff😀'];

test('encodes like the native TextEncoder', () => {
  const native = new TextEncoder();
  const polyfill = new Utf8Encoder();
  for (const sample of SAMPLES) assert.deepEqual(encoded(polyfill, sample), native.encode(sample));
  assert.deepEqual(encoded(polyfill, 'a\ud800b'), native.encode('a\ud800b'), 'a lone surrogate becomes U+FFFD');
  for (const sample of LONE_SURROGATES) assert.deepEqual(encoded(polyfill, sample), native.encode(sample), sample);
});

test('encodes into a buffer like the native TextEncoder, whole characters only', () => {
  const native = new TextEncoder();
  const polyfill = new Utf8Encoder();
  for (const sample of [...SAMPLES, ...LONE_SURROGATES, '😀漢é'.repeat(3)]) {
    for (const size of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 64, sample.length * 3]) {
      const expected = new Uint8Array(size);
      const actual = new Uint8Array(size);
      assert.deepEqual(polyfill.encodeInto(sample, actual), native.encodeInto(sample, expected), `${size} bytes`);
      assert.deepEqual(actual, expected, `${size} bytes`);
    }
  }
});

test('decodes like the native TextDecoder', () => {
  const native = new TextDecoder('utf-8', { ignoreBOM: true });
  const polyfill = new Utf8Decoder();
  for (const sample of SAMPLES) {
    const bytes = new TextEncoder().encode(sample);
    assert.equal(polyfill.decode(bytes), native.decode(bytes));
    assert.equal(polyfill.decode(bytes), sample);
    assert.equal(polyfill.decode(bytes.buffer), sample);
  }
  assert.equal(polyfill.decode(), '');
  const view = new Uint8Array([0x78, 0x61, 0x62, 0x78]).subarray(1, 3);
  assert.equal(polyfill.decode(view), 'ab');
});

test('decodes texts longer than one String.fromCharCode chunk, characters across chunk ends', () => {
  const polyfill = new Utf8Decoder();
  for (const sample of ['é'.repeat(20_000), `x${'😀'.repeat(9_000)}`, `xy${'漢'.repeat(9_000)}`]) {
    const bytes = new TextEncoder().encode(sample);
    assert.equal(polyfill.decode(bytes), sample);
    const broken = new Uint8Array([...bytes, 0xff]);
    assert.throws(() => polyfill.decode(broken), TypeError);
  }
});

test('it rejects what the native TextDecoder rejects with fatal set, and keeps a literal U+FFFD', () => {
  const native = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const polyfill = new Utf8Decoder();
  const malformed = [
    [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d],
    [0x7b, 0xc3, 0x28, 0x7d],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82],
    [0xe0, 0x80, 0x80],
    [0xf0, 0x80, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0x80],
    [0xf0, 0x9f, 0x98],
  ];
  for (const bytes of malformed) {
    assert.throws(() => native.decode(new Uint8Array(bytes)), TypeError);
    assert.throws(() => polyfill.decode(new Uint8Array(bytes)), TypeError, `rejects ${bytes}`);
  }
  const literal = new TextEncoder().encode('\ufeff{"a":"\ufffd"}');
  assert.equal(polyfill.decode(literal), native.decode(literal));
});

test('a native TextEncoder without encodeInto (older runtimes) is replaced by the polyfill', async () => {
  const native = globalThis.TextEncoder;
  globalThis.TextEncoder = class {
    encode(text = '') {
      return new native().encode(text);
    }
  };
  try {
    const codec = await import('../../js-glue/src/text-codec.js?without-encode-into');
    assert.equal(codec.TextEncoder, codec.Utf8Encoder);
  } finally {
    globalThis.TextEncoder = native;
  }
  const codec = await import('../../js-glue/src/text-codec.js');
  assert.equal(codec.TextEncoder, native, 'a complete native encoder is kept');
});
