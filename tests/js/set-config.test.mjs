/**
 * `IMSDK.setConfig` in the mini-program build against a scripted server
 * (docs/client-behaviour.md §12): what the core refuses comes back as 209 with a log line and
 * changes nothing, a changed timing takes effect through the wasm, and a config set before the
 * wasm has loaded is handed to the core when it is created.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MBErrorCode } from '../../js-glue/src/companions.js';
import { openMiniProgram } from './support/builds.mjs';
import { serverForFile } from './support/file-server.mjs';
import { startHostileServer } from './support/hostile-server.mjs';
import { createRecorder, MAIN_CALLBACKS } from './support/recorder.mjs';

const fixture = serverForFile(startHostileServer);
const { runtimes } = fixture;

/** A phone with every main callback and log line recorded, not logged in. */
function phone() {
  const runtime = openMiniProgram();
  runtimes.push(runtime);
  const events = createRecorder();
  for (const name of MAIN_CALLBACKS) runtime.IMSDK[name] = events.callback(name);
  /** @type {string[]} */
  const lines = [];
  runtime.IMSDK.callback_onIMLog = (line) => lines.push(line);
  return { ...runtime, events, lines };
}

/** A phone logged in as `uid`, with the server's end of its connection. */
async function online(uid) {
  const device = phone();
  const connection = fixture.server.nextLogin(uid);
  assert.equal(device.IMSDK.loginImpl({ loginUserId: uid }, fixture.server.url), 0);
  const { peer } = await connection;
  peer.replyLogin(uid);
  await device.events.waitFor('callback_onIMAfterLoginSucess');
  return { ...device, peer };
}

test('refused configs return 209 with the reason logged; accepted ones 0', async () => {
  const device = await online('refused');
  const cyclic = {};
  cyclic.self = cyclic;
  const refused = [
    [{ resendMs: 1 }, 'unknown field `resendMs`'],
    [{ loginTimeoutMs: '5000' }, '`loginTimeoutMs` is not a non-negative integer'],
    [{ loginTimeoutMs: Number.NaN }, '`loginTimeoutMs` is not a non-negative integer'],
    [{ offlineHoldMs: 1.5 }, '`offlineHoldMs` is not a non-negative integer'],
    [{ qosMaxResends: -1 }, '`qosMaxResends` is not a non-negative integer'],
    [{ qosResendIntervalMs: 3000, dedupeCapacity: 99 }, '`dedupeCapacity` is out of bounds'],
    [{ reconnectBaseMs: 5000, reconnectCapMs: 4000 }, '`reconnectCapMs` is below `reconnectBaseMs`'],
    [{ loginTimeoutMs: 10n }, 'the config is not an object'],
    [cyclic, 'the config is not an object'],
    [null, 'the config is not an object'],
    [[3000], 'the config is not an object'],
    [undefined, 'the config is not an object'],
  ];
  for (const [config, why] of refused) {
    const before = device.lines.length;
    assert.equal(device.IMSDK.setConfig(config), MBErrorCode.INVALID_CONFIG, why);
    assert.deepEqual(device.lines.slice(before), [`[IMSDK-core] config refused: ${why}`]);
  }
  assert.equal(device.IMSDK.setConfig({}), 0);
  assert.equal(device.IMSDK.setConfig({ qosResendIntervalMs: 5000, dedupeCapacity: 100 }), 0);
});

test('a shorter QoS resend interval set from JS resends sooner', async () => {
  const device = await online('resender');
  assert.equal(device.IMSDK.setConfig({ qosResendIntervalMs: 3000 }), 0);
  const message = device.sdk.MBProtocalFactory.createCommonDataSimple('unacknowledged', 'resender', 'nobody');
  assert.equal(device.IMSDK.sendData(message), 0);
  const isIt = (/** @type {Record<string, any>} */ frame) => frame.type === 2 && frame.fp === message.fp;
  await device.peer.next(isIt);
  const writtenAt = Date.now();
  await device.peer.next((frame) => isIt(frame) && device.peer.frames.filter(isIt).length === 2, 6_000);
  const gap = Date.now() - writtenAt;
  // The default (5 000 ms) would come 2 s later than this window.
  assert.ok(gap > 2_500 && gap < 4_000, `resent ${gap} ms after the first write`);
});

test('configs set before the wasm has loaded are handed to the core when it is created', async () => {
  const device = phone();
  assert.equal(device.IMSDK.setConfig({ loginTimeoutMs: 1_000 }), 0);
  assert.equal(device.IMSDK.setConfig({ bogus: 1 }), 0, 'not checked before the core exists');
  const connection = fixture.server.nextLogin('early');
  const startedAt = Date.now();
  assert.equal(device.IMSDK.loginImpl({ loginUserId: 'early' }, fixture.server.url), 0);
  await connection;
  // The server never answers: the login times out after 1 s instead of the default 10 s.
  const [isReconnect, code] = await device.events.waitFor('callback_onIMAfterLoginFailed', { timeout: 5_000 });
  assert.deepEqual([isReconnect, code], [false, MBErrorCode.LOGIN_TIMEOUT]);
  const elapsed = Date.now() - startedAt;
  assert.ok(elapsed >= 900 && elapsed < 3_000, `timed out after ${elapsed} ms`);
  assert.ok(device.lines.includes('[IMSDK-core] config refused: unknown field `bogus`'), device.lines.join('\n'));
});

test('an accepted config outlives destroy(): the next core gets it too', async () => {
  const device = await online('again');
  assert.equal(device.IMSDK.setConfig({ loginTimeoutMs: 1_000 }), 0);
  device.IMSDK.destroy();
  const connection = fixture.server.nextLogin('again');
  const startedAt = Date.now();
  assert.equal(device.IMSDK.loginImpl({ loginUserId: 'again' }, fixture.server.url), 0);
  await connection;
  const [, code] = await device.events.waitFor('callback_onIMAfterLoginFailed', { timeout: 5_000 });
  assert.equal(code, MBErrorCode.LOGIN_TIMEOUT);
  const elapsed = Date.now() - startedAt;
  assert.ok(elapsed >= 900 && elapsed < 3_000, `timed out after ${elapsed} ms`);
});
