/**
 * The SDK in each WeChat runtime profile (support/runtime-profiles.mjs: `ios`, `android`,
 * `devtools`), on both mini-program builds a phone may run: `miniprogram_dist/` and what
 * WeChat's own build (miniprogram-ci: ES6 → ES5, enhanced compile, minify) makes of it. The main
 * flows (login, QoS messages both ways, kick-out, reconnect, logout) run in every combination,
 * holding one socket at most; then the profiles' own rules are checked on the runtime itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MINI_PROGRAM_BUILDS, openMiniProgramBuild } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createMiniProgramEnv } from './support/miniprogram-env.mjs';
import { createRecorder, eventually, MAIN_CALLBACKS } from './support/recorder.mjs';
import { RUNTIME_PROFILES } from './support/runtime-profiles.mjs';

/** Faster than the shortest backoff delay (3 s − 20 % jitter), so only a hint explains it. */
const HINTED_RECONNECT_MS = 2000;

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;

/** A phone of `profile` running `build`, every main callback and state change recorded. */
function phone(build, profile) {
  const runtime = openMiniProgramBuild(build, { profile });
  const events = createRecorder();
  for (const name of MAIN_CALLBACKS) runtime.IMSDK[name] = events.callback(name);
  runtime.IMSDK.on('state', events.callback('state'));
  runtimes.push(runtime);
  return { ...runtime, events };
}

async function online(build, profile, uid) {
  const device = phone(build, profile);
  assert.equal(device.IMSDK.loginImpl({ loginUserId: uid, loginToken: `token-${uid}` }, fixture.server.url), 0);
  await device.events.waitFor('callback_onIMAfterLoginSucess');
  return device;
}

function assertOneSocketAtMost(...devices) {
  for (const { env } of devices) assert.ok(env.peakSocketsInUse() <= 1, `${env.peakSocketsInUse()} sockets held`);
}

for (const build of Object.keys(MINI_PROGRAM_BUILDS)) {
  for (const profile of Object.keys(RUNTIME_PROFILES)) {
    const uid = (name) => `${name}-${profile}-${build}`;

    describe(`${build} in the ${profile} runtime`, () => {
      test('login, QoS messages both ways, each acknowledged once', async () => {
        const alice = await online(build, profile, uid('alice'));
        const bob = await online(build, profile, uid('bob'));
        const toBob = alice.sdk.MBProtocalFactory.createCommonDataSimple('hi bob', uid('alice'), uid('bob'));
        assert.equal(alice.IMSDK.sendData(toBob), 0);
        const [received] = await bob.events.waitFor('callback_onIMData');
        assert.equal(received.dataContent, 'hi bob');
        assert.equal(received.fp, toBob.fp);
        assert.deepEqual(await alice.events.waitFor('callback_onMessagesBeReceived'), [toBob.fp]);

        const reply = bob.sdk.MBProtocalFactory.createCommonDataSimple('hi alice', '', uid('alice'));
        assert.equal((await bob.IMSDK.sendDataAsync(reply)).fp, reply.fp);
        const [toAlice] = await alice.events.waitFor('callback_onIMData');
        assert.equal(toAlice.dataContent, 'hi alice');
        assert.equal(toAlice.from, uid('bob'));
        assert.equal(alice.events.all('callback_onMessagesBeReceived').length, 1);
        assert.equal(alice.events.all('callback_onMessagesLost').length, 0);
        assertOneSocketAtMost(alice, bob);
      });

      test('a second login elsewhere kicks the first out, without a reconnect', async () => {
        const first = await online(build, profile, uid('kicked'));
        const second = await online(build, profile, uid('kicked'));
        const [info] = await first.events.waitFor('callback_onIMKickout');
        assert.equal(info.code, first.sdk.MBKickoutCode.KICKOUT_FOR_DUPLICATE_LOGIN);
        await first.events.waitFor('callback_onIMDisconnected');
        assert.equal(first.IMSDK.getConnectionState(), 'kicked');
        assert.equal(second.IMSDK.getConnectionState(), 'online');
        assert.equal(first.events.all('callback_onIMReconnectSucess').length, 0);
        assertOneSocketAtMost(first, second);
      });

      test('network down then up: reconnects at once, the QoS message queued offline is delivered', async () => {
        const peer = await online(build, profile, uid('net-peer'));
        const device = await online(build, profile, uid('net-device'));
        device.env.setNetwork(false);
        await device.events.waitFor('callback_onIMDisconnected');
        const queued = device.sdk.MBProtocalFactory.createCommonDataSimple(
          'queued',
          uid('net-device'),
          uid('net-peer'),
        );
        assert.equal(device.IMSDK.sendData(queued), 0);
        const upAt = Date.now();
        device.env.setNetwork(true);
        await device.events.waitFor('callback_onIMReconnectSucess');
        assert.ok(Date.now() - upAt < HINTED_RECONNECT_MS, `reconnected after ${Date.now() - upAt} ms`);
        assert.deepEqual(await device.events.waitFor('callback_onMessagesBeReceived'), [queued.fp]);
        await peer.events.waitFor('callback_onIMData', { where: (p) => p.dataContent === 'queued' });
        assertOneSocketAtMost(peer, device);
      });

      test('logout: the socket is closed and nothing is reported lost', async () => {
        const device = await online(build, profile, uid('logout'));
        device.IMSDK.disconnectSocket();
        assert.equal(device.IMSDK.getConnectionState(), 'logged_out');
        await eventually(() => device.env.existingSockets() === 0, 'the socket is gone');
        assert.equal(device.events.all('callback_onMessagesLost').length, 0);
        assert.equal(device.IMSDK.isLogined(), false);
      });
    });
  }
}

