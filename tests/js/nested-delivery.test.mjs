/**
 * App messages reach the app in order and with the right content when frames arrive while the
 * SDK is still delivering an earlier one: js-glue/src/core-adapter.js holds each parsed app
 * message until the core says to deliver it, and a frame handled inside an app callback is
 * delivered only after that callback. The in-process fake server (support/fake-server.mjs),
 * which delivers a frame inside the call that hands it over, drives the real wasm core of the
 * browser build.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createIMSDK } from '../../js-glue/src/facade.js';
import { createBrowserHost } from '../../js-glue/src/host-browser.js';
import { createWebWasmLoader } from '../../js-glue/src/loader-web.js';
import { browserDist, requireBuilt } from './support/builds.mjs';
import { createFakeServer } from './support/fake-server.mjs';

/** A frame from alice to bob: QoS when `fp` is given. */
function message(content, fp = null) {
  return JSON.stringify({
    bridge: false,
    type: 2,
    dataContent: content,
    from: 'alice',
    to: 'bob',
    fp,
    QoS: fp !== null,
  });
}

test('frames that arrive during an app callback are delivered after it, in order, duplicates once', async () => {
  requireBuilt(browserDist);
  const loader = createWebWasmLoader(readFileSync(join(browserDist, 'mobileimsdk.wasm')));
  const server = createFakeServer();
  const IMSDK = createIMSDK({
    loadCore: loader.load,
    transport: server.transport,
    host: { ...createBrowserHost(), log() {} },
  });
  const online = new Promise((resolve) => {
    IMSDK.callback_onIMAfterLoginSucess = resolve;
  });
  IMSDK.loginImpl({ loginUserId: 'bob', loginToken: 't' }, 'ws://127.0.0.1/websocket');
  await online;

  try {
    const seen = [];
    let seenInside = null;
    IMSDK.callback_onIMData = (p) => {
      seen.push(p.dataContent);
      if (p.dataContent === 'first') {
        server.deliver(message('first', 'fp-1'));
        server.deliver('{"type":2,"dataContent":');
        server.deliver(message('second', 'fp-2'));
        server.deliver(message('plain'));
        seenInside = [...seen];
      }
    };
    server.deliver(message('first', 'fp-1'));
    server.deliver(message('after'));

    assert.deepEqual(seenInside, ['first'], 'nothing is delivered inside the callback');
    assert.deepEqual(seen, ['first', 'second', 'plain', 'after']);
    const acks = server.written
      .map((text) => JSON.parse(text))
      .filter((frame) => frame.type === 4)
      .map((frame) => frame.dataContent);
    assert.deepEqual(acks, ['fp-1', 'fp-1', 'fp-2'], 'the duplicate is acked, not delivered');
  } finally {
    IMSDK.destroy();
  }
});
