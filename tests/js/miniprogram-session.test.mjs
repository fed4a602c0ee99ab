/**
 * The mini-program build in a mini-program-like runtime against the devserver: login, QoS
 * messages both ways, the stock demo's usage, callbacks that throw or are missing, kick-out,
 * logout and destroy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createRecorder, eventually, MAIN_CALLBACKS } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;

/** A phone with the SDK loaded and every main callback recorded. */
function phone({ withCallbacks = true } = {}) {
  const runtime = openMiniProgram();
  const events = createRecorder();
  if (withCallbacks) {
    for (const name of MAIN_CALLBACKS) runtime.IMSDK[name] = events.callback(name);
  }
  runtimes.push(runtime);
  return { ...runtime, events };
}

/** Logs `uid` in on a fresh phone and waits until it is online. */
async function online(uid, options) {
  const device = phone(options);
  assert.equal(device.IMSDK.loginImpl({ loginUserId: uid, loginToken: `token-${uid}` }, fixture.server.url), 0);
  await device.events.waitFor('callback_onIMAfterLoginSucess');
  return device;
}

test('the stock demo page works unchanged: callbacks on wx.IMSDK, companions on wx', async () => {
  const { env } = phone({ withCallbacks: false });
  const events = createRecorder();
  env.context.report = events.push;
  env.run(`
    wx.IMSDK.callback_onIMAfterLoginSucess = function () { report('login'); };
    wx.IMSDK.callback_onIMData = function (p) { report('data', p); };
    wx.IMSDK.callback_onMessagesBeReceived = function (fp) { report('received', fp); };
    wx.MBKeepAliveDaemon.setSenseMode(wx.MBSenseMode.MODE_5S);
    wx.MBProtocalFactory.setMsgIdLength(12);
    wx.IMSDK.setDebugCoreEnable(false);
    wx.IMSDK.loginImpl({ loginUserId: 'demo-a', loginToken: 'demo-token', extra: '' }, ${JSON.stringify(fixture.server.url)});
  `);
  const peer = await online('demo-b');
  await events.waitFor('login');
  assert.equal(
    env.run(`wx.IMSDK.sendData(wx.MBProtocalFactory.createCommonDataSimple('inline', 'demo-a', 'demo-b'))`),
    0,
  );
  await peer.events.waitFor('callback_onIMData', { where: (p) => p.dataContent === 'inline' });
  const code = env.run(`
    var p = wx.MBProtocalFactory.createCommonDataSimple('hello from the demo', 'demo-a', 'demo-b', 0);
    globalThis.sentMessage = p;
    wx.IMSDK.sendData(p);
  `);
  assert.equal(code, 0);
  const [fp] = await events.waitFor('received', { where: (acked) => acked === env.run('sentMessage.fp') });
  assert.match(fp, /^[0-9A-Za-z]{12}$/);
  assert.equal(env.run('sentMessage.fp'), fp, 'the assigned fp is written back to the message');
  const [message] = await peer.events.waitFor('callback_onIMData', {
    where: (p) => p.dataContent === 'hello from the demo',
  });
  assert.equal(message.fp, fp);
  assert.equal(message.typeu, 0);
  assert.equal(
    env.run('wx.MBUtils.formatDate(new Date(2024, 0, 2, 3, 4, 5), "yyyy-MM-dd hh:mm:ss")'),
    '2024-01-02 03:04:05',
  );
});

