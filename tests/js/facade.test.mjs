/**
 * The facade (js-glue/src/facade.js) over a scripted core: queueing before the wasm is ready,
 * optional and throwing callbacks, alerts, logging rules, send outcomes, sockets and destroy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCompanions, MBErrorCode } from '../../js-glue/src/companions.js';
import { createIMSDK } from '../../js-glue/src/facade.js';
import { createFakeCore, createFakeHost, createFakeTransport } from './support/fake-core.mjs';
import { eventually } from './support/recorder.mjs';

const URL = 'ws://127.0.0.1:3000/websocket';

function setup(transportOptions) {
  const fake = createFakeCore();
  const host = createFakeHost();
  const transport = createFakeTransport(transportOptions);
  const IMSDK = createIMSDK({ loadCore: fake.loadCore, transport, host });
  return { fake, host, transport, IMSDK, companions: createCompanions(IMSDK, host) };
}

/** Loads the fake core, logs in and brings the connection online. */
async function onlineSetup(transportOptions) {
  const parts = setup(transportOptions);
  parts.IMSDK.loginImpl({ loginUserId: 'u1', loginToken: 't' }, URL);
  parts.fake.finishLoading();
  await parts.fake.loadCore();
  await settled();
  parts.fake.status.state = 'online';
  return { ...parts, socket: parts.transport.sockets[0] };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('calls made before the wasm is ready are queued in order', async () => {
  const { fake, IMSDK, companions } = setup();
  const qos = companions.MBProtocalFactory.createCommonDataSimple('a', 'u1', 'u2');
  assert.equal(IMSDK.sendData(qos), MBErrorCode.CLIENT_SDK_NO_INITIALED, 'no login queued: nothing to send on');
  assert.equal(IMSDK.loginImpl({ loginUserId: 'u1' }, URL), 0);
  assert.equal(IMSDK.getConnectionState(), 'connecting');
  assert.equal(IMSDK.getLoginInfo().loginUserId, 'u1');
  assert.equal(IMSDK.sendData(qos), 0);
  const plain = companions.MBProtocalFactory.createCommonData('b', 'u1', 'u2', false);
  assert.equal(IMSDK.sendData(plain), MBErrorCode.CLIENT_SDK_NO_INITIALED);
  IMSDK.setDebugCoreEnable(true);
  IMSDK.setDebugPingPongEnable(true);
  companions.MBKeepAliveDaemon.setSenseMode(companions.MBSenseMode.MODE_10S);
  companions.MBProtocalFactory.setMsgIdLength(12);
  IMSDK.disconnectSocket();
  assert.deepEqual(fake.calls, []);

  fake.finishLoading();
  await fake.loadCore();
  await settled();
  assert.deepEqual(fake.callNames(), [
    'setDebug',
    'setDebug',
    'setDebug',
    'setSenseMode',
    'setFingerprintLength',
    'login',
    'send',
    'logout',
  ]);
  assert.deepEqual(fake.calls.slice(0, 5), [
    ['setDebug', 'coreLogs', true],
    ['setDebug', 'sdkLogs', false],
    ['setDebug', 'heartbeatLogs', true],
    ['setSenseMode', 3],
    ['setFingerprintLength', 12],
  ]);
  assert.equal(qos.fp, 'fp-1', 'the fp assigned by the core is written back');
});

test('a failed load fails the queued calls with 203, and the next login loads again', async () => {
  const fake = createFakeCore();
  const host = createFakeHost();
  let loads = 0;
  const IMSDK = createIMSDK({
    loadCore: () => (++loads === 1 ? Promise.reject(new Error('no wasm')) : fake.loadCore()),
    transport: createFakeTransport(),
    host,
  });
  const failures = [];
  IMSDK.callback_onIMAfterLoginFailed = (isReconnect, code) => failures.push([isReconnect, code]);
  IMSDK.loginImpl({ loginUserId: 'u1' }, URL);
  const sendFailures = [];
  IMSDK.sendData({ type: 2, dataContent: 'x', from: 'u1', to: 'u2', QoS: true }, null, (err) =>
    sendFailures.push(err.errCode),
  );
  await settled();
  assert.deepEqual(failures, [[false, 203]]);
  assert.deepEqual(sendFailures, [203]);
  assert.ok(host.lines.some(({ level, line }) => level === 'error' && line.includes('no wasm')));
  assert.equal(IMSDK.getConnectionState(), 'idle');

  IMSDK.loginImpl({ loginUserId: 'u1' }, URL);
  fake.finishLoading();
  await settled();
  assert.equal(loads, 2);
  assert.deepEqual(fake.callNames().at(-1), 'login');
});

test('login arguments are checked, copied and never mutated', async () => {
  const { IMSDK, fake } = await onlineSetup();
  assert.equal(IMSDK.loginImpl(null, URL), MBErrorCode.COMMON_INVALID_PROTOCAL);
  assert.equal(IMSDK.loginImpl({ loginUserId: '' }, URL), MBErrorCode.COMMON_INVALID_PROTOCAL);
  assert.equal(IMSDK.loginImpl({ loginUserId: 'u1' }, ''), MBErrorCode.TO_SERVER_NET_INFO_NOT_SETUP);
  const info = Object.freeze({ loginUserId: 'u9', loginToken: 'tok', custom: 1 });
  assert.equal(IMSDK.loginImpl(info, URL), 0);
  const [, passed] = fake.calls.at(-1);
  assert.notEqual(passed, info);
  fake.status.loginInfo.firstLoginTime = 1234;
  const copy = IMSDK.getLoginInfo();
  assert.deepEqual(copy, { loginUserId: 'u9', loginToken: 'tok', custom: 1, firstLoginTime: 1234 });
  copy.custom = 2;
  assert.equal(IMSDK.getLoginInfo().custom, 1);
});

test('every callback is optional; a kick-out without a handler shows the alert', async () => {
  const { IMSDK, fake, host } = await onlineSetup();
  const outputs = [
    { kind: 'state', state: 'online' },
    { kind: 'loginSucceeded' },
    { kind: 'loginFailed', isReconnect: true, code: 1025 },
    { kind: 'reconnected' },
    { kind: 'data', message: { type: 2, dataContent: 'x' } },
    { kind: 'ping' },
    { kind: 'pong' },
    { kind: 'lost', messages: [{ sendId: 99, message: { fp: 'f' } }] },
    { kind: 'received', fp: 'f', sendId: 98 },
    { kind: 'echo', message: { type: 53 } },
    { kind: 'log', level: 'warn', message: 'careful' },
    { kind: 'somethingNew' },
    { kind: 'kicked', info: { code: 1 } },
    { kind: 'disconnected' },
  ];
  for (const output of outputs) fake.emit(output);
  assert.deepEqual(
    host.lines.filter(({ level }) => level === 'error'),
    [],
    'no output failed for want of a callback (a throw inside the SDK is logged as an error)',
  );
  assert.equal(host.alerts.length, 1);
  assert.match(host.alerts[0], /logged in elsewhere/);

  const shown = [];
  IMSDK.callback_onIMShowAlert = (text) => shown.push(text);
  fake.emit({ kind: 'kicked', info: { code: 2, reason: 'maintenance' } });
  assert.equal(host.alerts.length, 1);
  assert.match(shown[0], /administrator.*maintenance/);

  IMSDK.on('kicked', () => {});
  fake.emit({ kind: 'kicked', info: { code: 1 } });
  assert.equal(shown.length, 1, 'an on("kicked") listener handles the kick-out');
});

test('callbacks and listeners that throw are logged; the rest still runs', async () => {
  const { IMSDK, fake, host } = await onlineSetup();
  const seen = [];
  IMSDK.callback_onIMData = () => {
    throw new Error('page bug');
  };
  IMSDK.on('data', () => {
    throw new Error('listener bug');
  });
  IMSDK.on('data', (p) => seen.push(p.dataContent));
  IMSDK.callback_onIMPong = () => seen.push('pong');
  fake.emit({ kind: 'data', message: { dataContent: 'x' } });
  fake.emit({ kind: 'pong' });
  assert.deepEqual(seen, ['x', 'pong']);
  const errors = host.lines.filter(({ level }) => level === 'error').map(({ line }) => line);
  assert.ok(errors.some((line) => line.includes('callback_onIMData threw') && line.includes('page bug')));
  assert.ok(errors.some((line) => line.includes('listener bug')));

  IMSDK.callback_onIMLog = () => {
    throw new Error('log bug');
  };
  fake.emit({ kind: 'log', level: 'error', message: 'core error' });
  assert.ok(host.lines.some(({ line }) => line.includes('callback_onIMLog threw')));
  assert.ok(host.lines.some(({ line }) => line.includes('core error')));
});

test('the debug switches reach the core, which filters; the glue shows every line it gets, prefixed by source', async () => {
  const { IMSDK, fake } = await onlineSetup();
  const lines = [];
  IMSDK.callback_onIMLog = (line, toConsole) => lines.push([line, toConsole]);
  // The core filters by all three switches (tests/keep_alive.rs
  // info_and_debug_lines_come_only_with_debug_logs_on,
  // sdk_lines_follow_the_sdk_switch_and_heartbeat_lines_need_both_switches).
  const switches = () => fake.calls.filter(([name]) => name === 'setDebug');
  const before = switches().length;
  IMSDK.setDebugCoreEnable(1);
  IMSDK.setDebugSDKEnable(true);
  IMSDK.setDebugPingPongEnable(true);
  IMSDK.setDebugSDKEnable(0);
  assert.deepEqual(switches().slice(before), [
    ['setDebug', 'coreLogs', true],
    ['setDebug', 'sdkLogs', true],
    ['setDebug', 'heartbeatLogs', true],
    ['setDebug', 'sdkLogs', false],
  ]);

  fake.emit({ kind: 'log', level: 'debug', message: 'core debug', sdk: false });
  fake.emit({ kind: 'log', level: 'debug', message: 'state: online', sdk: true });
  fake.emit({ kind: 'state', state: 'online' });
  fake.emit({ kind: 'ping' });
  fake.emit({ kind: 'pong' });
  assert.deepEqual(lines, [
    ['[IMSDK-core] core debug', true],
    ['[IMSDK] state: online', true],
  ]);
});

test('sendData callbacks report the first write; sendDataAsync settles on received or lost', async () => {
  const { IMSDK, fake, socket, companions } = await onlineSetup();
  const seen = [];
  const qos = companions.MBProtocalFactory.createCommonDataSimple('q', 'u1', 'u2');
  const code = IMSDK.sendData(
    qos,
    (res) => seen.push(['success', res.fp]),
    (err) => seen.push(['fail', err.errCode]),
    () => seen.push(['complete']),
  );
  assert.equal(code, 0);
  assert.deepEqual(seen, [], 'nothing before the socket reports the write');
  socket.flush(0);
  assert.deepEqual(seen, [['success', 'fp-1'], ['complete']]);

  const acked = IMSDK.sendDataAsync(companions.MBProtocalFactory.createCommonDataSimple('r', 'u1', 'u2'));
  const lost = IMSDK.sendDataAsync(companions.MBProtocalFactory.createCommonDataSimple('s', 'u1', 'u2'));
  socket.flush(0);
  fake.emit({ kind: 'received', fp: 'fp-2', sendId: 2 });
  assert.deepEqual(await acked, { fp: 'fp-2' });
  const lostList = [];
  IMSDK.callback_onMessagesLost = (list) => lostList.push(...list);
  fake.emit({ kind: 'lost', messages: [{ sendId: 3, message: { fp: 'fp-3' } }] });
  await assert.rejects(lost, (error) => error.reason === 'lost');
  assert.equal(lostList[0].dataContent, 's', 'the app object, not the core copy');

  const failed = [];
  IMSDK.sendData(companions.MBProtocalFactory.createCommonData('t', 'u1', 'u2', false), null, (err) =>
    failed.push(err.errCode),
  );
  socket.flush(MBErrorCode.COMMON_DATA_SEND_FAILD);
  assert.deepEqual(failed, [3]);

  fake.status.state = 'reconnecting';
  const queued = [];
  const offline = companions.MBProtocalFactory.createCommonDataSimple('u', 'u1', 'u2');
  assert.equal(
    IMSDK.sendData(
      offline,
      () => queued.push('success'),
      (err) => queued.push(err.errCode),
    ),
    0,
  );
  // The core settles the write of a message lost before it reached a socket with 201
  // (tests/settlement.rs a_lost_message_is_settled_first_201_if_it_never_reached_a_socket).
  fake.emit({ kind: 'writeSettled', sendId: 5, code: MBErrorCode.BREOKEN_CONNECT_TO_SERVER, last: false });
  fake.emit({ kind: 'lost', messages: [{ sendId: 5, message: { fp: offline.fp } }] });
  assert.deepEqual(queued, [MBErrorCode.BREOKEN_CONNECT_TO_SERVER]);
  assert.equal(IMSDK.sendData(companions.MBProtocalFactory.createCommonData('v', 'u1', 'u2', false)), 201);
});

test('app callbacks get the stock arguments, no more and no fewer, on the IMSDK object', async () => {
  const { IMSDK, fake, socket, companions } = await onlineSetup();
  const calls = [];
  const record = (name) =>
    function (...args) {
      calls.push([name, this === IMSDK, ...args]);
    };
  const names = ['AfterLoginSucess', 'AfterLoginFailed', 'ReconnectSucess', 'Disconnected', 'Data', 'Ping', 'Kickout'];
  for (const name of names) IMSDK[`callback_onIM${name}`] = record(name);
  IMSDK.callback_onMessagesLost = record('Lost');
  IMSDK.callback_onMessagesBeReceived = record('BeReceived');
  IMSDK.on('loginFailed', record('on loginFailed'));
  IMSDK.on('received', record('on received'));
  const message = { type: 2, dataContent: 'x' };
  fake.emit({ kind: 'loginSucceeded' });
  fake.emit({ kind: 'loginFailed', isReconnect: true, code: 1025 });
  fake.emit({ kind: 'reconnected' });
  fake.emit({ kind: 'data', message });
  fake.emit({ kind: 'ping' });
  const qos = companions.MBProtocalFactory.createCommonDataSimple('q', 'u1', 'u2');
  IMSDK.sendData(qos, record('fnSuccess'), 0, record('fnComplete'));
  socket.flush(0);
  fake.emit({ kind: 'received', sendId: 1 });
  IMSDK.sendData(companions.MBProtocalFactory.createCommonData('r', 'u1', 'u2', false), null, record('fnFail'));
  socket.flush(MBErrorCode.COMMON_DATA_SEND_FAILD);
  fake.emit({ kind: 'lost', messages: [{ sendId: 9, message }] });
  fake.emit({ kind: 'kicked', info: { code: 1 } });
  fake.emit({ kind: 'disconnected' });
  assert.deepEqual(calls, [
    ['AfterLoginSucess', true],
    ['AfterLoginFailed', true, true, 1025],
    ['on loginFailed', false, { isReconnect: true, code: 1025 }],
    ['ReconnectSucess', true],
    ['Data', true, message, {}],
    ['Ping', true],
    ['fnSuccess', false, { errMsg: 'sendData:ok', fp: 'fp-1' }],
    ['fnComplete', false],
    ['BeReceived', true, 'fp-1'],
    ['on received', false, 'fp-1'],
    ['fnFail', false, { errCode: 3, errMsg: 'sendData:fail 3' }],
    ['Lost', true, [message]],
    ['Kickout', true, { code: 1 }],
    ['Disconnected', true],
  ]);
});

test('thousands of messages in flight each get their own outcome, in whatever order they end', async () => {
  const { IMSDK, fake, socket, companions } = await onlineSetup({ syncWrites: true });
  const messages = Array.from({ length: 3000 }, (_, n) =>
    companions.MBProtocalFactory.createCommonDataSimple(`m${n}`, 'u1', 'u2'),
  );
  const outcomes = messages.map((message) =>
    IMSDK.sendDataAsync(message).then(
      (result) => `received ${result.fp}`,
      (error) => error.reason,
    ),
  );
  socket.flush(0);
  const lostList = [];
  IMSDK.callback_onMessagesLost = (list) => lostList.push(...list);
  // The older two thirds end in send order, then the rest from the newest back; every tenth lost.
  const endOrder = [
    ...Array.from({ length: 2000 }, (_, n) => n + 1),
    ...Array.from({ length: 1000 }, (_, n) => 3000 - n),
  ];
  for (const sendId of endOrder) {
    if (sendId % 10 === 1) {
      fake.emit({ kind: 'lost', messages: [{ sendId, message: { fp: `fp-${sendId}` } }] });
    } else {
      fake.emit({ kind: 'received', fp: `fp-${sendId}`, sendId });
    }
  }
  const expected = messages.map((_, n) => (n % 10 === 0 ? 'lost' : `received fp-${n + 1}`));
  assert.deepEqual(await Promise.all(outcomes), expected);
  assert.deepEqual(
    lostList,
    endOrder.filter((sendId) => sendId % 10 === 1).map((sendId) => messages[sendId - 1]),
    'the app objects, in the order reported',
  );
  const later = IMSDK.sendDataAsync(companions.MBProtocalFactory.createCommonDataSimple('later', 'u1', 'u2'));
  fake.emit({ kind: 'received', fp: 'fp-3001', sendId: 3001 });
  assert.deepEqual(await later, { fp: 'fp-3001' });
});

test('a write reported at once, when the send is flushed, gets the message fp', async () => {
  const { IMSDK, companions } = await onlineSetup({ syncWrites: true });
  const seen = [];
  const message = companions.MBProtocalFactory.createCommonDataSimple('q', 'u1', 'u2');
  IMSDK.sendData(
    message,
    (res) => seen.push(res.fp),
    null,
    () => seen.push('complete'),
  );
  assert.deepEqual(seen, ['fp-1', 'complete']);
  const plain = IMSDK.sendDataAsync(companions.MBProtocalFactory.createCommonData('p', 'u1', 'u2', false));
  assert.deepEqual(await plain, { fp: null });
});

test('socket events reach the core with their numeric generation until the socket is closed', async () => {
  const { fake, socket, transport } = await onlineSetup();
  socket.handlers.onOpen();
  socket.handlers.onText('{"type":51}');
  socket.handlers.onBytes(new Uint8Array([1]));
  assert.deepEqual(
    fake.calls.slice(-3).map(([name, generation]) => [name, generation]),
    [
      ['socketOpened', 1],
      ['socketText', 1],
      ['socketBytes', 1],
    ],
  );
  fake.emit({ kind: 'close', generation: 1 });
  assert.equal(socket.closed, true);
  socket.handlers.onText('late');
  socket.handlers.onClose();
  assert.equal(fake.callNames().at(-1), 'socketBytes', 'nothing from a closed socket');

  transport.failOpen = true;
  fake.emit({ kind: 'open', generation: 2, url: URL });
  assert.deepEqual(fake.calls.at(-1), ['socketClosed', 2]);
});

test('host lifecycle hints reach the core; destroy detaches them and retires the core', async () => {
  const { IMSDK, fake, host, socket } = await onlineSetup();
  host.hooks.onShow();
  host.hooks.onHide();
  host.hooks.onNetworkChange(false);
  assert.deepEqual(fake.calls.slice(-3), [['appShown'], ['appHidden'], ['networkChanged', false]]);
  const events = [];
  IMSDK.on('state', (state) => events.push(state));
  IMSDK.destroy();
  assert.equal(host.unsubscribed, 1);
  assert.equal(socket.closed, true);
  assert.equal(fake.callNames().at(-1), 'logout');
  await eventually(() => fake.callNames().at(-1) === 'destroy', 'the core is destroyed after the current callback');
  fake.emit({ kind: 'state', state: 'logged_out' });
  assert.deepEqual(events, [], 'listeners are removed');
  assert.equal(IMSDK.getConnectionState(), 'idle');
  assert.equal(IMSDK.sendData({ type: 2, to: 'x', QoS: true }), MBErrorCode.CLIENT_SDK_NO_INITIALED);
});

test('companions: factory shapes, sense modes, formatDate', () => {
  const { companions, IMSDK } = setup();
  const { MBProtocalFactory, MBKeepAliveDaemon, MBSenseMode, MBUtils } = companions;
  assert.deepEqual(MBProtocalFactory.createCommonData('d', 'a', 'b', true, 'fp1', 5), {
    bridge: false,
    type: 2,
    dataContent: 'd',
    from: 'a',
    to: 'b',
    fp: 'fp1',
    QoS: true,
    typeu: 5,
  });
  assert.deepEqual(MBProtocalFactory.createCommonDataSimple('d', 'a', 'b'), {
    bridge: false,
    type: 2,
    dataContent: 'd',
    from: 'a',
    to: 'b',
    fp: null,
    QoS: true,
    typeu: -1,
  });
  assert.equal(MBKeepAliveDaemon.setSenseMode(MBSenseMode.MODE_120S), true);
  // Before the core exists a mode is kept, and checked when the core is created
  // (tests/js/core-rules.test.mjs).
  assert.equal(MBKeepAliveDaemon.setSenseMode(8), true);
  assert.equal(IMSDK.getConnectionState(), 'idle');
  const date = new Date(2024, 10, 9, 8, 7, 6, 5);
  assert.equal(MBUtils.formatDate(date, 'yyyy-MM-dd HH:mm:ss.S'), '2024-11-09 08:07:06.005');
  assert.equal(MBUtils.formatDate(date, 'yy/M/d h:m:s q'), '24/11/9 8:7:6 4');
  assert.match(MBUtils.formatDate(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

test('a failed write on the live socket is a link loss: the socket is closed and the core told once', async () => {
  const { IMSDK, fake, socket, companions } = await onlineSetup();
  IMSDK.sendData(companions.MBProtocalFactory.createCommonData('a', 'u1', 'u2', false));
  IMSDK.sendData(companions.MBProtocalFactory.createCommonData('b', 'u1', 'u2', false));
  socket.flush(MBErrorCode.COMMON_DATA_SEND_FAILD);
  assert.equal(socket.closed, true);
  const closedCalls = fake.calls.filter(([name]) => name === 'socketClosed');
  assert.deepEqual(closedCalls, [['socketClosed', 1]], 'two failed writes, one link loss');
  socket.handlers.onClose();
  assert.equal(fake.calls.filter(([name]) => name === 'socketClosed').length, 1, 'nothing after close()');
});
