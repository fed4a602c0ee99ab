/**
 * Link loss in a mini-program: the server drops the socket, the network goes down and up, the
 * app goes to the background and back. Reconnects are driven by the core; the host hints make
 * them immediate instead of waiting for the backoff (≥ 2.4 s).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { createRecorder } from './support/recorder.mjs';

/** Faster than the shortest backoff delay (3 s − 20 % jitter), so only a hint explains it. */
const HINTED_RECONNECT_MS = 2000;

let steadyServer;
let droppingServer;
const runtimes = [];

before(async () => {
  [steadyServer, droppingServer] = await Promise.all([startDevServer(), startDevServer(['--idle-timeout', '1s'])]);
});

after(async () => {
  for (const { env, IMSDK } of runtimes) {
    IMSDK.destroy();
    env.dispose();
  }
  await Promise.all([steadyServer?.stop(), droppingServer?.stop()]);
});

async function online(uid, url) {
  const runtime = openMiniProgram();
  runtimes.push(runtime);
  const events = createRecorder();
  const { IMSDK } = runtime;
  for (const name of [
    'callback_onIMAfterLoginSucess',
    'callback_onIMReconnectSucess',
    'callback_onIMDisconnected',
    'callback_onIMPing',
    'callback_onMessagesBeReceived',
    'callback_onIMData',
  ]) {
    IMSDK[name] = events.callback(name);
  }
  IMSDK.on('state', events.callback('state'));
  IMSDK.loginImpl({ loginUserId: uid, loginToken: 'secret' }, url);
  await events.waitFor('callback_onIMAfterLoginSucess');
  return { ...runtime, events };
}

/** Runs `loseLink` and waits until the first reconnect attempt failed and the backoff runs. */
async function losingLink(events, loseLink) {
  const reconnecting = events.all('state').filter(([state]) => state === 'reconnecting').length;
  loseLink();
  await events.waitFor('callback_onIMDisconnected');
  await events.waitFor('state', { count: reconnecting + 2, where: (state) => state === 'reconnecting' });
}

test('the server drops the socket: disconnected, relogin with the first login time, QoS goes on', async () => {
  const peer = await online('steady-peer', droppingServer.url);
  const device = await online('dropped', droppingServer.url);
  const firstLoginTime = device.IMSDK.getLoginInfo().firstLoginTime;
  await device.events.waitFor('callback_onIMDisconnected');
  await device.events.waitFor('callback_onIMReconnectSucess');

  const logins = device.env.writtenFrames
    .map((frame) => JSON.parse(frame))
    .filter((frame) => frame.type === 0)
    .map((frame) => JSON.parse(frame.dataContent));
  assert.ok(logins.length >= 2);
  assert.equal(logins[0].firstLoginTime, 0);
  assert.equal(logins[1].firstLoginTime, firstLoginTime, 'the relogin carries the server first login time');
  assert.equal(device.IMSDK.getLoginInfo().firstLoginTime, firstLoginTime);

  const { MBProtocalFactory } = device.sdk;
  await device.IMSDK.sendDataAsync(
    MBProtocalFactory.createCommonDataSimple('after the drop', 'dropped', 'steady-peer'),
  );
  await peer.events.waitFor('callback_onIMData', { where: (p) => p.dataContent === 'after the drop' });
});

test('network down then up: queued QoS message is written and acked on the hinted reconnect', async () => {
  const peer = await online('net-peer', steadyServer.url);
  const device = await online('net-device', steadyServer.url);
  const { IMSDK, env, events, sdk } = device;

  await losingLink(events, () => env.setNetwork(false));
  assert.equal(IMSDK.isOnline(), false);
  assert.equal(IMSDK.isLogined(), true, 'still logged in while reconnecting');

  const written = createRecorder();
  const message = sdk.MBProtocalFactory.createCommonDataSimple('sent offline', 'net-device', 'net-peer');
  assert.equal(IMSDK.sendData(message, written.callback('success'), written.callback('fail')), 0);
  const plain = sdk.MBProtocalFactory.createCommonData('plain offline', 'net-device', 'net-peer', false);
  assert.equal(IMSDK.sendData(plain), sdk.MBErrorCode.BREOKEN_CONNECT_TO_SERVER);

  const upAt = Date.now();
  env.setNetwork(true);
  await events.waitFor('callback_onIMReconnectSucess');
  assert.ok(Date.now() - upAt < HINTED_RECONNECT_MS, `reconnected ${Date.now() - upAt} ms after the network came back`);
  await written.waitFor('success');
  const [fp] = await events.waitFor('callback_onMessagesBeReceived');
  assert.equal(fp, message.fp);
  await peer.events.waitFor('callback_onIMData', { where: (p) => p.dataContent === 'sent offline' });
  assert.equal(written.all('fail').length, 0);
});

test('app hidden (suspended) then shown: reconnects at once; shown while online: probes with a ping', async () => {
  const device = await online('app-device', steadyServer.url);
  const { env, events } = device;

  env.showApp();
  await events.waitFor('callback_onIMPing', { timeout: 1000 });

  await losingLink(events, () => env.hideApp({ suspend: true }));
  const shownAt = Date.now();
  env.showApp();
  await events.waitFor('callback_onIMReconnectSucess');
  assert.ok(Date.now() - shownAt < HINTED_RECONNECT_MS, `reconnected ${Date.now() - shownAt} ms after show`);
  assert.equal(device.IMSDK.getConnectionState(), 'online');
});
