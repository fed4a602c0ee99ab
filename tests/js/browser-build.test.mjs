/**
 * The browser ESM build (dist/index.js) in Node, with `ws` as the page's WebSocket: the wasm is
 * fetched over HTTP (streaming compile) or given as bytes, two users exchange a QoS message.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { browserDist, requireBuilt } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { createRecorder } from './support/recorder.mjs';

let server;
let wasmHost;
const sdks = [];

before(async () => {
  requireBuilt(browserDist);
  globalThis.WebSocket = WebSocket;
  server = await startDevServer();
  const wasm = readFileSync(join(browserDist, 'mobileimsdk.wasm'));
  wasmHost = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/wasm' }).end(wasm);
  });
  await new Promise((resolve) => wasmHost.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  for (const IMSDK of sdks) IMSDK.destroy();
  await server?.stop();
  await new Promise((resolve) => wasmHost?.close(resolve));
  delete globalThis.WebSocket;
});

/** A fresh copy of the module (its own wasm instance), as another page would have. */
async function importFresh(name) {
  const sdk = await import(`${pathToFileURL(join(browserDist, 'index.js'))}?page=${name}`);
  sdks.push(sdk.IMSDK);
  return sdk;
}

async function online(sdk, uid) {
  const events = createRecorder();
  for (const name of ['callback_onIMAfterLoginSucess', 'callback_onIMData', 'callback_onMessagesBeReceived']) {
    sdk.IMSDK[name] = events.callback(name);
  }
  assert.equal(sdk.IMSDK.loginImpl({ loginUserId: uid, loginToken: 'browser-token' }, server.url), 0);
  await events.waitFor('callback_onIMAfterLoginSucess');
  return events;
}

test('two browser pages exchange acknowledged messages', async () => {
  const fetched = await importFresh('fetched');
  const { port } = wasmHost.address();
  assert.equal(fetched.IMSDK.setWasmPath(new URL(`http://127.0.0.1:${port}/mobileimsdk.wasm`)), true);
  const bytes = await importFresh('bytes');
  bytes.IMSDK.setWasmPath(readFileSync(join(browserDist, 'mobileimsdk.wasm')));

  const ann = await online(fetched, 'browser-ann');
  const ben = await online(bytes, 'browser-ben');
  const message = fetched.MBProtocalFactory.createCommonDataSimple('from a page', 'browser-ann', 'browser-ben');
  const { fp } = await fetched.IMSDK.sendDataAsync(message);
  assert.match(fp, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'UUID v4 by default');
  const [received] = await ben.waitFor('callback_onIMData');
  assert.equal(received.dataContent, 'from a page');
  assert.equal(ann.all('callback_onMessagesBeReceived')[0][0], fp);

  assert.equal(fetched.default, fetched.IMSDK);
  assert.equal(fetched.MBSenseMode.MODE_5S, 2);
  fetched.IMSDK.disconnectSocket();
  assert.equal(fetched.IMSDK.getConnectionState(), 'logged_out');
});
