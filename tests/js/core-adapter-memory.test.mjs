/**
 * js-glue/src/core-adapter.js over a fake wasm memory whose growth replaces `memory.buffer`
 * without detaching the old buffer (what one report says iOS WXWebAssembly does; nothing here
 * ran on a phone): the mini-program adapter's view of the core's text buffer must follow the new
 * buffer.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { coreFactory } from '../../js-glue/src/core-adapter.js';

/** Where the fake core keeps its fields and its text buffer. */
const FIELDS_AT = 512;
const TEXTS_AT = 1024;

/**
 * A fake `ImClient` over `memory`: `send` reads the message's fields and content from the
 * memory's current buffer, as wasm code does (src/wasm/texts.rs: bytes written at index 3, the
 * content's length at 4).
 * @param {{buffer: ArrayBuffer}} memory
 */
function fakeRaw(memory) {
  const raw = {
    /** @type {string[]} the contents `send` read */
    sent: [],
    textBuffer: () => TEXTS_AT,
    fields: () => FIELDS_AT,
    send() {
      const fields = new Int32Array(memory.buffer, FIELDS_AT, 8);
      const texts = new TextDecoder().decode(new Uint8Array(memory.buffer, TEXTS_AT, fields[3]));
      raw.sent.push(texts.slice(0, fields[4]));
      fields[0] = raw.sent.length;
      fields[1] = 0;
      return 0;
    },
  };
  return raw;
}

/**
 * Grows `memory` as wasm does, keeping the contents, but leaves the old buffer attached.
 * @param {{buffer: ArrayBuffer}} memory
 */
function growWithoutDetaching(memory) {
  const grown = new ArrayBuffer(memory.buffer.byteLength * 2);
  new Uint8Array(grown).set(new Uint8Array(memory.buffer));
  const old = memory.buffer;
  memory.buffer = grown;
  return old;
}

test('the text buffer view follows a new memory buffer even when growth did not detach the old one', () => {
  const memory = { buffer: new ArrayBuffer(65536) };
  const raw = fakeRaw(memory);
  const core = coreFactory(
    () => raw,
    memory,
    true,
  )({ transmit() {}, message() {}, written() {}, data() {}, received() {}, output() {} }, () => {});
  assert.equal(core.send({ type: 2, to: 'bob', dataContent: 'first' }).code, 0);
  assert.deepEqual(raw.sent, ['first']);

  const old = growWithoutDetaching(memory);
  assert.equal(old.byteLength, 65536, 'the old buffer is still attached');
  assert.equal(core.send({ type: 2, to: 'bob', dataContent: 'second' }).sendId, 2, 'read from the new buffer');
  assert.deepEqual(raw.sent, ['first', 'second'], 'written into the new buffer');
});
