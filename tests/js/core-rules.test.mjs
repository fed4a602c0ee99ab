/**
 * The rules the core owns, seen through the browser build (dist/index.js) and its real wasm: the
 * codes `loginImpl` and `sendData` give before the wasm has loaded (mirrored in facade.js) are
 * the core's for every input class; the sense mode and the message-id length are the core's to
 * check, also when set before the core exists (docs/client-behaviour.md §1, §2, §7).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { browserDist, requireBuilt } from './support/builds.mjs';
import { eventually } from './support/recorder.mjs';

const URL = 'ws://127.0.0.1:9/websocket';

/** A page's WebSocket that never connects: the session keeps connecting, all these tests need. */
class NeverOpens {
  readyState = 0;
  send() {}
  close() {
    this.readyState = 3;
  }
}
const clients = [];

before(() => {
  requireBuilt(browserDist);
  globalThis.WebSocket = NeverOpens;
});

after(() => {
  for (const client of clients) client.IMSDK.destroy();
  delete globalThis.WebSocket;
});

/** A fresh module (its own wasm instance) and one client of it, with its log lines. */
async function freshClient(name) {
  const sdk = await import(`${pathToFileURL(join(browserDist, 'index.js'))}?rules=${name}`);
  sdk.IMSDK.setWasmPath(readFileSync(join(browserDist, 'mobileimsdk.wasm')));
  const client = sdk.createClient();
  clients.push(client);
  const lines = [];
  client.IMSDK.callback_onIMLog = (line) => lines.push(line);
  return { ...client, lines };
}

/** Logs `client` in and waits until the wasm has loaded and the core took the login. */
async function loaded(client) {
  assert.equal(client.IMSDK.loginImpl({ loginUserId: 'u1' }, URL), 0);
  await eventually(() => client.IMSDK.getLoginInfo()?.firstLoginTime !== undefined, 'the core has the login');
}

/** One login argument pair of each class `loginImpl` tells apart. */
const LOGIN_INPUTS = [
  ['no login object', null, URL],
  ['a string for the object', 'u1', URL],
  ['a function for the object', Object.assign(() => {}, { loginUserId: 'u1' }), URL],
  ['an array for the object', [], URL],
  ['no loginUserId', {}, URL],
  ['an empty loginUserId', { loginUserId: '' }, URL],
  ['a number for loginUserId', { loginUserId: 7 }, URL],
  ['no URL', { loginUserId: 'u1' }, undefined],
  ['an empty URL', { loginUserId: 'u1' }, ''],
  ['a number for the URL', { loginUserId: 'u1' }, 7],
  ['no loginUserId and no URL', {}, ''],
  ['a valid login', { loginUserId: 'u1', loginToken: 't' }, URL],
];

test("loginImpl's code before the wasm has loaded is the core's, for every input class", async () => {
  const expected = [];
  for (const [index, [what, info, url]] of LOGIN_INPUTS.entries()) {
    // A fresh client for each: the wasm of none has loaded (a valid login starts loading it).
    const client = await freshClient(`before-${index}`);
    expected.push([what, client.IMSDK.loginImpl(info, url)]);
  }
  const core = await freshClient('after');
  await loaded(core);
  const actual = LOGIN_INPUTS.map(([what, info, url]) => [what, core.IMSDK.loginImpl(info, url)]);
  assert.deepEqual(actual, expected);
  assert.deepEqual(
    expected.map(([, code]) => code),
    [4, 4, 4, 4, 4, 4, 4, 205, 205, 205, 4, 0],
  );
});

/** One message of each class `sendData` tells apart, made by `factory` (the client's `MBProtocalFactory`). */
const SEND_INPUTS = [
  ['no message', () => null],
  ['a string', () => 'x'],
  ['an array', () => []],
  ['a function', () => () => {}],
  ['a QoS message', (factory) => factory.createCommonDataSimple('x', 'u1', 'u2')],
  ['a QoS message to nobody', (factory) => factory.createCommonDataSimple('x', 'u1', '')],
  ['a QoS message of type 0', (factory) => ({ ...factory.createCommonDataSimple('x', 'u1', 'u2'), type: 0 })],
  [
    'a QoS message with a number for `to`',
    (factory) => ({ ...factory.createCommonDataSimple('x', 'u1', 'u2'), to: 7 }),
  ],
  ['a plain message', (factory) => factory.createCommonData('x', 'u1', 'u2', false)],
];

test("sendData's code before the wasm has loaded is the core's, or its failure callback's", async () => {
  const client = await freshClient('send-before');
  assert.equal(client.IMSDK.loginImpl({ loginUserId: 'u1' }, URL), 0);
  const before = SEND_INPUTS.map(([what, make]) => {
    const outcome = { what, code: 0 };
    outcome.code = client.IMSDK.sendData(make(client.MBProtocalFactory), null, (err) => {
      outcome.failed = err.errCode;
    });
    return outcome;
  });
  await loaded(client);
  const core = await freshClient('send-after');
  await loaded(core);
  const after = SEND_INPUTS.map(([what, make]) => [what, core.IMSDK.sendData(make(core.MBProtocalFactory))]);
  // Queued before the load (0), a message gets the core's code through fnFail once it has loaded.
  const beforeCodes = before.map(({ what, code, failed }) => [what, code === 0 ? (failed ?? 0) : code]);
  // The one difference, by the stock API: a plain message before the load is 203 (not
  // initialised), while the core, connecting, says 201 (not connected).
  beforeCodes[beforeCodes.length - 1][1] = 201;
  assert.deepEqual(beforeCodes, after);
  assert.deepEqual(
    after.map(([, code]) => code),
    [4, 4, 4, 4, 0, 4, 4, 4, 201],
  );
  assert.equal(before.at(-1).code, 203);
});

test('the core checks the sense mode: refused with a warning, also one set before it existed', async () => {
  const client = await freshClient('sense');
  const { IMSDK, MBKeepAliveDaemon } = client;
  assert.equal(MBKeepAliveDaemon.setSenseMode(8), true, 'kept until the core exists');
  await loaded(client);
  assert.ok(client.lines.includes('[IMSDK-core] unknown sense mode ignored'), client.lines.join('\n'));
  assert.equal(MBKeepAliveDaemon.setSenseMode(3), true);
  for (const refused of [0, 8, 2.5, '3', null]) {
    assert.equal(MBKeepAliveDaemon.setSenseMode(refused), false, String(refused));
  }
  assert.equal(client.lines.filter((line) => line.includes('unknown sense mode')).length, 6);
  assert.equal(IMSDK.setSenseMode(7), true);
});

test('the core normalises the message-id length, also one set before it existed', async () => {
  const client = await freshClient('msg-id');
  const { IMSDK, MBProtocalFactory } = client;
  MBProtocalFactory.setMsgIdLength('12');
  await loaded(client);
  const fpLength = () => {
    const message = MBProtocalFactory.createCommonDataSimple('x', 'u1', 'u2');
    assert.equal(IMSDK.sendData(message), 0);
    return message.fp.length;
  };
  assert.equal(fpLength(), 12);
  for (const [length, expected] of [
    [5, 5],
    [0, 36],
    [8, 8],
    [2.5, 36],
    [8, 8],
    [-1, 36],
    [8, 8],
    [1e9, 36],
  ]) {
    MBProtocalFactory.setMsgIdLength(length);
    assert.equal(fpLength(), expected, `setMsgIdLength(${length})`);
  }
});