describe('the ios runtime and a socket that dies silently', () => {
  test('after a suspension the SDK gets back online (at the latest at the keep-alive deadline)', async () => {
    const device = await online('miniprogram_dist', 'ios', 'ios-suspended-slow');
    device.env.hideApp({ suspend: true });
    device.env.showApp();
    await device.events.waitFor('callback_onIMReconnectSucess', { timeout: 15_000 });
    assertOneSocketAtMost(device);
  });

  test('after a suspension the SDK reconnects at once when shown (its first ping fails)', async () => {
    const device = await online('miniprogram_dist', 'ios', 'ios-suspended-fast');
    device.env.hideApp({ suspend: true });
    const shownAt = Date.now();
    device.env.showApp();
    await device.events.waitFor('callback_onIMReconnectSucess', { timeout: HINTED_RECONNECT_MS });
    assert.ok(Date.now() - shownAt < HINTED_RECONNECT_MS);
  });

  test('a failed write on the live socket is a link loss: reported once, reconnect at once', async () => {
    const device = await online('miniprogram_dist', 'ios', 'ios-dead-write');
    for (const socket of device.env.liveSockets()) socket.killSilently();
    const message = device.sdk.MBProtocalFactory.createCommonDataSimple('into the void', '', 'nobody');
    const diedAt = Date.now();
    device.IMSDK.sendData(message);
    await device.events.waitFor('callback_onIMDisconnected', { timeout: HINTED_RECONNECT_MS });
    await device.events.waitFor('callback_onIMReconnectSucess', { timeout: HINTED_RECONNECT_MS });
    assert.ok(Date.now() - diedAt < HINTED_RECONNECT_MS);
    assert.equal(device.events.all('callback_onIMDisconnected').length, 1);
  });
});

/** Tiny hand-assembled modules: pure MVP, one exporting a Global, one using `i32.extend8_s`. */
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const FUNC_RETURNING_I32 = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00];
const EXPORT_F = [0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00];
const MODULES = {
  'mvp.wasm': [...HEADER, ...FUNC_RETURNING_I32, ...EXPORT_F, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b],
  'global.wasm': [...HEADER, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x07, 0x05, 0x01, 0x01, 0x67, 0x03, 0x00],
  'sign-ext.wasm': [
    ...HEADER,
    ...FUNC_RETURNING_I32,
    ...EXPORT_F,
    0x0a,
    0x07,
    0x01,
    0x05,
    0x00,
    0x41,
    0x01,
    0xc0,
    0x0b,
  ],
};

describe('the profiles themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imsdk-profiles-'));
  for (const [name, bytes] of Object.entries(MODULES)) writeFileSync(join(dir, name), new Uint8Array(bytes));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const runtime = (profile) => createMiniProgramEnv({ profile, packageDirs: { wasm: dir } });

  test('ios instantiates only pure MVP modules without Global exports, from a path with a leading /', async () => {
    const { WXWebAssembly } = runtime('ios');
    const instance = await WXWebAssembly.instantiate('/wasm/mvp.wasm', {});
    assert.equal(instance.exports.f(), 1, 'a bare Instance');
    await assert.rejects(WXWebAssembly.instantiate('/wasm/global.wasm', {}), /exports a Global \(g\)/);
    await assert.rejects(WXWebAssembly.instantiate('/wasm/sign-ext.wasm', {}), /not a pure MVP module/);
    await assert.rejects(WXWebAssembly.instantiate('wasm/mvp.wasm', {}), /not a path from the package root/);
  });

  test('android resolves {instance, module} and needs the leading /; devtools takes any spelling', async () => {
    const android = runtime('android');
    const { instance, module } = await android.WXWebAssembly.instantiate('/wasm/sign-ext.wasm', {});
    assert.equal(instance.exports.f(), 1);
    assert.ok(module instanceof WebAssembly.Module);
    await assert.rejects(android.WXWebAssembly.instantiate('wasm/mvp.wasm', {}), /not a path from the package root/);
    const devtools = runtime('devtools');
    assert.equal((await devtools.WXWebAssembly.instantiate('wasm/global.wasm', {})).instance.exports.g.value, 0);
  });

  for (const profile of ['ios', 'android']) {
    test(`${profile}: at most two sockets exist at once, closing ones included`, async () => {
      const env = runtime(profile);
      const events = createRecorder();
      const open = (name) => {
        const task = env.wx.connectSocket({ url: fixture.server.url, fail: events.callback(`${name} fail`) });
        task.onOpen(events.callback(`${name} open`));
        task.onClose(events.callback(`${name} close`));
        return task;
      };
      const first = open('first');
      open('second');
      await events.waitFor('first open');
      await events.waitFor('second open');
      first.close({});
      open('third');
      await events.waitFor('third fail');
      await events.waitFor('first close');
      open('fourth');
      await events.waitFor('fourth open');
      env.dispose();
    });
  }

  test("ios: a suspended app's socket dies silently: no onClose, send fails 'not connected'", async () => {
    const env = runtime('ios');
    const events = createRecorder();
    const task = env.wx.connectSocket({ url: fixture.server.url });
    task.onOpen(events.callback('open'));
    task.onClose(events.callback('close'));
    task.onError(events.callback('error'));
    await events.waitFor('open');
    env.hideApp({ suspend: true });
    await eventually(() => env.liveSockets().every((socket) => socket.closed), 'the connection is gone');
    task.send({ data: 'ping', fail: events.callback('send fail') });
    const [res] = await events.waitFor('send fail');
    assert.match(res.errMsg, /not connected/);
    assert.deepEqual(
      events.records.map((r) => r.name),
      ['open', 'send fail'],
    );
    assert.equal(env.existingSockets(), 1, 'it counts against the limit until closed');
    task.close({});
    assert.equal(env.existingSockets(), 0);
    env.dispose();
  });
});