test('two users exchange QoS messages both ways, each acknowledged once', async () => {
  const alice = await online('alice');
  const bob = await online('bob');
  const { MBProtocalFactory } = alice.sdk;

  const written = createRecorder();
  const toBob = MBProtocalFactory.createCommonData('hi bob', 'alice', 'bob', true, null, 7);
  const code = alice.IMSDK.sendData(
    toBob,
    written.callback('success'),
    written.callback('fail'),
    written.callback('complete'),
  );
  assert.equal(code, 0);
  const [[res]] = [await written.waitFor('success')];
  assert.equal(res.fp, toBob.fp);
  await written.waitFor('complete');
  assert.equal(written.all('fail').length, 0);

  const [received] = await bob.events.waitFor('callback_onIMData');
  assert.equal(received.dataContent, 'hi bob');
  assert.equal(received.from, 'alice');
  assert.equal(received.typeu, 7);
  const [ackedFp] = await alice.events.waitFor('callback_onMessagesBeReceived');
  assert.equal(ackedFp, toBob.fp);

  const reply = bob.sdk.MBProtocalFactory.createCommonDataSimple('hi alice', '', 'alice');
  const { fp } = await bob.IMSDK.sendDataAsync(reply);
  assert.equal(fp, reply.fp);
  const [toAlice] = await alice.events.waitFor('callback_onIMData');
  assert.equal(toAlice.dataContent, 'hi alice');
  assert.equal(toAlice.from, 'bob', 'an empty `from` is filled with the logged-in uid');
  await bob.events.waitFor('callback_onMessagesBeReceived');

  const plain = MBProtocalFactory.createCommonData('no qos', 'alice', 'bob', false);
  const sent = await alice.IMSDK.sendDataAsync(plain);
  assert.equal(sent.fp, null, 'a non-QoS message resolves when written');
  const [unacked] = await bob.events.waitFor('callback_onIMData', { where: (p) => p.dataContent === 'no qos' });
  assert.equal(unacked.QoS, false);

  assert.equal(alice.events.all('callback_onMessagesBeReceived').length, 1, 'one ack per fp');
  assert.equal(alice.events.all('callback_onMessagesLost').length, 0);
  assert.equal(alice.IMSDK.isOnline(), true);
  assert.equal(alice.IMSDK.isLogined(), true);
  assert.equal(alice.IMSDK.getConnectionState(), 'online');
});

test('sendData refuses what it cannot send, with the documented codes', async () => {
  const carol = await online('carol');
  const { IMSDK, sdk } = carol;
  const failures = createRecorder();
  assert.equal(IMSDK.sendData(null, null, failures.callback('fail')), sdk.MBErrorCode.COMMON_INVALID_PROTOCAL);
  assert.equal(failures.all('fail')[0][0].errCode, 4);
  const huge = sdk.MBProtocalFactory.createCommonDataSimple('x'.repeat(70_000), 'carol', 'bob');
  assert.equal(IMSDK.sendData(huge), sdk.MBErrorCode.DATA_TOO_LARGE);
  await assert.rejects(IMSDK.sendDataAsync(huge), (error) => error.code === 206 && error.reason === 'refused');

  IMSDK.disconnectSocket();
  const offline = sdk.MBProtocalFactory.createCommonData('late', 'carol', 'bob', false);
  assert.equal(IMSDK.sendData(offline), sdk.MBErrorCode.BREOKEN_CONNECT_TO_SERVER);
  assert.equal(IMSDK.getConnectionState(), 'logged_out');
  assert.equal(IMSDK.getLoginInfo(), null);
});

test('a QoS message queued offline and never written fails and is reported lost on logout', async () => {
  const { IMSDK, sdk, events, env } = phone();
  env.setNetwork(false);
  IMSDK.loginImpl({ loginUserId: 'dave' }, fixture.server.url);
  const outcome = createRecorder();
  const message = sdk.MBProtocalFactory.createCommonDataSimple('queued', 'dave', 'alice');
  assert.equal(
    IMSDK.sendData(message, outcome.callback('success'), outcome.callback('fail'), outcome.callback('complete')),
    0,
  );
  const async = IMSDK.sendDataAsync(sdk.MBProtocalFactory.createCommonDataSimple('queued 2', 'dave', 'alice'));
  await events.waitFor('callback_onIMAfterLoginFailed');
  IMSDK.disconnectSocket();

  const [[err]] = [await outcome.waitFor('fail')];
  assert.equal(err.errCode, sdk.MBErrorCode.BREOKEN_CONNECT_TO_SERVER);
  await outcome.waitFor('complete');
  await assert.rejects(async, (error) => error.reason === 'lost');
  const [lost] = await events.waitFor('callback_onMessagesLost');
  assert.equal(lost.length, 2);
  assert.equal(lost[0], message, 'the app gets its own message objects back');
  assert.equal(outcome.all('success').length, 0);
});

test('a callback that throws is logged and the SDK keeps working', async () => {
  const erin = await online('erin');
  const frank = await online('frank');
  let calls = 0;
  frank.IMSDK.callback_onIMData = () => {
    calls += 1;
    throw new Error('page bug');
  };
  const { MBProtocalFactory } = erin.sdk;
  await erin.IMSDK.sendDataAsync(MBProtocalFactory.createCommonDataSimple('one', 'erin', 'frank'));
  await erin.IMSDK.sendDataAsync(MBProtocalFactory.createCommonDataSimple('two', 'erin', 'frank'));
  await eventually(() => calls === 2, 'both messages reached the throwing callback');
  assert.ok(
    frank.env.consoleLines.some((line) => line.level === 'error' && line.text.includes('callback_onIMData threw')),
  );
  assert.equal(frank.IMSDK.isOnline(), true);
});

