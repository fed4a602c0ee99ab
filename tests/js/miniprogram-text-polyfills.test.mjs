/**
 * A host app's global `TextEncoder` / `TextDecoder` polyfills in the mini-program build
 * (docs/client-behaviour.md §9): the SDK probes them once when it loads and falls back to its own
 * UTF-8 codec (js-glue/src/text-codec.js) when one lacks `encodeInto` or throws on the options the
 * glue passes; a complete one is used. In each case the SDK logs in and a QoS message with
 * text outside ASCII goes both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createRecorder, MAIN_CALLBACKS } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;

/** A decoder's text as a mini-program polyfill writes it: on the engine's URI functions. */
const DECODE = `function (input) {
  if (input === undefined) return '';
  const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
  return decodeURIComponent(escape(binary));
}`;

/** Polyfills as page code installs them, each found in host apps' dependencies. */
const POLYFILLS = {
  // As `fast-text-encoding` does: `encode` only, and `fatal` refused.
  'an encoder without encodeInto and a decoder that throws on fatal': `
    globalThis.TextEncoder = function () {};
    TextEncoder.prototype.encode = function (text) {
      const binary = unescape(encodeURIComponent(text));
      const out = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) out[i] = binary.charCodeAt(i);
      return out;
    };
    globalThis.TextDecoder = function (label, options) {
      if (options && options.fatal) throw new RangeError("Failed to construct 'TextDecoder': the 'fatal' option is unsupported.");
    };
    TextDecoder.prototype.decode = ${DECODE};
  `,
  'a decoder that throws on any options': `
    globalThis.TextDecoder = function (label, options) {
      if (options !== undefined) throw new TypeError('TextDecoder options are not supported');
    };
    TextDecoder.prototype.decode = ${DECODE};
  `,
};

const TEXT = '你好，😀 café';

/** A phone with `polyfill` run as page code before the SDK loads, every main callback recorded. */
function phone(polyfill = '') {
  const runtime = openMiniProgram(undefined, {}, (env) => {
    if (polyfill) env.run(polyfill);
  });
  const events = createRecorder();
  for (const name of MAIN_CALLBACKS) runtime.IMSDK[name] = events.callback(name);
  runtimes.push(runtime);
  return { ...runtime, events };
}

/** Logs `device` in as `uid` and waits until it is online. */
async function online(device, uid) {
  assert.equal(device.IMSDK.loginImpl({ loginUserId: uid, loginToken: `token-${uid}` }, fixture.server.url), 0);
  await device.events.waitFor('callback_onIMAfterLoginSucess');
}

/** `alice` and `bob` exchange a QoS message each way; each arrives intact and is acknowledged. */
async function exchange(alice, bob, uids) {
  for (const [from, to, toUid] of [
    [alice, bob, uids[1]],
    [bob, alice, uids[0]],
  ]) {
    const message = from.sdk.MBProtocalFactory.createCommonDataSimple(`${TEXT} to ${toUid}`, '', toUid);
    assert.equal(from.IMSDK.sendData(message), 0);
    const [received] = await to.events.waitFor('callback_onIMData', { where: (p) => p.fp === message.fp });
    assert.equal(received.dataContent, `${TEXT} to ${toUid}`);
    assert.deepEqual(await from.events.waitFor('callback_onMessagesBeReceived'), [message.fp]);
  }
}

for (const [name, polyfill] of Object.entries(POLYFILLS)) {
  test(`with ${name}, the SDK loads on its own codec, logs in and messages go both ways`, async () => {
    const uids = [`poly-${name.length}-a`, `poly-${name.length}-b`];
    const alice = phone(polyfill);
    const bob = phone();
    await online(alice, uids[0]);
    await online(bob, uids[1]);
    await exchange(alice, bob, uids);
    assert.deepEqual(alice.env.uncaughtErrors, []);
  });
}

test('a complete polyfill passes the probe and is used', async () => {
  const calls = { decode: 0, encodeInto: 0 };
  const alice = phone();
  const complete = openMiniProgram(undefined, {}, (env) => {
    // Node's own classes behind a page-installed polyfill, counting the SDK's calls.
    env.context.calls = calls;
    env.context.NodeTextDecoder = TextDecoder;
    env.context.NodeTextEncoder = TextEncoder;
    env.run(`
      globalThis.TextDecoder = function (label, options) { this.inner = new NodeTextDecoder(label, options); };
      TextDecoder.prototype.decode = function (input) { calls.decode += 1; return this.inner.decode(input); };
      globalThis.TextEncoder = function () { this.inner = new NodeTextEncoder(); };
      TextEncoder.prototype.encodeInto = function (text, out) { calls.encodeInto += 1; return this.inner.encodeInto(text, out); };
    `);
  });
  const bob = { ...complete, events: createRecorder() };
  for (const callback of MAIN_CALLBACKS) bob.IMSDK[callback] = bob.events.callback(callback);
  runtimes.push(complete);
  const afterProbe = { ...calls };
  await online(alice, 'poly-complete-a');
  await online(bob, 'poly-complete-b');
  await exchange(alice, bob, ['poly-complete-a', 'poly-complete-b']);
  assert.ok(calls.encodeInto > afterProbe.encodeInto, 'the polyfill encoded');
  assert.ok(calls.decode > afterProbe.decode, 'the polyfill decoded');
});
