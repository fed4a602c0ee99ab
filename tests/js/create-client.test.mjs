/**
 * `createClient()` in both builds: another `IMSDK` object in the same page or app, independent of
 * the singleton (own session, callbacks, settings), sharing the one wasm instance.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { browserDist, openMiniProgram, requireBuilt } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { createRecorder } from './support/recorder.mjs';

let server;
const cleanups = [];

before(async () => {
  requireBuilt(browserDist);
  globalThis.WebSocket = WebSocket;
  server = await startDevServer();
});

after(async () => {
  for (const cleanup of cleanups) cleanup();
  await server?.stop();
  delete globalThis.WebSocket;
});

/** Records the callbacks of one client and logs it in; resolves once online. */
async function online(IMSDK, uid) {
  const events = createRecorder();
  for (const name of ['callback_onIMAfterLoginSucess', 'callback_onIMData', 'callback_onMessagesBeReceived']) {
    IMSDK[name] = events.callback(name);
  }
  assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: `token-${uid}` }, server.url), 0);
  await events.waitFor('callback_onIMAfterLoginSucess');
  return events;
}

/**
 * Two clients of one module exchange acknowledged messages; neither sees the other's events.
 * @param {any} sdk the module's exports
 * @param {string} prefix for the user ids
 */
async function exchange(sdk, prefix) {
  const second = sdk.createClient();
  cleanups.push(
    () => second.IMSDK.destroy(),
    () => sdk.IMSDK.destroy(),
  );
  assert.notEqual(second.IMSDK, sdk.IMSDK);
  assert.equal(second.MBErrorCode.COMMON_CODE_OK, 0);
  const [alice, bob] = [`${prefix}-alice`, `${prefix}-bob`];
  const aliceEvents = await online(sdk.IMSDK, alice);
  const bobEvents = await online(second.IMSDK, bob);
  assert.equal(sdk.IMSDK.getLoginInfo().loginUserId, alice);
  assert.equal(second.IMSDK.getLoginInfo().loginUserId, bob);

  const toBob = sdk.MBProtocalFactory.createCommonDataSimple('hi bob', alice, bob);
  assert.equal(sdk.IMSDK.sendData(toBob), 0);
  const [received] = await bobEvents.waitFor('callback_onIMData');
  assert.equal(received.dataContent, 'hi bob');
  assert.deepEqual(await aliceEvents.waitFor('callback_onMessagesBeReceived'), [toBob.fp]);

  const { fp } = await second.IMSDK.sendDataAsync(second.MBProtocalFactory.createCommonDataSimple('hi', bob, alice));
  await aliceEvents.waitFor('callback_onIMData', { where: (p) => p.fp === fp });
  assert.equal(bobEvents.all('callback_onMessagesBeReceived').length, 1);
  assert.equal(aliceEvents.all('callback_onMessagesBeReceived').length, 1, 'acks reach only their sender');

  second.IMSDK.disconnectSocket();
  assert.equal(second.IMSDK.getConnectionState(), 'logged_out');
  assert.equal(sdk.IMSDK.getConnectionState(), 'online', 'logging one client out leaves the other online');
}

test('browser build: createClient() gives a second client beside the singleton', async () => {
  const sdk = await import(pathToFileURL(join(browserDist, 'index.js')).href);
  assert.equal(typeof sdk.createClient, 'function');
  assert.equal(sdk.default, sdk.IMSDK, 'the singleton API is unchanged');
  assert.equal(
    sdk.IMSDK.setWasmPath(readFileSync(join(browserDist, 'mobileimsdk.wasm'))),
    true,
    'Node has no file fetch',
  );
  await exchange(sdk, 'esm');
});

test('mini-program build: createClient() works too and is not hung on wx', async () => {
  const { env, sdk } = openMiniProgram();
  cleanups.push(() => env.dispose());
  await exchange(sdk, 'mp');
  assert.equal(env.wx.IMSDK, sdk.IMSDK);
  assert.equal(env.wx.createClient, undefined);
});
