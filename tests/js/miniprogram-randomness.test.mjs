/**
 * `wx.getRandomValues` as WeChat does not promise it (docs/client-behaviour.md §9): missing
 * (base library below 2.15), failing (its `fail` callback, or a throw) or never answering. In
 * each case the first login waits at most `READY_TIMEOUT_MS` of (virtual) time for the random
 * pool, then logs in with the `Math.random` fallback and exactly one warning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { READY_TIMEOUT_MS } from '../../js-glue/src/random-pool.js';
import { miniProgramDist, openMiniProgram } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { countMathRandom } from './support/miniprogram-env.mjs';
import { createRecorder, eventually } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;

/** Lets the runtime's pending callbacks (socket events, `wx` callbacks) run. */
const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A phone on virtual time whose `wx.getRandomValues` is `getRandomValues` (deleted when
 * `null`), with `Math.random` calls counted.
 * @param {((options: any) => void) | null} getRandomValues
 */
function phone(getRandomValues) {
  const runtime = openMiniProgram(miniProgramDist, { virtualTime: true }, (env) => {
    if (getRandomValues) env.wx.getRandomValues = getRandomValues;
    else delete env.wx.getRandomValues;
    countMathRandom(env);
  });
  runtimes.push(runtime);
  return runtime;
}

/** Starts a login of `uid` on `IMSDK`; resolves when it succeeded. */
function login(IMSDK, uid) {
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginSucess = events.callback('loggedIn');
  IMSDK.callback_onIMAfterLoginFailed = events.callback('failed');
  assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: 't' }, fixture.server.url), 0);
  return events.waitFor('loggedIn');
}

/** The runtime's warning lines. */
const warnings = (env) => env.consoleLines.filter((line) => line.level === 'warn').map((line) => line.text);

/**
 * Logs `uid` in without moving the clock, sends a QoS message, and checks the fallback gave
 * its fingerprint and one warning matching `why` was logged.
 */
async function logsInAtOnceWithTheFallback(getRandomValues, uid, why) {
  const runtime = phone(getRandomValues);
  const { env, IMSDK } = runtime;
  await login(IMSDK, uid);
  const message = { type: 2, dataContent: 'hi', to: 'nobody', QoS: true };
  assert.equal(IMSDK.sendData(message), 0);
  assert.match(message.fp, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(env.run('mathRandomCalls') > 0, 'the random bytes came from Math.random');
  const lines = warnings(env);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], why);
  assert.match(lines[0], /ids use Math\.random \(not cryptographic\)/);
  return runtime;
}

test('without wx.getRandomValues (base library below 2.15) the login goes ahead at once, with one warning', async () => {
  await logsInAtOnceWithTheFallback(null, 'rng-missing', /no wx\.getRandomValues \(base library below 2\.15\)/);
});

test('a wx.getRandomValues that calls its fail callback: login at once, one warning, also after more failures', async () => {
  let calls = 0;
  const { env, sdk } = await logsInAtOnceWithTheFallback(
    ({ fail, complete }) => {
      calls += 1;
      setImmediate(() => {
        fail({ errMsg: 'getRandomValues:fail system error' });
        complete?.();
      });
    },
    'rng-fails',
    /wx\.getRandomValues failed \(getRandomValues:fail system error\)/,
  );
  // Every draw of the core finds the pool empty and asks again; each failure stays silent.
  const second = sdk.createClient().IMSDK;
  runtimes.push({ env, IMSDK: second });
  await login(second, 'rng-fails-2');
  await settle();
  assert.ok(calls >= 2, `${calls} requests`);
  assert.equal(warnings(env).length, 1, warnings(env).join('\n'));
});

test('a wx.getRandomValues that throws: login at once, one warning', async () => {
  await logsInAtOnceWithTheFallback(
    () => {
      throw new Error('getRandomValues is not supported');
    },
    'rng-throws',
    /wx\.getRandomValues failed \(getRandomValues is not supported\)/,
  );
});

test(`a wx.getRandomValues that never answers holds the first login ${READY_TIMEOUT_MS} ms, no longer`, async () => {
  const { env, sdk, IMSDK } = phone(() => {});
  const loggedIn = login(IMSDK, 'rng-silent');
  await eventually(() => env.wasmMemoryBytes() > 0, 'the wasm is loaded');
  await settle();
  env.advanceTime(READY_TIMEOUT_MS - 1);
  await settle();
  assert.deepEqual(env.openedUrls, [], 'no socket while the randomness may still come');
  assert.deepEqual(warnings(env), []);
  env.advanceTime(1);
  await loggedIn;
  assert.ok(env.run('mathRandomCalls') > 0, 'the random bytes came from Math.random');
  const lines = warnings(env);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`wx\\.getRandomValues did not answer within ${READY_TIMEOUT_MS} ms`));
  // The wait is over for good: a second client logs in without the clock moving.
  const second = sdk.createClient().IMSDK;
  runtimes.push({ env, IMSDK: second });
  await login(second, 'rng-silent-2');
  assert.equal(warnings(env).length, 1);
});