test('a page that sets no callbacks logs in, sends, receives, and is kicked with a modal', async () => {
  const { IMSDK, env, sdk } = phone({ withCallbacks: false });
  assert.equal(IMSDK.loginImpl({ loginUserId: 'gina' }, fixture.server.url), 0);
  const states = createRecorder();
  IMSDK.on('state', states.callback('state'));
  await states.waitFor('state', { where: (s) => s === 'online' });
  const sender = await online('henry');
  assert.equal(IMSDK.sendData(sdk.MBProtocalFactory.createCommonDataSimple('hi', 'gina', 'henry')), 0);
  await sender.events.waitFor('callback_onIMData');
  await sender.IMSDK.sendDataAsync(sender.sdk.MBProtocalFactory.createCommonDataSimple('back', 'henry', 'gina'));

  await online('gina');
  await states.waitFor('state', { where: (s) => s === 'kicked' });
  await eventually(() => env.modalCalls.length === 1, 'the kick-out alert is shown');
  assert.match(env.modalCalls[0].content, /logged in elsewhere/);
  assert.equal(IMSDK.isLogined(), false);
});

test('a kick-out goes to callback_onIMKickout, then disconnected, and no reconnect', async () => {
  const ivan = await online('ivan');
  await online('ivan');
  const [info] = await ivan.events.waitFor('callback_onIMKickout');
  assert.equal(info.code, ivan.sdk.MBKickoutCode.KICKOUT_FOR_DUPLICATE_LOGIN);
  await ivan.events.waitFor('callback_onIMDisconnected');
  assert.equal(ivan.IMSDK.getConnectionState(), 'kicked');
  assert.equal(ivan.env.modalCalls.length, 0);
  assert.equal(ivan.events.all('callback_onIMReconnectSucess').length, 0);
});

test('the login object is never mutated, getLoginInfo returns copies, the token is never logged', async () => {
  const { IMSDK, env, events } = phone();
  IMSDK.setDebugCoreEnable(true);
  IMSDK.setDebugSDKEnable(true);
  IMSDK.setDebugPingPongEnable(true);
  const info = { loginUserId: 'judy', loginToken: 'very-secret-token', extra: 'x', appField: 1 };
  const snapshot = structuredClone(info);
  IMSDK.loginImpl(info, fixture.server.url);
  await events.waitFor('callback_onIMAfterLoginSucess');
  assert.deepEqual(info, snapshot);
  const copy = IMSDK.getLoginInfo();
  assert.equal(copy.appField, 1);
  assert.ok(copy.firstLoginTime > 0);
  copy.loginUserId = 'changed';
  assert.equal(IMSDK.getLoginInfo().loginUserId, 'judy');
  assert.ok(
    env.writtenFrames.some((frame) => frame.includes('very-secret-token')),
    'the token was sent',
  );
  assert.ok(env.consoleLines.length > 0);
  assert.ok(env.consoleLines.every((line) => !line.text.includes('very-secret-token')));
});

test('plain ws:// to a remote host logs a warning', () => {
  const { IMSDK, env } = phone();
  IMSDK.loginImpl({ loginUserId: 'kim' }, 'ws://im.example.com:3000/websocket?token=abc');
  return eventually(
    () => env.consoleLines.some((line) => line.level === 'warn' && line.text.includes('plain ws:// to im.example.com')),
    'the ws:// warning',
  ).then(() => {
    assert.ok(env.consoleLines.every((line) => !line.text.includes('token=abc')));
  });
});

test('destroy() closes the socket and leaves no timer or wx listener behind', async () => {
  const { IMSDK, env, events } = await online('liam');
  assert.equal(env.liveListeners(), 3);
  assert.ok(env.liveTimers() > 0);
  IMSDK.destroy();
  await eventually(() => env.liveTimers() === 0 && env.liveSockets().length === 0, 'timers and sockets are gone');
  assert.equal(env.liveListeners(), 0);
  assert.equal(IMSDK.getConnectionState(), 'idle');
  assert.equal(events.all('callback_onMessagesLost').length, 0);
  assert.equal(IMSDK.loginImpl({ loginUserId: 'liam' }, fixture.server.url), 0, 'a destroyed SDK can log in again');
  await events.waitFor('callback_onIMAfterLoginSucess', { count: 2 });
  assert.equal(env.liveListeners(), 3);
});
